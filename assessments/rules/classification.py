"""The level of a commune on a date (contracts.md §1): `classify(facts, profile)`.

Two shapes of rule, each read from a profile's thresholds: the national count of criteria
(QĐ 28/2025 art. 4 and 6) and the older provincial "any one criterion" (Trà Vinh 2025).
`classification_of_record` says which of them is the level of record on a day (contracts §4).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from .levels import LEVEL_BY_TYPE, Level
from .profiles import (
    DEFAULT_PROFILE,
    NATIONAL_PROFILE,
    AnyCriterionThresholds,
    CountOfCriteriaThresholds,
    Profile,
    Scale,
    get_profile,
)
from .ratios import exact, percent


@dataclass(frozen=True)
class CommuneFacts:
    """The counts of one commune on a date (contracts.md §1 says what each one counts)."""

    population: int
    addicts: int = 0
    illegal_users: int = 0
    # Addicts and illegal users present on D with no management file yet, outside the
    # treatment art. 6.1 exempts: art. 6.1 counts them ("không có người hiện đang cư trú …
    # nghiện ma túy, sử dụng trái phép", no "có hồ sơ"); art. 4's ratios do not (4.1 a counts
    # people "có hồ sơ quản lý"), so they are never part of addicts or illegal_users.
    unfiled_users: int = 0
    exempt_users: int = 0
    hotspots: int = 0
    harbouring_places: int = 0
    drug_plants: int = 0
    plant_area_m2: float = 0.0
    arrested_offenders: int = 0
    drug_offences: int = 0
    resident_violators: int = 0
    wanted_hiding: int = 0
    on_key_route: bool = False

    def __post_init__(self):
        negative = [name for name, value in vars(self).items() if value < 0]
        if negative:
            raise ValueError(f"Counts cannot be negative: {', '.join(negative)}")
        if self.exempt_users > self.addicts + self.illegal_users:
            raise ValueError("exempt_users is a part of addicts + illegal_users")

    @property
    def data_gaps(self) -> tuple[str, ...]:
        """The facts the classification needs and does not have (contracts.md §4): without a
        population the ratio criteria (art. 4: users, arrests) cannot be read."""
        return ("population",) if self.population <= 0 else ()


@dataclass(frozen=True)
class Classification:
    level: Level
    reasons: tuple[str, ...]
    profile: str  # the code of the profile that decided it


@dataclass(frozen=True)
class _Dimension:
    """One classification criterion of a commune: the highest type it reaches (1 = Type I)."""

    name: str
    reached: int | None
    types: frozenset[int]  # the types that have a criterion of this dimension

    def reaches(self, type_: int) -> bool:
        return self.reached is not None and self.reached <= type_

    def counts_for(self, type_: int) -> bool:
        return type_ in self.types and self.reaches(type_)


def classify(facts: CommuneFacts, profile: str | Profile = DEFAULT_PROFILE) -> Classification:
    chosen = get_profile(profile)
    thresholds = chosen.thresholds
    if isinstance(thresholds, CountOfCriteriaThresholds):
        level, reasons = _classify_by_count_of_criteria(facts, thresholds)
    elif isinstance(thresholds, AnyCriterionThresholds):
        level, reasons = _classify_by_any_criterion(facts, thresholds)
    else:
        raise TypeError(f"Profile {chosen.code!r} has thresholds of an unknown shape")
    return Classification(level=level, reasons=reasons, profile=chosen.code)


@dataclass(frozen=True)
class RecordedClassification:
    """A commune's level of record on a day and, beside it, its profile's own level."""

    record: Classification  # QĐ 28 arts. 4 and 6 from 24/08/2025, whatever the profile
    # The profile's own level where it has levels of its own (Trà Vinh 2025) and its text is
    # in force on the day; None otherwise (a profile that classifies as QĐ 28 adds criteria only).
    own: Classification | None


def classification_of_record(
    facts: CommuneFacts, profile: str | Profile, as_of: date
) -> RecordedClassification:
    """The level of record (contracts.md §4, domain §5): QĐ 28's for every day from its entry
    into force (art. 8: "có hiệu lực thi hành kể từ ngày ký ban hành", 24/08/2025), whatever the
    profile; a provincial table never replaces it in the lists, the art. 5 share or reports.
    Before that day a province's own table, while its text was in force, was the rule."""
    chosen = get_profile(profile)
    own = classify(facts, chosen) if chosen.has_own_levels and chosen.in_force_on(as_of) else None
    if own is not None and not NATIONAL_PROFILE.in_force_on(as_of):
        return RecordedClassification(record=own, own=own)
    return RecordedClassification(record=classify(facts, NATIONAL_PROFILE), own=own)


def level_undetermined(level: Level | str, data_gaps: Iterable[str]) -> bool:
    """The level rests on missing data (contracts.md §4): without a population the ratio
    criteria are unknown, and each could only add to the type reached, so the level found is
    the least severe the commune may be, never a verdict. Drug-free stands: art. 6 (and Trà
    Vinh's drug-free) read no ratio."""
    return bool(tuple(data_gaps)) and Level(level) is not Level.DRUG_FREE


def _classify_by_count_of_criteria(
    facts: CommuneFacts, thresholds: CountOfCriteriaThresholds
) -> tuple[Level, tuple[str, ...]]:
    """QĐ 28/2025 art. 4 and 6, read as contracts.md §1 (profile qd28-2025)."""
    if _drug_free_under_qd28(facts):
        return Level.DRUG_FREE, ("drug_free",)
    dimensions = (
        _dimension(
            "users",
            percent(facts.addicts + facts.illegal_users, facts.population),
            thresholds.users_percent,
        ),
        _dimension("places", facts.harbouring_places, thresholds.harbouring_places),
        _dimension(
            "arrests",
            percent(facts.arrested_offenders, facts.population),
            thresholds.arrests_percent,
        ),
        _combined_dimension(
            "plants",
            (facts.drug_plants, thresholds.plants),
            (facts.plant_area_m2, thresholds.plant_area_m2),
        ),
    )
    minimum_by_type = {
        1: thresholds.type_1_min_criteria,
        2: thresholds.type_2_min_criteria,
        3: thresholds.type_3_min_criteria,
    }
    for type_, minimum in minimum_by_type.items():
        met = [dimension.name for dimension in dimensions if dimension.counts_for(type_)]
        # Art. 4.1 đ / 4.2 đ: the key-route criterion of a type needs criteria one type lower.
        if type_ < 3 and facts.on_key_route:
            lower = sum(dimension.reaches(type_ + 1) for dimension in dimensions)
            if lower >= thresholds.key_route_min_criteria:
                met.append("key_route")
        if met and len(met) >= minimum:
            return LEVEL_BY_TYPE[type_], _reasons(met, type_)
    return Level.LESS_COMPLEX, ("less_complex",)


def _drug_free_under_qd28(facts: CommuneFacts) -> bool:
    return (
        facts.addicts + facts.illegal_users - facts.exempt_users == 0
        and facts.unfiled_users == 0
        and facts.resident_violators == 0
        and facts.wanted_hiding == 0
        and facts.harbouring_places == 0
    )


def _classify_by_any_criterion(
    facts: CommuneFacts, thresholds: AnyCriterionThresholds
) -> tuple[Level, tuple[str, ...]]:
    """The Trà Vinh 2025 appendix: any one criterion gives the type, and a key route lifts the
    commune one type above its best numeric criterion, never two.

    The appendix writes its bands as ranges ("from 60 to under 100 addicts"), so the key-route
    criterion of Type I reads "a criterion in the Type II band on a key route": a Type I commune
    on a key route also gets `key_route_type_1` only when another criterion sits in Type II.
    """
    if _drug_free_under_tra_vinh(facts):
        return Level.DRUG_FREE, ("drug_free",)
    dimensions = (
        _dimension("addicts", facts.addicts, thresholds.addicts),
        _dimension("hotspots", facts.hotspots, thresholds.hotspots),
        _dimension("plants", facts.drug_plants, thresholds.plants),
        _dimension("area", facts.plant_area_m2, thresholds.plant_area_m2),
        _dimension(
            "offender_ratio",
            percent(facts.arrested_offenders, facts.population),
            thresholds.offenders_percent,
        ),
    )
    reached = [dimension.reached for dimension in dimensions if dimension.reached is not None]
    if not reached:
        return Level.LESS_COMPLEX, ("less_complex",)
    best = min(reached)
    type_ = best - 1 if facts.on_key_route and best > 1 else best
    met = [dimension.name for dimension in dimensions if dimension.reaches(type_)]
    if facts.on_key_route and type_ + 1 in reached:
        met.append("key_route")
    return LEVEL_BY_TYPE[type_], _reasons(met, type_)


def _drug_free_under_tra_vinh(facts: CommuneFacts) -> bool:
    counts = (
        facts.addicts,
        facts.illegal_users,
        facts.drug_offences,
        facts.arrested_offenders,
        facts.hotspots,
        facts.drug_plants,
        facts.plant_area_m2,
    )
    return not any(counts)


def _reasons(names: Iterable[str], type_: int) -> tuple[str, ...]:
    return tuple(f"{name}_type_{type_}" for name in names)


def _dimension(name: str, value: int | float | Fraction | None, scale: Scale) -> _Dimension:
    return _Dimension(name=name, reached=_type_reached(value, scale), types=_types_of(scale))


def _combined_dimension(name: str, *measures: tuple[int | float, Scale]) -> _Dimension:
    """A criterion met by either of its measures (plants counted or area, art. 4.1 d)."""
    reached = [_type_reached(value, scale) for value, scale in measures]
    best = min((type_ for type_ in reached if type_ is not None), default=None)
    types = frozenset().union(*(_types_of(scale) for _, scale in measures))
    return _Dimension(name=name, reached=best, types=types)


def _types_of(scale: Scale) -> frozenset[int]:
    thresholds = (scale.type_1, scale.type_2, scale.type_3)
    return frozenset(type_ for type_, limit in enumerate(thresholds, 1) if limit is not None)


def _type_reached(value: int | float | Fraction | None, scale: Scale) -> int | None:
    """The highest type whose threshold the value reaches; a zero never reaches a type."""
    if value is None or value <= 0:
        return None
    for type_, limit in enumerate((scale.type_1, scale.type_2, scale.type_3), 1):
        if limit is not None and value >= exact(limit):
            return type_
    return None
