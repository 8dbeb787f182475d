from celery import shared_task

from . import import_services


@shared_task
def check_import(job_id: int) -> None:
    import_services.import_job_check(job_id)


@shared_task
def apply_import(job_id: int) -> None:
    import_services.import_job_apply(job_id)
