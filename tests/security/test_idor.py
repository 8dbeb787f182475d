"""Ids of another area, and area fields forged in POSTs.

The matrix (test_authz_matrix.py) opens the own commune's rows as users of other areas. Here the
own area's users try the rows of a commune of another province on every URL that takes an id
(details, forms, steps, exports, admin pages), filter lists and exports to that commune, and post
forms with a commune, province or hamlet of that area slipped in.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import ProvincialProfile, Registration, RoadmapTarget
from casefiles.models import Person
from communes.models import Hamlet, Hotspot
from communes.registers import REGISTERS
from imports.models import ImportJob, ImportStatus
from imports.specs import SHEETS
from reports.models import ReportRun
from tests import factories

from .conftest import COVERAGE
from .test_authz_matrix import (
    DENIED,
    MATRIX,
    admin_model_key,
    entry_for,
    expectations,
    filled,
    resolved_kwargs,
    row_counts,
    send,
    url_arguments,
    url_patterns,
)
from .world import build_area

TAG = "Ngoai"  # in every name and reference of the foreign area's rows
SEARCH = "goa"  # finds the tag, without the page's echo of the search showing it
ROW_ARGUMENTS = {"pk", "object_id", "id", "commune_pk", "token"}


# Admin models whose rows belong to no area and which only administrators open: Django's
# groups, the security log and the authenticator devices.
AREALESS_ADMIN_MODELS = {"group", "securityevent", "totpdevice"}


@pytest.fixture
def foreign_area(foreign_commune):
    area = build_area(foreign_commune, tag=TAG)
    return {**area, "user": area["officer"]}


@pytest.fixture
def own_users(commune, province):
    return {
        "commune officer": factories.commune_officer(commune, username="own.officer"),
        "provincial officer": factories.provincial_officer(province, username="own.provincial"),
        "leader": factories.leader(province, username="own.leader"),
    }


def row_urls(area):
    """(url id, path, methods) of every URL opened on a row, filled with the area's rows."""
    for url_id, route in url_patterns():
        if url_id in MATRIX["excluded"] or not ROW_ARGUMENTS & set(url_arguments(route)):
            continue
        if route.endswith("/<path:object_id>/"):
            continue  # the admin's bare object URL only redirects to the change page
        if admin_model_key(route) in AREALESS_ADMIN_MODELS:
            continue  # rows of no area, for administrators only (the matrix covers them)
        entry = entry_for(url_id)
        methods = [method for method, _statuses in expectations(entry)]
        for kwargs in resolved_kwargs(route, entry, area):
            yield url_id, filled(route, kwargs), methods


def test_foreign_ids_are_refused_on_every_url_that_takes_one(client, own_users, foreign_area):
    urls = list(row_urls(foreign_area))
    assert len(urls) > 60  # details, forms, steps, exports and the admin's pages
    opened, changed = [], []
    for role, user in own_users.items():
        client.force_login(user)
        for url_id, path, methods in urls:
            for method in methods:
                got, difference = send(client, method, path, foreign_area, check_unchanged=True)
                if got not in DENIED:
                    opened.append(f"{method} {path} [{url_id}] as {role}: {got}")
                if difference:
                    changed.append(f"{method} {path} as {role} changed {difference}")
    requests = len(own_users) * sum(len(methods) for _url_id, _path, methods in urls)
    COVERAGE.append(
        f"IDOR: {len({url_id for url_id, _path, _methods in urls})} URL patterns taking a row, "
        f"{len(urls)} URLs × {len(own_users)} roles × GET/POST = {requests} requests checked"
    )
    assert not opened + changed, "\n".join(opened + changed)
    # The ids are real: the area's own officer opens them.
    client.force_login(foreign_area["officer"])
    assert (
        client.get(reverse("casefiles:detail", args=[foreign_area["person"].pk])).status_code == 200
    )


def page_text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(value)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return response.content.decode()


def list_urls(foreign_area):
    """Lists, exports and dashboards, filtered to the foreign commune where they take filters."""
    foreign = f"commune={foreign_area['commune'].pk}&hamlet={foreign_area['hamlet'].pk}"
    yield reverse("casefiles:list") + f"?{foreign}"
    yield reverse("casefiles:list") + f"?q={SEARCH}&closed=1"
    yield reverse("casefiles:export") + f"?{foreign}"
    yield reverse("casefiles:moves_out")
    for slug in REGISTERS:
        yield reverse("communes:register_list", args=[slug]) + f"?{foreign}"
        yield reverse("communes:register_list", args=[slug]) + f"?q={SEARCH}&voided=1"
    yield reverse("communes:list") + f"?q={SEARCH}"
    yield reverse("imports:upload")
    yield reverse("assessments:province")
    yield reverse("assessments:recognition")
    yield reverse("assessments:roadmap")
    yield reverse("reports:overview")
    yield reverse("reports:runs")


def test_lists_and_exports_filtered_to_a_foreign_commune_show_nothing_of_it(
    client, own_users, foreign_area
):
    foreign_names = [TAG, foreign_area["commune"].name, foreign_area["person"].citizen_id]
    shown = []
    for role, user in own_users.items():
        client.force_login(user)
        for url in list_urls(foreign_area):
            response = client.get(url)
            if response.status_code != 200:
                assert response.status_code == 403, (url, role)
                continue
            text = page_text(response)
            shown += [f"{url} as {role} shows {name}" for name in foreign_names if name in text]
    assert shown == []
    # The same searches find the rows for whoever may see them.
    client.force_login(factories.portal_admin(username="admin"))
    for url in (reverse("casefiles:list") + f"?q={SEARCH}", reverse("casefiles:export")):
        assert "Lương Văn Ngoai" in page_text(client.get(url))


def admin_changelists():
    return [
        url_id
        for url_id, route in url_patterns()
        if url_id.endswith("_changelist")
        and admin_model_key(route) not in {*AREALESS_ADMIN_MODELS, "user"}
    ]


@pytest.mark.parametrize(
    "query", ["", f"?q={SEARCH}", "?commune__id__exact=", "?province__id__exact="]
)
def test_admin_lists_show_nothing_of_another_province(client, own_users, foreign_area, query):
    client.force_login(own_users["provincial officer"])
    if query.endswith("="):
        query += str(foreign_area["commune" if "commune" in query else "province"].pk)
    for url_id in admin_changelists():
        response = client.get(reverse(url_id) + query, follow=True)
        assert response.status_code == 200, url_id
        text = response.content.decode()
        assert TAG not in text, url_id
        assert foreign_area["commune"].name not in text, url_id
    client.force_login(factories.portal_admin(username="admin"))
    response = client.get(reverse("admin:communes_hamlet_changelist") + query, follow=True)
    assert TAG in response.content.decode()  # the rows are there, for whoever may see them


def test_admin_autocomplete_offers_only_the_own_province(client, own_users, foreign_area, commune):
    client.force_login(own_users["provincial officer"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "user", "field_name": "commune", "term": ""},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(commune.pk)]


# ---- forged area fields -----------------------------------------------------------------------


def person_data(**overrides):
    data = {
        "full_name": "Hà Văn Giả",
        "birth_date": "17/05/1990",
        "sex": "M",
        "citizen_id": "020 090 654 321",
        "listed_on": "01/03/2025",
        "file_opened_on": "05/03/2025",
        "category": "user",
        "category_since": "01/03/2025",
        "presence": "present",
    }
    return {**data, **overrides}


def forged(foreign_area) -> dict:
    """Area fields no portal form has, pointing at the foreign area, as an attacker adds them."""
    return {
        "commune": foreign_area["commune"].pk,
        "commune_id": foreign_area["commune"].pk,
        "province": foreign_area["province"].pk,
        "province_id": foreign_area["province"].pk,
    }


def test_a_new_file_stays_in_the_url_commune_whatever_the_post_says(
    client, own_users, foreign_area, commune
):
    client.force_login(own_users["commune officer"])
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]), person_data(**forged(foreign_area))
    )
    assert response.status_code == 302
    assert Person.objects.get(full_name="Hà Văn Giả").commune == commune


def test_a_hamlet_of_another_area_is_refused_on_a_file(client, own_users, foreign_area, commune):
    officer = own_users["commune officer"]
    client.force_login(officer)
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]),
        person_data(hamlet=foreign_area["hamlet"].pk),
    )
    assert response.status_code == 200
    assert "hamlet" in response.context["form"].errors
    assert not Person.objects.filter(full_name="Hà Văn Giả").exists()

    person = factories.make_person(commune, full_name="Hà Văn Có")
    data = {
        **person_data(full_name="Hà Văn Có", citizen_id=person.citizen_id),
        **forged(foreign_area),
        "hamlet": foreign_area["hamlet"].pk,
        "version": person.version,
    }
    response = client.post(reverse("casefiles:edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "hamlet" in response.context["form"].errors
    person.refresh_from_db()
    assert (person.commune, person.hamlet) == (commune, None)


def test_a_file_cannot_be_moved_to_another_province(client, own_users, foreign_area, commune):
    person = factories.make_person(commune, full_name="Hà Văn Đi")
    client.force_login(own_users["commune officer"])
    response = client.post(
        reverse("casefiles:move", args=[person.pk]),
        {"to_commune": foreign_area["commune"].pk, "on": "01/06/2025", "reason": "Chuyển đi"},
    )
    assert response.status_code == 200
    assert "to_commune" in response.context["form"].errors
    person.refresh_from_db()
    assert person.commune == commune
    assert not person.moves.exists()


def test_register_rows_and_hamlets_stay_in_the_url_commune(
    client, own_users, foreign_area, commune
):
    client.force_login(own_users["commune officer"])
    hotspot = {"ref": "GIA1", "kind": "retail", "detected_on": "01/06/2025"}
    url = reverse("communes:register_create", args=["hotspots", commune.pk])
    response = client.post(url, {**hotspot, **forged(foreign_area)})
    assert response.status_code == 302
    assert Hotspot.objects.get(ref="GIA1").commune == commune

    response = client.post(url, {**hotspot, "ref": "GIA2", "hamlet": foreign_area["hamlet"].pk})
    assert response.status_code == 200
    assert not Hotspot.objects.filter(ref="GIA2").exists()

    response = client.post(
        reverse("communes:hamlet_create", args=[commune.pk]),
        {"name": "Thôn Giả", "households": 10, **forged(foreign_area)},
    )
    assert response.status_code == 302
    assert Hamlet.objects.get(name="Thôn Giả").commune == commune


def test_a_report_is_built_for_the_users_own_province(client, own_users, foreign_area, province):
    client.force_login(own_users["provincial officer"])
    response = client.post(
        reverse("reports:runs"), {"kind": "annual", "year": 2026, **forged(foreign_area)}
    )
    assert response.status_code == 302
    assert ReportRun.objects.get(requested_by=own_users["provincial officer"]).province == province


ADMIN_ADDS = {
    "admin:communes_hamlet_add": (Hamlet, {"name": "Thôn Lén", "households": 10}),
    "admin:assessments_registration_add": (
        Registration,
        {"year": 2027, "registered_on": "2026-12-10", "profile": "qd28-2025"},
    ),
    "admin:assessments_provincialprofile_add": (
        ProvincialProfile,
        {
            "code": "tinh-len",
            "title": "Lén",
            "legal_basis": "KH",
            "valid_from": "2026-01-01",
            "base": "qd28-2025",
        },
    ),
    "admin:assessments_roadmaptarget_add": (
        RoadmapTarget,
        {"year": 2030, "target_communes": 99},
    ),
}


@pytest.mark.parametrize("url_name", sorted(ADMIN_ADDS))
def test_admin_refuses_rows_in_another_province(client, own_users, foreign_area, url_name):
    model, data = ADMIN_ADDS[url_name]
    client.force_login(own_users["provincial officer"])
    before = model.objects.count()
    response = client.post(reverse(url_name), {**data, **forged(foreign_area)})
    assert response.status_code == 200  # the form again, with "not one of the choices"
    assert response.context["adminform"].form.errors
    assert model.objects.count() == before


def test_admin_cannot_move_a_hamlet_to_another_province(client, own_users, foreign_area, commune):
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Ở Yên")
    client.force_login(own_users["provincial officer"])
    response = client.post(
        reverse("admin:communes_hamlet_change", args=[hamlet.pk]),
        {"name": "Thôn Ở Yên", "households": 10, "commune": foreign_area["commune"].pk},
    )
    assert response.status_code == 200
    hamlet.refresh_from_db()
    assert hamlet.commune == commune


# ---- workbook imports: rows of another area, jobs of another user -------------------------


def foreign_workbook_rows(area) -> dict[str, dict]:
    """One row per sheet, each naming the foreign area's commune, province or person."""
    commune, province = area["commune"].code, area["province"].code
    person = area["person"].citizen_id
    on = "2025-06-01"
    return {
        "communes": {
            "province_code": province,
            "province_name": area["province"].name,
            "code": commune,
            "name": area["commune"].name,
            "kind": "xa",
            "population": 1,
        },
        "hamlets": {"commune_code": commune, "name": "Thôn Lén"},
        "persons": {
            "citizen_id": person,
            "full_name": "Hà Văn Giả",
            "birth_date": area["person"].birth_date.isoformat(),
            "sex": area["person"].sex,
            "commune_code": commune,
            "category": "user",
            "category_since": on,
            "listed_on": on,
            "present": "có",
        },
        "drug_tests": {
            "citizen_id": person,
            "tested_on": on,
            "kind": "periodic",
            "result": "positive",
        },
        "rehab": {"citizen_id": person, "form": "voluntary_facility", "started_on": on},
        "hotspots": {"commune_code": commune, "ref": "LEN", "kind": "retail", "detected_on": on},
        "cultivation": {"commune_code": commune, "ref": "LEN", "found_on": on},
        "offences": {"commune_code": commune, "ref": "LEN", "occurred_on": on, "kind": "other"},
        "wanted": {"commune_code": commune, "ref": "LEN", "hiding_since": on},
        "pledges": {
            "commune_code": commune,
            "hamlet": area["hamlet"].name,
            "household_code": "LEN",
            "head_name": "Hà Văn Giả",
        },
        "hamlet_pledges": {
            "commune_code": commune,
            "hamlet": area["hamlet"].name,
            "signed_on": on,
            "signed_by": "Hà Văn Giả",
        },
        "models": {"commune_code": commune, "name": "Mô hình lén", "started_on": on},
        "registrations": {"commune_code": commune, "year": 2027, "registered_on": on},
        "roadmap": {"province_code": province, "year": 2027, "target_communes": 0},
    }


def import_workbook_bytes(sheet: str, row: dict) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.create_sheet(sheet).append(list(row))
    book[sheet].append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_naming_another_provinces_rows_is_refused_on_preview_and_apply(
    client, own_users, foreign_area, monkeypatch
):
    """Every sheet, uploaded by each own-area role: the upload page (leaders: 403), the check
    and preview (errors, all on that sheet) and the confirmation (nothing written)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())
    rows = foreign_workbook_rows(foreign_area)
    assert set(rows) == set(SHEETS)
    before = row_counts()
    written = []
    for role, user in own_users.items():
        client.force_login(user)
        for sheet, row in rows.items():
            response = client.post(
                reverse("imports:upload"),
                {"file": SimpleUploadedFile(f"{sheet}.xlsx", import_workbook_bytes(sheet, row))},
            )
            if role == "leader":
                assert response.status_code == 403
                continue
            job = ImportJob.objects.filter(created_by=user).latest("pk")
            assert job.status == ImportStatus.INVALID, (role, sheet, job.counts)
            assert job.errors and all(error.startswith(f"{sheet}!") for error in job.errors)
            client.post(reverse("imports:confirm", args=[job.token]))
            job.refresh_from_db()
            if job.status != ImportStatus.INVALID:
                written.append(f"{sheet} as {role}: {job.status}")
    assert written == []
    # The upload's own job records aside (and the authenticator signing in links), no table
    # gained or lost a row: audit entries, registers, places, the programme.
    ignored = {ImportJob._meta.db_table, TOTPDevice._meta.db_table}
    after = row_counts()
    assert {table for table in after if after[table] != before[table]} - ignored == set()


def test_an_import_job_is_its_uploaders_alone_even_in_the_same_commune(
    client, own_users, commune, province
):
    """The matrix opens the job as users of other communes; a colleague of the same commune,
    the province's officer and an administrator may not see or confirm it either."""
    job = ImportJob.objects.create(
        created_by=own_users["commune officer"],
        file=SimpleUploadedFile("so.xlsx", b""),
        original_name="so.xlsx",
        status=ImportStatus.READY,
    )
    others = [
        factories.commune_officer(commune, username="own.colleague"),
        own_users["provincial officer"],
        factories.portal_admin(username="admin"),
    ]
    for user in others:
        client.force_login(user)
        assert client.get(reverse("imports:job", args=[job.token])).status_code == 404
        assert client.post(reverse("imports:confirm", args=[job.token])).status_code == 404
        assert client.post(reverse("imports:retry", args=[job.token])).status_code == 404
        uploads = client.get(reverse("imports:upload"))
        assert str(job.token) not in uploads.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
