"""Each role signs in through the real page and lands on its own home page."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.factories import TEST_PASSWORD, HamletFactory
from tests.two_factor import current_code, linked_device


@pytest.fixture
def demo_places(commune, other_commune):
    HamletFactory(commune=commune, name="Thôn Nà Hin", hotline_board=True)
    HamletFactory(commune=commune, name="Thôn Bó Đông", hotline_board=False)
    HamletFactory(commune=other_commune, name="Thôn Kéo Pheo")


def sign_in(page: Page, live_server, user):
    device = linked_device(user)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Mã xác thực")).to_be_visible()
        page.get_by_label("Mã trên ứng dụng xác thực").fill(current_code(device))
        page.get_by_role("button", name="Xác nhận").click()


@pytest.mark.django_db(transaction=True)
def test_commune_officer_lands_on_own_commune(
    page: Page, live_server, demo_places, commune_officer
):
    sign_in(page, live_server, commune_officer)
    expect(page).to_have_url(re.compile(rf"/communes/{commune_officer.commune_id}/$"))
    expect(page.get_by_role("heading", name="Xã Công Sơn")).to_be_visible()
    expect(page.get_by_role("cell", name="Thôn Nà Hin")).to_be_visible()
    expect(page.get_by_text("Thôn Kéo Pheo")).to_have_count(0)
    expect(page.get_by_role("link", name="Thêm thôn, tổ dân phố")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_provincial_officer_lands_on_commune_list(
    page: Page, live_server, demo_places, provincial_officer
):
    sign_in(page, live_server, provincial_officer)
    expect(page).to_have_url(re.compile(r"/communes/$"))
    expect(page.get_by_role("heading", name="Xã, phường, đặc khu")).to_be_visible()
    expect(page.get_by_role("link", name="Công Sơn")).to_be_visible()
    expect(page.get_by_role("link", name="Lợi Bác")).to_be_visible()
    page.get_by_placeholder("Tên hoặc mã").fill("loi bac")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Lợi Bác")).to_be_visible()
    expect(page.get_by_role("link", name="Công Sơn")).to_have_count(0)
    expect(page.get_by_role("link", name="Quản trị")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_leader_lands_on_overview_without_edit_links(page: Page, live_server, demo_places, leader):
    sign_in(page, live_server, leader)
    expect(page).to_have_url(re.compile(r"/reports/$"))
    expect(page.get_by_test_id("commune-count")).to_have_text("2")
    expect(page.get_by_role("link", name="Quản trị")).to_have_count(0)
    page.get_by_role("link", name="Xã, phường", exact=True).click()
    page.get_by_role("link", name="Công Sơn").click()
    expect(page.get_by_role("cell", name="Thôn Nà Hin")).to_be_visible()
    expect(page.get_by_role("link", name="Sửa")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_admin_lands_on_commune_list_and_opens_admin(
    page: Page, live_server, demo_places, portal_admin
):
    sign_in(page, live_server, portal_admin)
    expect(page).to_have_url(re.compile(r"/communes/$"))
    page.get_by_role("link", name="Quản trị").click()
    expect(page.get_by_role("heading", name="Quản trị cấp tỉnh")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_sign_out_returns_to_sign_in(page: Page, live_server, demo_places, commune_officer):
    sign_in(page, live_server, commune_officer)
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.goto(f"{live_server.url}/communes/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


@pytest.mark.django_db(transaction=True)
def test_provincial_officer_links_an_authenticator_at_first_sign_in(
    page: Page, live_server, demo_places, provincial_officer
):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Tên đăng nhập").fill(provincial_officer.username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Thiết lập đăng nhập hai lớp")).to_be_visible()
    expect(page.get_by_role("img", name="Mã QR cho ứng dụng xác thực")).to_be_visible()
    # The officer types the key shown into an authenticator app; we compute its code.
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Mã trên ứng dụng xác thực").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận và tiếp tục").click()
    expect(page.get_by_text("Đã thiết lập đăng nhập hai lớp.")).to_be_visible()
    expect(page.get_by_role("heading", name="Quản trị cấp tỉnh")).to_be_visible()
    page.screenshot(path="test-results/two-factor-done.png")
