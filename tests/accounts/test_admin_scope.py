"""The Django admin is open to provincial officers and administrators, scoped to their area."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def hamlets(commune, foreign_commune):
    return (
        factories.HamletFactory(commune=commune, name="Thôn Nà Hin"),
        factories.HamletFactory(commune=foreign_commune, name="Thôn Kéo Pheo"),
    )


def test_provincial_officer_admin_lists_only_own_province(
    client, hamlets, provincial_officer, commune, foreign_commune
):
    client.force_login(provincial_officer)
    response = client.get(reverse("admin:communes_commune_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [commune]
    response = client.get(reverse("admin:communes_hamlet_changelist"))
    assert [hamlet.name for hamlet in response.context["cl"].result_list] == ["Thôn Nà Hin"]


def test_provincial_officer_cannot_open_a_foreign_row_in_admin(
    client, hamlets, provincial_officer, foreign_commune
):
    client.force_login(provincial_officer)
    response = client.get(reverse("admin:communes_commune_change", args=[foreign_commune.pk]))
    # Like a missing row (Django's admin would redirect to its index instead).
    assert response.status_code == 404
    response = client.get(reverse("admin:communes_hamlet_change", args=[hamlets[1].pk]))
    assert response.status_code == 404


def test_admin_choices_are_scoped(client, hamlets, provincial_officer, commune, foreign_commune):
    client.force_login(provincial_officer)
    response = client.get(reverse("admin:communes_hamlet_add"))
    choices = response.context["adminform"].form.fields["commune"].queryset
    assert list(choices) == [commune]
    response = client.post(
        reverse("admin:communes_hamlet_add"),
        {"commune": foreign_commune.pk, "name": "Thôn Lén", "households": 10},
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not foreign_commune.hamlets.filter(name="Thôn Lén").exists()


def test_nothing_can_be_deleted_in_admin(client, hamlets, portal_admin):
    client.force_login(portal_admin)
    response = client.get(reverse("admin:communes_hamlet_delete", args=[hamlets[0].pk]))
    assert response.status_code == 403
    response = client.post(
        reverse("admin:communes_hamlet_delete", args=[hamlets[0].pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert type(hamlets[0]).objects.filter(pk=hamlets[0].pk).exists()


@pytest.mark.parametrize("role", ["commune_officer", "leader"])
def test_other_roles_are_kept_out_of_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:communes_commune_changelist"), follow=True)
    assert response.status_code == 403


def test_anonymous_is_sent_to_the_portal_sign_in(client, db):
    changelist = reverse("admin:communes_commune_changelist")
    response = client.get(changelist, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={changelist}"
    assert response.status_code == 200


def test_only_administrators_manage_users(client, provincial_officer, portal_admin):
    client.force_login(provincial_officer)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    client.force_login(portal_admin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
