"""The drug situation of a commune: hotspots, cultivation, offences, wanted persons, household
and hamlet pledges, prevention models and outreach. Rows are never deleted: a wrong entry is
voided with a reason and drops out of every count."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .places import Commune, Hamlet


class RegisterQuerySet(models.QuerySet):
    def current(self):
        """Rows that count: not voided."""
        return self.filter(voided_on__isnull=True)


class AreaRecord(models.Model):
    """A row of one of a commune's registers."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_additional_data(self):
        # Stored with each audit entry so the audit page can be scoped to a province.
        return {"province_id": self.commune.province_id, "commune_id": self.commune_id}

    @property
    def is_voided(self) -> bool:
        return self.voided_on is not None


def _register_constraints(prefix: str, key: str | None = "ref"):
    constraints = [
        models.CheckConstraint(
            name=f"{prefix}_voided_has_reason",
            condition=Q(voided_on__isnull=True) | ~Q(void_reason=""),
        )
    ]
    if key:
        # Import key (contracts.md §3).
        constraints.append(
            models.UniqueConstraint(fields=["commune", key], name=f"{prefix}_{key}_unique")
        )
    return constraints


class HotspotKind(models.TextChoices):
    HARBOURING = "harbouring", _("place organising or harbouring drug use")
    RETAIL = "retail", _("retail selling point")
    DEN = "den", _("complex gathering point (tụ điểm)")
    RING = "ring", _("group or ring")
    OTHER = "other", _("other")


class Hotspot(AreaRecord):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="hotspots"
    )
    ref = models.CharField(_("reference"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=HotspotKind.choices)
    hamlet = models.ForeignKey(
        Hamlet, verbose_name=_("hamlet"), on_delete=models.PROTECT, null=True, blank=True
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    detected_on = models.DateField(_("detected on"))
    eradicated_on = models.DateField(_("eradicated on"), null=True, blank=True)
    # Set when the hotspot was found where an earlier one had been eradicated (tái phức tạp).
    re_emerged_from = models.ForeignKey(
        "self",
        verbose_name=_("re-emerged at the place of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="re_emergences",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        ordering = ["-detected_on", "ref"]
        constraints = [
            *_register_constraints("hotspot"),
            models.CheckConstraint(
                name="hotspot_eradicated_after_detected",
                condition=Q(eradicated_on__isnull=True) | Q(eradicated_on__gte=F("detected_on")),
            ),
        ]
        indexes = [
            # Active hotspots of every commune on a date (assessment facts).
            models.Index(
                fields=["commune", "detected_on", "eradicated_on"], name="hotspot_facts_idx"
            ),
        ]

    def __str__(self):
        return f"{self.ref} — {self.get_kind_display()}"

    @property
    def re_emerged(self) -> bool:
        return self.re_emerged_from_id is not None

    @property
    def is_active(self) -> bool:
        return self.eradicated_on is None


class PlantKind(models.TextChoices):
    CANNABIS = "cannabis", _("cannabis")
    POPPY = "poppy", _("opium poppy")
    OTHER = "other", _("other")


class CultivationFind(AreaRecord):
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="cultivation_finds",
    )
    ref = models.CharField(_("reference"), max_length=50)
    hamlet = models.ForeignKey(
        Hamlet, verbose_name=_("hamlet"), on_delete=models.PROTECT, null=True, blank=True
    )
    plant_kind = models.CharField(
        _("plant"), max_length=16, choices=PlantKind.choices, default=PlantKind.CANNABIS
    )
    found_on = models.DateField(_("found on"))
    plants = models.PositiveIntegerField(_("plants"), default=0)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=10,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("drug-plant find")
        verbose_name_plural = _("drug-plant finds")
        ordering = ["-found_on", "ref"]
        constraints = [
            *_register_constraints("cultivation"),
            models.CheckConstraint(
                name="cultivation_area_not_negative", condition=Q(area_m2__gte=0)
            ),
            models.CheckConstraint(
                name="cultivation_destroyed_after_found",
                condition=Q(destroyed_on__isnull=True) | Q(destroyed_on__gte=F("found_on")),
            ),
        ]

    def __str__(self):
        return f"{self.ref} — {self.found_on:%d/%m/%Y}"


class OffenceKind(models.TextChoices):
    TRAFFICKING = "trafficking", _("trafficking")
    POSSESSION = "possession", _("illegal possession")
    ORGANISING_USE = "organising_use", _("organising or harbouring drug use")
    PRODUCTION = "production", _("illegal production")
    USE_ADMINISTRATIVE = "use_administrative", _("drug use (administrative)")
    OTHER = "other", _("other")


class Offence(AreaRecord):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="offences"
    )
    ref = models.CharField(_("reference"), max_length=50)
    occurred_on = models.DateField(_("occurred on"))
    kind = models.CharField(_("kind"), max_length=24, choices=OffenceKind.choices)
    offenders = models.PositiveIntegerField(_("offenders"), default=0)
    offenders_arrested = models.PositiveIntegerField(_("offenders arrested"), default=0)
    resident_offenders = models.PositiveIntegerField(
        _("offenders residing in the commune"), default=0
    )
    serious = models.BooleanField(_("very or especially serious"), default=False)
    by_managed_person = models.BooleanField(_("by a person under management"), default=False)
    psychosis_incident = models.BooleanField(_("incident caused by psychosis"), default=False)
    # Seeds 001 and 003 (TV6, TH8): a serious case by ANY drug user or addict, under management
    # or not. A new offence is not one unless said so; the import reads a blank cell as
    # `by_managed_person` (contracts.md §3), as the migration did for the offences before it.
    by_drug_user = models.BooleanField(
        _("by a drug user or addict"),
        default=False,
        help_text=_("Managed or not: a person under management who uses drugs counts too."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("drug offence or incident")
        verbose_name_plural = _("drug offences and incidents")
        ordering = ["-occurred_on", "ref"]
        constraints = [
            *_register_constraints("offence"),
            models.CheckConstraint(
                name="offence_arrested_not_above_offenders",
                condition=Q(offenders_arrested__lte=F("offenders")),
            ),
            models.CheckConstraint(
                name="offence_residents_not_above_offenders",
                condition=Q(resident_offenders__lte=F("offenders")),
            ),
        ]

    def __str__(self):
        return f"{self.ref} — {self.get_kind_display()}"


class WantedPerson(AreaRecord):
    """Someone wanted for a drug crime hiding in the commune (no name: the ref points to the
    warrant kept elsewhere)."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="wanted"
    )
    ref = models.CharField(_("reference"), max_length=50)
    hiding_since = models.DateField(_("hiding since"))
    arrested_on = models.DateField(_("arrested on"), null=True, blank=True)

    class Meta:
        verbose_name = _("wanted person hiding")
        verbose_name_plural = _("wanted persons hiding")
        ordering = ["-hiding_since", "ref"]
        constraints = [
            *_register_constraints("wanted"),
            models.CheckConstraint(
                name="wanted_arrested_after_hiding",
                condition=Q(arrested_on__isnull=True) | Q(arrested_on__gte=F("hiding_since")),
            ),
        ]

    def __str__(self):
        return self.ref


class Household(AreaRecord):
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="registered_households",
    )
    hamlet = models.ForeignKey(
        Hamlet,
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        related_name="registered_households",
    )
    household_code = models.CharField(_("household code"), max_length=50)
    head_name = models.CharField(_("head of household"), max_length=150)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["hamlet__name", "household_code"]
        constraints = _register_constraints("household", key="household_code")

    def __str__(self):
        return f"{self.household_code} — {self.head_name}"


class Pledge(models.Model):
    """A household representative's signed commitment (cam kết)."""

    household = models.OneToOneField(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="pledge"
    )
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household pledge")
        verbose_name_plural = _("household pledges")

    def __str__(self):
        return f"{self.household} {self.signed_on:%d/%m/%Y}"

    def get_additional_data(self):
        return self.household.get_additional_data()


def has_pledge(*, signed_by=None) -> Exists:
    """For a Household queryset: the household has a pledge (signed by that day, if given).

    EXISTS, not a LEFT JOIN to pledges tested for NULL: joined, PostgreSQL hashes every pledge of
    the province or country; EXISTS probes the pledge index once per household listed.
    """
    pledges = Pledge.objects.filter(household=OuterRef("pk"))
    if signed_by is not None:
        pledges = pledges.filter(signed_on__lte=signed_by)
    return Exists(pledges)


class HamletPledge(AreaRecord):
    """A hamlet's collective pledge (cam kết của thôn, xóm, bản, làng, khu dân cư) that no one
    there takes part in drug crime or drug use: the pledge of the hamlet, not of each household
    (Lạng Sơn plan 214/KH-UBND, seed 004: "Tổ chức cho 100% cấp xã, thôn, xóm, bản, làng, khu
    dân cư ký cam kết không tham gia phạm tội, tệ nạn ma túy")."""

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="hamlet_pledges"
    )
    hamlet = models.ForeignKey(
        Hamlet, verbose_name=_("hamlet"), on_delete=models.PROTECT, related_name="pledges"
    )
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(
        _("signed by"),
        max_length=200,
        help_text=_("Who signed for the hamlet, for example its head and the Front's committee."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("hamlet pledge")
        verbose_name_plural = _("hamlet pledges")
        ordering = ["hamlet__name", "-signed_on"]
        constraints = [
            *_register_constraints("hamlet_pledge", key=None),
            # Import key (commune + hamlet). Only among rows that count: a pledge voided as
            # entered wrongly must leave room for the right one.
            models.UniqueConstraint(
                fields=["commune", "hamlet"],
                condition=Q(voided_on__isnull=True),
                name="hamlet_pledge_one_current_per_hamlet",
            ),
        ]

    def __str__(self):
        return f"{self.hamlet} {self.signed_on:%d/%m/%Y}"


class PreventionModelKind(models.TextChoices):
    SELF_MANAGED = "self_managed", _("self-managed group")
    CLUB = "club", _("drug prevention club")
    CLAN = "clan", _("drug-free clan or family")
    SECURITY_CAMERA = "security_camera", _("security cameras")
    POST_REHAB_SUPPORT = "post_rehab_support", _("support for people after rehab")
    OUTREACH = "outreach", _("outreach and mobilisation")
    OTHER = "other", _("other")


class PreventionModel(AreaRecord):
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="prevention_models",
    )
    name = models.CharField(_("name"), max_length=200)
    # Lạng Sơn asks for a model in every residential group ("ít nhất 01 mô hình/tổ, xóm"); a
    # model of the whole commune has no hamlet.
    hamlet = models.ForeignKey(
        Hamlet,
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prevention_models",
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=PreventionModelKind.choices, blank=True
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("prevention model")
        verbose_name_plural = _("prevention models")
        ordering = ["-started_on", "name"]
        constraints = [
            *_register_constraints("prevention_model", key="name"),
            models.CheckConstraint(
                name="prevention_model_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            models.CheckConstraint(
                name="prevention_model_kind_is_known",
                condition=Q(kind__in=["", *PreventionModelKind.values]),
            ),
        ]

    def __str__(self):
        return self.name


class OutreachKind(models.TextChoices):
    SESSION = "session", _("outreach session")
    FORUM = "forum", _("quarterly forum “Police listen to the people”")
    OTHER = "other", _("other")


class OutreachActivity(AreaRecord):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="outreach"
    )
    hamlet = models.ForeignKey(
        Hamlet, verbose_name=_("hamlet"), on_delete=models.PROTECT, null=True, blank=True
    )
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("kind"), max_length=16, choices=OutreachKind.choices)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    audience = models.PositiveIntegerField(_("audience"), default=0)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-held_on"]
        constraints = _register_constraints("outreach", key=None)

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"
