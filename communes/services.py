import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction

from accounts.audit import reads_log
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


def hotspot_place(hotspot: Hotspot) -> tuple[str, str, str] | None:
    """What "the same place" means for re-emergence: the same commune and hamlet, and the same
    location ignoring case and diacritics. None when neither hamlet nor location says where
    the hotspot is: such a hotspot has no place to compare.

    Names, not keys: the workbook import compares hotspots with communes and hamlets the same
    file creates, which have no primary key yet."""
    location = fold_vietnamese(hotspot.location)
    if hotspot.hamlet is None and not location:
        return None
    hamlet = hotspot.hamlet.name.casefold() if hotspot.hamlet else ""
    return (hotspot.commune.code, hamlet, location)


def hotspot_re_emerged_from(*, hotspot: Hotspot, others: Iterable[Hotspot]) -> Hotspot | None:
    """The hotspot that `hotspot` re-emerged from (tái phức tạp), if any: of `others` at the
    same place and not voided, the one eradicated most recently on or before the day
    `hotspot` was detected (and detected before it: two hotspots of one day are two hotspots,
    not one re-emerging from the other)."""
    place = hotspot_place(hotspot)
    if place is None:
        return None
    earlier = [
        other
        for other in others
        if other is not hotspot
        and (other.pk is None or other.pk != hotspot.pk)
        and other.voided_on is None
        and other.eradicated_on is not None
        and other.detected_on < hotspot.detected_on
        and other.eradicated_on <= hotspot.detected_on
        and hotspot_place(other) == place
    ]
    return max(earlier, key=lambda other: (other.eradicated_on, other.detected_on), default=None)


def hotspots_re_emergence_plan(
    *, new: Sequence[Hotspot], stored: Iterable[Hotspot]
) -> list[tuple[Hotspot, Hotspot]]:
    """`hotspot_re_emerged_from` for many new hotspots at once (the workbook import): each
    new hotspot that re-emerged, with the one it re-emerged from, stored or new. Nothing is
    written: the caller sets the links (a link between two new rows only once both exist)."""
    by_place: dict[tuple, list[Hotspot]] = defaultdict(list)
    for hotspot in [*stored, *new]:
        place = hotspot_place(hotspot)
        if place is not None:
            by_place[place].append(hotspot)
    links = []
    for hotspot in new:
        place = hotspot_place(hotspot)
        if place is None:
            continue
        source = hotspot_re_emerged_from(hotspot=hotspot, others=by_place[place])
        if source is not None:
            links.append((hotspot, source))
    return links


@transaction.atomic
def hotspot_save(*, hotspot: Hotspot, by) -> Hotspot:
    """Save a hotspot; a new one where an earlier one was eradicated is marked re-emerged."""
    if hotspot.pk is None:
        hotspot.recorded_by = by
        # Narrowed in SQL to the hotspots that can qualify; the rule itself decides.
        others = (
            Hotspot.objects.current()
            .filter(
                commune_id=hotspot.commune_id,
                hamlet_id=hotspot.hamlet_id,
                eradicated_on__lte=hotspot.detected_on,
            )
            .select_related("commune", "hamlet")
            .order_by("pk")
        )
        hotspot.re_emerged_from = hotspot_re_emerged_from(hotspot=hotspot, others=others)
    hotspot.save()
    return hotspot


def hotspot_eradicate(*, hotspot: Hotspot, on: datetime.date) -> Hotspot:
    hotspot.eradicated_on = on
    hotspot.save(update_fields=["eradicated_on", "updated_at"])
    return hotspot


def offence_counts_over(
    *, offenders: int, offenders_arrested: int, resident_offenders: int
) -> list[str]:
    """The counts of an offence that exceed its number of offenders (none may: an arrested or
    resident offender is one of the offenders). The form and the import both ask this."""
    counts = {"offenders_arrested": offenders_arrested, "resident_offenders": resident_offenders}
    return [name for name, value in counts.items() if value > offenders]


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


def register_rows_access_log(*, user, rows: Iterable, via: str) -> None:
    """Rows that name people (households and their heads) shown on a page: a read of each,
    in one INSERT, as casefiles.services.people_access_log does for people's files. The rows
    need their commune loaded (select_related("commune"))."""
    reads_log(user=user, rows=rows, via=via)
