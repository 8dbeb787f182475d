"""The assessment engine's rules: pure functions over counts and details, no database.

- `classify(facts, profile)`: the level of a commune (contracts.md §1).
- `evaluate_criteria(inputs, profile)`: the recognition criteria of a profile (contracts.md §2).
- `classify_province(facts)`: QĐ 28/2025 art. 5.
- `assessment_period(day)`: QĐ 28/2025 art. 7.

The numbers live in `assessments/profiles.py`; this module only reads them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from .profiles import (
    CRITERION_TITLES,
    DEFAULT_PROFILE,
    QD28_PROVINCE,
    AnyCriterionThresholds,
    CountOfCriteriaThresholds,
    Profile,
    ProvinceThresholds,
    Scale,
    Threshold,
    get_profile,
)

# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------


class Level(StrEnum):
    TYPE_1 = "type_1"
    TYPE_2 = "type_2"
    TYPE_3 = "type_3"
    LESS_COMPLEX = "less_complex"
    DRUG_FREE = "drug_free"


LEVEL_BY_TYPE = {1: Level.TYPE_1, 2: Level.TYPE_2, 3: Level.TYPE_3}


@dataclass(frozen=True)
class CommuneFacts:
    """The counts of one commune on a date (contracts.md §1 says what each one counts)."""

    population: int
    addicts: int = 0
    illegal_users: int = 0
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


def _classify_by_count_of_criteria(
    facts: CommuneFacts, thresholds: CountOfCriteriaThresholds
) -> tuple[Level, tuple[str, ...]]:
    """QĐ 28/2025 art. 4 and 6, read as contracts.md §1 (profile qd28-2025)."""
    if _drug_free_under_qd28(facts):
        return Level.DRUG_FREE, ("drug_free",)
    dimensions = (
        _dimension(
            "users",
            _percent(facts.addicts + facts.illegal_users, facts.population),
            thresholds.users_percent,
        ),
        _dimension("places", facts.harbouring_places, thresholds.harbouring_places),
        _dimension(
            "arrests",
            _percent(facts.arrested_offenders, facts.population),
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
            _percent(facts.arrested_offenders, facts.population),
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
        if limit is not None and value >= _exact(limit):
            return type_
    return None


def _percent(count: int, population: int) -> Fraction | None:
    """count as a percentage of population, exactly; None when there is no population (the
    ratio criteria are then not evaluated)."""
    if population <= 0:
        return None
    return Fraction(count * 100, population)


def _exact(threshold: Threshold) -> Fraction:
    # A float written in a profile as 0.05 means the decimal 0.05, not its binary neighbour.
    if isinstance(threshold, float):
        return Fraction(repr(threshold))
    return Fraction(threshold)


# ---------------------------------------------------------------------------------------------
# The assessment period (QĐ 28/2025 art. 7)
# ---------------------------------------------------------------------------------------------

PERIOD_STARTS_ON = (12, 15)  # (month, day): 15 December of the previous year


def assessment_year(day: date) -> int:
    """The year whose 14 December closes the period that contains `day`."""
    return day.year + 1 if (day.month, day.day) >= PERIOD_STARTS_ON else day.year


def assessment_period(day: date) -> tuple[date, date]:
    """15 December of the previous year to 14 December, both included."""
    year = assessment_year(day)
    month, first_day = PERIOD_STARTS_ON
    start = date(year - 1, month, first_day)
    return start, date(year, month, first_day) - timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Province (QĐ 28/2025 art. 5)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceFacts:
    population: int
    addicts: int = 0  # with a management file, residing
    illegal_users: int = 0
    harbouring_places: int = 0
    arrested_offenders: int = 0
    communes: int = 0  # communes, wards and special zones of the province
    type_1_2_communes: int = 0
    drug_plants: int = 0
    plant_area_m2: float = 0.0
    on_interprovincial_route: bool = False


@dataclass(frozen=True)
class ProvinceResult:
    key_area: bool
    met: tuple[str, ...]  # codes of PROVINCE_CRITERIA that the province meets, in that order


PROVINCE_CRITERIA = (
    "users_ratio",
    "harbouring_places",
    "arrests_ratio",
    "key_communes_ratio",
    "plants",
    "interprovincial_route",
)


def classify_province(
    facts: ProvinceFacts, thresholds: ProvinceThresholds = QD28_PROVINCE
) -> ProvinceResult:
    users = _percent(facts.addicts + facts.illegal_users, facts.population)
    arrests = _percent(facts.arrested_offenders, facts.population)
    key_communes = _percent(facts.type_1_2_communes, facts.communes)
    checks = {
        "users_ratio": _at_least(users, thresholds.users_percent),
        "harbouring_places": _at_least(facts.harbouring_places, thresholds.harbouring_places),
        "arrests_ratio": _at_least(arrests, thresholds.arrests_percent),
        "key_communes_ratio": _at_least(key_communes, thresholds.key_communes_percent),
        "plants": _at_least(facts.drug_plants, thresholds.plants)
        or _at_least(facts.plant_area_m2, thresholds.plant_area_m2),
        "interprovincial_route": facts.on_interprovincial_route,
    }
    met = tuple(code for code in PROVINCE_CRITERIA if checks[code])
    return ProvinceResult(key_area=len(met) >= thresholds.min_criteria, met=met)


def _at_least(value: int | float | Fraction | None, threshold: Threshold) -> bool:
    return value is not None and value > 0 and value >= _exact(threshold)


# ---------------------------------------------------------------------------------------------
# Recognition criteria: inputs
# ---------------------------------------------------------------------------------------------

RECENT_TEST_DAYS = 30
# The recognition criteria that read people's drug tests (the facts loader skips tests, the
# largest register, when none of these is in use).
CRITERIA_READING_TESTS = frozenset(
    {
        "TV2_users_filed_tested",
        "TV7_suspects_tested",
        "TH1_addicts_under_10_negative_30d",
        "TH2_users_negative_30d",
        "TH3_suspects_tested",
        "TH5_post_rehab_managed",
    }
)
# The recognition criteria that read people other than the addicts and illegal users present on
# D (suspects, people after rehab, anyone with psychosis, people absent); the facts loader reads
# only those present addicts and users when none of these is in use.
CRITERIA_READING_OTHER_PERSONS = frozenset(
    {
        "TV2_users_filed_tested",
        "TV7_suspects_tested",
        "TH2_users_negative_30d",
        "TH3_suspects_tested",
        "TH5_post_rehab_managed",
    }
)
# The recognition criteria that read the count of pledged households (a count over every
# household of the communes: millions of rows in a province, so skipped when none reads it).
CRITERIA_READING_PLEDGES = frozenset(
    {"TV3_household_pledges", "TH9_household_pledges", "PLEDGES_100"}
)
# The recognition criteria that read support actions (counselling, job, training, loan).
CRITERIA_READING_SUPPORT = frozenset({"TH5_post_rehab_managed"})
# Forms of rehab that QĐ 28 art. 6.1 exempts (post-rehab management is a category of its own).
EXEMPT_TREATMENT_FORMS = frozenset({"methadone", "home_community"})


class DrugTest(NamedTuple):
    tested_on: date
    result: str  # "negative" | "positive"


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
    tests: tuple[DrugTest, ...] = ()  # plain (tested_on, result) pairs work too
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
    id: int
    name: str
    hotline_board: bool = False


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


# ---------------------------------------------------------------------------------------------
# Recognition criteria: results
# ---------------------------------------------------------------------------------------------


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    UNKNOWN = "unknown"


class Cause(NamedTuple):
    kind: str  # "person" | "hotspot" | "offence" | "cultivation" | "wanted" | "hamlet"
    id: int
    label: str


@dataclass(frozen=True)
class CriterionResult:
    code: str
    result: Outcome
    evidence: str  # Vietnamese, with the counts and the names of the causes
    causes: tuple[Cause, ...] = ()

    @property
    def title(self) -> str:
        return CRITERION_TITLES.get(self.code, self.code)


@dataclass(frozen=True)
class Verdict:
    """What a criterion function finds; evaluate_criteria adds the code."""

    result: Outcome
    evidence: str
    causes: tuple[Cause, ...] = ()


def _passed(evidence: str) -> Verdict:
    return Verdict(Outcome.PASS, evidence)


def _failed(evidence: str, causes: Iterable[Cause] = ()) -> Verdict:
    return Verdict(Outcome.FAIL, evidence, tuple(causes))


def _unknown(evidence: str) -> Verdict:
    return Verdict(Outcome.UNKNOWN, evidence)


def _all_of(*parts: Verdict) -> Verdict:
    """A criterion with several parts fails when one part fails, else is unknown when one part
    is unknown; the evidence keeps every part so the page shows the whole picture."""
    outcomes = {part.result for part in parts}
    if Outcome.FAIL in outcomes:
        result = Outcome.FAIL
    elif Outcome.UNKNOWN in outcomes:
        result = Outcome.UNKNOWN
    else:
        result = Outcome.PASS
    causes = _unique(cause for part in parts for cause in part.causes)
    return Verdict(result, _sentence(part.evidence for part in parts), causes)


def _sentence(clauses: Iterable[str]) -> str:
    """Clauses joined into one sentence: "Không có …; chưa có …"."""
    text = "; ".join(clause[:1].lower() + clause[1:] for clause in clauses)
    return text[:1].upper() + text[1:]


def _unique(causes: Iterable[Cause]) -> tuple[Cause, ...]:
    return tuple(dict.fromkeys(causes))


def evaluate_criteria(
    inputs: CriteriaInputs, profile: str | Profile = DEFAULT_PROFILE
) -> tuple[CriterionResult, ...]:
    chosen = get_profile(profile)
    missing = [code for code in chosen.criteria if code not in CRITERIA]
    if missing:
        raise ValueError(f"Profile {chosen.code!r} lists unknown criteria: {', '.join(missing)}")
    return tuple(_evaluate(code, inputs) for code in chosen.criteria)


def _evaluate(code: str, inputs: CriteriaInputs) -> CriterionResult:
    verdict = CRITERIA[code](inputs)
    return CriterionResult(code, verdict.result, verdict.evidence, verdict.causes)


def is_eligible(results: Iterable[CriterionResult]) -> bool:
    """Eligible for recognition: every criterion passes (and there is at least one)."""
    outcomes = [result.result for result in results]
    return bool(outcomes) and all(outcome == Outcome.PASS for outcome in outcomes)


# ---------------------------------------------------------------------------------------------
# Recognition criteria: text helpers
# ---------------------------------------------------------------------------------------------

NAMES_SHOWN = 10
HOTSPOT_KINDS_VI = {
    "harbouring": "điểm tổ chức, chứa chấp sử dụng",
    "retail": "điểm bán lẻ",
    "den": "tụ điểm",
    "ring": "ổ nhóm, đường dây",
    "other": "khác",
}


def _number(value: int | float) -> str:
    """Vietnamese digits: 1.250 and 12,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _names(causes: Iterable[Cause]) -> str:
    labels = [cause.label for cause in causes]
    shown = ", ".join(labels[:NAMES_SHOWN])
    hidden = len(labels) - NAMES_SHOWN
    return f"{shown} và {hidden} trường hợp khác" if hidden > 0 else shown


def _counted(count: int, what: str, causes: tuple[Cause, ...] = ()) -> str:
    text = f"{_number(count)} {what}"
    return f"{text}: {_names(causes)}" if causes else text


def _person_cause(person: PersonDetail) -> Cause:
    return Cause("person", person.id, person.name)


def _hotspot_cause(hotspot: HotspotDetail) -> Cause:
    kind = HOTSPOT_KINDS_VI.get(hotspot.kind, hotspot.kind)
    return Cause("hotspot", hotspot.id, f"{hotspot.ref} ({kind})")


def _offence_cause(offence: OffenceDetail) -> Cause:
    return Cause("offence", offence.id, offence.ref)


def _cultivation_cause(find: CultivationDetail) -> Cause:
    size = f"{_number(find.plants)} cây" if find.plants else f"{_number(find.area_m2)} m²"
    return Cause("cultivation", find.id, f"{find.ref} ({size})")


def _wanted_cause(wanted: WantedDetail) -> Cause:
    return Cause("wanted", wanted.id, wanted.ref)


def _period_text(inputs: CriteriaInputs) -> str:
    start, end = inputs.period
    return f"kỳ {_day(start)}–{_day(end)}"


PersonCheck = tuple[str, Callable[[PersonDetail], bool]]  # (problem in Vietnamese, has it)


def _check_persons(persons: list[PersonDetail], who: str, checks: list[PersonCheck]) -> Verdict:
    """Group the people by problem: "2 người nghiện chưa có hồ sơ: A, B; 1 người nghiện …"."""
    parts = []
    causes: list[Cause] = []
    for problem, has_problem in checks:
        offenders = tuple(_person_cause(p) for p in persons if has_problem(p))
        if offenders:
            parts.append(_counted(len(offenders), f"{who} {problem}", offenders))
            causes.extend(offenders)
    if parts:
        return _failed("; ".join(parts), _unique(causes))
    return _passed(f"{_number(len(persons))} {who}, tất cả đạt yêu cầu")


def _tests_between(person: PersonDetail, start: date, end: date) -> list[DrugTest]:
    return [DrugTest(*test) for test in person.tests if start <= test[0] <= end]


def _recent_window(as_of: date) -> tuple[date, date]:
    """[D − 30 days, D], both ends included."""
    return as_of - timedelta(days=RECENT_TEST_DAYS), as_of


def _negative_in_window(person: PersonDetail, as_of: date) -> bool:
    return any(t.result == "negative" for t in _tests_between(person, *_recent_window(as_of)))


def _negative_and_not_positive_since(person: PersonDetail, as_of: date) -> bool:
    """A negative test in [D − 30, D] and no positive test after it. A positive test on the
    same day as the last negative one also counts against it: the order within a day is not
    recorded, and recognition should not rest on a coin toss."""
    negatives = [
        t.tested_on
        for t in _tests_between(person, *_recent_window(as_of))
        if t.result == "negative"
    ]
    if not negatives:
        return False
    last_negative = max(negatives)
    positives = _tests_between(person, last_negative, as_of)
    return not any(t.result == "positive" for t in positives)


def _tested_in_period(person: PersonDetail, inputs: CriteriaInputs) -> bool:
    start, end = inputs.period
    return bool(_tests_between(person, start, min(end, inputs.as_of)))


def _supported_in_period(person: PersonDetail, inputs: CriteriaInputs) -> bool:
    start, end = inputs.period
    return any(start <= day <= min(end, inputs.as_of) for day in person.support_dates)


def _tested_since_listed(person: PersonDetail, as_of: date) -> bool:
    since = person.listed_on or date.min
    return bool(_tests_between(person, since, as_of))


def _missing_persons() -> Verdict:
    return _unknown("Chưa có dữ liệu hồ sơ người liên quan đến ma túy")


def _missing_offences() -> Verdict:
    return _unknown("Chưa có dữ liệu các vụ việc về ma túy trong kỳ")


# ---------------------------------------------------------------------------------------------
# Recognition criteria: QĐ 28/2025 art. 6
# ---------------------------------------------------------------------------------------------


def no_users_except_treatment(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.1: addicts + illegal users − those in substitution treatment, home/community rehab
    or post-rehab management is zero (the count of `facts`, as `classify` reads it)."""
    facts = inputs.facts
    remaining = facts.addicts + facts.illegal_users - facts.exempt_users
    if remaining == 0:
        evidence = "Không có người nghiện, sử dụng trái phép ngoài diện loại trừ"
        if facts.exempt_users:
            evidence += f"; {_number(facts.exempt_users)} người thuộc diện loại trừ"
        return _passed(evidence)
    causes = tuple(
        _person_cause(person)
        for person in inputs.present_persons("addict", "user")
        if person.has_file and not person.exempt_under_art_6_1
    )
    what = "người nghiện, sử dụng trái phép cư trú ngoài diện loại trừ (Điều 6.1)"
    return _failed(_counted(remaining, what, causes), causes)


def no_violations_no_fugitives(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.2: no resident broke drug law in the commune in the period, and no wanted drug
    offender hides there on D."""
    return _all_of(_no_resident_violators(inputs), _no_wanted_hiding(inputs))


def _no_resident_violators(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.resident_violators
    if count == 0:
        return _passed(
            f"Không có người cư trú vi phạm pháp luật về ma túy trong {_period_text(inputs)}"
        )
    causes = (
        *(_offence_cause(o) for o in inputs.offences or () if o.resident_offenders),
        *(_cultivation_cause(find) for find in inputs.cultivation or ()),
    )
    what = f"người cư trú vi phạm pháp luật về ma túy trong {_period_text(inputs)}"
    return _failed(_counted(count, what, causes), causes)


def _no_wanted_hiding(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.wanted_hiding
    if count == 0:
        return _passed("không có đối tượng truy nã lẩn trốn")
    causes = tuple(_wanted_cause(wanted) for wanted in inputs.wanted or ())
    return _failed(_counted(count, "đối tượng truy nã lẩn trốn", causes), causes)


def no_harbouring_places(inputs: CriteriaInputs) -> Verdict:
    """Art. 6.3: no place organising or harbouring drug use at any time in the period."""
    count = inputs.facts.harbouring_places
    what = f"điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy trong {_period_text(inputs)}"
    if count == 0:
        return _passed(f"Không có {what}")
    causes = tuple(_hotspot_cause(h) for h in inputs.hotspots or () if h.kind == "harbouring")
    return _failed(_counted(count, what, causes), causes)


# ---------------------------------------------------------------------------------------------
# Recognition criteria: shared by provincial profiles
# ---------------------------------------------------------------------------------------------


def household_pledges(inputs: CriteriaInputs) -> Verdict:
    """Pledged households ≥ households of the commune; unknown without a household count."""
    households = inputs.households
    if not households:
        return _unknown("Chưa có số hộ gia đình của xã")
    pledged = inputs.pledged_households
    coverage = f"{_number(pledged)}/{_number(households)} hộ"
    if pledged >= households:
        return _passed(f"Đã ký cam kết {coverage}")
    # Rounded down: 999 of 1,000 must not read as 100%.
    share = Decimal(pledged * 1000 // households) / 10
    return _failed(
        f"Đã ký cam kết {coverage} ({_number(float(share))}%), "
        f"còn thiếu {_number(households - pledged)} hộ"
    )


def hotline_boards(inputs: CriteriaInputs) -> Verdict:
    """Every hamlet shows the hotline board; unknown without the list of hamlets."""
    if not inputs.hamlets:
        return _unknown("Chưa có danh sách thôn, ấp, khóm của xã")
    missing = tuple(Cause("hamlet", h.id, h.name) for h in inputs.hamlets if not h.hotline_board)
    total = len(inputs.hamlets)
    if not missing:
        return _passed(f"{_number(total)}/{_number(total)} thôn, ấp, khóm có bảng đường dây nóng")
    evidence = (
        f"{_number(len(missing))}/{_number(total)} thôn, ấp, khóm chưa có bảng niêm yết số "
        f"điện thoại đường dây nóng: {_names(missing)}"
    )
    return _failed(evidence, missing)


def not_above_baseline(inputs: CriteriaInputs) -> Verdict:
    """Addicts + illegal users present on D ≤ the same sum at the registration for D's year;
    unknown without a registration. When it fails, the people listed after the registration day
    are named."""
    if inputs.baseline is None:
        year = assessment_year(inputs.as_of)
        return _unknown(f"Chưa có đăng ký xây dựng xã không ma túy năm {year}")
    current = inputs.facts.addicts + inputs.facts.illegal_users
    text = f"Hiện có {_number(current)} người nghiện, sử dụng trái phép; khi đăng ký: "
    if current <= inputs.baseline:
        return _passed(text + _number(inputs.baseline))
    causes = ()
    if inputs.registered_on is not None:
        causes = tuple(
            _person_cause(person)
            for person in inputs.present_persons("addict", "user")
            if person.listed_on and person.listed_on > inputs.registered_on
        )
    evidence = f"{text}{_number(inputs.baseline)}, tăng {_number(current - inputs.baseline)}"
    if causes:
        evidence += f"; lập danh sách sau ngày đăng ký: {_names(causes)}"
    return _failed(evidence, causes)


def suspects_tested(inputs: CriteriaInputs) -> Verdict:
    """Every suspected user on the list (present or not) has a test dated on or after the day
    they were listed, and not after D."""
    if inputs.persons is None:
        return _missing_persons()
    suspects = [p for p in inputs.persons if p.category == "suspect"]
    checks: list[PersonCheck] = [
        (
            "chưa được xét nghiệm từ khi lập danh sách",
            lambda p: not _tested_since_listed(p, inputs.as_of),
        ),
    ]
    return _check_persons(suspects, "người nghi sử dụng", checks)


def prevention_model(inputs: CriteriaInputs) -> Verdict:
    """At least one prevention model active on D."""
    if inputs.active_models is None:
        return _unknown("Chưa có dữ liệu mô hình phòng, chống ma túy")
    if inputs.active_models >= 1:
        return _passed(
            f"{_number(inputs.active_models)} mô hình đang hoạt động ngày {_day(inputs.as_of)}"
        )
    return _failed(f"Không có mô hình phòng, chống ma túy hoạt động ngày {_day(inputs.as_of)}")


def _no_hotspot_active(inputs: CriteriaInputs) -> Verdict:
    count = inputs.facts.hotspots
    if count == 0:
        return _passed(f"Không có điểm, tụ điểm, ổ nhóm hoạt động ngày {_day(inputs.as_of)}")
    causes = tuple(_hotspot_cause(h) for h in inputs.hotspots or () if h.active_on_d)
    what = f"điểm, tụ điểm, ổ nhóm hoạt động ngày {_day(inputs.as_of)}"
    return _failed(_counted(count, what, causes), causes)


def _offences_where(
    inputs: CriteriaInputs, what: str, matches: Callable[[OffenceDetail], bool]
) -> Verdict:
    """Fails on the offences of the period that match; unknown when offences were not loaded."""
    if inputs.offences is None:
        return _missing_offences()
    causes = tuple(_offence_cause(o) for o in inputs.offences if matches(o))
    if not causes:
        return _passed(f"Không có {what} trong {_period_text(inputs)}")
    return _failed(_counted(len(causes), f"{what} trong {_period_text(inputs)}", causes), causes)


# ---------------------------------------------------------------------------------------------
# Recognition criteria: Trà Vinh 2025 (seed 001, section 3)
# ---------------------------------------------------------------------------------------------


def no_hotspot_no_resident_offence(inputs: CriteriaInputs) -> Verdict:
    """TV1: no hotspot active on D and no drug offence by a resident in the period."""
    count = inputs.facts.drug_offences
    what = f"vụ phạm tội về ma túy do người cư trú gây ra trong {_period_text(inputs)}"
    if count == 0:
        offences = _passed(f"không có {what}")
    else:
        causes = tuple(_offence_cause(o) for o in inputs.offences or () if o.resident_offenders)
        offences = _failed(_counted(count, what, causes), causes)
    return _all_of(_no_hotspot_active(inputs), offences)


def addicts_filed_in_rehab(inputs: CriteriaInputs) -> Verdict:
    """TV2 (addicts): every addict present has a file and a rehab or treatment episode open on D.

    Reading: the plan's targets (2.2) say "addicts present in the locality", so addicts absent
    on D (in compulsory rehab, prison, moved away) are not checked here."""
    if inputs.persons is None:
        return _missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        ("chưa được áp dụng hình thức cai nghiện, điều trị", lambda p: not p.in_treatment_on_d),
    ]
    return _check_persons(inputs.present_persons("addict"), "người nghiện", checks)


def users_filed_tested(inputs: CriteriaInputs) -> Verdict:
    """TV2 (users): every illegal user and post-rehab person present has a file and was tested
    in the period (up to D).

    Reading: the plan asks for periodic and surprise tests "theo quy định" without a frequency,
    so one test of either kind in the period is the least that shows they are tested."""
    if inputs.persons is None:
        return _missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        (
            f"chưa được xét nghiệm trong {_period_text(inputs)}",
            lambda p: not _tested_in_period(p, inputs),
        ),
    ]
    people = inputs.present_persons("user", "post_rehab")
    return _check_persons(people, "người sử dụng trái phép, sau cai nghiện", checks)


def no_offence_by_managed(inputs: CriteriaInputs) -> Verdict:
    """TV5: relapse is found in time, so no offence in the period was committed by a person
    under management (an illegal user or a post-rehab person).

    Reading: the seed asks that relapse "không để gây ra các vụ phạm tội trên địa bàn"; the
    offence register's `by_managed_person` flag is that fact."""
    return _offences_where(
        inputs, "vụ việc do người đang bị quản lý gây ra", lambda o: o.by_managed_person
    )


def no_serious_incident_tra_vinh(inputs: CriteriaInputs) -> Verdict:
    """TV6: no very or especially serious case caused by a user or addict, and no psychosis
    ("ngáo đá") incident.

    Reading: the seed joins the two with "hoặc": a serious offence by a person under management,
    or any psychosis incident whatever its gravity."""
    return _offences_where(
        inputs,
        "vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người bị quản lý gây ra hoặc vụ “ngáo đá”",
        lambda o: (o.serious and o.by_managed_person) or o.psychosis_incident,
    )


# ---------------------------------------------------------------------------------------------
# Recognition criteria: Thanh Hóa 2024–2025 (seed 003, section II)
# ---------------------------------------------------------------------------------------------

TH1_MAX_ADDICTS = 9  # "dưới 10 người nghiện"


def addicts_under_10_negative_30d(inputs: CriteriaInputs) -> Verdict:
    """TH1: fewer than 10 addicts present, each with a file, in a rehab or treatment episode
    open on D, with a negative test in [D − 30, D] and no positive test after it."""
    if inputs.persons is None:
        return _missing_persons()
    addicts = inputs.present_persons("addict")
    start, _ = _recent_window(inputs.as_of)
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        ("không đang cai nghiện, điều trị", lambda p: not p.in_treatment_on_d),
        (
            f"không có kết quả âm tính từ {_day(start)} hoặc dương tính sau đó",
            lambda p: not _negative_and_not_positive_since(p, inputs.as_of),
        ),
    ]
    people = _check_persons(addicts, "người nghiện", checks)
    count = f"{_number(len(addicts))} người nghiện ngoài cộng đồng"
    if len(addicts) <= TH1_MAX_ADDICTS:
        return people if people.result == Outcome.FAIL else _passed(f"{count}, đều đạt yêu cầu")
    too_many = _failed(f"{count} (phải dưới 10)")
    return _all_of(too_many, people) if people.result == Outcome.FAIL else too_many


def users_negative_30d(inputs: CriteriaInputs) -> Verdict:
    """TH2: every illegal user present and every person flagged for psychosis present has a
    negative test in [D − 30, D]."""
    if inputs.persons is None:
        return _missing_persons()
    people = [p for p in inputs.persons if p.present and (p.category == "user" or p.psychosis)]
    start, _ = _recent_window(inputs.as_of)
    checks: list[PersonCheck] = [
        (
            f"không có kết quả âm tính từ {_day(start)} đến {_day(inputs.as_of)}",
            lambda p: not _negative_in_window(p, inputs.as_of),
        ),
    ]
    return _check_persons(people, "người sử dụng trái phép, có biểu hiện loạn thần", checks)


def post_rehab_managed(inputs: CriteriaInputs) -> Verdict:
    """TH5: every post-rehab person present has a file, was tested in the period and was given
    counselling or help (job, training, loan) in the period.

    Reading: the seed asks for a file, close supervision, periodic and surprise tests, and
    "được tư vấn, hỗ trợ, giúp đỡ tìm kiếm việc làm"; a test and a recorded support action in
    the period are what the registers can show of that."""
    if inputs.persons is None:
        return _missing_persons()
    checks: list[PersonCheck] = [
        ("chưa có hồ sơ", lambda p: not p.has_file),
        (
            f"chưa được xét nghiệm trong {_period_text(inputs)}",
            lambda p: not _tested_in_period(p, inputs),
        ),
        (
            f"chưa được tư vấn, hỗ trợ trong {_period_text(inputs)}",
            lambda p: not _supported_in_period(p, inputs),
        ),
    ]
    return _check_persons(inputs.present_persons("post_rehab"), "người sau cai nghiện", checks)


def no_hotspot_plant_production(inputs: CriteriaInputs) -> Verdict:
    """TH6: no hotspot active on D, no drug plants found and no production offence in the
    period."""
    finds = inputs.cultivation or ()
    facts = inputs.facts
    if finds or facts.drug_plants or facts.plant_area_m2:
        causes = tuple(_cultivation_cause(find) for find in finds)
        count = len(finds) or 1  # the counts of facts say there was at least one find
        what = f"vụ phát hiện trồng cây có chứa chất ma túy trong {_period_text(inputs)}"
        plants = _failed(_counted(count, what, causes), causes)
    else:
        plants = _passed(
            f"không phát hiện trồng cây có chứa chất ma túy trong {_period_text(inputs)}"
        )
    production = _offences_where(
        inputs, "vụ sản xuất trái phép chất ma túy", lambda o: o.kind == "production"
    )
    return _all_of(_no_hotspot_active(inputs), plants, production)


def offenders_arrested(inputs: CriteriaInputs) -> Verdict:
    """TH7: every drug offender residing in the commune arrested, and every wanted drug offender
    hiding there arrested (none hiding on D).

    Reading: the seed asks to arrest "100% người phạm tội về ma túy cư trú trên địa bàn". The
    offence register counts offenders, residents and arrests per case but not who was arrested,
    so each criminal case needs at least as many arrests as resident offenders. Administrative
    drug use is handled, not arrested, and is left out. "Xử lý 100% người vi phạm" has no
    register of its own and is not checked."""
    unarrested = _offences_where(
        inputs,
        "vụ còn người phạm tội cư trú trên địa bàn chưa bị bắt giữ",
        lambda o: o.kind != "use_administrative" and o.offenders_arrested < o.resident_offenders,
    )
    return _all_of(unarrested, _no_wanted_hiding(inputs))


def no_serious_incident_thanh_hoa(inputs: CriteriaInputs) -> Verdict:
    """TH8: no very or especially serious case caused by an addict, a user or a person with
    psychosis.

    Reading: unlike Trà Vinh the seed makes "rất nghiêm trọng, đặc biệt nghiêm trọng" apply to
    all three groups, so a psychosis incident fails only when it is serious."""
    return _offences_where(
        inputs,
        "vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người nghiện, sử dụng, loạn thần gây ra",
        lambda o: o.serious and (o.by_managed_person or o.psychosis_incident),
    )


CriterionFunction = Callable[[CriteriaInputs], Verdict]

CRITERIA: dict[str, CriterionFunction] = {
    "Q1_no_users_except_treatment": no_users_except_treatment,
    "Q2_no_violations_no_fugitives": no_violations_no_fugitives,
    "Q3_no_harbouring_places": no_harbouring_places,
    "TV1_no_hotspot_no_offence": no_hotspot_no_resident_offence,
    "TV2_addicts_filed_in_rehab": addicts_filed_in_rehab,
    "TV2_users_filed_tested": users_filed_tested,
    "TV3_household_pledges": household_pledges,
    "TV3_hotline_boards": hotline_boards,
    "TV4_not_above_baseline": not_above_baseline,
    "TV5_no_offence_by_managed": no_offence_by_managed,
    "TV6_no_serious_incident": no_serious_incident_tra_vinh,
    "TV7_suspects_tested": suspects_tested,
    "TV8_prevention_model": prevention_model,
    "TH1_addicts_under_10_negative_30d": addicts_under_10_negative_30d,
    "TH2_users_negative_30d": users_negative_30d,
    "TH3_suspects_tested": suspects_tested,
    "TH4_not_above_baseline": not_above_baseline,
    "TH5_post_rehab_managed": post_rehab_managed,
    "TH6_no_hotspot_plant_production": no_hotspot_plant_production,
    "TH7_offenders_arrested": offenders_arrested,
    "TH8_no_serious_incident": no_serious_incident_thanh_hoa,
    "TH9_household_pledges": household_pledges,
    "TH10_prevention_model": prevention_model,
    # Provincial additions on top of QĐ 28 (Lạng Sơn, Ninh Bình 2025).
    "PLEDGES_100": household_pledges,
    "MODEL_1": prevention_model,
}
