"""The Lạng Sơn profile reads its plan per hamlet (issue 15, item 8; domain.md §6).

Seed 004 (Kế hoạch 214/KH-UBND of 15/8/2025, section II.1 "Mục tiêu") asks:
- "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu dân cư ký cam kết không tham gia phạm
  tội, tệ nạn ma túy." — every hamlet / residential area signs a collective pledge;
- "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm trong tuyên truyền, vận động Nhân dân tham gia
  phòng, chống ma túy." — at least one prevention model in each residential group.
Household pledges are Trà Vinh's and Thanh Hóa's criterion, never Lạng Sơn's.

First through the rules API (no database), then through the workbook import and `assess --json`.
"""

import dataclasses
import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from assessments import facts, labels
from assessments.rules import (
    EXTRA_CRITERIA,
    PROFILES,
    QD28_2025,
    Cause,
    CommuneFacts,
    CriteriaInputs,
    HamletDetail,
    Outcome,
    evaluate_criteria,
    is_eligible,
)
from communes.models import Hamlet, HamletPledge, PreventionModel
from tests import factories
from tests.imports.test_import_pages import workbook_bytes

D = date(2026, 6, 30)  # the assessment date; its period is 15/12/2025–14/12/2026
LANG_SON = "lang-son-2025"
LS_CODES = ("LS_hamlet_pledges", "LS_model_per_hamlet")


def hamlet(id, name, *, signed_on=date(2026, 3, 1), models=1) -> HamletDetail:
    return HamletDetail(
        id=id, name=name, hotline_board=True, pledge_signed_on=signed_on, active_models=models
    )


def inputs(*hamlets: HamletDetail | None, **details) -> CriteriaInputs:
    """A clean commune (QĐ 28 art. 6 holds): only its hamlets vary."""
    values = {
        "as_of": D,
        "facts": CommuneFacts(population=5000),
        "persons": (),
        "hotspots": (),
        "offences": (),
        "cultivation": (),
        "wanted": (),
        "hamlets": hamlets,
        "households": 400,
        "pledged_households": 0,
        "active_models": 0,
        "baseline": 0,
        **details,
    }
    return CriteriaInputs(**values)


def lang_son(commune_inputs: CriteriaInputs) -> dict:
    return {result.code: result for result in evaluate_criteria(commune_inputs, LANG_SON)}


# --- the profile --------------------------------------------------------------------------


def test_the_profile_reads_the_plan_per_hamlet_not_per_household():
    """Seed 004, II.1: "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu dân cư ký cam kết"
    and "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm" — the criteria of the hamlets, on top of
    QĐ 28 art. 6; no household pledge criterion."""
    profile = PROFILES[LANG_SON]
    assert profile.criteria == (*QD28_2025.criteria, *LS_CODES)
    assert profile.version == 2  # stored assessments of version 1 read households
    assert "PLEDGES_100" not in profile.criteria
    assert "MODEL_1" not in profile.criteria
    assert labels.criterion_title("LS_hamlet_pledges") == (
        "100% thôn, xóm, bản, làng, khu dân cư ký cam kết không tham gia phạm tội, tệ nạn ma túy"
    )
    assert labels.criterion_title("LS_model_per_hamlet") == (
        "Duy trì ít nhất 01 mô hình phòng, chống ma túy ở mỗi tổ, xóm"
    )
    # A province may still add them, or the household ones, to a profile of its own.
    assert {*LS_CODES, "PLEDGES_100", "MODEL_1"} <= set(EXTRA_CRITERIA)
    # The household pledge stays where the seeds ask for it (001 Trà Vinh, 003 Thanh Hóa).
    assert "TV3_household_pledges" in PROFILES["tra-vinh-2025"].criteria
    assert "TH9_household_pledges" in PROFILES["thanh-hoa-2024"].criteria


# --- rules API: pass and fail -------------------------------------------------------------


def test_a_commune_whose_hamlets_pledged_and_each_keep_a_model_passes():
    """Seed 004, II.1: "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu dân cư ký cam kết
    không tham gia phạm tội, tệ nạn ma túy"; "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm".
    No household has signed and the commune has no model of its own: the plan asks neither."""
    results = lang_son(inputs(hamlet(1, "Thôn Nà Lầu"), hamlet(2, "Thôn Khau Mạ", models=2)))

    assert is_eligible(results.values())
    assert results["LS_hamlet_pledges"].result == Outcome.PASS
    assert results["LS_hamlet_pledges"].evidence == (
        "2/2 thôn, xóm, bản, khu dân cư đã ký cam kết đến ngày 30/06/2026"
    )
    assert results["LS_model_per_hamlet"].evidence == (
        "2/2 thôn, xóm, bản, khu dân cư có mô hình phòng, chống ma túy hoạt động ngày 30/06/2026"
    )


def test_a_commune_with_household_pledges_only_fails():
    """Seed 004, II.1 asks the hamlet to sign ("100% … thôn, xóm, bản, làng, khu dân cư ký cam
    kết"), not each household; and a model "mỗi tổ, xóm" ("01 mô hình/tổ, xóm"), not one for
    the commune. Every household signed and one commune-wide model is active: both fail, naming
    the hamlets."""
    unsigned = [
        hamlet(1, "Thôn Nà Lầu", signed_on=None, models=0),
        hamlet(2, "Thôn Khau Mạ", signed_on=None, models=0),
    ]
    results = lang_son(inputs(*unsigned, pledged_households=400, active_models=1))

    assert not is_eligible(results.values())
    pledges, models = results["LS_hamlet_pledges"], results["LS_model_per_hamlet"]
    assert (pledges.result, models.result) == (Outcome.FAIL, Outcome.FAIL)
    assert pledges.evidence == (
        "2/2 thôn, xóm, bản, khu dân cư chưa ký cam kết đến ngày 30/06/2026: "
        "Thôn Nà Lầu, Thôn Khau Mạ"
    )
    assert pledges.causes == (Cause("hamlet", 1, "Thôn Nà Lầu"), Cause("hamlet", 2, "Thôn Khau Mạ"))
    assert models.evidence == (
        "2/2 thôn, xóm, bản, khu dân cư không có mô hình phòng, chống ma túy hoạt động ngày "
        "30/06/2026: Thôn Nà Lầu, Thôn Khau Mạ"
    )
    # The household criterion those households would pass is Trà Vinh's, not Lạng Sơn's.
    trà_vinh = evaluate_criteria(
        inputs(*unsigned, pledged_households=400, active_models=1), "tra-vinh-2025"
    )
    assert {r.code: r.result for r in trà_vinh}["TV3_household_pledges"] == Outcome.PASS


def test_one_hamlet_missing_names_only_that_hamlet():
    """Seed 004, II.1: "100% … thôn, xóm, bản, làng, khu dân cư" — one hamlet short fails."""
    results = lang_son(
        inputs(hamlet(1, "Thôn Nà Lầu"), hamlet(2, "Thôn Khau Mạ", signed_on=None, models=0))
    )

    assert results["LS_hamlet_pledges"].causes == (Cause("hamlet", 2, "Thôn Khau Mạ"),)
    assert results["LS_hamlet_pledges"].evidence.startswith("1/2 thôn")
    assert results["LS_model_per_hamlet"].causes == (Cause("hamlet", 2, "Thôn Khau Mạ"),)


@pytest.mark.parametrize(
    "signed_on, expected",
    [
        (D - timedelta(days=1), Outcome.PASS),
        (D, Outcome.PASS),
        (D + timedelta(days=1), Outcome.FAIL),
    ],
)
def test_a_pledge_counts_from_the_day_it_was_signed(signed_on, expected):
    """Seed 004, II.1 "ký cam kết": a pledge signed on D counts on D; one signed the day after
    does not yet."""
    results = lang_son(inputs(hamlet(1, "Thôn Nà Lầu", signed_on=signed_on)))

    assert results["LS_hamlet_pledges"].result == expected


@pytest.mark.parametrize("hamlets", [(), None])
def test_without_the_list_of_hamlets_the_criteria_cannot_say(hamlets):
    """Without the hamlets of the commune, "100% thôn, xóm" cannot be counted: unknown."""
    results = lang_son(dataclasses.replace(inputs(), hamlets=hamlets))

    for code in LS_CODES:
        assert results[code].result == Outcome.UNKNOWN
        assert results[code].evidence == "Chưa có danh sách thôn, xóm, bản, khu dân cư của xã"


# --- the facts loader: which pledges and models count -------------------------------------


@pytest.fixture
def hamlets(commune):
    return {
        name: factories.HamletFactory(commune=commune, name=name)
        for name in ("Thôn Nà Lầu", "Thôn Khau Mạ", "Thôn Pác Cáy")
    }


def loaded(commune, as_of=D) -> dict[str, HamletDetail]:
    return {h.name: h for h in facts.gather([commune], as_of=as_of)[commune.pk].hamlets}


def test_the_loader_reads_each_hamlets_pledge_and_its_models_on_d(commune, other_commune, hamlets):
    """Only what counts on D: a voided pledge is none; a model counts in its own hamlet while
    active on D (started by D, not ended before D); an archived hamlet is no longer one."""
    na_lau, khau_ma, pac_cay = hamlets.values()
    signed = date(2026, 3, 1)
    HamletPledge.objects.create(commune=commune, hamlet=na_lau, signed_on=signed, signed_by="A")
    HamletPledge.objects.create(
        commune=commune,
        hamlet=khau_ma,
        signed_on=signed,
        signed_by="B",
        voided_on=signed,
        void_reason="Nhập nhầm thôn",
    )
    models = [
        ("Tổ tự quản Nà Lầu", na_lau, date(2026, 1, 1), None),
        ("Câu lạc bộ Nà Lầu", na_lau, date(2026, 1, 1), D),  # ends on D: still active on D
        ("Tổ tự quản Khau Mạ", khau_ma, date(2026, 1, 1), D - timedelta(days=1)),
        ("Camera Pác Cáy", pac_cay, D + timedelta(days=1), None),
        ("Mô hình của xã", None, date(2026, 1, 1), None),
    ]
    for name, where, started, ended in models:
        PreventionModel.objects.create(
            commune=commune, hamlet=where, name=name, started_on=started, ended_on=ended
        )
    archived = factories.HamletFactory(
        commune=commune, name="Thôn Cũ", archived_on=date(2026, 1, 1), archive_reason="Sáp nhập"
    )
    factories.HamletFactory(commune=other_commune, name="Thôn Bên")

    by_name = loaded(commune)

    assert archived.name not in by_name and "Thôn Bên" not in by_name
    assert {name: (h.pledge_signed_on, h.active_models) for name, h in by_name.items()} == {
        "Thôn Nà Lầu": (signed, 2),
        "Thôn Khau Mạ": (None, 0),
        "Thôn Pác Cáy": (None, 0),
    }
    # The day after, the camera has started.
    assert loaded(commune, D + timedelta(days=1))["Thôn Pác Cáy"].active_models == 1


# --- through the workbook import and `assess --json` --------------------------------------

SIGNED_ON = "2026-03-20"
WORKBOOK = {
    "communes": [
        ["province_code", "province_name", "code", "name", "kind", "population", "households"],
        ["20", "Lạng Sơn", "20101", "Xã Thôn Ký", "xa", 3000, 2],
        ["20", "Lạng Sơn", "20102", "Xã Hộ Ký", "xa", 3000, 2],
    ],
    "hamlets": [
        ["commune_code", "name", "households", "hotline_board", "mailbox"],
        ["20101", "Thôn Nà Lầu", 1, "có", "có"],
        ["20101", "Thôn Khau Mạ", 1, "có", "có"],
        ["20102", "Thôn Pác Cáy", 1, "có", "có"],
        ["20102", "Thôn Bó Vài", 1, "có", "có"],
    ],
    # 20101: each hamlet signed; 20102: each household signed, no hamlet did.
    "hamlet_pledges": [
        ["commune_code", "hamlet", "signed_on", "signed_by"],
        ["20101", "Thôn Nà Lầu", SIGNED_ON, "Trưởng thôn Hoàng Văn Một"],
        ["20101", "Thôn Khau Mạ", SIGNED_ON, "Trưởng thôn Lương Văn Hai"],
    ],
    "pledges": [
        ["commune_code", "hamlet", "household_code", "head_name", "signed_on"],
        ["20102", "Thôn Pác Cáy", "HH-1", "Chủ Hộ Một", "2026-02-01"],
        ["20102", "Thôn Bó Vài", "HH-2", "Chủ Hộ Hai", "2026-02-02"],
    ],
    # 20101: a model in each hamlet; 20102: one model of the whole commune.
    "models": [
        ["commune_code", "name", "started_on", "ended_on", "hamlet", "kind"],
        ["20101", "Tổ tự quản Nà Lầu", "2026-01-05", None, "Thôn Nà Lầu", "self_managed"],
        ["20101", "Dòng họ Lương không ma túy", "2026-01-05", None, "Thôn Khau Mạ", "clan"],
        ["20102", "Tổ tự quản của xã", "2026-01-05", None, None, "self_managed"],
    ],
    "registrations": [
        ["commune_code", "year", "registered_on", "profile"],
        ["20101", 2026, "2025-12-10", LANG_SON],
        ["20102", 2026, "2025-12-10", LANG_SON],
    ],
}  # fmt: skip


@pytest.fixture
def imported(db, tmp_path, province):
    path = tmp_path / "lang-son.xlsx"
    path.write_bytes(workbook_bytes(WORKBOOK))
    call_command("import_workbook", str(path), stdout=io.StringIO())


def assess(as_of: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("assess", "--province", "20", "--as-of", as_of, "--json", "--dry-run", stdout=out)
    return {commune["code"]: commune for commune in json.loads(out.getvalue())["communes"]}


def criteria(commune: dict) -> dict[str, dict]:
    return {criterion["code"]: criterion for criterion in commune["criteria"]}


def test_imported_hamlet_pledges_pass_and_household_pledges_only_fail(imported):
    """Seed 004, II.1: "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu dân cư ký cam kết
    không tham gia phạm tội, tệ nạn ma túy"; "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm".
    Through the workbook (sheet `hamlet_pledges`, `models` with `hamlet`) and `assess --json`,
    each commune on its registration's profile."""
    assert Hamlet.objects.count() == 4

    by_code = assess("2026-06-30")

    hamlets_signed, households_signed = by_code["20101"], by_code["20102"]
    assert hamlets_signed["profile"] == households_signed["profile"] == LANG_SON
    assert [c["code"] for c in hamlets_signed["criteria"]] == [*QD28_2025.criteria, *LS_CODES]
    assert hamlets_signed["level"] == "drug_free"
    assert hamlets_signed["eligible"] is True
    assert households_signed["eligible"] is False
    failing = {code: c for code, c in criteria(households_signed).items() if c["result"] == "fail"}
    assert set(failing) == set(LS_CODES)
    for code in LS_CODES:
        assert "Thôn Bó Vài" in failing[code]["evidence"]
        assert "Thôn Pác Cáy" in failing[code]["evidence"]


@pytest.mark.parametrize(
    "as_of, expected", [("2026-03-19", "fail"), (SIGNED_ON, "pass"), ("2026-03-21", "pass")]
)
def test_an_imported_pledge_counts_from_its_signing_day(imported, as_of, expected):
    """Seed 004, II.1 "ký cam kết": on the day before the hamlets signed, they had not."""
    commune = assess(as_of)["20101"]

    assert criteria(commune)["LS_hamlet_pledges"]["result"] == expected
    assert commune["eligible"] is (expected == "pass")
