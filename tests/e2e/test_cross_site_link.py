"""Another site cannot make a signed-in officer's browser open a file in the officer's name
(issue 14, 7): the session cookie is SameSite=Strict, so a link or a redirect from elsewhere
arrives signed out, and nothing is read until the officer signs in on the portal's own page.

A real browser is the only honest test of this: the cookie attribute is what Chromium obeys.
The other site is served by Playwright under a name of its own (elsewhere.example), so the
navigation to the portal (localhost) is cross-site, as from webmail or a chat site.
"""

import re

import pytest
from auditlog.models import LogEntry
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.factories import TEST_PASSWORD, make_person

ELSEWHERE = "http://elsewhere.example"


def reads_of(person) -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=person.pk).count()


def serve_elsewhere(page: Page, file_url: str) -> None:
    """The other site: a page with a link to the file, and an address that redirects to it
    (what a link shortener or an open redirect on that site does)."""

    def answer(route):
        if route.request.url.endswith("/go"):
            route.fulfill(status=302, headers={"Location": file_url})
        else:
            body = f'<a id="file" href="{file_url}">Xem</a> <a id="via" href="/go">Xem qua</a>'
            route.fulfill(content_type="text/html", body=body)

    page.route(f"{ELSEWHERE}/**", answer)


@pytest.fixture
def person(commune):
    return make_person(commune, full_name="Nông Văn Liên Kết")


def sign_in_on_this_page(page: Page, user) -> None:
    """The sign-in form the officer arrived on. Posted from the portal's own page, it carries
    the session cookie: a session still alive, past the code step, simply goes on to `next`."""
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["commune_officer", "provincial_officer"])
def test_a_link_from_another_site_arrives_signed_out_and_reads_nothing(
    page: Page, live_server, request, role, person
):
    officer = request.getfixturevalue(role)
    file_url = f"{live_server.url}/people/{person.pk}/"
    sign_in(page, live_server, officer)
    page.goto(file_url)  # the officer's own visit, typed: a read
    expect(page.get_by_role("heading", name=re.compile("Nông Văn Liên Kết"))).to_be_visible()
    assert reads_of(person) == 1

    serve_elsewhere(page, file_url)
    page.goto(f"{ELSEWHERE}/")
    page.click("#file")
    expect(page).to_have_url(re.compile(rf"/accounts/login/\?next=/people/{person.pk}/$"))
    assert reads_of(person) == 1

    # The officer who meant to open it signs in on the portal's page and lands on the file.
    sign_in_on_this_page(page, officer)
    expect(page).to_have_url(file_url)
    expect(page.get_by_role("heading", name=re.compile("Nông Văn Liên Kết"))).to_be_visible()
    assert reads_of(person) == 2


@pytest.mark.django_db(transaction=True)
def test_a_redirect_from_another_site_arrives_signed_out_and_reads_nothing(
    page: Page, live_server, commune_officer, person
):
    file_url = f"{live_server.url}/people/{person.pk}/"
    sign_in(page, live_server, commune_officer)
    expect(page.get_by_role("heading", name="Xã Công Sơn")).to_be_visible()
    serve_elsewhere(page, file_url)
    page.goto(f"{ELSEWHERE}/")
    page.click("#via")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert reads_of(person) == 0
    # Back on the portal's own pages the officer is still signed in: nothing else changed.
    page.goto(file_url)
    expect(page.get_by_role("heading", name=re.compile("Nông Văn Liên Kết"))).to_be_visible()
    assert reads_of(person) == 1
