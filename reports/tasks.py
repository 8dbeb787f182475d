from celery import shared_task

from core.jobs import CRASH_SAFE_TASK

from . import services


@shared_task(**CRASH_SAFE_TASK)
def build_report(run_id: int) -> None:
    services.report_build(run_id)


@shared_task
def build_statutory_reports(kind: str) -> int:
    return len(services.statutory_reports(kind))
