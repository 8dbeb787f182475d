"""Two-factor sign-in: provincial officers and administrators pass a one-time code (TOTP)
through the real pages before any page or the admin site opens."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.factories import TEST_PASSWORD
from tests.two_factor import current_code


def sign_in_with_password(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def enrolled_officer(provincial_officer):
    TOTPDevice.objects.create(user=provincial_officer, name="phone", confirmed=True)
    return provincial_officer


def test_first_sign_in_sets_up_an_authenticator_before_any_page(client, provincial_officer):
    sign_in_with_password(client, provincial_officer)
    for url in (reverse("communes:list"), reverse("admin:index"), reverse("casefiles:list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("two_factor_setup")), url

    page = client.get(reverse("two_factor_setup"))
    body = page.content.decode()
    assert "Thiết lập đăng nhập hai lớp" in body
    assert 'src="data:image/svg+xml' in body  # the QR code never leaves the server
    device = TOTPDevice.objects.get(user=provincial_officer, confirmed=False)

    response = client.post(
        reverse("two_factor_setup"),
        {"code": current_code(device), "next": reverse("communes:list")},
    )
    assert response.status_code == 302
    assert response.url == reverse("communes:list")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("communes:list")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_setup_shows_the_same_secret_until_confirmed(client, provincial_officer):
    sign_in_with_password(client, provincial_officer)
    first = client.get(reverse("two_factor_setup")).context["secret"]
    second = client.get(reverse("two_factor_setup")).context["secret"]
    assert first == second
    assert TOTPDevice.objects.filter(user=provincial_officer).count() == 1


def test_enrolled_officer_needs_the_code_and_a_wrong_one_is_logged(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in_with_password(client, enrolled_officer)
    response = client.get(reverse("admin:index"))
    assert response.url.startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"code": wrong_code_for(device)})
    assert wrong.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.CODE_FAILED)
    assert event.user == enrolled_officer
    assert event.path == reverse("two_factor_verify")


def test_right_code_opens_the_admin_site(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in_with_password(client, enrolled_officer)
    response = client.post(
        reverse("two_factor_verify"), {"code": current_code(device), "next": reverse("admin:index")}
    )
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_codes_slow_down_even_the_right_one(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in_with_password(client, enrolled_officer)
    client.post(reverse("two_factor_verify"), {"code": wrong_code_for(device)})
    client.post(reverse("two_factor_verify"), {"code": wrong_code_for(device)})
    response = client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()
    assert client.get(reverse("communes:list")).status_code == 302


def test_a_password_alone_cannot_enrol_a_second_phone(client, enrolled_officer):
    sign_in_with_password(client, enrolled_officer)
    response = client.get(reverse("two_factor_setup"))
    assert response.url.startswith(reverse("two_factor_verify"))
    assert TOTPDevice.objects.filter(user=enrolled_officer).count() == 1


def test_code_step_never_redirects_to_another_site(client, enrolled_officer):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    sign_in_with_password(client, enrolled_officer)
    response = client.post(
        reverse("two_factor_verify"),
        {"code": current_code(device), "next": "https://evil.example/phish"},
    )
    assert response.url == reverse("home")


def test_malformed_code_is_refused_in_vietnamese(client, enrolled_officer):
    sign_in_with_password(client, enrolled_officer)
    response = client.post(reverse("two_factor_verify"), {"code": "12ab56"})
    assert "Mã gồm 6 chữ số" in response.content.decode()


@pytest.mark.parametrize("role", ["commune_officer", "leader"])
def test_officers_of_one_commune_and_leaders_need_no_code(client, request, role):
    user = request.getfixturevalue(role)
    response = sign_in_with_password(client, user)
    assert response.status_code == 302
    landing = client.get(response.url, follow=True)
    assert landing.status_code == 200
    assert "two-factor" not in landing.request["PATH_INFO"]
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_only_administrators_can_reset_a_lost_phone(client, enrolled_officer, portal_admin):
    device = TOTPDevice.objects.get(user=enrolled_officer)
    delete_url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    client.force_login(enrolled_officer)
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    client.force_login(portal_admin)
    confirm = client.get(delete_url)
    assert confirm.status_code == 200  # Django's confirmation page first
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_admin_site_itself_refuses_an_unverified_session(rf, enrolled_officer):
    """Defence in depth: even without the middleware, the admin asks for the code step."""
    request = rf.get("/admin/")
    request.user = enrolled_officer
    enrolled_officer.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    enrolled_officer.is_verified = lambda: True
    assert admin.site.has_permission(request)


def test_code_step_query_count(client, enrolled_officer, django_assert_num_queries):
    sign_in_with_password(client, enrolled_officer)
    # 1 session, 2 user, 3 its confirmed device, 4-6 savepoint, session renewal, release.
    with django_assert_num_queries(6):
        response = client.get(reverse("two_factor_verify"))
    assert response.status_code == 200
