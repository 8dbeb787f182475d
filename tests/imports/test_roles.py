"""Who may import what (contracts.md §3; issue 14, findings 1 and 5), through both ways in: the
browser upload (upload → check → preview → confirm, as the officer does it) and the command's
`--as USERNAME`.

- A commune officer imports the registers of their own commune; a `communes`, `registrations`
  or `roadmap` sheet is refused with one line per sheet, and the file writes nothing.
- A provincial officer imports every sheet for their province, but never renames or creates a
  province, and never changes the terms of a registration whose case was submitted or decided.
- An administrator (and the command without `--as`) may do all of it.

Every refused import is checked against the row counts of every table, audit log included.
"""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from assessments.models import CaseState, RecognitionCase, Registration
from communes.models import Province
from imports.access import PROVINCE_SHEETS, REGISTER_SHEETS, import_scope
from imports.models import ImportJob, ImportStatus
from imports.specs import SHEETS
from imports.workbook import WorkbookNotApplicable, workbook_apply, workbook_preview
from tests import factories
from tests.imports import person_row, table, xlsx

D = datetime.date
PERSON_ID = "020090000777"  # the person already on the commune's lists (synthetic)


def refusal(sheet: str) -> str:
    return f"{sheet}!1: sheet: chỉ Công an tỉnh được nhập trang “{sheet}”"


# One valid row per sheet, all in the commune 20001 of the province 20 (Lạng Sơn).
ROWS = {
    "communes": {
        "province_code": "20",
        "province_name": "Lạng Sơn",
        "code": "20009",
        "name": "Xã Mới",
        "kind": "xa",
    },
    "hamlets": {"commune_code": "20001", "name": "Thôn Mới"},
    "persons": person_row(),
    "drug_tests": {
        "citizen_id": PERSON_ID,
        "tested_on": "2025-06-01",
        "kind": "periodic",
        "result": "negative",
    },
    "rehab": {"citizen_id": PERSON_ID, "form": "voluntary_facility", "started_on": "2025-06-01"},
    "hotspots": {
        "commune_code": "20001",
        "ref": "D9",
        "kind": "retail",
        "detected_on": "2025-03-01",
    },
    "cultivation": {"commune_code": "20001", "ref": "C9", "found_on": "2025-03-01", "plants": 10},
    "offences": {
        "commune_code": "20001",
        "ref": "V9",
        "occurred_on": "2025-03-01",
        "kind": "possession",
        "offenders": 1,
    },
    "wanted": {"commune_code": "20001", "ref": "T9", "hiding_since": "2025-03-01"},
    "pledges": {
        "commune_code": "20001",
        "hamlet": "Thôn Nà Pe",
        "household_code": "H9",
        "head_name": "Trần Văn Mẫu",
        "signed_on": "2025-03-15",
    },
    "hamlet_pledges": {
        "commune_code": "20001",
        "hamlet": "Thôn Nà Pe",
        "signed_on": "2025-03-20",
        "signed_by": "Trưởng thôn Hoàng Văn Mẫu",
    },
    "models": {"commune_code": "20001", "name": "Tổ tự quản", "started_on": "2025-01-01"},
    "registrations": {
        "commune_code": "20001",
        "year": 2027,
        "registered_on": "2025-11-20",
        "profile": "qd28-2025",
    },
    "roadmap": {"province_code": "20", "year": 2027, "target_communes": 5},
}

# contracts.md §3, written out here rather than read from imports.access, so that the test
# says what the contract says.
COMMUNE_OFFICER_SHEETS = {
    "hamlets",
    "persons",
    "drug_tests",
    "rehab",
    "hotspots",
    "cultivation",
    "offences",
    "wanted",
    "pledges",
    "hamlet_pledges",
    "models",
}
ACCEPTED = {
    "commune officer": COMMUNE_OFFICER_SHEETS,
    "provincial officer": set(ROWS),
    "provincial officer of another province": set(),
    "leader": set(),
    "admin": set(ROWS),
}


@pytest.fixture(autouse=True)
def run_queued_tasks(monkeypatch):
    # Tasks are queued on commit; test transactions never commit, so run them at once.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


@pytest.fixture
def area(commune, other_commune):
    """The demo's situation: the commune's 2025 registration recognised, its 2026 one on the
    province's own profile with its case opened."""
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Nà Pe")
    factories.make_person(commune, citizen_id=PERSON_ID, hamlet=hamlet)
    officer = factories.provincial_officer(commune.province, username="mo.ho.so")
    approved = factories.registration_with_case(
        commune=commune, year=2025, registered_on=D(2025, 1, 10), profile="qd28-2025", by=officer
    )
    RecognitionCase.objects.filter(pk=approved.pk).update(state=CaseState.APPROVED)
    current = factories.registration_with_case(
        commune=commune,
        year=2026,
        registered_on=D(2025, 11, 20),
        profile="lang-son-2025",
        by=officer,
    )
    return {
        "approved": approved.registration,
        "current": current.registration,
        "hamlet": hamlet,
    }


@pytest.fixture
def users(commune_officer, provincial_officer, foreign_commune, leader, portal_admin):
    return {
        "commune officer": commune_officer,
        "provincial officer": provincial_officer,
        "provincial officer of another province": factories.provincial_officer(
            foreign_commune.province, username="canbo.tinh.khac"
        ),
        "leader": leader,
        "admin": portal_admin,
    }


def row_counts() -> dict[str, int]:
    """Rows of every table, audit log included, but those signing in and any request may
    touch: the upload's own job record, sessions, the authenticator the test's sign-in links,
    and the security log of refused pages."""
    skipped = (ImportJob, Session, SecurityEvent, TOTPDevice)
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in skipped and model._meta.app_label != "axes"
    }


def registration_values() -> list[dict]:
    return list(Registration.objects.order_by("pk").values())


# ---- the two ways in ---------------------------------------------------------------------


def through_browser(client, user, sheets) -> tuple[bool, list[str]]:
    """Upload, check, and confirm if the preview allows it, as the officer does in the
    browser. Returns whether the import was written, and the error lines shown."""
    client.force_login(user)
    if client.get(reverse("imports:upload")).status_code == 403:
        return False, []
    content = xlsx(sheets).getvalue()
    response = client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("so-theo-doi.xlsx", content)},
        follow=True,
    )
    assert response.status_code == 200
    job = ImportJob.objects.filter(created_by=user).latest("pk")
    # The preview shows every error line; a refused file cannot be confirmed.
    for error in job.errors:
        assert error in response.content.decode()
    client.post(reverse("imports:confirm", args=[job.token]))
    job.refresh_from_db()
    if job.errors:
        assert job.status == ImportStatus.INVALID
        return False, job.errors
    assert job.status == ImportStatus.DONE, job.status
    return True, []


def run_command(*args) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_workbook", *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit:
        return exit.code, stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def through_command(tmp_path, user, sheets) -> tuple[bool, list[str]]:
    path = tmp_path / "so-theo-doi.xlsx"
    path.write_bytes(xlsx(sheets).getvalue())
    try:
        status, out, err = run_command(str(path), "--as", user.username)
    except CommandError:
        return False, []
    if status:
        assert out == ""
        return False, err.splitlines()
    assert err == ""
    return True, []


def attempt(way, client, tmp_path, user, sheets):
    if way == "browser":
        return through_browser(client, user, sheets)
    return through_command(tmp_path, user, sheets)


WAYS = ["browser", "command"]


# ---- the matrix: role × sheet ------------------------------------------------------------


def test_every_sheet_is_either_a_register_or_the_provinces():
    assert REGISTER_SHEETS | PROVINCE_SHEETS == set(SHEETS) == set(ROWS)
    assert not REGISTER_SHEETS & PROVINCE_SHEETS


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("sheet", list(ROWS))
@pytest.mark.parametrize("role", list(ACCEPTED))
def test_each_role_imports_the_sheets_the_contract_gives_it(
    role, sheet, way, users, area, client, tmp_path
):
    before = row_counts()
    written, errors = attempt(way, client, tmp_path, users[role], {sheet: table(ROWS[sheet])})
    if sheet in ACCEPTED[role]:
        assert (written, errors) == (True, [])
        assert row_counts()["auditlog.LogEntry"] > before["auditlog.LogEntry"]
        return
    assert not written
    assert row_counts() == before
    if role == "leader":
        assert errors == []  # no upload page (403), no import from the command line
    elif role == "commune officer":
        assert errors == [refusal(sheet)]
    else:  # rows of another province
        assert errors and all(error.startswith(f"{sheet}!2: ") for error in errors), errors


# ---- finding 1: a commune officer sets their own registration ----------------------------

# What the commune officer's workbook of the report tried: the 2026 registration moved to the
# national profile with a zero baseline, a 2027 one created, the recognised 2025 one changed.
ESCALATIONS = {
    "registrations": table(
        {
            "commune_code": "20001",
            "year": 2026,
            "registered_on": "2025-11-20",
            "profile": "qd28-2025",
            "baseline_addicts": 0,
            "baseline_users": 0,
        },
        {"commune_code": "20001", "year": 2027, "registered_on": "2025-11-20"},
        {
            "commune_code": "20001",
            "year": 2025,
            "registered_on": "2025-01-10",
            "profile": "lang-son-2025",
            "baseline_addicts": 0,
            "baseline_users": 0,
        },
    ),
    "communes": table(
        {
            "province_code": "20",
            "province_name": "Lạng Sơn",
            "code": "20001",
            "name": "Công Sơn",
            "kind": "xa",
            "population": 100000,
        },
        ROWS["communes"],
    ),
    "roadmap": table({"province_code": "20", "year": 2026, "target_communes": 0}),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("sheet", list(ESCALATIONS))
def test_a_commune_officers_province_sheet_is_refused_whole(
    sheet, way, commune_officer, area, client, tmp_path
):
    before, registrations = row_counts(), registration_values()
    sheets = {
        # A valid register sheet beside it is not written either: the file is one import.
        "hamlets": table({"commune_code": "20001", "name": "Thôn Mới"}),
        sheet: ESCALATIONS[sheet],
    }
    written, errors = attempt(way, client, tmp_path, commune_officer, sheets)
    assert (written, errors) == (False, [refusal(sheet)])
    assert row_counts() == before
    assert registration_values() == registrations


def test_the_command_prints_the_refusal_as_its_only_line(commune_officer, area, tmp_path):
    path = tmp_path / "dang-ky.xlsx"
    path.write_bytes(xlsx(ESCALATIONS).getvalue())
    before = row_counts()
    assert run_command(str(path), "--as", "canbo.xa") == (
        1,
        "",
        "".join(refusal(sheet) + "\n" for sheet in ("communes", "registrations", "roadmap")),
    )
    assert run_command(str(path), "--as", "canbo.xa", "--dry-run")[0] == 1
    assert row_counts() == before


# ---- finding 1: a submitted or decided registration keeps its terms ----------------------


def registration_row(year: int, **values) -> dict:
    registered_on = "2025-01-10" if year == 2025 else "2025-11-20"
    return {"commune_code": "20001", "year": year, "registered_on": registered_on, **values}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    "change",
    [
        {"profile": "lang-son-2025"},
        {"baseline_addicts": 7},
        {"baseline_users": 7},
        {"registered_on": "2025-01-01"},  # a blank baseline is computed as of this day
    ],
    ids=["profile", "baseline_addicts", "baseline_users", "registered_on"],
)
def test_a_provincial_officer_cannot_change_a_recognised_registration(
    change, way, provincial_officer, area, client, tmp_path
):
    stored = area["approved"]
    before, registrations = row_counts(), registration_values()
    row = registration_row(
        2025,
        profile=stored.profile,
        baseline_addicts=stored.baseline_addicts,
        baseline_users=stored.baseline_users,
    )
    sheets = {"registrations": table({**row, **change})}
    written, errors = attempt(way, client, tmp_path, provincial_officer, sheets)
    (column,) = change
    old = getattr(stored, column)
    assert (written, errors) == (
        False,
        [
            f"registrations!2: {column}: đăng ký năm 2025 của xã Công Sơn đã nộp hồ sơ công nhận "
            f"hoặc đã có quyết định: không sửa được (đang lưu: {old}); bỏ cột này hoặc ghi đúng "
            "giá trị đang lưu"
        ],
    )
    assert row_counts() == before
    assert registration_values() == registrations


@pytest.mark.parametrize(
    "state", [state for state in CaseState.values if state != CaseState.REGISTERED]
)
def test_no_submitted_or_decided_state_lets_the_baseline_change(
    state, provincial_officer, area, tmp_path
):
    RecognitionCase.objects.filter(registration=area["current"]).update(state=state)
    sheets = {"registrations": table(registration_row(2026, baseline_users=99))}
    written, errors = through_command(tmp_path, provincial_officer, sheets)
    assert not written
    assert [error.split(": ")[:2] for error in errors] == [["registrations!2", "baseline_users"]]
    area["current"].refresh_from_db()
    assert area["current"].baseline_users != 99


@pytest.mark.parametrize("way", WAYS)
def test_a_provincial_officer_still_corrects_a_registration_whose_case_is_only_opened(
    way, provincial_officer, area, client, tmp_path
):
    current = area["current"]
    stored = current.baseline_addicts
    row = registration_row(2026, profile="qd28-2025", baseline_addicts=stored + 3)
    # The recognised 2025 one may stand in the same file as long as its terms are the same.
    approved = area["approved"]
    unchanged = registration_row(
        2025,
        profile=approved.profile,
        baseline_addicts=approved.baseline_addicts,
        baseline_users=approved.baseline_users,
    )
    entries_of_approved = LogEntry.objects.get_for_object(approved).count()
    written, errors = attempt(
        way, client, tmp_path, provincial_officer, {"registrations": table(row, unchanged)}
    )
    assert (written, errors) == (True, [])
    current.refresh_from_db()
    assert (current.profile, current.baseline_addicts) == ("qd28-2025", stored + 3)
    # The manual baseline is in the audit trail, with who set it.
    entry = LogEntry.objects.get_for_object(current).latest("pk")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == provincial_officer
    assert entry.changes == {
        "profile": ["lang-son-2025", "qd28-2025"],
        "baseline_addicts": [str(stored), str(stored + 3)],
    }
    assert entry.additional_data["via"] == "import"
    assert LogEntry.objects.get_for_object(approved).count() == entries_of_approved


def test_a_case_submitted_between_preview_and_write_stops_the_import(provincial_officer, area):
    current = area["current"]
    sheets = {"registrations": table(registration_row(2026, baseline_users=7))}
    checked = workbook_preview(
        xlsx(sheets), today=D(2025, 12, 1), **import_scope(provincial_officer)
    )
    assert not checked.errors
    RecognitionCase.objects.filter(registration=current).update(state=CaseState.SUBMITTED)
    before, registrations = row_counts(), registration_values()
    with pytest.raises(WorkbookNotApplicable, match="vừa được nộp sau khi xem trước"):
        workbook_apply(checked, by=provincial_officer)
    assert row_counts() == before
    assert registration_values() == registrations


# ---- finding 5: a provincial officer renames the province ----------------------------------


def commune_sheet(**values) -> dict:
    row = {
        "province_code": "20",
        "province_name": "Lạng Sơn",
        "code": "20001",
        "name": "Công Sơn",
        "kind": "xa",
    }
    return {"communes": table({**row, **values})}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            {"province_name": "Xứ Lạng"},
            "communes!2: province_name: khác tên tỉnh đang lưu “Lạng Sơn”; chỉ quản trị hệ "
            "thống được đổi tên tỉnh",
        ),
        (
            {"province_code": "37", "province_name": "Ninh Bình"},
            "communes!2: province_code: tỉnh mã 37 không thuộc địa bàn của bạn",
        ),
        (
            {"province_code": "99", "province_name": "Tỉnh Mới", "code": "99001"},
            "communes!2: province_code: tỉnh mã 99 không thuộc địa bàn của bạn",
        ),
    ],
    ids=["renamed", "another-province", "new-province"],
)
def test_a_provincial_officer_cannot_rename_or_create_a_province(
    values, expected, way, provincial_officer, other_province, area, client, tmp_path
):
    before = row_counts()
    provinces = list(Province.objects.order_by("pk").values())
    written, errors = attempt(way, client, tmp_path, provincial_officer, commune_sheet(**values))
    assert (written, errors) == (False, [expected])
    assert row_counts() == before
    assert list(Province.objects.order_by("pk").values()) == provinces


@pytest.mark.parametrize("way", [*WAYS, "command without --as"])
def test_an_administrator_renames_the_province(way, portal_admin, province, area, client, tmp_path):
    sheets = commune_sheet(province_name="Xứ Lạng")
    if way == "command without --as":
        path = tmp_path / "tinh.xlsx"
        path.write_bytes(xlsx(sheets).getvalue())
        assert run_command(str(path))[0] == 0
    else:
        assert attempt(way, client, tmp_path, portal_admin, sheets) == (True, [])
    province.refresh_from_db()
    assert province.name == "Xứ Lạng"
    entry = LogEntry.objects.get_for_object(province).latest("pk")
    assert entry.changes == {"name": ["Lạng Sơn", "Xứ Lạng"]}
    assert entry.actor == (None if way == "command without --as" else portal_admin)


def test_an_officer_may_repeat_the_provinces_stored_name(provincial_officer, area, tmp_path):
    sheets = commune_sheet(population=8200)
    assert through_command(tmp_path, provincial_officer, sheets) == (True, [])


# ---- the command's --as --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("khong.co.ai", "không có tài khoản đang hoạt động tên “khong.co.ai”"),
        ("da.nghi", "không có tài khoản đang hoạt động tên “da.nghi”"),
        (
            "lanhdao",
            "tài khoản “lanhdao” không được nhập dữ liệu (tài khoản lãnh đạo, hoặc chưa được gắn "
            "địa bàn)",
        ),
    ],
    ids=["unknown", "inactive", "leader"],
)
def test_the_command_refuses_a_user_who_may_not_import(
    username, message, commune, leader, area, tmp_path
):
    factories.provincial_officer(commune.province, username="da.nghi", is_active=False)
    path = tmp_path / "so.xlsx"
    path.write_bytes(xlsx({"hamlets": table(ROWS["hamlets"])}).getvalue())
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        run_command(str(path), "--as", username)
    assert str(refused.value) == message
    assert row_counts() == before


def test_the_command_as_a_user_names_them_in_the_audit_trail(commune_officer, area, tmp_path):
    path = tmp_path / "so.xlsx"
    path.write_bytes(xlsx({"hamlets": table(ROWS["hamlets"])}).getvalue())
    status, out, err = run_command(str(path), "--as", "canbo.xa", "--dry-run")
    assert (status, err) == (0, "")
    assert out.splitlines()[-1] == "Dry run: nothing was written."
    assert not LogEntry.objects.filter(actor=commune_officer).exists()
    assert run_command(str(path), "--as", "canbo.xa") == (
        0,
        "hamlets: created 1, updated 0, unchanged 0\n",
        "",
    )
    entry = LogEntry.objects.filter(actor=commune_officer).get()
    assert entry.additional_data["via"] == "import"
