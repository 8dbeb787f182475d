"""Writes on people's files. Each is one transaction; the audit log records every row it touches."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import reads_log
from communes.models import Commune

from .models import (
    CategoryPeriod,
    DrugTest,
    Person,
    PersonMove,
    PresencePeriod,
    RehabEpisode,
    SupportAction,
)


class ConcurrentEditError(Exception):
    """The file changed since the form was opened; saving would overwrite someone's work."""


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


@transaction.atomic
def person_update(*, person: Person, changes: dict, expected_version: int) -> Person:
    """Save identity changes unless someone else saved the file since `expected_version`.

    The version is bumped with a conditional UPDATE first, so of two concurrent saves exactly
    one matches; the other changes nothing and is told why.
    """
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


def person_access_log(*, person: Person, via: str) -> None:
    """Record that the signed-in user read this person's file (its page, its forms).

    The actor and address come from the auditlog middleware's context, as for changes.
    """
    LogEntry.objects.log_create(
        person,
        action=LogEntry.Action.ACCESS,
        changes=None,
        force_log=True,
        additional_data={**person.get_additional_data(), "via": via},
    )


def people_access_log(*, user, persons: Iterable[Person], via: str) -> None:
    """Record that `user` was shown these people's names (a list, a search, a scorecard's
    evidence, an export): one entry per person, as person_access_log writes for one, in one
    INSERT for the page. The persons need their commune loaded (select_related("commune"))."""
    reads_log(user=user, rows=persons, via=via)
