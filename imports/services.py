"""Workbook imports from the browser: upload, check in the background, preview, then write on
the officer's confirmation. The rules of the import itself live in imports.workbook."""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.jobs import send_task

from . import access, workbook
from .errors import file_error, stored_errors
from .models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)


def _preview(job: ImportJob):
    with job.file.open("rb") as handle:
        return workbook.workbook_preview(
            handle,
            today=timezone.localdate(),
            logged_as=(f"import job {job.pk}: {job.original_name}", job.uploaded_from),
            **access.import_scope(job.created_by),
        )


class ImportBusy(Exception):
    """The uploader's previous workbook is still being checked."""


def import_job_start(*, user, uploaded_file, address: str | None = None) -> ImportJob:
    """Store the upload and queue its check. One workbook per officer is checked at a time
    (ImportBusy otherwise): the workers check every officer's uploads, and one officer
    sending file after file would keep them from the others'."""
    with transaction.atomic():
        # Two uploads at once by one officer: the second waits here until the first is stored.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if _being_checked(user).exists():
            raise ImportBusy
        job = ImportJob.objects.create(
            created_by=user,
            file=uploaded_file,
            original_name=uploaded_file.name[:255],
            uploaded_from=address,
        )
    transaction.on_commit(lambda: _send_check(job))
    return job


def _being_checked(user):
    # A check ends within the task's time limit; a job older than that lost its worker and
    # holds nobody back.
    since = timezone.now() - datetime.timedelta(seconds=settings.IMPORT_TASK_TIME_LIMIT)
    return access.visible_import_jobs(user).filter(
        status=ImportStatus.VALIDATING, created_at__gte=since
    )


def _send_check(job: ImportJob) -> None:
    from .tasks import check_import

    if not send_task(check_import, job.pk):  # Redis is down; the page says to try again
        _finish(job, status=ImportStatus.FAILED)


def _finish(job: ImportJob, *, status, counts=None, errors=None):
    job.status = status
    job.progress = 100
    job.counts = counts if counts is not None else job.counts
    job.errors = errors if errors is not None else job.errors
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "counts", "errors", "finished_at"])


def import_job_check(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    job.progress = 10
    job.save(update_fields=["progress"])
    try:
        preview = _preview(job)
    except SoftTimeLimitExceeded:  # the worker's time for one check is up (config/settings.py)
        minutes = max(1, settings.IMPORT_TASK_TIME_LIMIT // 60)
        too_long = f"kiểm tra tệp cần quá {minutes} phút cho phép; hãy chia thành nhiều tệp nhỏ hơn"
        _finish(job, status=ImportStatus.INVALID, errors=[str(file_error(too_long))])
        return job
    except Exception:
        logger.exception("Checking workbook import %s failed", job.pk)
        _finish(job, status=ImportStatus.FAILED)
        return job
    errors = stored_errors(preview.errors)
    job.status = ImportStatus.INVALID if errors else ImportStatus.READY
    job.progress = 100
    job.counts, job.errors = preview.counts, errors
    job.save(update_fields=["status", "progress", "counts", "errors"])
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.APPLYING, progress=0
    )
    if updated:  # a second click on "confirm" must not import twice
        transaction.on_commit(lambda: _send_apply(job, unsent_status=ImportStatus.READY))
    job.refresh_from_db()
    return job


def _send_apply(job: ImportJob, *, unsent_status: str) -> None:
    from .tasks import apply_import

    if not send_task(apply_import, job.pk):  # Redis is down: nothing was written, say so
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.APPLYING).update(
            status=unsent_status
        )
        job.refresh_from_db()


def import_job_is_stuck(job: ImportJob) -> bool:
    """Shown as being written, but no worker is on it: its worker died or its message waits
    in the queue. Sending it again is harmless: import_job_apply writes a job once."""
    return job.status == ImportStatus.APPLYING and not job.worker_is_on_it()


def import_job_retry(*, job: ImportJob) -> ImportJob:
    """Send a stuck import again. Its rows were never written: the write is one transaction."""
    job.refresh_from_db()
    if import_job_is_stuck(job):
        transaction.on_commit(lambda: _send_apply(job, unsent_status=ImportStatus.APPLYING))
    return job


def import_job_apply(job_id: int) -> ImportJob:
    """Write a confirmed import. Sent twice (a retry, a message redelivered after a crash), it
    writes once: a second worker finds the lock held or the job no longer applying."""
    with ImportJob.lock(job_id) as mine:
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        if not mine or job.status != ImportStatus.APPLYING:
            return job
        return _apply(job)


def _apply(job: ImportJob) -> ImportJob:
    try:
        # Check again: the registers may have changed since the preview was shown.
        preview = _preview(job)
        if preview.errors:
            _finish(job, status=ImportStatus.INVALID, errors=stored_errors(preview.errors))
            return job
        job.progress = 50
        job.save(update_fields=["progress"])
        # The rows and "done" commit together: a crash between them would leave rows written
        # under a job still "applying", which a retry would then write a second time.
        with transaction.atomic():
            workbook.workbook_apply(preview, by=job.created_by)
            _finish(job, status=ImportStatus.DONE, counts=preview.counts)
    except workbook.WorkbookNotApplicable as refusal:
        # A file changed in the portal since this check: nothing was written; upload again.
        _finish(job, status=ImportStatus.INVALID, errors=[str(file_error(str(refusal)))])
        return job
    except Exception:
        logger.exception("Workbook import %s failed", job.pk)
        _finish(job, status=ImportStatus.FAILED)
        raise
    return job
