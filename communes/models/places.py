from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold_vietnamese

official_code = RegexValidator(r"^[0-9]{2,5}$", _("An official code has 2 to 5 digits."))


class Province(models.Model):
    code = models.CharField(_("code"), max_length=5, unique=True, validators=[official_code])
    name = models.CharField(_("name"), max_length=100)
    # QĐ 28 art. 5: one of the six criteria of a key-area province.
    on_interprovincial_route = models.BooleanField(
        _("on an inter-provincial key trafficking route"), default=False
    )
    # The province's report dates (assessments.rules.ReportCalendar): its annual report's
    # cut-off and how many days later the report is due. By default the QĐ 28 report (art. 7:
    # 14 December, due 20 December); Lạng Sơn's plan reports up to 10 December, due on the 12th.
    # A report cut-off only: the assessment period is 15/12 – 14/12 for every province.
    year_end_month = models.PositiveSmallIntegerField(
        _("annual report cut-off: month"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    year_end_day = models.PositiveSmallIntegerField(
        _("annual report cut-off: day"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after the cut-off)"),
        default=6,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "The annual report is due this many days after its cut-off (QĐ 28 art. 7.2: "
            "14 December + 6 = 20 December). Recognition cases of a year can be submitted "
            "until that day."
        ),
    )

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_additional_data(self):
        # Stored with each audit entry so the audit page can be scoped to a province.
        return {"province_id": self.pk}


class CommuneKind(models.TextChoices):
    XA = "xa", _("commune (xã)")
    PHUONG = "phuong", _("ward (phường)")
    DAC_KHU = "dac_khu", _("special zone (đặc khu)")
    THI_TRAN = "thi_tran", _("township (thị trấn, before 7/2025)")


class Commune(models.Model):
    """A commune-level unit: xã, phường or đặc khu (thị trấn before the 2025 reform)."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    code = models.CharField(
        _("official code"), max_length=5, unique=True, validators=[official_code]
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CommuneKind.choices)
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    on_key_route = models.BooleanField(_("on a key trafficking route"), default=False)
    border = models.BooleanField(_("border commune"), default=False)
    former_district = models.CharField(
        _("former district"),
        max_length=100,
        blank=True,
        help_text=_("Only as a label: since 1 July 2025 there is no district tier."),
    )
    # Name without diacritics, kept so that search works the same on SQLite and PostgreSQL.
    search_text = models.CharField(max_length=200, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        # The folded name sorts "Bắc Sơn" beside "Ba Sơn" on every database.
        ordering = ["search_text", "code"]
        indexes = [
            # The commune list of a province, filtered by kind and sorted by name.
            models.Index(fields=["province", "kind", "name"], name="commune_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="commune_kind_is_known",
                condition=Q(kind__in=[kind.value for kind in CommuneKind]),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(f"{self.name} {self.code}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_additional_data(self):
        return {"province_id": self.province_id, "commune_id": self.pk}


class HamletQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_on__isnull=True)


class Hamlet(models.Model):
    """A hamlet or residential group (thôn, xóm, bản, ấp, khóm, tổ dân phố) of a commune."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="hamlets"
    )
    name = models.CharField(_("name"), max_length=100)
    households = models.PositiveIntegerField(
        _("households"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    hotline_board = models.BooleanField(_("hotline board posted"), default=False)
    mailbox = models.BooleanField(_("denunciation mailbox"), default=False)
    # Hamlets are merged or dissolved, never deleted: their registers keep pointing at them.
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    archive_reason = models.CharField(_("reason for archiving"), max_length=255, blank=True)

    objects = HamletQuerySet.as_manager()

    class Meta:
        verbose_name = _("hamlet")
        verbose_name_plural = _("hamlets")
        ordering = ["name"]
        constraints = [
            # Import key (contracts.md §3: hamlets are keyed by commune + name).
            models.UniqueConstraint(
                fields=["commune", "name"], name="hamlet_name_unique_in_commune"
            ),
            models.CheckConstraint(
                name="archived_hamlet_has_reason",
                condition=Q(archived_on__isnull=True) | ~Q(archive_reason=""),
            ),
        ]

    def __str__(self):
        return self.name

    def get_additional_data(self):
        return {"province_id": self.commune.province_id, "commune_id": self.commune_id}

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None
