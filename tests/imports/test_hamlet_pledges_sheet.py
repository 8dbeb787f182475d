"""The `hamlet_pledges` sheet and the `models` sheet's `hamlet` and `kind` columns (issue 15,
item 8; contracts.md §3 extended, nothing renamed).

Seed 004 (Lạng Sơn, 214/KH-UBND, II.1): "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu
dân cư ký cam kết …" and "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm". The import holds the
rules of the forms: a hamlet of the row's commune, not archived; one pledge per hamlet.
"""

import datetime

import pytest
from auditlog.models import LogEntry

from communes.models import HamletPledge, PreventionModel
from imports.labels import VIETNAMESE_LABELS
from tests import factories
from tests.imports import errors_of, imported, table

D = datetime.date


@pytest.fixture
def hamlets(commune):
    return [
        factories.HamletFactory(commune=commune, name=name)
        for name in ("Thôn Nà Pe", "Thôn Khau Mạ")
    ]


def pledge_row(**values) -> dict:
    return {
        "commune_code": "20001",
        "hamlet": "Thôn Nà Pe",
        "signed_on": "2025-03-20",
        "signed_by": "Trưởng thôn Hoàng Văn Một",
        **values,
    }


def model_row(**values) -> dict:
    return {
        "commune_code": "20001",
        "name": "Tổ tự quản Nà Pe",
        "started_on": "2025-01-01",
        "ended_on": None,
        "hamlet": "Thôn Nà Pe",
        "kind": "self_managed",
        **values,
    }


def test_hamlet_pledges_are_imported_audited_and_reimported_unchanged(hamlets, commune):
    first = imported({"hamlet_pledges": table(pledge_row(), pledge_row(hamlet=" thôn  khau mạ "))})

    assert first.counts["hamlet_pledges"] == {"create": 2, "update": 0, "unchanged": 0}
    rows = HamletPledge.objects.order_by("hamlet__name")
    assert [(p.commune, p.hamlet.name, p.signed_on, p.signed_by) for p in rows] == [
        (commune, "Thôn Khau Mạ", D(2025, 3, 20), "Trưởng thôn Hoàng Văn Một"),
        (commune, "Thôn Nà Pe", D(2025, 3, 20), "Trưởng thôn Hoàng Văn Một"),
    ]
    assert all(LogEntry.objects.get_for_object(pledge).count() == 1 for pledge in rows)

    again = imported({"hamlet_pledges": table(pledge_row(), pledge_row(hamlet="Thôn Khau Mạ"))})
    assert again.counts["hamlet_pledges"] == {"create": 0, "update": 0, "unchanged": 2}

    changed = imported({"hamlet_pledges": table(pledge_row(signed_by="Bí thư chi bộ"))})
    assert changed.counts["hamlet_pledges"] == {"create": 0, "update": 1, "unchanged": 0}
    pledge = HamletPledge.objects.get(hamlet=hamlets[0])
    assert pledge.signed_by == "Bí thư chi bộ"
    assert LogEntry.objects.get_for_object(pledge).count() == 2


def test_the_vietnamese_headers_are_accepted(hamlets):
    labels = VIETNAMESE_LABELS["hamlet_pledges"]
    row = pledge_row()
    imported({"hamlet_pledges": [[labels[column] for column in row], list(row.values())]})

    assert HamletPledge.objects.get().hamlet == hamlets[0]


def test_a_hamlet_created_by_the_same_file_can_sign(commune):
    imported(
        {
            "hamlets": table({"commune_code": "20001", "name": "Thôn Mới"}),
            "hamlet_pledges": table(pledge_row(hamlet="Thôn Mới")),
        }
    )

    assert HamletPledge.objects.get().hamlet.name == "Thôn Mới"


def test_a_voided_pledge_is_history_and_a_row_records_a_new_one(hamlets, commune):
    voided = HamletPledge.objects.create(
        commune=commune,
        hamlet=hamlets[0],
        signed_on=D(2025, 2, 1),
        signed_by="Nhập nhầm",
        voided_on=D(2025, 2, 2),
        void_reason="Nhập sai ngày",
    )

    result = imported({"hamlet_pledges": table(pledge_row())})

    assert result.counts["hamlet_pledges"]["create"] == 1
    voided.refresh_from_db()
    assert voided.signed_by == "Nhập nhầm"
    assert HamletPledge.objects.current().get().signed_on == D(2025, 3, 20)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            pledge_row(hamlet="Thôn Không Có"),
            "hamlet_pledges!2: hamlet: xã Công Sơn (20001) không có thôn, tổ dân phố "
            "“Thôn Không Có” (trong hệ thống hoặc trang hamlets)",
        ),
        (
            pledge_row(hamlet="Thôn Cũ"),
            "hamlet_pledges!2: hamlet: thôn “Thôn Cũ” đã lưu trữ ngày 01/01/2025; không nhập "
            "được vào thôn đã lưu trữ (khôi phục thôn trên trang thôn trước)",
        ),
        (
            pledge_row(signed_by=None),
            "hamlet_pledges!2: signed_by: không được để trống",
        ),
        (
            pledge_row(signed_on="2099-01-01"),
            "hamlet_pledges!2: signed_on: ngày 2099-01-01 ở tương lai (hôm nay là 2025-12-01)",
        ),
        (
            pledge_row(commune_code="20002", hamlet="Thôn Bên"),
            "hamlet_pledges!2: commune_code: không có xã mã “20002” trong địa bàn của bạn",
        ),
    ],
)
def test_bad_pledge_rows_are_refused_in_vietnamese_and_nothing_is_written(
    hamlets, commune, other_commune, commune_officer, row, error
):
    from imports.access import import_scope

    factories.HamletFactory(
        commune=commune, name="Thôn Cũ", archived_on=D(2025, 1, 1), archive_reason="Sáp nhập"
    )
    factories.HamletFactory(commune=other_commune, name="Thôn Bên")

    errors = errors_of({"hamlet_pledges": table(row)}, **import_scope(commune_officer))

    assert errors == [error]
    assert not HamletPledge.objects.exists()


def test_the_same_hamlet_twice_in_a_file_is_an_error(hamlets):
    errors = errors_of({"hamlet_pledges": table(pledge_row(), pledge_row(hamlet="THÔN NÀ PE"))})

    assert errors == [
        "hamlet_pledges!3: hamlet: trùng khóa (commune_code, hamlet) với dòng 2 trong tệp"
    ]


def test_a_commune_officer_imports_the_pledges_of_their_own_commune(hamlets, commune_officer):
    from imports.access import import_scope

    imported(
        {"hamlet_pledges": table(pledge_row())}, by=commune_officer, **import_scope(commune_officer)
    )

    assert HamletPledge.objects.get().recorded_by == commune_officer


# --- models: hamlet and kind ------------------------------------------------------------


def test_a_models_hamlet_and_kind_are_imported(hamlets):
    imported({"models": table(model_row(), model_row(name="Câu lạc bộ", hamlet=None, kind=None))})

    by_name = {model.name: model for model in PreventionModel.objects.all()}
    assert (by_name["Tổ tự quản Nà Pe"].hamlet, by_name["Tổ tự quản Nà Pe"].kind) == (
        hamlets[0],
        "self_managed",
    )
    assert (by_name["Câu lạc bộ"].hamlet, by_name["Câu lạc bộ"].kind) == (None, "")


def test_the_contracts_four_model_columns_alone_keep_a_stored_hamlet_and_kind(hamlets):
    """The columns were added (contracts: extend, never rename): a file with the first four
    still imports, and leaves what it does not name."""
    imported({"models": table(model_row())})
    four = {key: model_row()[key] for key in ("commune_code", "name", "started_on", "ended_on")}

    result = imported({"models": table({**four, "ended_on": "2025-12-01"})})

    assert result.counts["models"] == {"create": 0, "update": 1, "unchanged": 0}
    model = PreventionModel.objects.get()
    assert (model.hamlet, model.kind, model.ended_on) == (
        hamlets[0],
        "self_managed",
        D(2025, 12, 1),
    )


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            model_row(kind="nhiều"),
            "models!2: kind: “nhiều” không phải giá trị cho phép; chọn một trong: self_managed, "
            "club, clan, security_camera, post_rehab_support, outreach, other",
        ),
        (
            model_row(hamlet="Thôn Bên"),
            "models!2: hamlet: xã Công Sơn (20001) không có thôn, tổ dân phố “Thôn Bên” "
            "(trong hệ thống hoặc trang hamlets)",
        ),
    ],
)
def test_bad_model_rows_are_refused(hamlets, other_commune, row, error):
    factories.HamletFactory(commune=other_commune, name="Thôn Bên")

    assert errors_of({"models": table(row)}) == [error]
    assert not PreventionModel.objects.exists()
