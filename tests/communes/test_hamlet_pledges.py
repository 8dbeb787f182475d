"""The hamlet pledge register and a prevention model's hamlet and kind (issue 15, item 8).

Seed 004 (Lạng Sơn, 214/KH-UBND, II.1): "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu
dân cư ký cam kết không tham gia phạm tội, tệ nạn ma túy" — a hamlet signs, on a date, with who
signed; and "duy trì hiệu quả ít nhất 01 mô hình/tổ, xóm" — a model belongs to a hamlet.
Pages as every register: list, add, edit, void (never deleted), scoped to the user's area, with
Vietnamese messages; every change in the audit log.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from communes.models import HamletPledge, PreventionModel
from tests import factories

D = datetime.date


@pytest.fixture
def hamlet(commune):
    return factories.HamletFactory(commune=commune, name="Thôn Nà Lầu")


@pytest.fixture
def foreign_hamlet(other_commune):
    return factories.HamletFactory(commune=other_commune, name="Thôn Bên Kia")


def create_url(commune, slug="hamlet_pledges"):
    return reverse("communes:register_create", args=[slug, commune.pk])


def pledge_data(where, **values) -> dict:
    return {
        "hamlet": where.pk,
        "signed_on": "20/03/2025",
        "signed_by": "Trưởng thôn Hoàng Văn Một",
        **values,
    }


def form_errors(response) -> dict[str, str]:
    return {field: " ".join(errors) for field, errors in response.context["form"].errors.items()}


def test_a_commune_officer_records_a_hamlets_pledge(client, commune_officer, commune, hamlet):
    """A hamlet signs, on a date, with who signed (seed 004: "thôn, xóm, bản, làng, khu dân cư
    ký cam kết"); the row is audited like every register row."""
    client.force_login(commune_officer)

    response = client.post(create_url(commune), pledge_data(hamlet, note="Họp thôn"))

    assert response.status_code == 302
    pledge = HamletPledge.objects.get()
    assert (pledge.commune, pledge.hamlet, pledge.signed_on, pledge.signed_by) == (
        commune,
        hamlet,
        D(2025, 3, 20),
        "Trưởng thôn Hoàng Văn Một",
    )
    assert pledge.recorded_by == commune_officer
    entry = LogEntry.objects.get_for_object(pledge).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes_dict["signed_by"] == ["None", "Trưởng thôn Hoàng Văn Một"]
    listed = client.get(reverse("communes:register_list", args=["hamlet_pledges"]))
    assert [cells for _row, cells in listed.context["table"]] == [
        ["Thôn Nà Lầu", "20/03/2025", "Trưởng thôn Hoàng Văn Một"]
    ]
    assert "Cam kết của thôn, khu dân cư" in listed.content.decode()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"signed_by": "  "}, "signed_by", "Trường này là bắt buộc."),
        ({"signed_on": "01/01/2099"}, "signed_on", "Ngày không được ở tương lai."),
        ({"signed_on": "31/02/2025"}, "signed_on", "Nhập ngày hợp lệ theo dạng ngày/tháng/năm"),
        ({"hamlet": ""}, "hamlet", "Trường này là bắt buộc."),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
    client, commune_officer, commune, hamlet, values, field, message
):
    client.force_login(commune_officer)

    response = client.post(create_url(commune), pledge_data(hamlet, **values))

    assert response.status_code == 200
    assert message in form_errors(response)[field]
    assert not HamletPledge.objects.exists()


def test_only_an_active_hamlet_of_the_commune_can_sign(
    client, commune_officer, commune, hamlet, foreign_hamlet
):
    archived = factories.HamletFactory(
        commune=commune, name="Thôn Cũ", archived_on=D(2025, 1, 1), archive_reason="Sáp nhập"
    )
    client.force_login(commune_officer)
    form = client.get(create_url(commune)).context["form"]
    assert list(form.fields["hamlet"].queryset) == [hamlet]
    for other in (foreign_hamlet, archived):
        response = client.post(create_url(commune), pledge_data(other))
        assert "Hãy chọn một lựa chọn hợp lệ" in form_errors(response)["hamlet"]
    assert not HamletPledge.objects.exists()


def test_one_pledge_counts_per_hamlet_and_a_voided_one_leaves_room(
    client, commune_officer, commune, hamlet
):
    """A second pledge of the same hamlet is refused (edit the first); once the first is voided
    as entered wrongly, the right one can be recorded, and the voided one is kept."""
    client.force_login(commune_officer)
    client.post(create_url(commune), pledge_data(hamlet, signed_on="01/02/2025"))
    first = HamletPledge.objects.get()

    response = client.post(create_url(commune), pledge_data(hamlet))
    assert form_errors(response)["hamlet"] == (
        "Cam kết của thôn này đã được ghi nhận; hãy sửa bản ghi đó."
    )

    void = reverse("communes:register_void", args=["hamlet_pledges", first.pk])
    assert client.post(void, {"reason": "Nhập sai ngày ký"}).status_code == 302
    assert client.post(create_url(commune), pledge_data(hamlet)).status_code == 302
    assert HamletPledge.objects.count() == 2
    assert list(HamletPledge.objects.current().values_list("signed_on", flat=True)) == [
        D(2025, 3, 20)
    ]
    first.refresh_from_db()
    assert (first.voided_on is not None, first.void_reason) == (True, "Nhập sai ngày ký")


def test_editing_a_pledge_is_audited(client, commune_officer, commune, hamlet):
    pledge = HamletPledge.objects.create(
        commune=commune, hamlet=hamlet, signed_on=D(2025, 3, 20), signed_by="Trưởng thôn"
    )
    client.force_login(commune_officer)
    edit = reverse("communes:register_edit", args=["hamlet_pledges", pledge.pk])

    response = client.post(edit, pledge_data(hamlet, signed_by="Trưởng thôn Hoàng Văn Một"))

    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.signed_by == "Trưởng thôn Hoàng Văn Một"
    entry = LogEntry.objects.get_for_object(pledge).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict["signed_by"] == ["Trưởng thôn", "Trưởng thôn Hoàng Văn Một"]


def test_an_officer_of_another_commune_gets_404(
    client, commune, other_commune, foreign_hamlet, commune_officer
):
    """Scoped through communes/access.py: "missing" and "not yours" answer the same 404."""
    foreign = HamletPledge.objects.create(
        commune=other_commune, hamlet=foreign_hamlet, signed_on=D(2025, 3, 1), signed_by="B"
    )
    client.force_login(commune_officer)

    listed = client.get(reverse("communes:register_list", args=["hamlet_pledges"]))
    assert listed.context["table"] == []
    for name in ("register_edit", "register_void"):
        url = reverse(f"communes:{name}", args=["hamlet_pledges", foreign.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", **pledge_data(foreign_hamlet)}).status_code == 404
    assert client.post(create_url(other_commune), pledge_data(foreign_hamlet)).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.signed_by, foreign.voided_on) == ("B", None)
    assert HamletPledge.objects.count() == 1


def test_a_provincial_officer_records_for_a_commune_of_the_province(
    client, provincial_officer, other_commune, foreign_hamlet
):
    client.force_login(provincial_officer)

    assert client.post(create_url(other_commune), pledge_data(foreign_hamlet)).status_code == 302
    assert HamletPledge.objects.get().commune == other_commune


# --- a prevention model's hamlet and kind -------------------------------------------------


def model_data(**values) -> dict:
    return {"name": "Tổ tự quản Nà Lầu", "started_on": "01/01/2025", **values}


def test_a_model_belongs_to_a_hamlet_of_its_commune_and_has_a_kind(
    client, commune_officer, commune, hamlet, foreign_hamlet
):
    """Seed 004, II.1: "ít nhất 01 mô hình/tổ, xóm" — a model is kept in a residential group."""
    client.force_login(commune_officer)
    form = client.get(create_url(commune, "models")).context["form"]
    assert list(form.fields["hamlet"].queryset) == [hamlet]
    assert dict(form.fields["kind"].choices)["self_managed"] == "tổ tự quản"

    response = client.post(
        create_url(commune, "models"), model_data(hamlet=foreign_hamlet.pk, kind="club")
    )
    assert "Hãy chọn một lựa chọn hợp lệ" in form_errors(response)["hamlet"]
    response = client.post(create_url(commune, "models"), model_data(kind="no_such_kind"))
    assert "Lựa chọn không hợp lệ" in form_errors(response)["kind"]
    assert not PreventionModel.objects.exists()

    response = client.post(
        create_url(commune, "models"), model_data(hamlet=hamlet.pk, kind="self_managed")
    )
    assert response.status_code == 302
    model = PreventionModel.objects.get()
    assert (model.hamlet, model.kind) == (hamlet, "self_managed")
    assert LogEntry.objects.get_for_object(model).get().changes_dict["kind"][1] == "self_managed"
    listed = client.get(reverse("communes:register_list", args=["models"]))
    assert [cells[:3] for _row, cells in listed.context["table"]] == [
        ["Tổ tự quản Nà Lầu", "tổ tự quản", "Thôn Nà Lầu"]
    ]


def test_a_model_of_the_whole_commune_has_no_hamlet_nor_needs_a_kind(
    client, commune_officer, commune
):
    client.force_login(commune_officer)

    assert client.post(create_url(commune, "models"), model_data()).status_code == 302
    model = PreventionModel.objects.get()
    assert (model.hamlet, model.kind) == (None, "")
    listed = client.get(
        reverse("communes:register_list", args=["models"]), {"status": "whole_commune"}
    )
    assert [row for row, _cells in listed.context["table"]] == [model]


@pytest.mark.parametrize("slug", ["hamlet_pledges", "models"])
def test_the_lists_query_count_is_constant(
    client, commune_officer, commune, django_assert_num_queries, slug
):
    def add(numbers):
        for number in numbers:
            where = factories.HamletFactory(commune=commune, name=f"Thôn {number}")
            HamletPledge.objects.create(
                commune=commune, hamlet=where, signed_on=D(2025, 3, 1), signed_by="Trưởng thôn"
            )
            PreventionModel.objects.create(
                commune=commune, hamlet=where, name=f"Mô hình {number}", started_on=D(2025, 1, 1)
            )

    client.force_login(commune_officer)
    add(range(3))
    # 1 session, 2 user, 3 count, 4 page (hamlets joined), 5 may add here, 6 which rows may
    # change, 7-9 savepoint, session renewal, release
    with django_assert_num_queries(9):
        client.get(reverse("communes:register_list", args=[slug]))
    add(range(3, 20))
    with django_assert_num_queries(9):
        client.get(reverse("communes:register_list", args=[slug]))
