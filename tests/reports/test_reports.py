import datetime
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments import runs
from assessments.models import ProvinceRun
from assessments.rules import period as periods
from casefiles.models import DrugTest, RehabEpisode
from communes.models import Hotspot, Household, Pledge, PreventionModel
from core.models import RunState
from reports import builders, rendering, services
from reports.models import ReportRun
from tests import factories
from tests.factories import make_person

PERIOD = periods.annual_period(2026, periods.LANG_SON_CALENDAR)  # 11/12/2025 – 10/12/2026
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


def province_run(province, as_of=datetime.date(2026, 6, 30)):
    """What the nightly job does: assess, store, build the dashboard's figures."""
    run = ProvinceRun.objects.create(province=province, as_of=as_of)
    return runs.province_run_build(run.pk)


def test_dashboard_shows_the_stored_run_with_its_date(client, leader, data):
    run = province_run(data)
    assert run.state == RunState.DONE
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    (board,) = response.context["dashboards"]
    assert board["run"] == run
    report = board["report"]
    assert report == builders.province_report(data, periods.year_to_date(run.as_of))
    assert report.people["total"] == 3
    body = response.content.decode()
    assert 'data-testid="figures-as-of"' in body
    assert "Nông Văn Bí Mật" not in body
    assert "chart.umd.min.js" in body


def test_dashboard_without_a_stored_run_says_so(client, leader, data):
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    (board,) = response.context["dashboards"]
    assert board["run"] is None
    assert 'data-testid="no-stored-assessment"' in response.content.decode()


def test_province_run_stores_every_commune_assessment(data, commune, other_commune):
    from assessments.models import Assessment

    province_run(data)
    stored = Assessment.objects.filter(as_of=datetime.date(2026, 6, 30))
    assert sorted(stored.values_list("commune_id", flat=True)) == sorted(
        [commune.pk, other_commune.pk]
    )


def test_dashboard_query_count_is_constant(
    client, leader, data, province, django_assert_num_queries
):
    """Queries: session, user, commune totals (2: sums, communes by kind), the user's
    provinces, the latest finished run, a pending run, relapsed communes under review, and the
    session saved again (savepoint, update, release: the idle timeout)."""
    province_run(data)
    client.force_login(leader)
    with django_assert_num_queries(11):
        client.get(reverse("reports:overview"))
    for commune in factories.CommuneFactory.create_batch(20, province=province):
        make_person(commune, full_name="Người Thêm", category="user")
        Hotspot.objects.create(commune=commune, ref="X", kind="retail", detected_on=IN_PERIOD)
    province_run(data)
    with django_assert_num_queries(11):
        response = client.get(reverse("reports:overview"))
    assert response.context["dashboards"][0]["report"].communes == 22


def test_provincial_officer_reruns_the_province(
    client, provincial_officer, leader, data, run_tasks_at_once
):
    client.force_login(leader)
    assert client.post(reverse("reports:province_run_request")).status_code == 403
    client.force_login(provincial_officer)
    response = client.post(reverse("reports:province_run_request"))
    run = ProvinceRun.objects.get()
    assert response.url == reverse("reports:province_run", args=[run.pk])
    assert (run.state, run.progress, run.requested_by) == (RunState.DONE, 100, provincial_officer)
    status = client.get(reverse("reports:province_run_status", args=[run.pk])).json()
    assert status["state"] == "done"
    table = client.get(reverse("assessments:province"))
    assert table.context["total"] == 2
    assert table.context["figures_as_of"] == run.as_of


def test_a_failed_province_run_says_why_and_keeps_the_previous_figures(
    client, leader, data, monkeypatch
):
    done = province_run(data)

    def broken(*args, **kwargs):
        raise RuntimeError

    monkeypatch.setattr(builders, "province_report", broken)
    failed = province_run(data)
    assert failed.state == RunState.FAILED and "RuntimeError" in failed.error
    client.force_login(leader)
    (board,) = client.get(reverse("reports:overview")).context["dashboards"]
    assert board["run"] == done


def test_nightly_schedule_runs_every_province(data, run_tasks_at_once):
    from assessments.tasks import run_all_provinces

    assert run_all_provinces() == 1
    assert ProvinceRun.objects.get().state == RunState.DONE


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


def test_statutory_schedule_builds_each_province_report_after_its_own_cut_off(
    data, foreign_commune, run_tasks_at_once
):
    """Domain §9: report periods are per province. Lạng Sơn (seed 004) reports up to 10/6 and
    10/12; a province without dates of its own sends the QĐ 28 report (15/12 – 14/12)."""
    data.year_end_day, data.report_due_days = 10, 2
    data.save()
    day = datetime.date
    built = {
        today: [
            (run.province.code, run.period_start, run.period_end)
            for run in services.statutory_reports(kind, today=today)
        ]
        for kind, today in [
            ("six_month", day(2026, 6, 11)),
            ("six_month", day(2026, 6, 15)),
            ("annual", day(2026, 12, 11)),
            ("annual", day(2026, 12, 15)),
            ("annual", day(2026, 12, 16)),
        ]
    }
    assert built == {
        day(2026, 6, 11): [("20", day(2025, 12, 11), day(2026, 6, 10))],
        day(2026, 6, 15): [("37", day(2025, 12, 15), day(2026, 6, 14))],
        day(2026, 12, 11): [("20", day(2025, 12, 11), day(2026, 12, 10))],
        day(2026, 12, 15): [("37", day(2025, 12, 15), day(2026, 12, 14))],
        day(2026, 12, 16): [],
    }
    assert ReportRun.objects.filter(requested_by__isnull=False).count() == 0


def test_periods_follow_the_plan():
    """Seed 004: "báo cáo 06 tháng từ ngày 10/12 năm trước đến ngày 10/6 năm báo cáo (gửi báo
    cáo chậm nhất ngày 12/6); báo cáo năm … đến ngày 10/12 năm báo cáo (gửi báo cáo chậm nhất
    ngày 12/12)"; a period starts the day after the previous one ends (domain §9)."""
    six = periods.six_month_period(2026, periods.LANG_SON_CALENDAR)
    annual = periods.annual_period(2026, periods.LANG_SON_CALENDAR)
    assert (six.start, six.end, six.due) == (
        datetime.date(2025, 12, 11),
        datetime.date(2026, 6, 10),
        datetime.date(2026, 6, 12),
    )
    assert (annual.start, annual.end, annual.due) == (
        datetime.date(2025, 12, 11),
        datetime.date(2026, 12, 10),
        datetime.date(2026, 12, 12),
    )
    # QĐ 28 art. 7: "từ ngày 15 tháng 12 năm trước đến ngày 14 tháng 12 năm sau", reported
    # "trước ngày 20 tháng 12".
    qd28 = periods.annual_period(2026)
    assert (qd28.start, qd28.end, qd28.due) == (
        datetime.date(2025, 12, 15),
        datetime.date(2026, 12, 14),
        datetime.date(2026, 12, 20),
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


def test_province_run_pages_query_count(
    client, provincial_officer, data, django_assert_num_queries
):
    run = province_run(data)
    client.force_login(provincial_officer)
    # 1 session, 2 user, 3 two-factor device, 4 the run with its province (scoped to the user's
    # provinces, one statement), 5-7 savepoint, session renewal, release.
    with django_assert_num_queries(7):
        page = client.get(reverse("reports:province_run", args=[run.pk]))
    assert page.status_code == 200
    # The same, with the run alone for the status the page polls.
    with django_assert_num_queries(7):
        status = client.get(reverse("reports:province_run_status", args=[run.pk]))
    assert status.json()["state"] == RunState.DONE
