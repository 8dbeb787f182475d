"""Signing in through the real pages, the code step included for the roles that need it."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from accounts.two_factor import confirmed_device, requires_two_factor
from tests.factories import TEST_PASSWORD


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def linked_device(user) -> TOTPDevice | None:
    """The authenticator linked to a user who needs one (linked now if not yet), else None."""
    if not requires_two_factor(user):
        return None
    return confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )


def sign_in(page: Page, live_server, user, *, fresh: bool = True) -> None:
    """Password first; then, for provincial officers and administrators, the one-time code of
    an authenticator app already linked to the account (linked here if it is not yet)."""
    if fresh:
        page.context.clear_cookies()
    device = linked_device(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.get_by_label("Mã trên ứng dụng xác thực").fill(current_code(device))
        page.get_by_role("button", name="Xác nhận").click()
