"""A commune officer uploads a workbook, reads the preview, confirms, sees the rows, and marks a
hotspot eradicated."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.signing import sign_in
from tests.imports.test_import_pages import HOTSPOT_HEADER, workbook_bytes


@pytest.mark.django_db(transaction=True)
def test_officer_imports_and_eradicates(
    page: Page, live_server, commune, commune_officer, tmp_path
):
    workbook = tmp_path / "so-diem-ma-tuy.xlsx"
    workbook.write_bytes(
        workbook_bytes(
            {
                "hotspots": [
                    HOTSPOT_HEADER,
                    [commune.code, "D-01", "harbouring", None, "2026-03-02", None],
                    [commune.code, "D-02", "retail", None, "2026-04-10", None],
                ]
            }
        )
    )
    sign_in(page, live_server, commune_officer, fresh=False)

    page.locator("#mainnav").get_by_role("link", name="Tình hình địa bàn").click()
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()

    expect(page.get_by_test_id("import-status")).to_have_text("Đã kiểm tra, chờ xác nhận")
    counts = page.get_by_test_id("import-counts")
    expect(counts).to_contain_text("hotspots")
    expect(counts.locator("tbody tr td").nth(1)).to_have_text("2")
    page.screenshot(path="test-results/import-preview.png", full_page=True)
    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Đã nhập xong")

    page.locator("#mainnav").get_by_role("link", name="Tình hình địa bàn").click()
    row = page.get_by_role("row").filter(has_text="D-01")
    expect(row).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="D-02")).to_be_visible()
    row.get_by_role("link", name="Đã triệt xóa").click()
    page.get_by_label("Ngày triệt xóa").fill("20/11/2026")
    page.get_by_role("button", name="Xác nhận đã triệt xóa").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận triệt xóa điểm D-01.")
    expect(page).to_have_url(re.compile(r"/communes/registers/hotspots/"))
    expect(page.get_by_role("row").filter(has_text="D-01")).to_contain_text("20/11/2026")
