"""Step 2 of the import: the stored rows the file refers to, fetched in bulk up front — a few
queries per kind of row, never one per row — and the `State` the planners work on."""

import datetime
from dataclasses import dataclass, field
from typing import NoReturn

from assessments.models import Registration, RoadmapTarget
from casefiles.models import CategoryPeriod, DrugTest, Person, PresencePeriod, RehabEpisode
from casefiles.services import LookupBudget, lookup_budget
from communes.models import (
    Commune,
    CultivationFind,
    Hamlet,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    PreventionModel,
    Province,
    WantedPerson,
)

from .apply import WritePlan
from .cells import name_key
from .errors import CellError
from .parsing import ParsedRow, collect, key_part

CHUNK = 500  # values per `__in` lookup, well under SQLite's limit on query parameters


class SkipRow(Exception):
    """The row cannot be planned; its error is recorded already (or on the row it refers to)."""


@dataclass
class State:
    """What the planners read (the user's scope, the stored rows) and what they produce (the
    plan, the errors, the counts). Planners add the rows the file creates to the lookups, so
    later sheets find them as if they were stored."""

    today: datetime.date
    allowed: set[str] | None  # codes of the communes the user may change; None: any
    allowed_provinces: set[str] | None
    may_change_provinces: bool  # create or rename a province (administrators)
    unreadable: set[str]  # sheets present but unreadable: references to them are not errors
    declared: dict[str, set]  # keys of every row of each sheet, even rows with errors
    plan: WritePlan = field(default_factory=WritePlan)
    errors: list[CellError] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    provinces: dict[str, Province] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    hamlets: dict[tuple, Hamlet] = field(default_factory=dict)  # (commune code, name_key)
    persons: dict[str, Person] = field(default_factory=dict)  # by citizen ID
    categories: dict[int, CategoryPeriod] = field(default_factory=dict)  # open, by person pk
    presences: dict[int, PresencePeriod] = field(default_factory=dict)
    existing: dict[str, dict] = field(default_factory=dict)  # per sheet: key -> stored row
    province_names: dict[str, tuple[str, int]] = field(default_factory=dict)
    new_hotspots: list[Hotspot] = field(default_factory=list)
    # The importer's daily budget of citizen IDs outside their area (None: no limit, as for
    # an administrator, whose area is everything) and the ones this file ran into, to log.
    lookups: LookupBudget | None = None
    out_of_area: dict[str, None] = field(default_factory=dict)  # an ordered set

    def may_change(self, commune_code: str) -> bool:
        return self.allowed is None or commune_code in self.allowed

    def held_elsewhere(self, citizen_id: str) -> bool:
        """A stored file outside the importer's area holds this citizen ID. The answer is
        the planners' to act on and never to say (contracts.md §3): it is noted for the
        security log, and spends the importer's daily budget."""
        person = self.persons.get(citizen_id)
        if person is None or self.may_change(person.commune.code):
            return False
        self.out_of_area[citizen_id] = None
        if self.lookups is not None:
            self.lookups.spend(citizen_id)
        return True

    def refuses_new_citizen_id(self, citizen_id: str) -> bool:
        """Past the importer's daily limit no citizen ID new to them enters their area."""
        return self.lookups is not None and self.lookups.refuses(citizen_id)

    def fail(self, row: ParsedRow, column: str, message: str) -> NoReturn:
        self.errors.append(CellError(row.sheet, row.number, column, message))
        raise SkipRow

    def refers_to_bad_row(self, sheet: str, key) -> bool:
        """The reference names a row of `sheet` in this file that has its own error."""
        return sheet in self.unreadable or key in self.declared.get(sheet, set())

    def count(self, row: ParsedRow, action: str) -> None:
        self.counts[row.sheet][action] += 1


def load_state(
    parsed: dict[str, list[ParsedRow]],
    *,
    declared: dict[str, set],
    allowed_communes,
    may_change_provinces: bool,
    today: datetime.date,
    unreadable: set[str],
    importer=None,
) -> State:
    state = State(
        today=today,
        allowed=None,
        allowed_provinces=None,
        may_change_provinces=may_change_provinces,
        unreadable=unreadable,
        declared=declared,
    )
    if allowed_communes is not None:
        state.allowed = set(allowed_communes.values_list("code", flat=True))
        state.allowed_provinces = set(allowed_communes.values_list("province__code", flat=True))
        if importer is not None:
            state.lookups = lookup_budget(user=importer)
    _load_places(state, parsed)
    _load_persons(state, parsed)
    _load_registers(state, parsed)
    return state


def _fetch(queryset, lookup: str, values: set) -> list:
    """Rows whose `lookup` is in `values`, in chunks so huge files stay within query limits."""
    values = sorted(values)
    rows = []
    for start in range(0, len(values), CHUNK):
        rows += queryset.filter(**{f"{lookup}__in": values[start : start + CHUNK]})
    return rows


def _commune_codes(parsed) -> set[str]:
    sheets_with_commune = [name for name in parsed if name not in ("communes", "roadmap")]
    return collect(parsed, ("communes",), "code") | collect(
        parsed, sheets_with_commune, "commune_code"
    )


def _load_places(state: State, parsed) -> None:
    codes = _commune_codes(parsed)
    province_codes = collect(parsed, ("communes", "roadmap"), "province_code")
    for province in _fetch(Province.objects.all(), "code", province_codes):
        state.provinces[province.code] = province
    for commune in _fetch(Commune.objects.select_related("province"), "code", codes):
        state.communes[commune.code] = commune
    hamlets = _fetch(Hamlet.objects.select_related("commune"), "commune__code", codes)
    for hamlet in hamlets:
        state.hamlets[(hamlet.commune.code, name_key(hamlet.name))] = hamlet
    if "roadmap" in parsed:
        targets = RoadmapTarget.objects.select_related("province")
        state.existing["roadmap"] = {
            (target.province.code, target.year): target
            for target in _fetch(targets, "province__code", province_codes)
        }


def _load_persons(state: State, parsed) -> None:
    ids = collect(parsed, ("persons", "drug_tests", "rehab"), "citizen_id")
    for person in _fetch(Person.objects.select_related("commune"), "citizen_id", ids):
        state.persons[person.citizen_id] = person
    by_pk = {person.pk: person for person in state.persons.values()}
    for model, current in ((CategoryPeriod, state.categories), (PresencePeriod, state.presences)):
        for period in _fetch(model.objects.filter(ended_on__isnull=True), "person_id", set(by_pk)):
            period.person = by_pk[period.person_id]
            current[period.person_id] = period
    for sheet, model, key in (
        ("drug_tests", DrugTest, lambda test: (test.tested_on, test.kind)),
        ("rehab", RehabEpisode, lambda episode: (episode.form, episode.started_on)),
    ):
        if sheet in parsed:
            state.existing[sheet] = {}
            for row in _fetch(model.objects.all(), "person_id", set(by_pk)):
                row.person = by_pk[row.person_id]
                state.existing[sheet][(row.person.citizen_id, *key(row))] = row


REGISTER_KEYS = {
    "hotspots": (Hotspot, "ref"),
    "cultivation": (CultivationFind, "ref"),
    "offences": (Offence, "ref"),
    "wanted": (WantedPerson, "ref"),
    "pledges": (Household, "household_code"),
    "models": (PreventionModel, "name"),
    "registrations": (Registration, "year"),
}


def _load_registers(state: State, parsed) -> None:
    _load_hamlet_pledges(state, parsed)
    for sheet, (model, key_field) in REGISTER_KEYS.items():
        if sheet not in parsed:
            continue
        codes = collect(parsed, (sheet,), "commune_code")
        queryset = model.objects.select_related("commune")
        if model is Hotspot:
            queryset = queryset.select_related("hamlet")
        if model is Registration:
            queryset = queryset.select_related("case")  # whether its terms may still change
        if model is Household:
            rows = _households(queryset, codes, collect(parsed, (sheet,), key_field))
        else:
            rows = _fetch(queryset, "commune__code", codes)
        state.existing[sheet] = {
            (row.commune.code, key_part(getattr(row, key_field))): row for row in rows
        }


def _load_hamlet_pledges(state: State, parsed) -> None:
    """The pledges that count (not voided) of the communes the sheet names, keyed by commune +
    hamlet name as the rows name them: a voided pledge is history, and a row for its hamlet
    records a new one."""
    if "hamlet_pledges" not in parsed:
        return
    codes = collect(parsed, ("hamlet_pledges",), "commune_code")
    pledges = HamletPledge.objects.current().select_related("commune", "hamlet")
    state.existing["hamlet_pledges"] = {
        (pledge.commune.code, name_key(pledge.hamlet.name)): pledge
        for pledge in _fetch(pledges, "commune__code", codes)
    }


def _households(queryset, commune_codes: set, household_codes: set) -> list:
    """The stored households the file names, with their pledge.

    Households are many, so a small file fetches only those it names. A large one fetches its
    communes' households whole: a commune holds a few thousand, while 1,000 lookups of 500
    codes each cost PostgreSQL a scan of the commune per lookup (minutes at a million rows).
    """
    queryset = queryset.select_related("pledge").filter(commune__code__in=commune_codes)
    queryset = queryset.order_by()  # the model's ordering joins hamlets for nothing here
    if len(household_codes) <= 10 * CHUNK:
        return _fetch(queryset, "household_code", household_codes)
    return [
        household
        for household in _fetch(queryset, "commune__code", commune_codes)
        if household.household_code in household_codes
    ]
