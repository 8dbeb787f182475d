"""A user imports into the communes they may change only; provinces' own sheets (communes,
registrations, roadmap) are for provincial officers and administrators."""

from casefiles.models import DrugTest, Person
from communes.models import Commune, Hamlet, PreventionModel
from imports.access import import_scope
from tests.factories import make_person
from tests.imports import errors_of, imported, person_row, table


def officer_scope(user) -> dict:
    """The scope the browser upload and the command's --as give the user's import."""
    return import_scope(user)


def model_row(commune_code: str) -> dict:
    return {"commune_code": commune_code, "name": "Mô hình", "started_on": "2025-01-01"}


def test_a_commune_officer_imports_into_their_commune(commune, commune_officer):
    imported(
        {"models": table(model_row("20001")), "persons": table(person_row())},
        by=commune_officer,
        **officer_scope(commune_officer),
    )
    assert PreventionModel.objects.get().commune == commune
    assert Person.objects.get().commune == commune


def test_rows_for_another_commune_are_refused_and_nothing_is_written(
    commune, other_commune, commune_officer
):
    errors = errors_of(
        {
            "models": table(model_row("20001"), model_row("20002")),
            "hamlets": table({"commune_code": "20002", "name": "Thôn Lạ"}),
        },
        **officer_scope(commune_officer),
    )
    assert errors == [
        "hamlets!2: commune_code: không có xã mã “20002” trong địa bàn của bạn",
        "models!3: commune_code: không có xã mã “20002” trong địa bàn của bạn",
    ]
    assert not PreventionModel.objects.exists()
    assert not Hamlet.objects.exists()


def test_a_commune_outside_the_area_is_answered_as_a_code_that_names_none(
    commune, other_commune, commune_officer
):
    """The file learns nothing of other areas, not even a neighbour's name."""
    errors = errors_of(
        {"models": table(model_row("20002"), model_row("29999"))},
        **officer_scope(commune_officer),
    )
    assert [line.replace("20002", "X").replace("29999", "X") for line in errors] == [
        "models!2: commune_code: không có xã mã “X” trong địa bàn của bạn",
        "models!3: commune_code: không có xã mã “X” trong địa bàn của bạn",
    ]
    assert other_commune.name not in " ".join(errors)


def test_records_of_a_person_of_another_commune_are_refused_as_on_no_file(
    commune, other_commune, commune_officer
):
    person = make_person(other_commune)
    row = {
        "citizen_id": person.citizen_id,
        "tested_on": "2025-06-01",
        "kind": "periodic",
        "result": "negative",
    }
    errors = errors_of({"drug_tests": table(row)}, **officer_scope(commune_officer))
    assert errors == [
        f"drug_tests!2: citizen_id: không có hồ sơ mang số CCCD “{person.citizen_id}” "
        "trong địa bàn của bạn (trong hệ thống hoặc trang persons)"
    ]
    assert not DrugTest.objects.exists()


def test_a_person_filed_elsewhere_is_not_named_to_a_commune_officer(
    commune, foreign_commune, commune_officer
):
    person = make_person(foreign_commune)
    errors = errors_of(
        {"persons": table(person_row(citizen_id=person.citizen_id))},
        **officer_scope(commune_officer),
    )
    assert errors == [
        f"persons!2: citizen_id: không lập được hồ sơ mới với số CCCD “{person.citizen_id}”; "
        "nếu người này chuyển đến từ nơi khác, hãy gửi yêu cầu chuyển hồ sơ tới Công an tỉnh "
        "từ trang thêm người"
    ]
    assert Person.objects.get().commune == foreign_commune


def test_a_provincial_officer_is_told_which_commune_of_their_province_keeps_a_person(
    commune, other_commune, provincial_officer
):
    person = make_person(other_commune)
    errors = errors_of(
        {"persons": table(person_row(citizen_id=person.citizen_id))},
        **officer_scope(provincial_officer),
    )
    assert errors == [
        "persons!2: commune_code: người này đang được quản lý ở xã Lợi Bác (20002); "
        "chuyển hồ sơ trên trang hồ sơ"
    ]


def commune_row(**values) -> dict:
    return {
        "province_code": "20",
        "province_name": "Lạng Sơn",
        "code": "20009",
        "name": "Xã Mới",
        "kind": "xa",
        **values,
    }


def test_the_provinces_sheets_are_refused_to_commune_officers(commune, commune_officer):
    errors = errors_of(
        {
            "communes": table(commune_row()),
            # Rows with errors of their own are not reported: the sheet is refused whole.
            "registrations": table(
                {"commune_code": "20001", "year": 2026, "registered_on": "2025-11-20"},
                {"commune_code": "20001", "year": 2999, "registered_on": "hôm qua"},
            ),
            "roadmap": table({"province_code": "20", "year": 2026, "target_communes": 3}),
        },
        **officer_scope(commune_officer),
    )
    assert errors == [
        "communes!1: sheet: chỉ Công an tỉnh được nhập trang “communes”",
        "registrations!1: sheet: chỉ Công an tỉnh được nhập trang “registrations”",
        "roadmap!1: sheet: chỉ Công an tỉnh được nhập trang “roadmap”",
    ]


def test_the_scope_of_each_role(commune, commune_officer, provincial_officer, leader, portal_admin):
    registers = {
        "hamlets", "persons", "drug_tests", "rehab", "hotspots", "cultivation", "offences",
        "wanted", "pledges", "hamlet_pledges", "models",
    }  # fmt: skip
    every_sheet = registers | {"communes", "registrations", "roadmap"}
    assert import_scope(commune_officer)["allowed_sheets"] == registers
    assert import_scope(provincial_officer)["allowed_sheets"] == every_sheet
    assert import_scope(leader)["allowed_sheets"] == set()
    assert import_scope(portal_admin) == {
        "allowed_communes": None,
        "allowed_sheets": None,
        "may_change_provinces": True,
        "importer": portal_admin,
    }
    assert not any(
        import_scope(user)["may_change_provinces"]
        for user in (commune_officer, provincial_officer, leader)
    )
    # A deactivated administrator's pending upload is checked with no rights at all.
    portal_admin.is_active = False
    assert import_scope(portal_admin)["allowed_sheets"] == set()
    assert not import_scope(portal_admin)["allowed_communes"].exists()


def test_a_provincial_officer_adds_communes_to_their_province_only(
    commune, other_province, provincial_officer
):
    imported(
        {
            "communes": table(commune_row()),
            "hamlets": table({"commune_code": "20009", "name": "Thôn Mới"}),
            "roadmap": table({"province_code": "20", "year": 2026, "target_communes": 3}),
        },
        by=provincial_officer,
        **officer_scope(provincial_officer),
    )
    assert Hamlet.objects.get().commune == Commune.objects.get(code="20009")
    errors = errors_of(
        {
            "communes": table(
                commune_row(province_code="37", province_name="Ninh Bình", code="37009")
            ),
            "roadmap": table({"province_code": "37", "year": 2026, "target_communes": 3}),
        },
        **officer_scope(provincial_officer),
    )
    assert errors == [
        "communes!2: province_code: tỉnh mã 37 không thuộc địa bàn của bạn",
        "roadmap!2: province_code: tỉnh mã 37 không thuộc địa bàn của bạn",
    ]
