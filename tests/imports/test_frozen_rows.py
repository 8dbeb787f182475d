"""A voided register row and an archived hamlet are read only on their pages; the import holds
the same rule (found by an attacker with a commune officer's account: an archived hamlet's
households, imported as pledged, lifted the commune to 100 % pledges). Re-importing such a row
unchanged is fine; changing it, or writing into an archived hamlet, is refused and nothing of the
file is written."""

import datetime

from communes.models import Hamlet, Hotspot, Household, Pledge, PreventionModel
from tests.imports import errors_of, imported, table

D = datetime.date
ARCHIVED = "đã lưu trữ ngày 01/10/2025; không nhập được vào thôn đã lưu trữ"


def archived_hamlet(commune) -> Hamlet:
    return Hamlet.objects.create(
        commune=commune,
        name="Thôn Cũ",
        households=55,
        archived_on=D(2025, 10, 1),
        archive_reason="sáp nhập",
    )


def pledge_row(**values) -> dict:
    return {
        "commune_code": "20001",
        "hamlet": "Thôn Cũ",
        "household_code": "H-1",
        "head_name": "Chủ hộ Một",
        "signed_on": "2025-06-01",
        **values,
    }


def test_no_household_is_imported_into_an_archived_hamlet(commune):
    archived_hamlet(commune)
    errors = errors_of({"pledges": table(pledge_row(), pledge_row(household_code="H-2"))})
    assert errors == [
        f"pledges!2: hamlet: thôn “Thôn Cũ” {ARCHIVED} (khôi phục thôn trên trang thôn trước)",
        f"pledges!3: hamlet: thôn “Thôn Cũ” {ARCHIVED} (khôi phục thôn trên trang thôn trước)",
    ]
    assert not Household.objects.exists() and not Pledge.objects.exists()


def test_an_archived_hamlet_is_not_changed_but_may_be_reimported_as_it_is(commune):
    hamlet = archived_hamlet(commune)
    same = {"commune_code": "20001", "name": "Thôn Cũ", "households": 55}
    assert imported({"hamlets": table(same)}).counts["hamlets"]["unchanged"] == 1
    errors = errors_of({"hamlets": table({**same, "households": 80})})
    assert errors == [
        f"hamlets!2: name: thôn “Thôn Cũ” {ARCHIVED} (khôi phục thôn trên trang thôn trước)"
    ]
    hamlet.refresh_from_db()
    assert hamlet.households == 55


def test_a_voided_register_row_is_not_changed(commune):
    voided = {"voided_on": D(2025, 9, 1), "void_reason": "nhập nhầm"}
    Hotspot.objects.create(
        commune=commune, ref="ĐT-1", kind="retail", detected_on=D(2025, 2, 1), **voided
    )
    PreventionModel.objects.create(
        commune=commune, name="Mô hình Cũ", started_on=D(2025, 1, 1), **voided
    )
    errors = errors_of(
        {
            "hotspots": table(
                {"commune_code": "20001", "ref": "ĐT-1", "kind": "retail",
                 "detected_on": "2025-02-01", "eradicated_on": "2025-03-01"}
            ),
            "models": table(
                {"commune_code": "20001", "name": "Mô hình Cũ", "started_on": "2024-01-01"}
            ),
        }
    )  # fmt: skip
    frozen = "đã hủy ngày 01/09/2025; dòng đã hủy không sửa được qua tệp nhập"
    assert errors == [
        f"hotspots!2: ref: dòng “ĐT-1” {frozen}",
        f"models!2: name: dòng “Mô hình Cũ” {frozen}",
    ]
    assert Hotspot.objects.get().eradicated_on is None
    assert PreventionModel.objects.get().started_on == D(2025, 1, 1)


def test_a_voided_household_is_not_signed_through_the_import(commune):
    hamlet = Hamlet.objects.create(commune=commune, name="Thôn Mới", households=10)
    Household.objects.create(
        commune=commune,
        hamlet=hamlet,
        household_code="H-9",
        head_name="Chủ hộ Chín",
        voided_on=D(2025, 9, 1),
        void_reason="trùng",
    )
    errors = errors_of(
        {"pledges": table(pledge_row(hamlet="Thôn Mới", household_code="H-9",
                                     head_name="Chủ hộ Chín"))}
    )  # fmt: skip
    assert errors == [
        "pledges!2: signed_on: hộ “H-9” đã hủy ngày 01/09/2025; dòng đã hủy không sửa được "
        "qua tệp nhập"
    ]
    assert not Pledge.objects.exists()
