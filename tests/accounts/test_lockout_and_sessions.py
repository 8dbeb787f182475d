"""Lockout after repeated wrong passwords, session lifetime and the session id at sign-in."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import security
from accounts.models import SecurityEvent
from tests.factories import TEST_PASSWORD


def attempt(client, username, password, address="10.0.0.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_fifth_wrong_password_locks_the_account_from_that_address(client, commune_officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, commune_officer.username, "sai-mat-khau").status_code == 200
    locked = attempt(client, commune_officer.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Đăng nhập bị khóa" in locked.content.decode()
    # Even the right password is refused while locked…
    assert attempt(client, commune_officer.username, TEST_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # …but only from that address: a stranger cannot lock a real officer out from elsewhere.
    assert attempt(client, commune_officer.username, TEST_PASSWORD, "10.0.0.8").status_code == 302

    failed = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    # The five wrong passwords, and the right one refused during the lockout.
    assert failed.count() == settings.AXES_FAILURE_LIMIT + 1
    assert set(failed.values_list("ip_address", flat=True)) == {"10.0.0.7"}
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOCKED_OUT, username=commune_officer.username
    ).exists()


def test_failed_sign_in_logs_the_name_typed_but_never_the_password(client, db, caplog):
    caplog.set_level("DEBUG")
    attempt(client, "khong.ton.tai", "MatKhau-Bi-Mat-2026")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert event.username == "khong.ton.tai"
    assert event.user is None
    assert "MatKhau-Bi-Mat-2026" not in caplog.text
    assert "MatKhau-Bi-Mat-2026" not in str(list(SecurityEvent.objects.values()))


def test_forged_forwarded_address_is_not_trusted_without_a_proxy(client, commune_officer):
    client.post(
        reverse("login"),
        {"username": commune_officer.username, "password": "sai"},
        REMOTE_ADDR="10.0.0.9",
        HTTP_X_FORWARDED_FOR="1.2.3.4",
    )
    assert SecurityEvent.objects.get().ip_address == "10.0.0.9"


def test_behind_one_proxy_the_address_it_saw_is_used(client, commune_officer, settings):
    settings.PROXY_COUNT = 1
    client.post(
        reverse("login"),
        {"username": commune_officer.username, "password": "sai"},
        REMOTE_ADDR="10.0.0.1",  # the proxy
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5",  # forged entry, then what the proxy saw
    )
    assert SecurityEvent.objects.get().ip_address == "203.0.113.5"


def test_sign_in_gives_a_new_session_id(client, commune_officer):
    client.get(reverse("login"))
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = session.session_key
    attempt(client, commune_officer.username, TEST_PASSWORD)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(commune_officer.pk)


def test_session_lapses_after_thirty_idle_minutes_and_each_request_renews_it(
    client, commune_officer
):
    client.force_login(commune_officer)
    response = client.get(reverse("casefiles:list"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    stored = Session.objects.get(session_key=client.session.session_key)
    remaining = (stored.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60  # renewed by this request: idle, not absolute

    # Thirty minutes without a request: the server no longer knows the session.
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("casefiles:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_session_ends_twelve_hours_after_sign_in_however_active(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("casefiles:list")).status_code == 200
    session = client.session
    session[security.SIGNED_IN_AT] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("casefiles:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(reverse("casefiles:list")).status_code == 302
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.SESSION_EXPIRED, user=commune_officer
    ).exists()


@pytest.mark.parametrize("hours", [1, 11])
def test_session_within_twelve_hours_stays(client, commune_officer, hours):
    client.force_login(commune_officer)
    session = client.session
    session[security.SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()
    assert client.get(reverse("casefiles:list")).status_code == 200
