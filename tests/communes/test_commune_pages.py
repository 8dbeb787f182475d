import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from communes.models import CommuneKind, Hamlet
from core.text import fold_vietnamese
from tests import factories


def test_fold_vietnamese():
    assert fold_vietnamese("Đoàn  Kết") == "doan ket"
    assert fold_vietnamese("Quý Hòa") == "quy hoa"
    assert fold_vietnamese("Thiện Thuật") == "thien thuat"


@pytest.fixture
def many_communes(province):
    communes = [
        factories.CommuneFactory(province=province, name=f"Xã Số {number:02d}")
        for number in range(30)
    ]
    communes.append(factories.CommuneFactory(province=province, name="Quý Hòa", code="20099"))
    communes.append(
        factories.CommuneFactory(
            province=province, name="Tam Thanh", code="20098", kind=CommuneKind.PHUONG
        )
    )
    for commune in communes[:5]:
        factories.HamletFactory.create_batch(3, commune=commune)
    return communes


def test_search_ignores_diacritics(client, many_communes, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"), {"q": "quy hoa"})
    assert [commune.name for commune in response.context["page"].object_list] == ["Quý Hòa"]
    response = client.get(reverse("communes:list"), {"q": "20099"})
    assert [commune.name for commune in response.context["page"].object_list] == ["Quý Hòa"]


def test_filter_by_kind(client, many_communes, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"), {"kind": "phuong"})
    assert [commune.name for commune in response.context["page"].object_list] == ["Tam Thanh"]


def test_unknown_kind_is_ignored(client, many_communes, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"), {"kind": "huyen"})
    assert response.context["page"].paginator.count == len(many_communes)


def test_pagination_keeps_the_filters(client, many_communes, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"), {"q": "so", "page": 2})
    page = response.context["page"]
    assert page.paginator.count == 30
    assert page.number == 2
    assert len(page.object_list) == 5
    assert "?q=so&amp;page=1" in response.content.decode()


def test_empty_search_says_so(client, many_communes, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"), {"q": "không có xã này"})
    assert "Không có xã nào khớp" in response.content.decode()


def test_commune_list_query_count(
    client, many_communes, provincial_officer, django_assert_num_queries
):
    client.force_login(provincial_officer)
    # 1 session, 2 user with area, 3 the user's two-factor device (django-otp), 4 count of
    # communes, 5 page of communes with hamlet counts and province, 6-8 savepoint, session
    # renewal (idle timeout), release
    with django_assert_num_queries(8):
        response = client.get(reverse("communes:list"))
    assert response.status_code == 200
    factories.HamletFactory.create_batch(10, commune=many_communes[6])
    with django_assert_num_queries(8):
        client.get(reverse("communes:list"))


def test_commune_detail_query_count(
    client, many_communes, commune_officer, django_assert_num_queries
):
    commune = commune_officer.commune
    factories.HamletFactory.create_batch(8, commune=commune)
    client.force_login(commune_officer)
    # 1 session, 2 user with area, 3 commune with province, 4 hamlets, 5 may the user change
    # it, 6-8 savepoint, session renewal (idle timeout), release
    with django_assert_num_queries(8):
        response = client.get(reverse("communes:detail", args=[commune.pk]))
    assert len(response.context["active_hamlets"]) == 8


def test_commune_officer_adds_a_hamlet(client, commune_officer, commune):
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:hamlet_create", args=[commune.pk]),
        {"name": "  Thôn   Pác Luông ", "households": "210", "hotline_board": "on"},
    )
    assert response.status_code == 302
    hamlet = Hamlet.objects.get(commune=commune)
    assert (hamlet.name, hamlet.households, hamlet.hotline_board, hamlet.mailbox) == (
        "Thôn Pác Luông",
        210,
        True,
        False,
    )
    entry = LogEntry.objects.get_for_object(hamlet).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == commune_officer


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "households": "10"}, "name", "Trường này là bắt buộc."),
        ({"name": "Thôn Nà Hin", "households": "10"}, "name", "đã có thôn"),
        ({"name": "thôn nà hin", "households": "10"}, "name", "đã có thôn"),
        ({"name": "Thôn Mới", "households": "-3"}, "households", "lớn hơn hoặc bằng 0"),
        ({"name": "Thôn Mới", "households": "nhiều"}, "households", "Nhập một số nguyên"),
    ],
)
def test_bad_hamlet_input_is_refused_and_changes_nothing(
    client, commune_officer, commune, data, field, message
):
    factories.HamletFactory(commune=commune, name="Thôn Nà Hin")
    client.force_login(commune_officer)
    response = client.post(reverse("communes:hamlet_create", args=[commune.pk]), data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors, errors
    assert Hamlet.objects.filter(commune=commune).count() == 1


def test_edit_hamlet_is_audited_with_old_and_new_values(client, commune_officer, commune):
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Nà Hin", households=100)
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:hamlet_edit", args=[hamlet.pk]),
        {"name": "Thôn Nà Hin", "households": "130", "hotline_board": "on", "mailbox": "on"},
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(hamlet).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == commune_officer
    assert entry.changes_dict["households"] == ["100", "130"]


def test_archive_needs_a_reason_and_keeps_the_row(client, commune_officer, commune):
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Nà Hin")
    client.force_login(commune_officer)
    url = reverse("communes:hamlet_archive", args=[hamlet.pk])
    confirm = client.get(url)
    assert "Lưu trữ thôn “Thôn Nà Hin”?" in confirm.content.decode()
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    hamlet.refresh_from_db()
    assert hamlet.archived_on is None
    response = client.post(url, {"reason": "Sáp nhập vào Thôn Bó Đông"})
    assert response.status_code == 302
    hamlet.refresh_from_db()
    assert hamlet.archived_on is not None
    assert hamlet.archive_reason == "Sáp nhập vào Thôn Bó Đông"
    detail = client.get(reverse("communes:detail", args=[commune.pk]))
    assert detail.context["active_hamlets"] == []
    assert detail.context["archived_hamlets"] == [hamlet]
    # An archived hamlet is no longer editable.
    assert client.get(reverse("communes:hamlet_edit", args=[hamlet.pk])).status_code == 404


def test_leader_overview_shows_counts(client, many_communes, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    assert response.status_code == 200
    assert response.context["totals"]["communes"] == len(many_communes)
    # xã, phường, đặc khu, thị trấn — in the order of CommuneKind
    assert [count for _label, count in response.context["by_kind"]] == [31, 1, 0, 0]


def test_list_sorts_vietnamese_names_by_their_letters(client, province, provincial_officer):
    for code, name in [("20101", "Bình Gia"), ("20102", "Bắc Sơn"), ("20103", "Ba Sơn")]:
        factories.CommuneFactory(province=province, code=code, name=name)
    client.force_login(provincial_officer)
    response = client.get(reverse("communes:list"))
    names = [commune.name for commune in response.context["page"].object_list]
    assert names == ["Ba Sơn", "Bắc Sơn", "Bình Gia"]


def test_forms_leave_validation_to_the_server(client, commune_officer, commune):
    # The browser's own "fill in this field" bubble would speak the browser's language.
    client.force_login(commune_officer)
    body = client.get(reverse("communes:hamlet_create", args=[commune.pk])).content.decode()
    assert "novalidate" in body
