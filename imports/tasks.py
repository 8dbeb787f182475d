from celery import shared_task

from core.jobs import CRASH_SAFE_TASK

from . import services


@shared_task(**CRASH_SAFE_TASK)
def check_import(job_id: int) -> None:
    services.import_job_check(job_id)


@shared_task(**CRASH_SAFE_TASK)
def apply_import(job_id: int) -> None:
    services.import_job_apply(job_id)
