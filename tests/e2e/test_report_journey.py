"""A leader requests the annual report, watches the progress bar, downloads the PDF."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from reports import services
from reports.models import ReportRun
from tests.e2e.signing import sign_in
from tests.factories import make_person


@pytest.mark.django_db(transaction=True)
def test_leader_gets_the_annual_report(
    page: Page, live_server, commune, leader, monkeypatch, tmp_path
):
    make_person(
        commune, full_name="Nông Văn Bí Mật", category="addict", since=datetime.date(2026, 1, 2)
    )
    # Hold the build back so the progress bar can be watched; the test runs it below.
    monkeypatch.setattr("reports.tasks.build_report.delay", lambda run_id: None)
    sign_in(page, live_server, leader, fresh=False)
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_label("Báo cáo").select_option("annual")
    page.get_by_label("Năm").fill("2026")
    page.get_by_role("button", name="Lập", exact=True).click()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_test_id("run-state")).to_have_text("Đang chờ")
    page.screenshot(path="test-results/report-progress.png")

    services.report_build(ReportRun.objects.get().pk)  # what the worker does
    expect(page.get_by_test_id("run-state")).to_have_text("Báo cáo đã lập xong.", timeout=15000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert "Nông Văn Bí Mật".encode() not in path.read_bytes()
