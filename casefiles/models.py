"""People under management (hồ sơ quản lý) and what happens to them.

Histories (category, presence) are periods: a row covers [started_on, ended_on), ended_on being
the day the next period began; the open period (ended_on null) is the current one. The current
category and presence are derived from these rows, never stored twice.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import Commune, Hamlet
from core.text import fold_vietnamese

from .citizen_id import validate_citizen_id_format


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Category(models.TextChoices):
    ADDICT = "addict", _("addict")
    USER = "user", _("illegal user")
    SUSPECT = "suspect", _("suspected user")
    POST_REHAB = "post_rehab", _("post-rehab management")


class Presence(models.TextChoices):
    PRESENT = "present", _("present in the locality")
    COMPULSORY_REHAB = "compulsory_rehab", _("absent: in compulsory rehab")
    PRISON = "prison", _("absent: in prison")
    MOVED_AWAY = "moved_away", _("absent: moved away")
    UNKNOWN = "unknown", _("absent: whereabouts unknown")


class CloseReason(models.TextChoices):
    DIED = "died", _("died")
    MOVED_FOR_GOOD = "moved_for_good", _("moved away for good")
    MISTAKEN = "mistaken", _("listed by mistake")


class PersonQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    citizen_id = models.CharField(
        _("citizen ID (CCCD)"), max_length=12, unique=True, validators=[validate_citizen_id_format]
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="persons"
    )
    hamlet = models.ForeignKey(
        Hamlet,
        verbose_name=_("hamlet"),
        on_delete=models.PROTECT,
        related_name="persons",
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    listed_on = models.DateField(_("listed on"))
    file_opened_on = models.DateField(
        _("file opened on"), null=True, blank=True, help_text=_("Leave empty if no file yet.")
    )
    psychosis = models.BooleanField(_("psychosis episodes"), default=False)
    released_prisoner = models.BooleanField(_("released prisoner (drug offence)"), default=False)
    responsible = models.CharField(
        _("responsible person or organisation"), max_length=255, blank=True
    )
    closed_on = models.DateField(_("file closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=32, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("note"), max_length=255, blank=True)
    # Optimistic locking: an edit form carries the version it was opened at.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Folded name and citizen ID, so search ignores diacritics on SQLite and PostgreSQL alike.
    search_text = models.CharField(max_length=200, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person under management")
        verbose_name_plural = _("people under management")
        ordering = ["search_text"]
        indexes = [
            # The people list of a commune: open files sorted by folded name.
            models.Index(fields=["commune", "closed_on", "search_text"], name="person_list_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="person_closed_has_reason",
                condition=Q(closed_on__isnull=True) | ~Q(close_reason=""),
            ),
            models.CheckConstraint(name="person_sex_is_known", condition=Q(sex__in=["M", "F"])),
            models.CheckConstraint(
                name="person_file_not_before_birth",
                condition=Q(file_opened_on__isnull=True) | Q(file_opened_on__gte=F("birth_date")),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(f"{self.full_name} {self.citizen_id}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "citizen_id"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_additional_data(self):
        # Stored with each audit entry so the audit page can filter by person and by area.
        return {
            "person_id": self.pk,
            "commune_id": self.commune_id,
            "province_id": self.commune.province_id,
        }

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def has_file(self) -> bool:
        return self.file_opened_on is not None


class PersonEvent(models.Model):
    """Something recorded on a person's file: the audit entry names the person and area."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def get_additional_data(self):
        return self.person.get_additional_data()


class Period(PersonEvent):
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def covers(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


def _period_constraints(prefix: str):
    return [
        models.CheckConstraint(
            name=f"{prefix}_ends_after_start",
            condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
        ),
        # One current period per person.
        models.UniqueConstraint(
            fields=["person"], condition=Q(ended_on__isnull=True), name=f"{prefix}_one_open"
        ),
    ]


class CategoryPeriod(Period):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="categories"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)

    class Meta:
        verbose_name = _("category period")
        verbose_name_plural = _("category history")
        ordering = ["started_on", "id"]
        constraints = _period_constraints("category")
        indexes = [
            # Current category of many people at once (list pages, facts).
            models.Index(fields=["person", "ended_on"], name="category_current_idx"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.started_on:%d/%m/%Y}"


class PresencePeriod(Period):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="presences"
    )
    status = models.CharField(_("presence"), max_length=20, choices=Presence.choices)

    class Meta:
        verbose_name = _("presence period")
        verbose_name_plural = _("presence history")
        ordering = ["started_on", "id"]
        constraints = _period_constraints("presence")
        indexes = [
            models.Index(fields=["person", "ended_on"], name="presence_current_idx"),
        ]

    def __str__(self):
        return f"{self.get_status_display()} {self.started_on:%d/%m/%Y}"


class TestKind(models.TextChoices):
    PERIODIC = "periodic", _("periodic")
    SURPRISE = "surprise", _("surprise")


class TestResult(models.TextChoices):
    NEGATIVE = "negative", _("negative")
    POSITIVE = "positive", _("positive")


class DrugTest(PersonEvent):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="tests"
    )
    tested_on = models.DateField(_("tested on"))
    kind = models.CharField(_("kind"), max_length=16, choices=TestKind.choices)
    result = models.CharField(_("result"), max_length=16, choices=TestResult.choices)
    substance = models.CharField(_("substance"), max_length=100, blank=True)
    tested_by = models.CharField(_("tested by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("drug test")
        verbose_name_plural = _("drug tests")
        ordering = ["-tested_on", "-id"]
        constraints = [
            # Import key (contracts.md §3: citizen_id + tested_on + kind).
            models.UniqueConstraint(
                fields=["person", "tested_on", "kind"], name="drug_test_unique_per_day_and_kind"
            ),
        ]
        indexes = [
            # Last test per person (the "no test in 30 days" filter).
            models.Index(fields=["person", "tested_on"], name="drug_test_person_date_idx"),
        ]

    def __str__(self):
        return f"{self.tested_on:%d/%m/%Y} {self.get_result_display()}"


class RehabForm(models.TextChoices):
    HOME_COMMUNITY = "home_community", _("voluntary, at home or in the community")
    VOLUNTARY_FACILITY = "voluntary_facility", _("voluntary, at a facility")
    COMPULSORY_FACILITY = "compulsory_facility", _("compulsory, at a facility")
    METHADONE = "methadone", _("methadone / substitution treatment")


class RehabOutcome(models.TextChoices):
    ONGOING = "", _("ongoing")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")
    RELAPSED = "relapsed", _("relapsed")


class RehabEpisode(Period):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="rehab_episodes"
    )
    form = models.CharField(_("form of rehab"), max_length=32, choices=RehabForm.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=RehabOutcome.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rehab episode")
        verbose_name_plural = _("rehab episodes")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="rehab_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
            # Import key (contracts.md §3: citizen_id + form + started_on).
            models.UniqueConstraint(
                fields=["person", "form", "started_on"], name="rehab_unique_per_form_and_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_form_display()} {self.started_on:%d/%m/%Y}"


class SupportKind(models.TextChoices):
    JOB = "job", _("job")
    VOCATIONAL_TRAINING = "vocational_training", _("vocational training")
    LOAN = "loan", _("loan")
    COUNSELLING = "counselling", _("counselling")


class SupportAction(PersonEvent):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="support_actions"
    )
    kind = models.CharField(_("kind of support"), max_length=32, choices=SupportKind.choices)
    given_on = models.DateField(_("date"))
    provided_by = models.CharField(_("provided by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        ordering = ["-given_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.given_on:%d/%m/%Y}"


class PersonMove(PersonEvent):
    """A transfer of a file to another commune. The old commune keeps this record, not the file."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="moves"
    )
    from_commune = models.ForeignKey(
        Commune, verbose_name=_("from commune"), on_delete=models.PROTECT, related_name="moves_out"
    )
    to_commune = models.ForeignKey(
        Commune, verbose_name=_("to commune"), on_delete=models.PROTECT, related_name="moves_in"
    )
    moved_on = models.DateField(_("moved on"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("move to another commune")
        verbose_name_plural = _("moves to other communes")
        ordering = ["-moved_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="move_changes_commune", condition=~Q(from_commune=F("to_commune"))
            ),
        ]

    def __str__(self):
        return f"{self.from_commune} → {self.to_commune} {self.moved_on:%d/%m/%Y}"

    def get_additional_data(self):
        # Both communes may read the record of the move.
        return {**super().get_additional_data(), "from_commune_id": self.from_commune_id}


class TransferState(models.TextChoices):
    PENDING = "pending", _("waiting for the provincial police")
    APPROVED = "approved", _("approved: the file was moved to the commune")
    REJECTED = "rejected", _("rejected")


class TransferRequest(models.Model):
    """A commune's request for the file of a person who moved in, when that person's citizen ID
    is on a file outside the commune's area (contracts.md §3: the officer is never told where,
    nor whether, such a file exists).

    The provincial police of the province holding the file decide: approved, the file moves to
    the commune through the move service (casefiles.services.person_move) with its record;
    rejected, the request is closed with a reason. Never deleted.
    """

    citizen_id = models.CharField(_("citizen ID (CCCD)"), max_length=12)
    full_name = models.CharField(_("full name given by the commune"), max_length=150)
    note = models.CharField(_("note from the commune"), max_length=500, blank=True)
    to_commune = models.ForeignKey(
        Commune,
        verbose_name=_("requesting commune"),
        on_delete=models.PROTECT,
        related_name="transfer_requests",
    )
    # The file asked for: shown to its own province's police, never to the requesting commune.
    person = models.ForeignKey(
        Person,
        verbose_name=_("file asked for"),
        on_delete=models.PROTECT,
        related_name="transfer_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=16, choices=TransferState.choices, default=TransferState.PENDING
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    resolution_note = models.CharField(_("reason or note"), max_length=500, blank=True)
    move = models.OneToOneField(
        PersonMove,
        verbose_name=_("move"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfer_request",
    )

    class Meta:
        verbose_name = _("file transfer request")
        verbose_name_plural = _("file transfer requests")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # The requesting commune's list: its requests, newest first.
            models.Index(fields=["to_commune", "requested_at"], name="transfer_sent_idx"),
        ]
        constraints = [
            # Sending the same request twice (a double submit, a second try) adds nothing.
            models.UniqueConstraint(
                fields=["person", "to_commune"],
                condition=Q(state="pending"),
                name="transfer_one_pending_per_commune",
            ),
            models.CheckConstraint(
                name="transfer_state_is_known",
                condition=Q(state__in=["pending", "approved", "rejected"]),
            ),
            models.CheckConstraint(
                name="transfer_decided_has_who_and_when",
                condition=Q(state="pending")
                | Q(resolved_by__isnull=False, resolved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="transfer_rejection_has_reason",
                condition=~Q(state="rejected") | ~Q(resolution_note=""),
            ),
            models.CheckConstraint(
                name="transfer_approval_has_move",
                condition=~Q(state="approved") | Q(move__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.citizen_id}) → {self.to_commune}"

    def get_additional_data(self):
        # The audit page of the file's province lists the request with the file's entries.
        return {**self.person.get_additional_data(), "to_commune_id": self.to_commune_id}
