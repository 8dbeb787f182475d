from celery import shared_task
from django.conf import settings

from core.jobs import CRASH_SAFE_TASK

from . import services

# A check past the soft limit ends with a message on its page (services.import_job_check); the
# hard limit, a minute later, ends the pool process whatever it is doing.
IMPORT_TIME_LIMITS = {
    "soft_time_limit": settings.IMPORT_TASK_TIME_LIMIT,
    "time_limit": settings.IMPORT_TASK_TIME_LIMIT + 60,
}


@shared_task(**CRASH_SAFE_TASK, **IMPORT_TIME_LIMITS)
def check_import(job_id: int) -> None:
    services.import_job_check(job_id)


@shared_task(**CRASH_SAFE_TASK, **IMPORT_TIME_LIMITS)
def apply_import(job_id: int) -> None:
    services.import_job_apply(job_id)
