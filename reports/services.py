"""Building reports in the background and keeping them in the archive."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.rules import Period, annual_period, six_month_period, year_to_date
from communes.models import Province
from core.models import RunState

from . import builders, rendering
from .models import ReportKind, ReportRun

logger = logging.getLogger(__name__)

PERIODS = {
    ReportKind.SIX_MONTH: six_month_period,
    ReportKind.ANNUAL: annual_period,
}


def report_period(kind: str, year: int) -> Period:
    return PERIODS[kind](year)


def report_request(*, province: Province, kind: str, year: int, by=None) -> ReportRun:
    period = report_period(kind, year)
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
        period = report_period(run.kind, run.period_end.year)
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
    """The scheduled build: this year's report of `kind` for every province with communes."""
    today = today or timezone.localdate()
    provinces = Province.objects.filter(communes__isnull=False).distinct()
    return [report_request(province=p, kind=kind, year=today.year) for p in provinces]


def province_dashboard_fill(*, run, results, **_signal) -> None:
    """The dashboard's figures of the year to date, built from a province run's results as soon
    as they are stored (assessments.runs.province_run_assessed); the run saves them."""
    report = builders.province_report(run.province, year_to_date(run.as_of), results=results)
    run.dashboard = builders.report_as_json(report)
