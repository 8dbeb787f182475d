"""Area scoping: each role sees and changes only what it may; other areas answer 404."""

import pytest
from django.urls import reverse

from communes import access
from tests import factories


@pytest.fixture
def places(commune, other_commune, foreign_commune):
    return {
        "own": factories.HamletFactory(commune=commune, name="Thôn Nà Hin"),
        "neighbour": factories.HamletFactory(commune=other_commune, name="Thôn Bó Đông"),
        "foreign": factories.HamletFactory(commune=foreign_commune, name="Thôn Kéo Pheo"),
    }


def test_visible_and_changeable_communes_per_role(
    places,
    commune,
    other_commune,
    foreign_commune,
    commune_officer,
    provincial_officer,
    leader,
    portal_admin,
):
    assert set(access.visible_communes(commune_officer)) == {commune}
    assert set(access.changeable_communes(commune_officer)) == {commune}
    assert set(access.visible_communes(provincial_officer)) == {commune, other_commune}
    assert set(access.changeable_communes(provincial_officer)) == {commune, other_commune}
    assert set(access.visible_communes(leader)) == {commune, other_commune}
    assert not access.changeable_communes(leader).exists()
    assert set(access.visible_communes(portal_admin)) == {commune, other_commune, foreign_commune}


def test_inactive_user_sees_nothing(places, commune):
    user = factories.commune_officer(commune, is_active=False)
    assert not access.visible_communes(user).exists()
    assert not access.visible_hamlets(user).exists()


def test_commune_officer_gets_404_on_every_page_of_another_commune(
    client, places, commune_officer, other_commune, foreign_commune
):
    client.force_login(commune_officer)
    for target in (other_commune, foreign_commune):
        assert client.get(reverse("communes:detail", args=[target.pk])).status_code == 404
        assert client.get(reverse("communes:hamlet_create", args=[target.pk])).status_code == 404
        response = client.post(
            reverse("communes:hamlet_create", args=[target.pk]), {"name": "Thôn Lạ"}
        )
        assert response.status_code == 404
    for hamlet in (places["neighbour"], places["foreign"]):
        assert client.get(reverse("communes:hamlet_edit", args=[hamlet.pk])).status_code == 404
        response = client.post(
            reverse("communes:hamlet_archive", args=[hamlet.pk]), {"reason": "x"}
        )
        assert response.status_code == 404
        hamlet.refresh_from_db()
        assert hamlet.archived_on is None
    assert not commune_officer.commune.hamlets.filter(name="Thôn Lạ").exists()


def test_missing_and_foreign_ids_answer_the_same(client, places, commune_officer, other_commune):
    client.force_login(commune_officer)
    foreign = client.get(reverse("communes:detail", args=[other_commune.pk]))
    missing = client.get(reverse("communes:detail", args=[999999]))
    assert foreign.status_code == missing.status_code == 404


def test_commune_officer_list_shows_no_row_of_another_commune(
    client, places, commune_officer, commune, other_commune, foreign_commune
):
    client.force_login(commune_officer)
    response = client.get(reverse("communes:list"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [commune]
    body = response.content.decode()
    assert other_commune.name not in body
    assert foreign_commune.name not in body


def test_commune_detail_lists_only_its_own_hamlets(client, places, commune_officer, commune):
    client.force_login(commune_officer)
    body = client.get(reverse("communes:detail", args=[commune.pk])).content.decode()
    assert "Thôn Nà Hin" in body
    assert "Thôn Bó Đông" not in body
    assert "Thôn Kéo Pheo" not in body


def test_provincial_officer_sees_the_province_but_not_another(
    client, places, provincial_officer, other_commune, foreign_commune
):
    client.force_login(provincial_officer)
    assert client.get(reverse("communes:detail", args=[other_commune.pk])).status_code == 200
    assert client.get(reverse("communes:detail", args=[foreign_commune.pk])).status_code == 404
    edit = reverse("communes:hamlet_edit", args=[places["neighbour"].pk])
    assert client.get(edit).status_code == 200
    foreign_edit = reverse("communes:hamlet_edit", args=[places["foreign"].pk])
    assert client.get(foreign_edit).status_code == 404


def test_leader_reads_but_cannot_open_edit_forms(client, places, leader, commune):
    client.force_login(leader)
    detail = client.get(reverse("communes:detail", args=[commune.pk]))
    assert detail.status_code == 200
    assert reverse("communes:hamlet_create", args=[commune.pk]) not in detail.content.decode()
    hamlet = places["own"]
    assert client.get(reverse("communes:hamlet_create", args=[commune.pk])).status_code == 404
    assert client.get(reverse("communes:hamlet_edit", args=[hamlet.pk])).status_code == 404
    assert client.get(reverse("communes:hamlet_archive", args=[hamlet.pk])).status_code == 404
    response = client.post(
        reverse("communes:hamlet_edit", args=[hamlet.pk]),
        {"name": "Đổi tên", "households": 1},
    )
    assert response.status_code == 404
    hamlet.refresh_from_db()
    assert hamlet.name == "Thôn Nà Hin"


@pytest.mark.parametrize("url_name", ["communes:list", "reports:overview", "home"])
def test_anonymous_is_sent_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_forged_commune_in_post_is_ignored(client, places, commune_officer, commune, other_commune):
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:hamlet_create", args=[commune.pk]),
        {"name": "Thôn Mới", "households": 50, "commune": other_commune.pk},
    )
    assert response.status_code == 302
    created = commune.hamlets.get(name="Thôn Mới")
    assert created.commune == commune
    assert not other_commune.hamlets.filter(name="Thôn Mới").exists()


def test_only_administrators_and_provincial_officers_list_users(
    commune, foreign_commune, commune_officer, provincial_officer, leader, portal_admin
):
    from accounts import access as user_access

    stranger = factories.commune_officer(foreign_commune)
    assert set(user_access.visible_users(portal_admin)) >= {commune_officer, stranger}
    assert stranger not in user_access.visible_users(provincial_officer)
    assert commune_officer in user_access.visible_users(provincial_officer)
    assert not user_access.visible_users(leader).exists()
    assert not user_access.visible_users(commune_officer).exists()
