"""A commune officer finds a person, records a negative test and a rehab episode, and sees both
on the timeline."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.factories import make_person


@pytest.mark.django_db(transaction=True)
def test_officer_records_a_test_and_rehab(page: Page, live_server, commune, commune_officer):
    make_person(commune, full_name="Hoàng Văn Đức", category="addict")
    make_person(commune, full_name="Nông Thị Lan", category="user", sex="F")
    sign_in(page, live_server, commune_officer, fresh=False)

    page.locator("#mainnav").get_by_role("link", name="Người được quản lý").click()
    page.get_by_label("Họ tên hoặc số CCCD").fill("hoang van duc")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Nông Thị Lan")).to_have_count(0)
    page.get_by_role("link", name="Hoàng Văn Đức").click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))

    test_card = page.locator("#quick-test")
    test_card.get_by_label("Ngày xét nghiệm").fill("20/11/2026")
    test_card.get_by_label("Loại").select_option("surprise")
    test_card.get_by_label("Kết quả").select_option("negative")
    test_card.get_by_label("Chất ma túy").fill("methamphetamine")
    test_card.get_by_role("button", name="Ghi kết quả xét nghiệm").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi kết quả xét nghiệm.")

    rehab_card = page.locator("#quick-rehab")
    rehab_card.get_by_label("Hình thức cai nghiện, điều trị").select_option("home_community")
    rehab_card.get_by_label("Ngày bắt đầu").fill("21/11/2026")
    rehab_card.get_by_role("button", name="Ghi đợt cai nghiện, điều trị").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi đợt cai nghiện, điều trị.")

    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Xét nghiệm đột xuất: âm tính")
    expect(timeline).to_contain_text(
        "Bắt đầu cai nghiện, điều trị: tự nguyện tại gia đình, cộng đồng"
    )
    expect(timeline.locator("li").first).to_contain_text("21/11/2026")
    page.screenshot(path="test-results/casefile-detail.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_validation_messages_are_vietnamese(page: Page, live_server, commune, commune_officer):
    make_person(commune, full_name="Hoàng Văn Đức")
    sign_in(page, live_server, commune_officer, fresh=False)
    page.goto(f"{live_server.url}/people/new/{commune.pk}/")
    page.get_by_label("Số CCCD").fill("12345")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Số CCCD phải có đúng 12 chữ số.")).to_be_visible()
    expect(page.get_by_text("Trường này là bắt buộc.").first).to_be_visible()
