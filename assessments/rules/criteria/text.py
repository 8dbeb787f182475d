"""The Vietnamese wording of the evidence: numbers, dates, lists of names, the causes."""

from collections.abc import Iterable
from datetime import date

from .inputs import (
    CriteriaInputs,
    CultivationDetail,
    HotspotDetail,
    OffenceDetail,
    PersonDetail,
    WantedDetail,
)
from .verdicts import Cause

NAMES_SHOWN = 10
HOTSPOT_KINDS_VI = {
    "harbouring": "điểm tổ chức, chứa chấp sử dụng",
    "retail": "điểm bán lẻ",
    "den": "tụ điểm",
    "ring": "ổ nhóm, đường dây",
    "other": "khác",
}


def number(value: int | float) -> str:
    """Vietnamese digits: 1.250 and 12,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def date_text(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def names(causes: Iterable[Cause]) -> str:
    labels = [cause.label for cause in causes]
    shown = ", ".join(labels[:NAMES_SHOWN])
    hidden = len(labels) - NAMES_SHOWN
    return f"{shown} và {hidden} trường hợp khác" if hidden > 0 else shown


def counted(count: int, what: str, causes: tuple[Cause, ...] = ()) -> str:
    text = f"{number(count)} {what}"
    return f"{text}: {names(causes)}" if causes else text


def person_cause(person: PersonDetail) -> Cause:
    return Cause("person", person.id, person.name)


def hotspot_cause(hotspot: HotspotDetail) -> Cause:
    kind = HOTSPOT_KINDS_VI.get(hotspot.kind, hotspot.kind)
    return Cause("hotspot", hotspot.id, f"{hotspot.ref} ({kind})")


def offence_cause(offence: OffenceDetail) -> Cause:
    return Cause("offence", offence.id, offence.ref)


def cultivation_cause(find: CultivationDetail) -> Cause:
    size = f"{number(find.plants)} cây" if find.plants else f"{number(find.area_m2)} m²"
    return Cause("cultivation", find.id, f"{find.ref} ({size})")


def wanted_cause(wanted: WantedDetail) -> Cause:
    return Cause("wanted", wanted.id, wanted.ref)


def period_text(inputs: CriteriaInputs) -> str:
    start, end = inputs.period
    return f"kỳ {date_text(start)}–{date_text(end)}"
