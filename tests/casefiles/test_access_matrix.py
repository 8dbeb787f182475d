"""Every casefiles URL × role: own commune, other commune, provincial, leader, anonymous."""

import datetime
import io

import openpyxl
import pytest
from django.urls import URLPattern, reverse

from casefiles import urls as casefiles_urls
from casefiles.models import Person, RehabEpisode
from tests import factories
from tests.factories import make_person

ROLES = ["own_officer", "other_officer", "provincial", "leader", "anonymous"]
# url name -> expected status per role, in the order of ROLES.
MATRIX = {
    "list": (200, 200, 200, 403, 302),
    "export": (200, 200, 200, 403, 302),
    "moves_out": (200, 200, 200, 403, 302),
    "transfers": (200, 200, 200, 403, 302),
    "create": (200, 404, 200, 404, 302),
    "detail": (200, 404, 200, 404, 302),
    "edit": (200, 404, 200, 404, 302),
    "category": (200, 404, 200, 404, 302),
    "presence": (200, 404, 200, 404, 302),
    "test_add": (200, 404, 200, 404, 302),
    "rehab_add": (200, 404, 200, 404, 302),
    "support_add": (200, 404, 200, 404, 302),
    "move": (200, 404, 200, 404, 302),
    "close": (200, 404, 200, 404, 302),
    "rehab_end": (200, 404, 200, 404, 302),
}
NO_ARGS = {"list", "export", "moves_out", "transfers"}


@pytest.fixture
def world(commune, other_commune, province):
    person = make_person(commune, full_name="Lương Văn Mẫu")
    episode = RehabEpisode.objects.create(
        person=person, form="methadone", started_on=datetime.date(2025, 4, 1)
    )
    return {
        "person": person,
        "episode": episode,
        "own_officer": factories.commune_officer(commune),
        "other_officer": factories.commune_officer(other_commune),
        "provincial": factories.provincial_officer(province),
        "leader": factories.leader(province),
        "anonymous": None,
    }


def workbook_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


def url_for(name, world):
    if name in NO_ARGS:
        return reverse(f"casefiles:{name}")
    if name == "create":
        return reverse("casefiles:create", args=[world["person"].commune_id])
    if name == "rehab_end":
        return reverse("casefiles:rehab_end", args=[world["episode"].pk])
    return reverse(f"casefiles:{name}", args=[world["person"].pk])


def test_matrix_covers_every_casefiles_url():
    names = {p.name for p in casefiles_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_get(client, world, name, role):
    if world[role] is not None:
        client.force_login(world[role])
    response = client.get(url_for(name, world))
    assert response.status_code == MATRIX[name][ROLES.index(role)]
    if role == "other_officer" and response.status_code == 200:
        # Lists and exports answer, but without the other commune's person.
        text = workbook_text(response.content) if name == "export" else response.content.decode()
        assert "Lương Văn Mẫu" not in text
        assert world["person"].citizen_id not in text


@pytest.mark.parametrize("name", sorted(set(MATRIX) - NO_ARGS))
@pytest.mark.parametrize("role", ["other_officer", "leader"])
def test_post_from_outside_changes_nothing(client, world, name, role):
    client.force_login(world[role])
    before = Person.objects.filter(pk=world["person"].pk).values().get()
    response = client.post(
        url_for(name, world),
        {
            "full_name": "Đổi Tên",
            "reason": "died",
            "on": "01/06/2025",
            "value": "user",
            "test-tested_on": "01/06/2025",
            "test-kind": "periodic",
            "test-result": "negative",
        },
    )
    assert response.status_code == 404
    assert Person.objects.filter(pk=world["person"].pk).values().get() == before
    assert not world["person"].tests.exists()
