"""The base of every background job (workbook imports, report builds, province runs)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .jobs import job_lock, job_lock_held, send_task


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

    @classmethod
    def lock(cls, pk: int):
        """`with Job.lock(pk) as mine:` holds job `pk`'s lock while the block runs (before the
        row is read, so two workers never build it at once)."""
        return job_lock(cls.lock_kind, pk)

    def worker_is_on_it(self) -> bool:
        """A worker holds the job's lock right now (always False on SQLite)."""
        return job_lock_held(self.lock_kind, self.pk)


class QueuedRun(BackgroundJob):
    """A job that is queued, then built, and ends done or failed with a reason (report runs,
    province runs). The steps every such job takes live here, once."""

    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True

    def send(self, task, unqueued_message: str) -> None:
        """Queue the run's task; with Redis down, mark the run failed with the message, so its
        page says so (and offers "Try again") instead of waiting for ever."""
        if send_task(task, self.pk):
            return
        self.state, self.error = RunState.FAILED, unqueued_message
        self.save(update_fields=["state", "error"])

    def step(self, progress: int) -> None:
        """Running, `progress` percent done (the page's progress bar)."""
        self.progress, self.state = progress, RunState.RUNNING
        self.save(update_fields=["progress", "state"])

    def fail(self, message: str) -> None:
        self.state, self.error, self.finished_at = RunState.FAILED, message, timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])

    def finish(self, *, also_saved: tuple[str, ...] = ()) -> None:
        """Done; `also_saved` names the fields the build set (files, figures) to save with it."""
        self.state, self.progress, self.error = RunState.DONE, 100, ""
        self.finished_at = timezone.now()
        self.save(update_fields=[*also_saved, "state", "progress", "error", "finished_at"])
