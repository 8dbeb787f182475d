"""Registrations for the drug-free target and the province's roadmap. The assessment engine
and the recognition workflow build on these (later issues)."""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Province
from core.models import QueuedRun

from .rules import PROFILES, get_profile


class ProfileCode(models.TextChoices):
    QD28_2025 = "qd28-2025", _("Decision 28/2025/QĐ-TTg (national)")
    TRA_VINH_2025 = "tra-vinh-2025", _("Trà Vinh 2025")
    THANH_HOA_2024 = "thanh-hoa-2024", _("Thanh Hóa 2024–2025")
    LANG_SON_2025 = "lang-son-2025", _("Lạng Sơn 2025 (QĐ 28 + provincial criteria)")


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


class ProvincialProfile(models.Model):
    """A province's own criteria profile: a built-in one plus the province's extra criteria
    (for example QĐ 28 plus 100% household pledges and one prevention model), made in the admin
    without code. Versioned: an assessment records the code and version it used."""

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="profiles"
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Last day the province's text is in force; empty while it is."),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    base = models.CharField(
        _("built on"), max_length=32, choices=ProfileCode.choices, default=ProfileCode.QD28_2025
    )
    extra_criteria = models.JSONField(_("extra criteria"), default=list, blank=True)
    is_default = models.BooleanField(
        _("default for the province"),
        default=False,
        help_text=_("Used for communes without a registration that names a profile."),
    )

    class Meta:
        verbose_name = _("provincial criteria profile")
        verbose_name_plural = _("provincial criteria profiles")
        ordering = ["province__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["province"],
                condition=models.Q(is_default=True),
                name="one_default_profile_per_province",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def clean(self):
        super().clean()
        if self.code in PROFILES:
            raise ValidationError({"code": _("This code belongs to a built-in profile.")})
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("A profile cannot end before it comes into force.")}
            )

    def get_additional_data(self):
        return {"province_id": self.province_id}

    def as_rules_profile(self):
        """The rules' profile object: the base profile's thresholds, its criteria plus ours."""
        base = get_profile(self.base)
        extra = tuple(code for code in self.extra_criteria if code not in base.criteria)
        return dataclasses.replace(
            base,
            code=self.code,
            title=self.title,
            legal_basis=self.legal_basis,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            version=self.version,
            criteria=(*base.criteria, *extra),
        )


class Assessment(models.Model):
    """One commune assessed on a date: its level, the criteria results and the facts they came
    from, as stored by `manage.py assess` or the province page. History shows movement."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="assessments"
    )
    as_of = models.DateField(_("as of"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    profile_code = models.CharField(_("criteria profile"), max_length=32)
    profile_version = models.PositiveSmallIntegerField(_("profile version"))
    # The level of record: QĐ 28 arts. 4 and 6 from 24/08/2025, whatever the profile; the one
    # the lists, the art. 5 share and the reports count.
    level = models.CharField(_("level"), max_length=16)
    # The profile's own level where it has levels of its own (Trà Vinh 2025), shown beside it.
    profile_level = models.CharField(_("level under the profile"), max_length=16, blank=True)
    reasons = models.JSONField(default=list)
    facts = models.JSONField(default=dict)
    criteria = models.JSONField(default=list)
    eligible = models.BooleanField(_("eligible for recognition"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-as_of", "commune__name"]
        indexes = [
            # The latest assessment of each commune (before a date): services._latest, read by
            # the province table, the dashboard's movements and the report. With the id last,
            # "ORDER BY as_of DESC, id DESC LIMIT 1" is one index entry, not a commune's history.
            models.Index(fields=["commune", "as_of", "id"], name="assessment_commune_latest_idx"),
        ]

    def __str__(self):
        return f"{self.commune} {self.as_of:%d/%m/%Y}: {self.level}"

    def get_additional_data(self):
        return {"province_id": self.commune.province_id, "commune_id": self.commune_id}


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("registered")
    SUBMITTED = "submitted", _("submitted for recognition")
    APPRAISED = "appraised", _("appraised")
    APPROVED = "approved", _("recognised drug-free")
    REJECTED = "rejected", _("rejected")
    UNDER_REVIEW = "under_review", _("under review after a relapse")
    WITHDRAWN = "withdrawn", _("recognition withdrawn")


class RecognitionCase(models.Model):
    """A registered commune's way to recognition in one programme year.

    The state only changes through assessments.recognition (one service per transition); the
    scorecard stored at submission never changes afterwards.
    """

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="case"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=CaseState.choices, default=CaseState.REGISTERED
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_scorecard = models.JSONField(_("scorecard at submission"), null=True, blank=True)
    appraisal = models.TextField(_("appraisal"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    review_reason = models.TextField(_("reason for review"), blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    # The relapse watch (recognition.relapse_watch). The adverse facts the last flag found,
    # each {"reading", "kind", "id", "label"}, for the review page's links; and the facts
    # already known, each [kind, id]: those of the day the case was judged and those a review
    # kept. None until the case has been judged (the watch then reads that day once).
    relapse_facts = models.JSONField(_("facts found by the relapse watch"), default=list)
    relapse_known = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("recognition case")
        verbose_name_plural = _("recognition cases")
        ordering = ["-registration__year", "registration__commune__name"]
        indexes = [
            # The nightly relapse watch reads the recognised cases.
            models.Index(fields=["state"], name="recognition_state_idx"),
        ]

    def __str__(self):
        return f"{self.registration.commune} {self.registration.year}"

    @property
    def commune(self):
        return self.registration.commune

    def get_additional_data(self):
        return self.registration.get_additional_data()


class CaseEvent(models.Model):
    """One transition of a case: who moved it, when, from which state to which, and why."""

    case = models.ForeignKey(RecognitionCase, on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ProvinceRun(QueuedRun):
    """One assessment of every commune of a province, stored, and the dashboard's figures built
    from it. Run every night and on request, so the province pages read stored numbers instead
    of assessing thousands of people on each request; the pages say the time of the figures."""

    lock_kind = "province_run"

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="province_runs")
    as_of = models.DateField(_("as of"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The dashboard's figures of the year to date (reports.builders.report_as_json), filled by
    # the reports app when the run is assessed (assessments.runs); counts only, no names.
    dashboard = models.JSONField(null=True, blank=True)

    class Meta:
        db_table = "reports_provincerun"  # created by the reports app, before it moved here
        verbose_name = _("province assessment run")
        verbose_name_plural = _("province assessment runs")
        ordering = ["-requested_at"]
        indexes = [
            # The dashboard's query: the latest finished run of a province
            # (assessments.runs.latest_province_run).
            models.Index(
                fields=["province", "state", "-finished_at"], name="province_run_latest_idx"
            ),
        ]

    def __str__(self):
        return f"{self.province} {self.as_of:%d/%m/%Y}"
