from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Province


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Six-month report")
    ANNUAL = "annual", _("Annual report")


class RunState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportRun(models.Model):
    """One build of a report: requested by a user or by the schedule, kept in the archive."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="report_runs")
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    pdf = models.FileField(upload_to="reports/", blank=True)
    xlsx = models.FileField(upload_to="reports/", blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report archive")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.province} {self.period_end:%d/%m/%Y}"


class ProvinceRun(models.Model):
    """One assessment of every commune of a province, stored, and the dashboard's figures built
    from it. Run every night and on request, so the province pages read stored numbers instead
    of assessing thousands of people on each request; the pages say the time of the figures."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="province_runs")
    as_of = models.DateField(_("as of"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The ProvinceReport of the year to date (builders.report_as_json); counts only, no names.
    dashboard = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("province assessment run")
        verbose_name_plural = _("province assessment runs")
        ordering = ["-requested_at"]
        indexes = [
            # The dashboard's query: the latest finished run of a province
            # (reports.services.latest_province_run).
            models.Index(
                fields=["province", "state", "-finished_at"], name="province_run_latest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.as_of:%d/%m/%Y}"
