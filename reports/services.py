"""Building reports in the background and keeping them in the archive.

A report's period is the province's (its `ReportCalendar`, domain §9): the QĐ 28 report
(15/12 – 14/12, due 20/12) by default, Lạng Sơn's plan up to 10/6 and 10/12. It never changes
the assessment period the communes are judged over (15/12 – 14/12, QĐ 28 art. 7.1).
"""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.rules import (
    QD28_CALENDAR,
    Period,
    ReportCalendar,
    annual_period,
    six_month_period,
    year_to_date,
)
from assessments.services import report_calendar
from communes.models import Province
from core.models import RunState

from . import builders, rendering
from .models import ReportKind, ReportRun

logger = logging.getLogger(__name__)

PERIODS = {
    ReportKind.SIX_MONTH: six_month_period,
    ReportKind.ANNUAL: annual_period,
}


def report_period(kind: str, year: int, calendar: ReportCalendar = QD28_CALENDAR) -> Period:
    return PERIODS[kind](year, calendar)


def report_request(*, province: Province, kind: str, year: int, by=None) -> ReportRun:
    period = report_period(kind, year, report_calendar(province))
    run = ReportRun.objects.create(
        province=province,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        requested_by=by,
    )
    transaction.on_commit(lambda: _send_build(run))
    return run


def _send_build(run: ReportRun) -> None:
    from .tasks import build_report

    run.send(
        build_report,
        _("The report could not be queued; the task queue is unavailable. Try again later."),
    )


def report_build(run_id: int) -> ReportRun:
    """Build the PDF and the Excel file of a run. On failure the run says why and can be retried.

    Sent twice (a retry, a message redelivered after a crash), it builds once: a second worker
    finds the lock held or the run done.
    """
    with ReportRun.lock(run_id) as mine:
        run = ReportRun.objects.select_related("province").get(pk=run_id)
        if not mine or run.state == RunState.DONE:
            return run
        return _build(run)


def _build(run: ReportRun) -> ReportRun:
    run.step(5)
    try:
        due = run.period_end + datetime.timedelta(days=report_calendar(run.province).due_after_days)
        period = Period(run.kind, run.period_start, run.period_end, due)
        report = builders.province_report(run.province, period)
        run.step(40)
        issued_by = _("Police of %(province)s province") % {"province": run.province.name}
        pdf = rendering.render_province_report_pdf(report, issued_by=issued_by)
        run.step(75)
        xlsx = rendering.render_province_report_xlsx(report)
    except Exception as error:
        logger.exception("Report run %s failed", run.pk)
        run.fail(_("The report could not be built (%(error)s).") % {"error": type(error).__name__})
        return run  # the run page says so and offers a retry
    # The files are written first and the run marked done after: a worker killed in between
    # leaves unreferenced files, never a "ready" run pointing at half a file.
    stem = f"{run.kind}-{run.province.code}-{run.period_end:%Y%m%d}-{run.pk}"
    run.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    run.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    run.finish(also_saved=("pdf", "xlsx"))
    return run


def report_is_stuck(run: ReportRun) -> bool:
    """Shown as being built, but no worker is on it: its worker died (core/jobs.py)."""
    return run.state == RunState.RUNNING and not run.worker_is_on_it()


def report_retry(*, run: ReportRun) -> ReportRun:
    """Build a failed or stuck run again."""
    retryable = [RunState.FAILED, RunState.RUNNING] if report_is_stuck(run) else [RunState.FAILED]
    updated = ReportRun.objects.filter(pk=run.pk, state__in=retryable).update(
        state=RunState.QUEUED, progress=0, error=""
    )
    if updated:
        transaction.on_commit(lambda: _send_build(run))
    run.refresh_from_db()
    return run


def statutory_reports(kind: str, *, today=None) -> list[ReportRun]:
    """The scheduled build, run every day: the report of `kind` of every province with
    communes whose period of that kind ended yesterday (each province has its own cut-off)."""
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    provinces = Province.objects.filter(communes__isnull=False).distinct()
    runs = []
    for province in provinces:
        calendar = report_calendar(province)
        for year in (yesterday.year, yesterday.year + 1):
            if report_period(kind, year, calendar).end == yesterday:
                runs.append(report_request(province=province, kind=kind, year=year))
    return runs


def province_dashboard_fill(*, run, results, **_signal) -> None:
    """The dashboard's figures of the year to date, built from a province run's results as soon
    as they are stored (assessments.runs.province_run_assessed); the run saves them."""
    period = year_to_date(run.as_of, report_calendar(run.province))
    report = builders.province_report(run.province, period, results=results)
    run.dashboard = builders.report_as_json(report)
