"""A provincial officer opens the province table, filters it and opens a commune's scorecard."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from assessments import services
from communes.models import Hotspot
from tests.e2e.signing import sign_in
from tests.factories import make_person


@pytest.mark.django_db(transaction=True)
def test_province_table_to_scorecard(
    page: Page, live_server, commune, other_commune, provincial_officer
):
    make_person(
        commune, full_name="Nông Văn Một", category="addict", since=datetime.date(2026, 1, 2)
    )
    Hotspot.objects.create(
        commune=other_commune, ref="D1", kind="harbouring", detected_on=datetime.date(2026, 1, 5)
    )
    # The province table shows stored assessments (the nightly province run).
    services.assessments_store(
        services.assess_communes([commune, other_commune], as_of=datetime.date(2026, 6, 30))
    )
    sign_in(page, live_server, provincial_officer, fresh=False)
    page.locator("#mainnav").get_by_role("link", name="Đánh giá, phân loại").click()
    page.get_by_label("Tính đến ngày").fill("30/06/2026")
    page.get_by_label("Phân loại").select_option("type_3")
    page.get_by_role("button", name="Xem").click()
    table = page.get_by_test_id("province-table")
    expect(table.get_by_role("link", name="Công Sơn")).to_be_visible()
    expect(table.get_by_role("link", name="Lợi Bác")).to_have_count(0)
    table.get_by_role("link", name="Công Sơn").click()
    expect(page.get_by_test_id("level")).to_have_text("Trọng điểm loại III")
    criteria = page.get_by_test_id("criteria")
    expect(criteria).to_contain_text("không đạt")
    criteria.get_by_role("link", name="Nông Văn Một").click()
    expect(page.get_by_role("heading", name="Nông Văn Một")).to_be_visible()
