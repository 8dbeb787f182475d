import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from casefiles.models import DrugTest, RehabEpisode
from communes.models import Hotspot, Household, Pledge, PreventionModel
from reports import builders, rendering, services
from reports.models import ReportRun, RunState
from tests import factories
from tests.factories import make_person

PERIOD = builders.annual_period(2026)  # 10/12/2025 – 10/12/2026
IN_PERIOD = datetime.date(2026, 3, 1)


@pytest.fixture
def run_tasks_at_once(monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


@pytest.fixture
def data(province, commune, other_commune):
    commune.households = 4
    commune.save()
    hamlet = factories.HamletFactory(commune=commune)
    addict = make_person(
        commune, full_name="Nông Văn Bí Mật", category="addict", citizen_id="020090999001"
    )
    make_person(commune, full_name="Hoàng Thị Kín", category="user", sex="F", file_opened=False)
    make_person(other_commune, full_name="Vi Văn Ẩn", category="post_rehab")
    DrugTest.objects.create(person=addict, tested_on=IN_PERIOD, kind="surprise", result="positive")
    DrugTest.objects.create(
        person=addict, tested_on=datetime.date(2025, 1, 1), kind="periodic", result="negative"
    )
    RehabEpisode.objects.create(person=addict, form="methadone", started_on=IN_PERIOD)
    Hotspot.objects.create(
        commune=commune,
        ref="D1",
        kind="retail",
        detected_on=IN_PERIOD,
        eradicated_on=datetime.date(2026, 5, 1),
    )
    Hotspot.objects.create(
        commune=other_commune, ref="D2", kind="harbouring", detected_on=IN_PERIOD
    )
    for code in ("H1", "H2", "H3"):
        household = Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=code, head_name="Chủ Hộ Riêng"
        )
        Pledge.objects.create(household=household, signed_on=IN_PERIOD)
    PreventionModel.objects.create(commune=commune, name="Mô hình", started_on=IN_PERIOD)
    return province


def test_report_numbers_equal_hand_counts(data):
    report = builders.province_report(data, PERIOD)
    assert report.communes == 2
    assert report.people == {
        "addict": 1,
        "user": 1,
        "suspect": 0,
        "post_rehab": 1,
        "total": 3,
        "without_file": 1,
    }
    assert report.tests == {"total": 1, "positive": 1, "surprise": 1}
    assert report.rehab["methadone"] == 1
    assert report.hotspots == {"found": 2, "eradicated": 1, "active_at_end": 1, "re_emerged": 0}
    # Households: commune 4 + the other commune's factory default 2100.
    assert report.pledges == {"households": 2104, "registered": 3, "signed": 3, "percent": 0.1}
    assert report.models_active == 1
    assert sum(report.levels.values()) == 2


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_and_excel_agree_with_the_builder_and_hold_no_personal_data(data):
    report = builders.province_report(data, PERIOD)
    pdf = pdf_text(rendering.render_province_report_pdf(report, issued_by="Công an tỉnh Lạng Sơn"))
    for heading in (
        "BÁO CÁO NĂM",
        "Tóm tắt",
        "Lộ trình",
        "Phân loại xã, phường",
        "Người được quản lý",
        "Xét nghiệm ma túy trong kỳ",
        "Cam kết của hộ gia đình",
    ):
        assert heading in pdf
    assert "Công an tỉnh Lạng Sơn".upper() in pdf  # diacritics survive
    book = openpyxl.load_workbook(io.BytesIO(rendering.render_province_report_xlsx(report)))
    figures = {
        (row[0], row[1]): row[2] for row in book["Số liệu"].iter_rows(min_row=2, values_only=True)
    }
    assert figures[("Xét nghiệm ma túy trong kỳ", "Số lượt xét nghiệm")] == report.tests["total"]
    assert figures[("Người được quản lý (ngày cuối kỳ)", "Tổng")] == report.people["total"]
    excel_text = " ".join(
        str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
    )
    for secret in ("Nông Văn Bí Mật", "Hoàng Thị Kín", "Vi Văn Ẩn", "020090999001", "Chủ Hộ Riêng"):
        assert secret not in pdf
        assert secret not in excel_text


def test_dashboard_shows_the_same_numbers(client, leader, data):
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    (board,) = response.context["dashboards"]
    report = board["report"]
    assert report.people["total"] == 3
    body = response.content.decode()
    assert "Nông Văn Bí Mật" not in body
    assert "chart.umd.min.js" in body


def test_dashboard_query_count_is_constant(client, leader, data, province):
    client.force_login(leader)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:overview"))
    for commune in factories.CommuneFactory.create_batch(20, province=province):
        make_person(commune, full_name="Người Thêm", category="user")
        Hotspot.objects.create(commune=commune, ref="X", kind="retail", detected_on=IN_PERIOD)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reports:overview"))
    assert len(many) == len(few)


def test_leader_requests_a_report_and_downloads_it(client, leader, data, run_tasks_at_once):
    client.force_login(leader)
    response = client.post(reverse("reports:runs"), {"kind": "annual", "year": 2026})
    run = ReportRun.objects.get()
    assert response.url == reverse("reports:run", args=[run.pk])
    assert (run.state, run.progress, run.requested_by) == (RunState.DONE, 100, leader)
    status = client.get(reverse("reports:run_status", args=[run.pk])).json()
    assert status["state"] == "done"
    pdf = client.get(reverse("reports:run_file", args=[run.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "BÁO CÁO NĂM" in pdf_text(b"".join(pdf.streaming_content))
    xlsx = client.get(reverse("reports:run_file", args=[run.pk, "xlsx"]))
    assert xlsx.status_code == 200


def test_a_failure_says_why_and_can_be_retried(
    client, leader, data, run_tasks_at_once, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rendering, "render_province_report_pdf", broken)
    client.force_login(leader)
    client.post(reverse("reports:runs"), {"kind": "six_month", "year": 2026})
    run = ReportRun.objects.get()
    assert run.state == RunState.FAILED
    assert "RuntimeError" in run.error
    assert not run.pdf
    monkeypatch.undo()
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())
    client.post(reverse("reports:run_retry", args=[run.pk]))
    run.refresh_from_db()
    assert (run.state, run.error) == (RunState.DONE, "")


def test_reports_are_scoped_and_closed_to_commune_officers(
    client, commune_officer, leader, other_province
):
    foreign = ReportRun.objects.create(
        province=other_province,
        kind="annual",
        period_start=PERIOD.start,
        period_end=PERIOD.end,
        state=RunState.DONE,
        pdf=ContentFile(b"%PDF-1.4", name="x.pdf"),
    )
    client.force_login(leader)
    assert client.get(reverse("reports:run", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("reports:run_file", args=[foreign.pk, "pdf"])).status_code == 404
    client.force_login(commune_officer)
    assert client.get(reverse("reports:runs")).status_code == 403


def test_statutory_schedule_builds_a_report_for_every_province(data, run_tasks_at_once):
    runs = services.statutory_reports("six_month", today=datetime.date(2026, 6, 11))
    assert [(run.province.code, run.period_start, run.period_end) for run in runs] == [
        ("20", datetime.date(2025, 12, 10), datetime.date(2026, 6, 10))
    ]
    assert runs[0].requested_by is None


def test_periods_follow_the_plan():
    six = builders.six_month_period(2026)
    annual = builders.annual_period(2026)
    assert (six.start, six.end, six.due) == (
        datetime.date(2025, 12, 10),
        datetime.date(2026, 6, 10),
        datetime.date(2026, 6, 12),
    )
    assert (annual.start, annual.end, annual.due) == (
        datetime.date(2025, 12, 10),
        datetime.date(2026, 12, 10),
        datetime.date(2026, 12, 12),
    )


def test_commune_profile_pdf_logs_the_people_it_names(
    client, provincial_officer, leader, data, commune
):
    from auditlog.models import LogEntry

    make_person(commune, full_name="Lộc Văn Lộ", category="user", citizen_id="020090999002")
    client.force_login(provincial_officer)
    response = client.get(reverse("reports:commune_profile", args=[commune.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Hồ sơ xã: Công Sơn" in text
    assert "Lộc Văn Lộ" in text  # the failing criterion names its cause
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__via="commune_profile"
    ).exists()
    client.force_login(leader)
    leader_text = pdf_text(
        client.get(reverse("reports:commune_profile", args=[commune.pk])).content
    )
    assert "Lộc Văn Lộ" not in leader_text
    assert "020090999002" not in leader_text


def test_report_archive_query_count_is_constant(client, leader, province):
    client.force_login(leader)
    url = reverse("reports:runs")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(8):
        ReportRun.objects.create(
            province=province,
            kind="annual",
            period_start=PERIOD.start,
            period_end=PERIOD.end,
            requested_by=leader,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["runs"]) == 8
    assert len(many) == len(few)
