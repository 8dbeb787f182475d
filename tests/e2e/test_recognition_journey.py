"""The commune officer submits; the provincial officer appraises and approves in the admin; the
roadmap counts the commune."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from assessments.models import RoadmapTarget
from communes.models import PreventionModel
from tests import factories
from tests.e2e.signing import sign_in


@pytest.mark.django_db(transaction=True)
def test_submit_approve_and_count(
    page: Page, live_server, commune, commune_officer, provincial_officer
):
    factories.HamletFactory(commune=commune)
    PreventionModel.objects.create(
        commune=commune, name="Tổ tự quản", started_on=datetime.date(2025, 1, 1)
    )
    today = datetime.date.today()
    year = today.year + (1 if (today.month, today.day) > (12, 14) else 0)
    RoadmapTarget.objects.update_or_create(
        province=commune.province, year=year, defaults={"target_communes": 5}
    )
    factories.registration_with_case(
        commune=commune, year=year, registered_on=today, profile="qd28-2025", by=provincial_officer
    )

    sign_in(page, live_server, commune_officer)
    page.locator("#mainnav").get_by_role("link", name="Công nhận").click()
    page.get_by_label("Ghi chú gửi Công an tỉnh").fill("Xã đã đạt mọi tiêu chí.")
    page.get_by_role("button", name="Đề nghị công nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đề nghị công nhận Công Sơn")
    expect(page.get_by_test_id("case-state")).to_have_text("Đã đề nghị công nhận")
    page.screenshot(path="test-results/recognition-submitted.png", full_page=True)

    sign_in(page, live_server, provincial_officer)
    page.goto(f"{live_server.url}/admin/assessments/recognitioncase/")
    page.get_by_role("link", name="Công Sơn").click()
    page.get_by_role("link", name="Ghi kết quả thẩm định").click()
    page.get_by_label("Ghi chú").fill("Hồ sơ đầy đủ, đạt yêu cầu.")
    page.get_by_role("button", name="Ghi kết quả thẩm định").click()
    page.get_by_role("link", name="Phê duyệt công nhận").click()
    page.get_by_label("Số quyết định").fill("88/QĐ-UBND")
    page.get_by_label("Ngày quyết định").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("Người ký").fill("Chủ tịch UBND tỉnh")
    page.screenshot(path="test-results/recognition-approve.png", full_page=True)
    page.get_by_role("button", name="Phê duyệt công nhận").click()
    expect(page.locator(".messagelist")).to_contain_text("Phê duyệt công nhận")
    page.screenshot(path="test-results/recognition-approved.png", full_page=True)

    page.goto(f"{live_server.url}/assessments/roadmap/")
    row = (
        page.get_by_test_id(f"roadmap-{commune.province.code}")
        .get_by_role("row")
        .filter(has_text=str(year))
    )
    expect(row).to_contain_text("5")
    expect(row.locator("td").nth(3)).to_have_text("1")
    page.screenshot(path="test-results/roadmap.png", full_page=True)
