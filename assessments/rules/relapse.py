"""What the relapse watch reads (contracts.md §2): the adverse facts of a recognised commune.

A recognised commune is flagged only by new adverse facts: a resident addict or illegal user
not exempt under art. 6.1, with a file or without; a resident who broke drug law (art. 6.2, a
crime or an administrative violation); a cultivation find; a wanted drug offender hiding there;
a harbouring place (art. 6.3) or any hotspot active on the day. Criteria results are never read
here: an `unknown`, the 30 days before a request (TH1, TH2) or the registration's baseline
(TV4, TH4) say nothing about a relapse.

The watch reads the registers over the days since the commune was judged (the facts of those
days are new) and compares what it finds with the facts already known (`known`): those of the
day it was judged and those a review has kept.
"""

from collections.abc import Iterable
from typing import NamedTuple

from .criteria.inputs import CriteriaInputs
from .criteria.text import (
    cultivation_cause,
    hotspot_cause,
    number,
    offence_cause,
    person_cause,
    wanted_cause,
)
from .criteria.verdicts import Cause

# Each reading, in the order a reason lists them, with its words (no names: leaders read it).
RELAPSE_READINGS = {
    "resident_user": "Người nghiện, người sử dụng trái phép chất ma túy cư trú, ngoài diện loại "
    "trừ (Điều 6.1)",
    "resident_violation": "Người cư trú vi phạm pháp luật về ma túy (Điều 6.2)",
    "cultivation": "Phát hiện trồng cây có chứa chất ma túy (Điều 6.2)",
    "wanted_hiding": "Đối tượng truy nã về ma túy lẩn trốn trên địa bàn (Điều 6.2)",
    "harbouring_place": "Điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy (Điều 6.3)",
    "active_hotspot": "Tụ điểm, điểm phức tạp về ma túy đang hoạt động",
}


class AdverseFact(NamedTuple):
    reading: str  # a key of RELAPSE_READINGS
    cause: Cause  # the row it names (a person, an offence, a hotspot …), for the link


def adverse_facts(inputs: CriteriaInputs) -> tuple[AdverseFact, ...]:
    """The adverse facts of `inputs`: people on D, wanted people hiding on D and hotspots active
    on D; offences, cultivation finds and harbouring places over the inputs' period."""
    found: list[AdverseFact] = []
    for person in inputs.persons or ():
        if (
            person.present
            and person.category in ("addict", "user")
            and not person.exempt_under_art_6_1
        ):
            found.append(AdverseFact("resident_user", person_cause(person)))
    for offence in inputs.offences or ():
        if offence.resident_offenders > 0:
            found.append(AdverseFact("resident_violation", offence_cause(offence)))
    for find in inputs.cultivation or ():
        found.append(AdverseFact("cultivation", cultivation_cause(find)))
    for wanted in inputs.wanted or ():
        found.append(AdverseFact("wanted_hiding", wanted_cause(wanted)))
    for hotspot in inputs.hotspots or ():
        if hotspot.kind == "harbouring":
            found.append(AdverseFact("harbouring_place", hotspot_cause(hotspot)))
        elif hotspot.active_on_d:
            found.append(AdverseFact("active_hotspot", hotspot_cause(hotspot)))
    return tuple(found)


def fact_key(cause: Cause) -> tuple[str, int]:
    """What identifies a fact across runs: the kind and id of the row it names."""
    return cause.kind, cause.id


def new_adverse_facts(
    inputs: CriteriaInputs, known: Iterable[tuple[str, int]]
) -> tuple[AdverseFact, ...]:
    """The adverse facts of `inputs` that are not among the `known` ones."""
    seen = {tuple(key) for key in known}
    return tuple(fact for fact in adverse_facts(inputs) if fact_key(fact.cause) not in seen)


def relapse_reason(facts: Iterable[AdverseFact]) -> str:
    """The reason a case is flagged: each reading with its count, never a name."""
    counts: dict[str, int] = {}
    for fact in facts:
        counts[fact.reading] = counts.get(fact.reading, 0) + 1
    return "; ".join(
        f"{RELAPSE_READINGS[reading]}: {number(counts[reading])}"
        for reading in RELAPSE_READINGS
        if reading in counts
    )
