import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import TEST_PASSWORD


def test_sign_in_page_is_in_vietnamese_whatever_the_browser_says(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in body
    assert 'lang="vi"' in body


def test_english_when_chosen(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("login")).content.decode()
    assert "Sign in" in body
    assert 'lang="en"' in body


# Provincial officers and administrators first pass the one-time code step
# (tests/accounts/test_two_factor.py); the password alone takes them there.
@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("commune_officer", "communes:detail"),
        ("provincial_officer", "two_factor_setup"),
        ("leader", "reports:overview"),
        ("portal_admin", "two_factor_setup"),
    ],
)
def test_each_role_lands_on_its_home_page(client, request, role, landing):
    user = request.getfixturevalue(role)
    response = client.post(
        reverse("login"), {"username": user.username, "password": TEST_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.resolver_match.view_name == landing
    if role == "commune_officer":
        assert response.resolver_match.kwargs["pk"] == user.commune_id


def test_wrong_password_is_refused_in_vietnamese(client, commune_officer):
    response = client.post(
        reverse("login"), {"username": commune_officer.username, "password": "sai-mat-khau"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_sign_out_needs_post_and_ends_the_session(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_expires_after_idle_minutes(client, commune_officer):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(commune_officer)
    client.get(reverse("communes:list"))
    assert 0 < client.session.get_expiry_age() <= 30 * 60


def test_password_validators_refuse_weak_passwords(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password("mot-mat-khau-du-dai-2025")


def test_role_constraints_hold_in_the_database(province):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="xa-khong-co-xa", role=Role.COMMUNE_OFFICER, province=province)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="tinh-khong-co-tinh", role=Role.PROVINCIAL_OFFICER)


def test_createsuperuser_gets_the_admin_role(db):
    user = User.objects.create_superuser("root2", "root2@example.invalid", "x-very-long-pass-1")
    assert user.role == Role.ADMIN
    assert user.may_use_admin


def test_health_check(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
