"""The base of every background job (workbook imports, report builds, province runs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .jobs import job_lock, job_lock_held


class RunState(models.TextChoices):
    """States of a job that is queued, then built (reports, province runs). An import has states
    of its own (it stops for the officer's confirmation between checking and writing)."""

    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class BackgroundJob(models.Model):
    """Progress for the page's progress bar, the time it ended, and the worker's lock.

    Subclasses name `lock_kind`, one namespace of PostgreSQL advisory locks per kind of job
    (core/jobs.py), and keep their own state field: an import's states are not a report's.
    """

    lock_kind: str = ""

    progress = models.PositiveSmallIntegerField(default=0)  # percent, for the progress bar
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def lock(self):
        """`with job.lock() as mine:` holds the job's lock while the block runs."""
        return job_lock(self.lock_kind, self.pk)

    def worker_is_on_it(self) -> bool:
        """A worker holds the job's lock right now (always False on SQLite)."""
        return job_lock_held(self.lock_kind, self.pk)
