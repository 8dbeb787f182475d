from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Province
from core.models import QueuedRun


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Six-month report")
    ANNUAL = "annual", _("Annual report")


class ReportRun(QueuedRun):
    """One build of a report: requested by a user or by the schedule, kept in the archive."""

    lock_kind = "report"

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="report_runs")
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report archive")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.province} {self.period_end:%d/%m/%Y}"
