"""Writes on people's files. Each is one transaction; the audit log records every row it touches."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import security
from accounts.audit import reads_log
from accounts.models import SecurityEvent
from communes.models import Commune

from . import access
from .models import (
    CategoryPeriod,
    DrugTest,
    Person,
    PersonMove,
    PresencePeriod,
    RehabEpisode,
    SupportAction,
    TransferRequest,
    TransferState,
)


class ConcurrentEditError(Exception):
    """The file changed since the form was opened; saving would overwrite someone's work."""


class CitizenIdInUse(ValidationError):
    """A file the user may see holds the citizen ID: saying so tells them nothing new."""

    def __init__(self):
        super().__init__(_("Another file already has this citizen ID."), code="unique")


class CitizenIdNotUsable(ValidationError):
    """A file's citizen ID cannot be changed to this one. Said the same way whatever the
    reason the user may not know (a file outside their area holds it)."""

    def __init__(self):
        super().__init__(
            _(
                "This citizen ID cannot be given to this file. Check the number; if it is "
                "right, ask the provincial police."
            ),
            code="citizen_id_not_usable",
        )


class LookupLimitReached(ValidationError):
    def __init__(self, limit: int):
        super().__init__(
            _(
                "You have reached today's limit (%(limit)s) of citizen IDs that matched "
                "files outside your area. No new file can be opened and no citizen ID changed "
                "until tomorrow; if it is urgent, ask the provincial police."
            )
            % {"limit": limit},
            code="lookup_limit",
        )


@dataclass
class LookupBudget:
    """How many more citizen IDs of files outside their area a user may run into today.

    Each one tells the user something the rule of contracts.md §3 keeps from them (a file with
    that number exists somewhere), so each is logged (SecurityEvent OUT_OF_AREA_LOOKUP, with
    the number) and they are counted: distinct numbers since midnight, whichever way in (the
    person form, a workbook), up to settings.PERSON_LOOKUP_DAILY_LIMIT.
    """

    limit: int
    seen: set[str]  # the distinct citizen IDs met today

    def refuses(self, citizen_id: str) -> bool:
        """Past the limit no citizen ID new to the user today may enter their area, held
        elsewhere or on no file: refusing only the held ones would answer the question again.
        A number met already today is no new answer."""
        return citizen_id not in self.seen and len(self.seen) >= self.limit

    def spend(self, citizen_id: str) -> None:
        self.seen.add(citizen_id)


def lookup_budget(*, user) -> LookupBudget:
    return LookupBudget(
        limit=settings.PERSON_LOOKUP_DAILY_LIMIT,
        seen=security.queries_today(user, SecurityEvent.Kind.OUT_OF_AREA_LOOKUP),
    )


def out_of_area_lookups_record(
    *, user, citizen_ids: Iterable[str], path: str = "", ip_address: str | None = None
) -> int:
    """Log citizen IDs that matched files outside the user's area, all in one insert (a
    workbook may hold thousands)."""
    return security.record_many(
        SecurityEvent.Kind.OUT_OF_AREA_LOOKUP,
        user=user,
        queries=citizen_ids,
        path=path,
        ip_address=ip_address,
    )


def citizen_id_claim(*, user, citizen_id: str, request=None) -> Person | None:
    """Check a citizen ID about to enter the user's area (a new file, a corrected number).

    Returns None when no file holds it, and the holding file when that lies outside the
    user's area: the caller must never show it. Raises CitizenIdInUse when a file the user
    may see holds it, and LookupLimitReached past today's limit. A match outside the area is
    logged, refused or not. Not atomic: a refusal must not roll the log back.
    """
    holder = Person.objects.select_related("commune").filter(citizen_id=citizen_id).first()
    if holder is not None and access.can_see_person(user, holder):
        raise CitizenIdInUse
    budget = lookup_budget(user=user)
    if holder is not None:
        security.record(SecurityEvent.Kind.OUT_OF_AREA_LOOKUP, request, user=user, query=citizen_id)
    if budget.refuses(citizen_id):
        raise LookupLimitReached(budget.limit)
    return holder


def citizen_id_change_check(*, user, citizen_id: str, request=None) -> None:
    """A file's citizen ID corrected to `citizen_id`: allowed when no file holds it."""
    if citizen_id_claim(user=user, citizen_id=citizen_id, request=request) is not None:
        raise CitizenIdNotUsable


@transaction.atomic
def person_create(
    *,
    commune: Commune,
    identity: dict,
    category: str,
    category_since: datetime.date,
    presence: str,
    presence_since: datetime.date,
    by,
) -> Person:
    person = Person.objects.create(commune=commune, **identity)
    for period in person_opening_periods(
        person=person,
        category=category,
        category_since=category_since,
        presence=presence,
        presence_since=presence_since,
    ):
        period.recorded_by = by
        period.save(force_insert=True)
    return person


def person_opening_periods(
    *,
    person: Person,
    category: str,
    category_since: datetime.date,
    presence: str,
    presence_since: datetime.date,
) -> tuple[CategoryPeriod, PresencePeriod]:
    """The category and presence periods a new file opens with, unsaved: the form saves them
    with the file, the workbook import writes them in bulk."""
    return (
        CategoryPeriod(person=person, category=category, started_on=category_since),
        PresencePeriod(person=person, status=presence, started_on=presence_since),
    )


def person_create_or_transfer(
    *,
    commune: Commune,
    identity: dict,
    category: str,
    category_since: datetime.date,
    presence: str,
    presence_since: datetime.date,
    note: str = "",
    by,
    request=None,
) -> Person | TransferRequest:
    """The person form's "add": a new file, or, when the citizen ID is on a file outside the
    officer's area, a transfer request for that file (the file cannot be opened twice, and
    the officer may not be told where it is). Raises CitizenIdInUse and LookupLimitReached
    (see citizen_id_claim)."""
    citizen_id = identity["citizen_id"]
    holder = citizen_id_claim(user=by, citizen_id=citizen_id, request=request)
    if holder is None:
        try:
            return person_create(
                commune=commune,
                identity=identity,
                category=category,
                category_since=category_since,
                presence=presence,
                presence_since=presence_since,
                by=by,
            )
        except IntegrityError:
            # Saved by someone else a moment ago: decide again with that file in place.
            holder = citizen_id_claim(user=by, citizen_id=citizen_id, request=request)
            if holder is None:
                raise
    return transfer_request_send(
        person=holder, to_commune=commune, full_name=identity["full_name"], note=note, by=by
    )


def person_update(
    *, person: Person, changes: dict, expected_version: int, by=None, request=None
) -> Person:
    """Save identity changes unless someone else saved the file since `expected_version`.

    A new citizen ID is checked first (citizen_id_change_check), outside the transaction, so
    that the security log keeps the lookup whatever the outcome.
    """
    if "citizen_id" in changes:
        if by is None:
            raise ValueError("a change of citizen ID needs the user who makes it")
        citizen_id_change_check(user=by, citizen_id=changes["citizen_id"], request=request)
    return _person_update(person=person, changes=changes, expected_version=expected_version)


@transaction.atomic
def _person_update(*, person: Person, changes: dict, expected_version: int) -> Person:
    """The version is bumped with a conditional UPDATE first, so of two concurrent saves
    exactly one matches; the other changes nothing and is told why."""
    bumped = Person.objects.filter(pk=person.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not bumped:
        raise ConcurrentEditError
    person.refresh_from_db(fields=["version"])
    for field, value in changes.items():
        setattr(person, field, value)
    if changes:
        person.save(update_fields=[*changes, "updated_at"])
    return person


@dataclass(frozen=True)
class PeriodChange:
    """A change of a person's category or presence: the current period, if any, ends on the
    day the new one starts. Unsaved, so that the form saves one and the import writes many in
    bulk."""

    ending: CategoryPeriod | PresencePeriod | None
    opening: CategoryPeriod | PresencePeriod

    @property
    def on(self) -> datetime.date:
        return self.opening.started_on


class PeriodStartsTooEarly(ValidationError):
    """The new period would start before the current one began."""

    def __init__(self, current: CategoryPeriod | PresencePeriod):
        self.current = current
        super().__init__(
            _("The date cannot be before the current period began (%(date)s).")
            % {"date": current.started_on.strftime("%d/%m/%Y")}
        )


def category_change_plan(
    *, person: Person, current: CategoryPeriod | None, category: str, on: datetime.date
) -> PeriodChange | None:
    """What moving the person to `category` on `on` writes, given the current period; None
    when it is the current category already. Raises PeriodStartsTooEarly."""
    return _period_change_plan(
        CategoryPeriod, person=person, current=current, on=on, category=category
    )


def presence_change_plan(
    *, person: Person, current: PresencePeriod | None, status: str, on: datetime.date
) -> PeriodChange | None:
    """As `category_change_plan`, for where the person is (present, or why absent)."""
    return _period_change_plan(PresencePeriod, person=person, current=current, on=on, status=status)


def _period_change_plan(model, *, person: Person, current, on: datetime.date, **values):
    if current is not None:
        if all(getattr(current, field) == value for field, value in values.items()):
            return None
        if on < current.started_on:
            raise PeriodStartsTooEarly(current)
    return PeriodChange(ending=current, opening=model(person=person, started_on=on, **values))


def _change_period(model, plan, *, person: Person, on: datetime.date, by, **values):
    """End the current period of `model` on `on` and open a new one with `values`."""
    current = model.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
    change = plan(person=person, current=current, on=on, **values)
    if change is None:
        raise ValidationError(_("This is already the current state."))
    if change.ending is not None:
        change.ending.ended_on = change.on
        change.ending.save(update_fields=["ended_on"])
    change.opening.recorded_by = by
    change.opening.save(force_insert=True)
    return change.opening


@transaction.atomic
def person_change_category(*, person: Person, category: str, on: datetime.date, by):
    return _change_period(
        CategoryPeriod, category_change_plan, person=person, on=on, by=by, category=category
    )


@transaction.atomic
def person_change_presence(*, person: Person, status: str, on: datetime.date, by):
    return _change_period(
        PresencePeriod, presence_change_plan, person=person, on=on, by=by, status=status
    )


def drug_test_record(*, person: Person, data: dict, by) -> DrugTest:
    return DrugTest.objects.create(person=person, recorded_by=by, **data)


def rehab_record(*, person: Person, data: dict, by) -> RehabEpisode:
    return RehabEpisode.objects.create(person=person, recorded_by=by, **data)


def rehab_end(*, episode: RehabEpisode, ended_on: datetime.date, outcome: str) -> RehabEpisode:
    episode.ended_on = ended_on
    episode.outcome = outcome
    episode.save(update_fields=["ended_on", "outcome"])
    return episode


def support_record(*, person: Person, data: dict, by) -> SupportAction:
    return SupportAction.objects.create(person=person, recorded_by=by, **data)


def _lock_as_read(person: Person) -> Person:
    """Lock the file for a move or a close, refusing if it left the caller's hands since read.

    The caller decided on the file as it was in its commune and open. Another officer may have
    moved or closed it since: going on would undo their decision without anyone seeing it, and
    the caller may have no say over the commune the file is in now.
    """
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.closed_on is not None:
        raise ValidationError(_("This file is already closed."))
    if locked.commune_id != person.commune_id:
        raise ValidationError(
            _("This file was moved to another commune a moment ago; nothing was changed.")
        )
    return locked


@transaction.atomic
def person_move(
    *, person: Person, to_commune: Commune, on: datetime.date, reason: str, by
) -> PersonMove:
    """Hand the file to another commune. Its history moves with it; the old commune keeps the
    record of the move. The hamlet belonged to the old commune, so it is cleared."""
    person = _lock_as_read(person)
    if to_commune.pk == person.commune_id:
        raise ValidationError(_("The person already belongs to this commune."))
    move = PersonMove.objects.create(
        person=person,
        from_commune_id=person.commune_id,
        to_commune=to_commune,
        moved_on=on,
        reason=reason,
        recorded_by=by,
    )
    person.commune = to_commune
    person.hamlet = None
    person.version += 1
    person.save(update_fields=["commune", "hamlet", "version", "updated_at"])
    return move


@transaction.atomic
def person_close(*, person: Person, reason: str, note: str, on: datetime.date) -> Person:
    person = _lock_as_read(person)
    person.closed_on = on
    person.close_reason = reason
    person.close_note = note
    person.version += 1
    person.save(update_fields=["closed_on", "close_reason", "close_note", "version", "updated_at"])
    return person


def transfer_request_send(
    *, person: Person, to_commune: Commune, full_name: str, note: str, by
) -> TransferRequest:
    """Ask the provincial police for `person`'s file. A request already waiting from the same
    commune is returned as it is: sending twice adds nothing."""
    pending = TransferRequest.objects.filter(
        person=person, to_commune=to_commune, state=TransferState.PENDING
    ).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            return TransferRequest.objects.create(
                citizen_id=person.citizen_id,
                full_name=full_name,
                note=note,
                to_commune=to_commune,
                person=person,
                requested_by=by,
            )
    except IntegrityError:  # the same request sent a moment ago
        return TransferRequest.objects.get(
            person=person, to_commune=to_commune, state=TransferState.PENDING
        )


def _lock_pending(transfer: TransferRequest) -> TransferRequest:
    locked = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
    if locked.state != TransferState.PENDING:
        raise ValidationError(_("This request has already been decided; nothing was changed."))
    return locked


@transaction.atomic
def transfer_request_approve(
    *, transfer: TransferRequest, on: datetime.date, note: str, by
) -> TransferRequest:
    """Move the file to the requesting commune, by the move service: the same checks (the
    file still open and where it was), the same record and audit as a move from the file's
    page."""
    transfer = _lock_pending(transfer)
    move = person_move(
        person=transfer.person,
        to_commune=transfer.to_commune,
        on=on,
        reason=_("Transfer request of %(commune)s") % {"commune": transfer.to_commune.name},
        by=by,
    )
    transfer.state = TransferState.APPROVED
    transfer.move = move
    transfer.resolution_note = note
    transfer.resolved_by = by
    transfer.resolved_at = timezone.now()
    transfer.save(update_fields=["state", "move", "resolution_note", "resolved_by", "resolved_at"])
    return transfer


@transaction.atomic
def transfer_request_reject(*, transfer: TransferRequest, reason: str, by) -> TransferRequest:
    """Close the request with a reason the requesting commune reads; the file stays."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for the rejection."))
    transfer = _lock_pending(transfer)
    transfer.state = TransferState.REJECTED
    transfer.resolution_note = reason.strip()
    transfer.resolved_by = by
    transfer.resolved_at = timezone.now()
    transfer.save(update_fields=["state", "resolution_note", "resolved_by", "resolved_at"])
    return transfer


def people_access_log(*, user, persons: Iterable[Person], via: str) -> None:
    """Record that `user` was shown these people's names (a list, a search, a scorecard's
    evidence, an export, one file's own pages): one entry per person, in one
    INSERT for the page. The persons need their commune loaded (select_related("commune"))."""
    reads_log(user=user, rows=persons, via=via)
