"""What the recognition criteria read: the counts of a commune and the details that name
the causes (people, hotspots, offences, plant finds, wanted people, hamlets)."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from ..classification import CommuneFacts
from ..period import assessment_period

# Forms of rehab that QĐ 28 art. 6.1 exempts (post-rehab management is a category of its own).
EXEMPT_TREATMENT_FORMS = frozenset({"methadone", "home_community"})

# Offence kinds that are administrative violations, not crimes: they make their resident
# offenders violators of drug law (QĐ 28 art. 6.2) but are never a drug crime, an arrest
# (art. 4.1 c "đối tượng phạm tội … bị bắt giữ") or a resident's drug offence.
ADMINISTRATIVE_OFFENCE_KINDS = frozenset({"use_administrative"})


class DrugTest(NamedTuple):
    tested_on: date
    result: str  # "negative" | "positive"
    kind: str = ""  # "periodic" | "surprise"; "" when not known


@dataclass(frozen=True)
class PersonDetail:
    """A person on the commune's lists on D (present or not)."""

    id: int
    name: str
    category: str  # on D: "addict" | "user" | "suspect" | "post_rehab"
    present: bool = True  # residing and present in the locality on D
    has_file: bool = False
    listed_on: date | None = None
    psychosis: bool = False
    # Form of the rehab or treatment episode open on D ("methadone", "home_community",
    # "voluntary_facility", "compulsory_facility"); "" when none is open.
    treatment_form: str = ""
    # Plain (tested_on, result) pairs and (tested_on, result, kind) triples work too.
    tests: tuple[DrugTest, ...] = ()
    support_dates: tuple[date, ...] = ()  # counselling, job, training or loan given

    @property
    def in_treatment_on_d(self) -> bool:
        return bool(self.treatment_form)

    @property
    def exempt_under_art_6_1(self) -> bool:
        return self.treatment_form in EXEMPT_TREATMENT_FORMS


@dataclass(frozen=True)
class HotspotDetail:
    """A hotspot active at some time in the period."""

    id: int
    ref: str
    kind: str  # "harbouring" | "retail" | "den" | "ring" | "other"
    active_on_d: bool = True


@dataclass(frozen=True)
class OffenceDetail:
    """A drug offence or incident in the commune in the period."""

    id: int
    ref: str
    kind: str  # "trafficking" | "possession" | "organising_use" | "production" | ...
    offenders: int = 0
    offenders_arrested: int = 0
    resident_offenders: int = 0
    serious: bool = False  # very or especially serious
    by_managed_person: bool = False
    psychosis_incident: bool = False
    # Caused by a drug user or addict, under management or not (seeds 001 and 003: "không để
    # sót, lọt các đối tượng sử dụng…, nghiện ma túy gây ra").
    by_drug_user: bool = False

    @property
    def is_crime(self) -> bool:
        """A drug crime, not an administrative violation such as use."""
        return self.kind not in ADMINISTRATIVE_OFFENCE_KINDS


@dataclass(frozen=True)
class CultivationDetail:
    """Drug plants found in the commune in the period."""

    id: int
    ref: str
    plants: int = 0
    area_m2: float = 0.0


@dataclass(frozen=True)
class WantedDetail:
    """A person wanted for a drug crime hiding in the commune on D."""

    id: int
    ref: str


@dataclass(frozen=True)
class HamletDetail:
    """An active hamlet or residential group of the commune."""

    id: int
    name: str
    hotline_board: bool = False
    # The day the hamlet's collective pledge was signed (its current one); None: no pledge.
    pledge_signed_on: date | None = None
    # Prevention models of this hamlet active on D (started by D, not ended before D).
    active_models: int = 0


@dataclass(frozen=True)
class CriteriaInputs:
    """Everything the recognition criteria read. The counts of `facts` decide the criteria that
    have a count there; the details name the causes and decide the rest. A detail left as None
    means "not loaded": the criteria that need it answer unknown instead of guessing."""

    as_of: date
    facts: CommuneFacts
    period_start: date | None = None  # both or neither; default: the period containing as_of
    period_end: date | None = None
    persons: tuple[PersonDetail, ...] | None = None
    hotspots: tuple[HotspotDetail, ...] | None = None
    offences: tuple[OffenceDetail, ...] | None = None
    cultivation: tuple[CultivationDetail, ...] | None = None
    wanted: tuple[WantedDetail, ...] | None = None
    hamlets: tuple[HamletDetail, ...] | None = None
    households: int | None = None  # households of the commune; None when not known
    pledged_households: int = 0
    active_models: int | None = None  # prevention models active on D
    baseline: int | None = None  # addicts + users at the registration for D's year
    registered_on: date | None = None

    def __post_init__(self):
        if (self.period_start is None) != (self.period_end is None):
            raise ValueError("Give both period_start and period_end, or neither")

    @property
    def period(self) -> tuple[date, date]:
        if self.period_start is not None and self.period_end is not None:
            return self.period_start, self.period_end
        return assessment_period(self.as_of)

    def present_persons(self, *categories: str) -> list[PersonDetail]:
        return [p for p in self.persons or () if p.present and p.category in categories]
