import datetime

from django.db import transaction

from core.text import fold_vietnamese

from .models import Hamlet, Hotspot, Household, Pledge


@transaction.atomic
def hamlet_archive(*, hamlet: Hamlet, reason: str, on: datetime.date) -> Hamlet:
    """Take a hamlet out of use without deleting it: its registers keep pointing at it."""
    hamlet = Hamlet.objects.select_for_update().get(pk=hamlet.pk)
    if hamlet.archived_on is None:
        hamlet.archived_on = on
        hamlet.archive_reason = reason
        hamlet.save(update_fields=["archived_on", "archive_reason"])
    return hamlet


def _eradicated_at_same_place(hotspot: Hotspot) -> Hotspot | None:
    """The latest eradicated hotspot at the place of `hotspot`: same hamlet, same location."""
    candidates = Hotspot.objects.current().filter(
        commune_id=hotspot.commune_id,
        hamlet_id=hotspot.hamlet_id,
        eradicated_on__isnull=False,
        eradicated_on__lte=hotspot.detected_on,
    )
    if hotspot.pk:
        candidates = candidates.exclude(pk=hotspot.pk)
    location = fold_vietnamese(hotspot.location)
    matching = [
        c for c in candidates.order_by("-eradicated_on") if fold_vietnamese(c.location) == location
    ]
    return matching[0] if matching else None


@transaction.atomic
def hotspot_save(*, hotspot: Hotspot, by) -> Hotspot:
    """Save a hotspot; a new one where an earlier one was eradicated is marked re-emerged."""
    if hotspot.pk is None:
        hotspot.recorded_by = by
        hotspot.re_emerged_from = _eradicated_at_same_place(hotspot)
    hotspot.save()
    return hotspot


def hotspot_eradicate(*, hotspot: Hotspot, on: datetime.date) -> Hotspot:
    hotspot.eradicated_on = on
    hotspot.save(update_fields=["eradicated_on", "updated_at"])
    return hotspot


@transaction.atomic
def register_row_void(*, row, reason: str, on: datetime.date):
    """Take a wrongly entered row out of every count, keeping it and its history."""
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if row.voided_on is None:
        row.voided_on = on
        row.void_reason = reason
        row.save(update_fields=["voided_on", "void_reason", "updated_at"])
    return row


def pledge_record(*, household: Household, signed_on: datetime.date, by) -> Pledge:
    pledge, _created = Pledge.objects.get_or_create(
        household=household, defaults={"signed_on": signed_on, "recorded_by": by}
    )
    return pledge
