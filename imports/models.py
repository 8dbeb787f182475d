import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("checking the workbook")
    INVALID = "invalid", _("has errors, nothing written")
    READY = "ready", _("checked, waiting for confirmation")
    APPLYING = "applying", _("writing")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed, nothing written")


def _upload_path(job, filename):
    # A random name: the officer's file name may hold a person's name.
    return f"imports/{job.token}.xlsx"


class ImportJob(BackgroundJob):
    """One workbook uploaded in the browser: checked, previewed, then written on confirmation."""

    lock_kind = "import"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=_upload_path)
    original_name = models.CharField(max_length=255)
    # Where the upload came from: the security log gives it to the lookups the check makes.
    uploaded_from = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.VALIDATING
    )
    counts = models.JSONField(default=dict)  # {sheet: {"create": n, "update": n, "unchanged": n}}
    errors = models.JSONField(default=list)  # ["sheet!row: column: message", ...]

    class Meta:
        db_table = "communes_importjob"  # created by the communes app, before imports/ existed
        verbose_name = _("workbook import")
        verbose_name_plural = _("workbook imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.VALIDATING, ImportStatus.APPLYING)
