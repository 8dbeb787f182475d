from celery import shared_task

from config.celery import CRASH_SAFE_TASK

from . import services


@shared_task(**CRASH_SAFE_TASK)
def build_report(run_id: int) -> None:
    services.report_build(run_id)


@shared_task
def build_statutory_reports(kind: str) -> int:
    return len(services.statutory_reports(kind))


# Crash-safe too: a run re-sent after its worker died assesses again (the newest stored
# assessments win), and it must not stay "running" for ever.
@shared_task(**CRASH_SAFE_TASK)
def run_province(run_id: int) -> None:
    services.province_run_build(run_id)


@shared_task
def run_all_provinces() -> int:
    """Nightly: assess every commune of every province and store the results (the province
    pages read them)."""
    return len(services.nightly_province_runs())
