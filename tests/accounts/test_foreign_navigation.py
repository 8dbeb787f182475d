"""A page asked for by another origin of the same site (another port, another subdomain: the
Strict session cookie goes with it) answers a confirmation page, never the page, so nothing is
read in the officer's name (found by an attacker run: a link on 127.0.0.1:8099 opened
/people/<id>/ and wrote a read)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.middleware import ConfirmForeignNavigationMiddleware
from tests.factories import make_person

NAVIGATE = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document"}


def reads() -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()


@pytest.fixture
def person_page(client, commune, commune_officer):
    client.force_login(commune_officer)
    return reverse("casefiles:detail", args=[make_person(commune).pk])


@pytest.mark.parametrize("origin", ["same-site", "cross-site"])
def test_a_navigation_from_another_origin_gets_a_confirmation_and_reads_nothing(
    client, person_page, origin
):
    response = client.get(person_page, HTTP_SEC_FETCH_SITE=origin, **NAVIGATE)
    assert response.status_code == 200
    assert response.templates[0].name == "foreign_navigation.html"
    assert f'href="{person_page}"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert reads() == 0


def test_the_click_on_the_portals_own_page_opens_it(client, person_page):
    response = client.get(person_page, HTTP_SEC_FETCH_SITE="same-origin", **NAVIGATE)
    assert response.status_code == 200 and reads() == 1


def test_a_browser_without_the_header_or_a_typed_address_opens_it(client, person_page):
    assert client.get(person_page).status_code == 200
    assert client.get(person_page, HTTP_SEC_FETCH_SITE="none", **NAVIGATE).status_code == 200
    assert reads() == 2


@pytest.mark.parametrize("mode", ["no-cors", "cors", "nested-navigate"])
def test_an_image_frame_or_fetch_from_another_origin_is_refused(client, person_page, mode):
    response = client.get(person_page, HTTP_SEC_FETCH_SITE="same-site", HTTP_SEC_FETCH_MODE=mode)
    assert response.status_code == 403 and reads() == 0


def test_a_path_that_looks_like_another_host_stays_on_the_portal(rf, commune_officer):
    request = rf.get("/", HTTP_SEC_FETCH_SITE="same-site", **NAVIGATE)
    request.path = "//evil.example/people/"  # as a server may pass it on
    request.user = commune_officer
    response = ConfirmForeignNavigationMiddleware(lambda request: None)(request)
    text = response.content.decode()
    assert 'href="/%2Fevil.example/people/"' in text and 'href="//evil' not in text


def test_signed_out_visitors_are_not_stopped(client):
    response = client.get(reverse("login"), HTTP_SEC_FETCH_SITE="cross-site", **NAVIGATE)
    assert response.status_code == 200
    assert response.templates[0].name == "registration/login.html"
