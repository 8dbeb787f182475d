"""Registrations for the drug-free target and the province's roadmap. The assessment engine
and the recognition workflow build on these (later issues)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Province


class ProfileCode(models.TextChoices):
    QD28_2025 = "qd28-2025", _("Decision 28/2025/QĐ-TTg (national)")
    TRA_VINH_2025 = "tra-vinh-2025", _("Trà Vinh 2025")
    THANH_HOA_2024 = "thanh-hoa-2024", _("Thanh Hóa 2024–2025")


PROGRAMME_YEARS = [MinValueValidator(2024), MaxValueValidator(2030)]


class Registration(models.Model):
    """A commune registered to become drug-free in a year; the counts on that day are its
    baseline (left empty, they are computed from the registers as of registered_on)."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAMME_YEARS)
    registered_on = models.DateField(_("registered on"))
    profile = models.CharField(
        _("criteria profile"),
        max_length=32,
        choices=ProfileCode.choices,
        default=ProfileCode.QD28_2025,
    )
    baseline_addicts = models.PositiveIntegerField(_("baseline addicts"), null=True, blank=True)
    baseline_users = models.PositiveIntegerField(_("baseline illegal users"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-year", "commune__name"]
        constraints = [
            # Import key (contracts.md §3: commune_code + year).
            models.UniqueConstraint(fields=["commune", "year"], name="registration_one_per_year"),
        ]

    def __str__(self):
        return f"{self.commune} {self.year}"

    def get_additional_data(self):
        return {"province_id": self.commune.province_id, "commune_id": self.commune_id}


class RoadmapTarget(models.Model):
    """Cumulative number of drug-free communes the province plans by the end of a year, stored
    as the plan writes it; percentages are derived."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="roadmap"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=PROGRAMME_YEARS)
    target_communes = models.PositiveIntegerField(_("target drug-free communes (cumulative)"))

    class Meta:
        verbose_name = _("roadmap target")
        verbose_name_plural = _("roadmap targets")
        ordering = ["province__name", "year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="roadmap_one_per_year"),
        ]

    def __str__(self):
        return f"{self.province} {self.year}: {self.target_communes}"

    def get_additional_data(self):
        return {"province_id": self.province_id}
