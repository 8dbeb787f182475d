"""The session cookie is SameSite=Strict (issue 14, 7): a browser sends it with no request that
another site starts, so a link or redirect from elsewhere arrives signed out and writes no read.
What the browser does with the attribute is tested in a real browser
(tests/e2e/test_cross_site_link.py); here, that every sign-in sets it, and what a request
without the cookie gets."""

from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse

from accounts import security
from tests.factories import TEST_PASSWORD, make_person
from tests.two_factor import current_code, linked_device


def test_signing_in_sets_a_strict_session_cookie(client, commune_officer):
    response = client.post(
        reverse("login"), {"username": commune_officer.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["samesite"] == "Strict"
    assert cookie["httponly"]


def test_the_code_step_keeps_the_cookie_strict_and_the_page_asked_for(
    client, provincial_officer, commune
):
    person = make_person(commune)
    wanted = reverse("casefiles:detail", args=[person.pk])
    device = linked_device(provincial_officer)
    response = client.post(
        f"{reverse('login')}?next={wanted}",
        {"username": provincial_officer.username, "password": TEST_PASSWORD, "next": wanted},
    )
    assert response["Location"] == wanted
    code_step = client.get(wanted)
    assert (
        code_step["Location"] == f"{reverse('two_factor_verify')}?next=%2Fpeople%2F{person.pk}%2F"
    )
    response = client.post(code_step["Location"], {"code": current_code(device), "next": wanted})
    assert response["Location"] == wanted
    assert response.cookies[settings.SESSION_COOKIE_NAME]["samesite"] == "Strict"
    assert client.get(wanted).status_code == 200


def test_a_request_without_the_session_cookie_reads_nothing(client, commune):
    """What a link from another site becomes: the sign-in page, with the page to go back to."""
    person = make_person(commune)
    wanted = reverse("casefiles:detail", args=[person.pk])
    response = client.get(wanted, headers={"Sec-Fetch-Site": "cross-site"})
    assert response["Location"] == f"{reverse('login')}?next={wanted}"
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_sign_in_form_met_while_signed_in_goes_on_with_the_same_session(
    client, provincial_officer
):
    """With a Strict cookie an officer arriving from another site meets the sign-in form while
    their session lives on. Posted from the portal's page, the form carries the cookie: the
    session goes on to the page asked for, neither signed in anew nor restarting its 12-hour
    limit, and still past the code step."""
    client.force_login(provincial_officer)  # signed in, code step passed
    wanted = reverse("casefiles:list")
    started = client.session[security.SIGNED_IN_AT]
    session_key = client.session.session_key
    response = client.post(
        f"{reverse('login')}?next={wanted}",
        {"username": provincial_officer.username, "password": TEST_PASSWORD, "next": wanted},
    )
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200
    assert client.session.session_key == session_key
    assert client.session[security.SIGNED_IN_AT] == started
