"""Signing in through the real pages, the code step included for the roles that need it."""

from playwright.sync_api import Page

from tests.factories import TEST_PASSWORD
from tests.two_factor import current_code, linked_device


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
