"""One spec per sheet of the import workbook (contracts.md §3), and how its rows become a plan.

Three steps, so that every error of every sheet is found before anything is written:
1. `parse_sheet` (pure): each cell parsed alone, then each row's own rules (an end date after
   its start…), then duplicate keys inside the sheet.
2. `load_state`: the stored rows the file refers to, fetched in bulk up front — a few queries
   per kind of row, never one per row.
3. `plan_sheet`: each row resolved against the database and the earlier sheets of the same
   file (a hamlet of a commune the file creates), access checked, and compared with what is
   stored: a new row, a changed row, or an unchanged one.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NoReturn

from django.core.exceptions import ObjectDoesNotExist

from assessments.models import ProfileCode, Registration, RoadmapTarget
from casefiles.models import (
    Category,
    CategoryPeriod,
    DrugTest,
    Person,
    Presence,
    PresencePeriod,
    RehabEpisode,
    RehabForm,
    TestKind,
    TestResult,
)
from communes.models import (
    Commune,
    CommuneKind,
    CultivationFind,
    Hamlet,
    Hotspot,
    HotspotKind,
    Household,
    Offence,
    OffenceKind,
    Pledge,
    PreventionModel,
    Province,
    WantedPerson,
)
from core.text import fold_vietnamese

from .apply import WritePlan
from .cells import (
    CellProblem,
    Parser,
    area_m2,
    choice,
    citizen_id,
    citizen_id_conflict,
    day,
    integer,
    is_blank,
    name_key,
    official_code,
    text,
    yes_no,
)
from .reading import UNREADABLE, CellError, SheetRows

CHUNK = 500  # values per `__in` lookup, well under SQLite's limit on query parameters
ACTIONS = ("create", "update", "unchanged")
ABSENCES = [status.value for status in Presence if status != Presence.PRESENT]


# --- Specs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False  # the column must be there and no cell may be blank
    blank: object = None  # what a blank cell means in an optional column


def required(name: str, parse: Parser) -> Column:
    return Column(name, parse, required=True)


def optional(name: str, parse: Parser, blank=None) -> Column:
    return Column(name, parse, blank=blank)


def flag(name: str) -> Column:
    return Column(name, yes_no, blank=False)


def count(name: str) -> Column:
    return Column(name, integer(), blank=0)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    plan_row: Callable
    example: dict
    row_checks: Callable[[dict], list[tuple[str, str]]] = lambda values: []
    finish: Callable | None = None  # runs after every row of the sheet is planned
    places: bool = False  # provinces' own data: provincial officers and the command line only

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


# --- Step 1: parsing, pure -------------------------------------------------------------------


@dataclass
class ParsedRow:
    sheet: str
    number: int
    values: dict  # parsed values of the columns present in the header
    ok: bool  # no cell or row error: the row can be planned


def parse_sheet(
    spec: SheetSpec, sheet: SheetRows, today: datetime.date
) -> tuple[list[ParsedRow] | None, list[CellError]]:
    """The sheet's rows, parsed, and their errors; None for the rows of a sheet whose header
    is wrong (no row of it can be read)."""
    if not sheet.readable:
        return None, []
    missing = [c.name for c in spec.columns if c.required and c.name not in sheet.columns]
    if missing:
        return None, [CellError(spec.name, 1, name, "thiếu cột bắt buộc") for name in missing]
    rows, errors = [], []
    for number, cells in sheet.rows:
        row, row_errors = parse_row(spec, sheet.columns, number, cells, today)
        rows.append(row)
        errors += row_errors
    errors += _mark_duplicates(spec, rows)
    return rows, errors


def parse_row(spec, header, number, cells, today) -> tuple[ParsedRow, list[CellError]]:
    values, errors, unreadable = {}, [], False
    for column in spec.columns:
        if column.name not in header:
            continue
        raw = cells.get(column.name)
        if raw is UNREADABLE:
            unreadable = True  # reported when the file was read
            continue
        try:
            values[column.name] = _parse_cell(column, raw, today)
        except CellProblem as problem:
            errors.append(CellError(spec.name, number, column.name, str(problem)))
    if not errors and not unreadable:
        # Rules across cells only make sense once every cell could be read.
        for name, message in spec.row_checks(values):
            errors.append(CellError(spec.name, number, name, message))
    return ParsedRow(spec.name, number, values, ok=not (errors or unreadable)), errors


def _parse_cell(column: Column, raw, today: datetime.date):
    if is_blank(raw):
        if column.required:
            raise CellProblem("không được để trống")
        return column.blank
    value = column.parse(raw)
    if isinstance(value, datetime.date) and value > today:
        raise CellProblem(f"ngày {value:%Y-%m-%d} ở tương lai (hôm nay là {today:%Y-%m-%d})")
    return value


def key_of(spec: SheetSpec, values: dict) -> tuple | None:
    """The row's upsert key, names compared as `name_key` does; None if a key cell is bad."""
    if any(values.get(name) is None for name in spec.key):
        return None
    return tuple(_key_part(values[name]) for name in spec.key)


def _key_part(value):
    return name_key(value) if isinstance(value, str) else value


def _mark_duplicates(spec: SheetSpec, rows: list[ParsedRow]) -> list[CellError]:
    first_row, errors = {}, []
    for row in rows:
        key = key_of(spec, row.values)
        if key is None:
            continue
        if key in first_row:
            row.ok = False
            message = f"trùng khóa ({', '.join(spec.key)}) với dòng {first_row[key]} trong tệp"
            errors.append(CellError(spec.name, row.number, spec.key[-1], message))
        else:
            first_row[key] = row.number
    return errors


def ends_after_starts(start: str, end: str) -> Callable[[dict], list[tuple[str, str]]]:
    def check(values: dict) -> list[tuple[str, str]]:
        if values.get(end) and values.get(start) and values[end] < values[start]:
            message = (
                f"ngày kết thúc {values[end]:%Y-%m-%d} trước ngày bắt đầu "
                f"{values[start]:%Y-%m-%d} ({start})"
            )
            return [(end, message)]
        return []

    return check


def person_checks(values: dict) -> list[tuple[str, str]]:
    problems = []
    conflict = citizen_id_conflict(
        values["citizen_id"], sex=values["sex"], birth_date=values["birth_date"]
    )
    if conflict:
        problems.append(("citizen_id", conflict))
    for name in ("category_since", "listed_on", "file_opened_on"):
        if values.get(name) and values[name] < values["birth_date"]:
            problems.append((name, f"ngày {values[name]:%Y-%m-%d} trước ngày sinh"))
    if not values["present"] and not values.get("absence_reason"):
        problems.append(
            ("absence_reason", "vắng mặt thì phải ghi lý do vắng mặt: " + ", ".join(ABSENCES))
        )
    if values["present"] and values.get("absence_reason"):
        problems.append(("absence_reason", "có mặt tại địa phương thì để trống lý do vắng mặt"))
    return problems


def offence_counts_check(values: dict) -> list[tuple[str, str]]:
    problems = []
    for name in ("offenders_arrested", "resident_offenders"):
        if name in values and "offenders" in values and values[name] > values["offenders"]:
            problems.append((name, f"không được lớn hơn số đối tượng ({values['offenders']})"))
    return problems


# --- Step 2: what the file refers to, fetched in bulk ----------------------------------------


class SkipRow(Exception):
    """The row cannot be planned; its error is recorded already (or on the row it refers to)."""


@dataclass
class State:
    today: datetime.date
    allowed: set[str] | None  # codes of the communes the user may change; None: any
    allowed_provinces: set[str] | None
    may_edit_places: bool
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

    def may_change(self, commune_code: str) -> bool:
        return self.allowed is None or commune_code in self.allowed

    def may_import_places(self) -> bool:
        return self.allowed is None or self.may_edit_places

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
    allowed_communes,
    may_edit_places: bool,
    today: datetime.date,
    unreadable: set[str],
) -> State:
    state = State(
        today=today,
        allowed=None,
        allowed_provinces=None,
        may_edit_places=may_edit_places,
        unreadable=unreadable,
        declared=_declared_keys(parsed),
    )
    if allowed_communes is not None:
        state.allowed = set(allowed_communes.values_list("code", flat=True))
        state.allowed_provinces = set(allowed_communes.values_list("province__code", flat=True))
    _load_places(state, parsed)
    _load_persons(state, parsed)
    _load_registers(state, parsed)
    return state


def _declared_keys(parsed) -> dict[str, set]:
    declared = {
        name: {key_of(SHEETS[name], row.values) for row in rows} for name, rows in parsed.items()
    }
    declared["provinces"] = _collect(parsed, ("communes",), "province_code")
    return declared


def _collect(parsed, sheets: Iterable[str], column: str) -> set:
    return {
        row.values[column]
        for sheet in sheets
        for row in parsed.get(sheet, [])
        if row.values.get(column) is not None
    }


def _fetch(queryset, lookup: str, values: set) -> list:
    """Rows whose `lookup` is in `values`, in chunks so huge files stay within query limits."""
    values = sorted(values)
    rows = []
    for start in range(0, len(values), CHUNK):
        rows += queryset.filter(**{f"{lookup}__in": values[start : start + CHUNK]})
    return rows


def _commune_codes(parsed) -> set[str]:
    sheets_with_commune = [name for name in parsed if name not in ("communes", "roadmap")]
    return _collect(parsed, ("communes",), "code") | _collect(
        parsed, sheets_with_commune, "commune_code"
    )


def _load_places(state: State, parsed) -> None:
    codes = _commune_codes(parsed)
    province_codes = _collect(parsed, ("communes", "roadmap"), "province_code")
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
    ids = _collect(parsed, ("persons", "drug_tests", "rehab"), "citizen_id")
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
    for sheet, (model, key_field) in REGISTER_KEYS.items():
        if sheet not in parsed:
            continue
        codes = _collect(parsed, (sheet,), "commune_code")
        queryset = model.objects.select_related("commune")
        if model is Hotspot:
            queryset = queryset.select_related("hamlet")
        if model is Household:
            rows = _households(queryset, codes, _collect(parsed, (sheet,), key_field))
        else:
            rows = _fetch(queryset, "commune__code", codes)
        state.existing[sheet] = {
            (row.commune.code, _key_part(getattr(row, key_field))): row for row in rows
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


# --- Step 3: planning, row by row -------------------------------------------------------------


def plan_sheet(spec: SheetSpec, rows: list[ParsedRow], state: State) -> None:
    if spec.places and not state.may_import_places():
        message = f"chỉ cán bộ cấp tỉnh được nhập trang “{spec.name}”"
        state.errors.append(CellError(spec.name, 1, "sheet", message))
        return
    state.counts[spec.name] = dict.fromkeys(ACTIONS, 0)
    for row in rows:
        if not row.ok:
            continue
        try:
            spec.plan_row(state, row)
        except SkipRow:
            continue
    if spec.finish:
        spec.finish(state)


def _present(row: ParsedRow, names: Iterable[str]) -> dict:
    """The values of the columns the sheet has: an absent column leaves the stored value."""
    return {name: row.values[name] for name in names if name in row.values}


def _upsert(state: State, stored, values: dict, make: Callable):
    """Create the row with `make()` or bring the stored one to `values`.

    Returns the instance and what happened to it: "create", "update" or "unchanged"."""
    if stored is None:
        return state.plan.create(make()), "create"
    return stored, "update" if state.plan.change(stored, values) else "unchanged"


def _also_changed(action: str, changed: bool) -> str:
    """A row counts as updated when something else it holds changes (a province, a pledge)."""
    return "update" if action == "unchanged" and changed else action


def _commune(state: State, row: ParsedRow, column: str = "commune_code") -> Commune:
    code = row.values[column]
    commune = state.communes.get(code)
    if commune is None:
        if state.refers_to_bad_row("communes", (code,)):
            raise SkipRow
        state.fail(row, column, f"không có xã mã “{code}” (trong hệ thống hoặc trang communes)")
    if not state.may_change(code):
        state.fail(row, column, f"xã {commune.name} ({code}) không thuộc địa bàn của bạn")
    return commune


def _hamlet(state: State, row: ParsedRow, commune: Commune) -> Hamlet | None:
    name = row.values.get("hamlet")
    if not name:
        return None
    key = (commune.code, name_key(name))
    if key in state.hamlets:
        return state.hamlets[key]
    if state.refers_to_bad_row("hamlets", key):
        raise SkipRow
    message = f"xã {commune.name} ({commune.code}) không có thôn, tổ dân phố “{name}”"
    state.fail(row, "hamlet", message + " (trong hệ thống hoặc trang hamlets)")


def _person(state: State, row: ParsedRow) -> Person:
    number = row.values["citizen_id"]
    person = state.persons.get(number)
    if person is None:
        if state.refers_to_bad_row("persons", (number,)):
            raise SkipRow
        message = f"không có người mang số CCCD “{number}” (trong hệ thống hoặc trang persons)"
        state.fail(row, "citizen_id", message)
    if not state.may_change(person.commune.code):
        state.fail(row, "citizen_id", f"số CCCD “{number}” không thuộc địa bàn của bạn")
    return person


# communes -------------------------------------------------------------------------------------

COMMUNE_FIELDS = ("name", "kind", "population", "households", "on_key_route", "border")


def plan_commune(state: State, row: ParsedRow) -> None:
    province, province_changed = _province_for_commune(state, row)
    code = row.values["code"]
    commune = state.communes.get(code)
    if commune is not None and not state.may_change(code):
        state.fail(row, "code", f"xã {commune.name} ({code}) không thuộc địa bàn của bạn")
    values = {"province": province, **_present(row, COMMUNE_FIELDS)}
    if commune is None or "name" in state.plan.changed_fields(commune, values):
        # bulk writes skip Commune.save(), which keeps the folded name for search.
        values["search_text"] = fold_vietnamese(f"{values['name']} {code}")
    commune, action = _upsert(state, commune, values, lambda: Commune(code=code, **values))
    state.count(row, _also_changed(action, province_changed))
    state.communes[code] = commune
    if state.allowed is not None:
        state.allowed.add(code)  # its province was checked: the user may fill the new commune


def _province_for_commune(state: State, row: ParsedRow) -> tuple[Province, bool]:
    """The commune's province, created or renamed as the row says; True if that changes it."""
    code, name = row.values["province_code"], row.values["province_name"]
    if state.allowed_provinces is not None and code not in state.allowed_provinces:
        state.fail(row, "province_code", f"tỉnh mã {code} không thuộc địa bàn của bạn")
    first_name, first_row = state.province_names.setdefault(code, (name, row.number))
    if first_name != name:
        message = f"khác tên tỉnh “{first_name}” ở dòng {first_row} cho cùng mã tỉnh {code}"
        state.fail(row, "province_name", message)
    province = state.provinces.get(code)
    if province is None:
        state.provinces[code] = state.plan.create(Province(code=code, name=name))
        return state.provinces[code], True
    return province, state.plan.change(province, {"name": name})


# hamlets --------------------------------------------------------------------------------------


def plan_hamlet(state: State, row: ParsedRow) -> None:
    commune = _commune(state, row)
    name = row.values["name"]
    key = (commune.code, name_key(name))
    values = _present(row, ("households", "hotline_board", "mailbox"))
    stored = state.hamlets.get(key)
    hamlet, action = _upsert(
        state, stored, values, lambda: Hamlet(commune=commune, name=name, **values)
    )
    state.count(row, action)
    state.hamlets[key] = hamlet


# persons --------------------------------------------------------------------------------------

PERSON_FIELDS = ("full_name", "birth_date", "sex", "listed_on", "psychosis", "file_opened_on")


def plan_person(state: State, row: ParsedRow) -> None:
    commune = _commune(state, row)
    values = _present(row, PERSON_FIELDS)
    if "hamlet" in row.values:
        values["hamlet"] = _hamlet(state, row, commune)
    number = row.values["citizen_id"]
    person = state.persons.get(number)
    if person is None:
        state.persons[number] = _create_person(state, row, commune, values)
        state.count(row, "create")
    else:
        changed = _update_person(state, row, person, commune, values)
        state.count(row, "update" if changed else "unchanged")


def _presence(row: ParsedRow) -> str:
    return Presence.PRESENT if row.values["present"] else row.values["absence_reason"]


def _create_person(state: State, row: ParsedRow, commune: Commune, values: dict) -> Person:
    number = row.values["citizen_id"]
    person = state.plan.create(
        Person(
            citizen_id=number,
            commune=commune,
            search_text=fold_vietnamese(f"{values['full_name']} {number}"),
            **values,
        )
    )
    category = CategoryPeriod(
        person=person, category=row.values["category"], started_on=row.values["category_since"]
    )
    presence = PresencePeriod(person=person, status=_presence(row), started_on=values["listed_on"])
    state.plan.create(category)
    state.plan.create(presence)
    return person


def _update_person(state, row, person: Person, commune: Commune, values: dict) -> bool:
    """Bring a stored file to the row; True if anything changes. A change of commune is a
    move, with its own record: done on the file's page, not by an import."""
    if person.commune_id != commune.pk:
        elsewhere = person.commune if state.may_change(person.commune.code) else None
        where = f"xã {elsewhere.name} ({elsewhere.code})" if elsewhere else "một xã khác"
        message = f"người này đang được quản lý ở {where}; chuyển hồ sơ trên trang hồ sơ"
        state.fail(row, "commune_code", message)
    fields = state.plan.changed_fields(person, values)
    category = _category_change(state, row, person)
    presence = _presence_change(state, row, person)
    if person.closed_on and (fields or category or presence):
        state.fail(
            row, "citizen_id", f"hồ sơ đã đóng ngày {person.closed_on:%Y-%m-%d}, không sửa được"
        )
    if fields:
        values = {**values, "version": person.version + 1}
        if "full_name" in fields:
            values["search_text"] = fold_vietnamese(f"{values['full_name']} {person.citizen_id}")
        state.plan.change(person, values)
    for change in (category, presence):
        if change:
            _open_period(state, person, *change)
    return bool(fields or category or presence)


def _category_change(state, row, person):
    """(model, current period, start, values) when the category differs from the current."""
    current = state.categories.get(person.pk)
    category, since = row.values["category"], row.values["category_since"]
    if current is not None and current.category == category:
        return None
    if current is not None and since < current.started_on:
        message = (
            f"ngày {since:%Y-%m-%d} trước ngày bắt đầu diện hiện tại "
            f"({current.get_category_display()}, từ {current.started_on:%Y-%m-%d})"
        )
        state.fail(row, "category_since", message)
    return CategoryPeriod, current, since, {"category": category}


def _presence_change(state, row, person):
    """As `_category_change`; a new presence starts on the day of the import."""
    current = state.presences.get(person.pk)
    status = _presence(row)
    if current is not None and current.status == status:
        return None
    if current is not None and state.today < current.started_on:
        message = f"tình trạng hiện tại bắt đầu sau hôm nay ({current.started_on:%Y-%m-%d})"
        state.fail(row, "present", message)
    return PresencePeriod, current, state.today, {"status": status}


def _open_period(state, person, model, current, start, values) -> None:
    """End the current period where the new one starts, as casefiles.services does."""
    if current is not None:
        state.plan.change(current, {"ended_on": start})
    state.plan.create(model(person=person, started_on=start, **values))


# drug_tests and rehab ------------------------------------------------------------------------


def plan_drug_test(state: State, row: ParsedRow) -> None:
    person = _person(state, row)
    values = _present(row, ("result", "substance"))
    tested_on, kind = row.values["tested_on"], row.values["kind"]
    stored = state.existing["drug_tests"].get((person.citizen_id, tested_on, kind))
    _test, action = _upsert(
        state,
        stored,
        values,
        lambda: DrugTest(person=person, tested_on=tested_on, kind=kind, **values),
    )
    state.count(row, action)


def plan_rehab(state: State, row: ParsedRow) -> None:
    person = _person(state, row)
    values = _present(row, ("ended_on",))
    form, started_on = row.values["form"], row.values["started_on"]
    stored = state.existing["rehab"].get((person.citizen_id, form, started_on))
    _episode, action = _upsert(
        state,
        stored,
        values,
        lambda: RehabEpisode(person=person, form=form, started_on=started_on, **values),
    )
    state.count(row, action)


# area registers -------------------------------------------------------------------------------


def _plan_register(state, row, commune, model, key_field: str, fields: Iterable[str], **extra):
    """Upsert a row of a commune's register keyed by commune + `key_field`; return the
    instance and what happened to it, uncounted."""
    key_value = row.values[key_field]
    values = {**_present(row, fields), **extra}
    stored = state.existing[row.sheet].get((commune.code, _key_part(key_value)))
    return _upsert(
        state, stored, values, lambda: model(commune=commune, **{key_field: key_value}, **values)
    )


def _plan_counted(state, row, model, key_field: str, fields: Iterable[str]):
    commune = _commune(state, row)
    instance, action = _plan_register(state, row, commune, model, key_field, fields)
    state.count(row, action)
    return instance


def plan_hotspot(state: State, row: ParsedRow) -> None:
    commune = _commune(state, row)
    extra = {"hamlet": _hamlet(state, row, commune)} if "hamlet" in row.values else {}
    fields = ("kind", "detected_on", "eradicated_on")
    hotspot, action = _plan_register(state, row, commune, Hotspot, "ref", fields, **extra)
    state.count(row, action)
    if action == "create":
        state.new_hotspots.append(hotspot)


def link_re_emerged_hotspots(state: State) -> None:
    """A new hotspot where one had been eradicated re-emerged there (tái phức tạp).

    "The same place" is the same commune and hamlet: the sheet has no location column. The
    earlier hotspot may be stored or come from the same file; the latest eradicated wins.
    """
    places = {}
    stored = [h for h in state.existing["hotspots"].values() if h.voided_on is None]
    for hotspot in stored + state.new_hotspots:
        if hotspot.hamlet is not None:
            places.setdefault(_place(hotspot), []).append(hotspot)
    for hotspot in state.new_hotspots:
        if hotspot.hamlet is None:
            continue
        earlier = [
            other
            for other in places.get(_place(hotspot), [])
            if other.eradicated_on
            and other.detected_on < hotspot.detected_on
            and other.eradicated_on <= hotspot.detected_on
        ]
        if earlier:
            source = max(earlier, key=lambda other: (other.eradicated_on, other.detected_on))
            if source.pk:
                hotspot.re_emerged_from = source
            else:
                state.plan.link(hotspot, "re_emerged_from", source)


def _place(hotspot: Hotspot) -> tuple[str, str]:
    return (hotspot.commune.code, name_key(hotspot.hamlet.name))


def plan_cultivation(state: State, row: ParsedRow) -> None:
    fields = ("found_on", "plants", "area_m2", "destroyed_on")
    _plan_counted(state, row, CultivationFind, "ref", fields)


OFFENCE_FIELDS = (
    "occurred_on",
    "kind",
    "offenders",
    "offenders_arrested",
    "resident_offenders",
    "serious",
    "by_managed_person",
    "psychosis_incident",
)


def plan_offence(state: State, row: ParsedRow) -> None:
    offence = _plan_counted(state, row, Offence, "ref", OFFENCE_FIELDS)
    # With a count column left out, the stored count takes part in the rule.
    for name in ("offenders_arrested", "resident_offenders"):
        if getattr(offence, name) > offence.offenders:
            state.fail(row, name, f"không được lớn hơn số đối tượng ({offence.offenders})")


def plan_wanted(state: State, row: ParsedRow) -> None:
    _plan_counted(state, row, WantedPerson, "ref", ("hiding_since", "arrested_on"))


def plan_model(state: State, row: ParsedRow) -> None:
    _plan_counted(state, row, PreventionModel, "name", ("started_on", "ended_on"))


def plan_registration(state: State, row: ParsedRow) -> None:
    fields = ("registered_on", "profile", "baseline_addicts", "baseline_users")
    _plan_counted(state, row, Registration, "year", fields)


# pledges --------------------------------------------------------------------------------------


def plan_pledge(state: State, row: ParsedRow) -> None:
    """A household, and its pledge when signed_on is filled. A blank signed_on never withdraws
    a stored pledge: nothing in the registers is deleted."""
    commune = _commune(state, row)
    hamlet = _hamlet(state, row, commune)
    household, action = _plan_register(
        state, row, commune, Household, "household_code", ("head_name",), hamlet=hamlet
    )
    state.count(row, _also_changed(action, _plan_signature(state, household, row)))


def _plan_signature(state: State, household: Household, row: ParsedRow) -> bool:
    """Record the household's pledge as the row says; True if that changes anything."""
    signed_on = row.values.get("signed_on")
    if not signed_on:
        return False
    pledge = _pledge_of(household)
    if pledge is None:
        state.plan.create(Pledge(household=household, signed_on=signed_on))
        return True
    return state.plan.change(pledge, {"signed_on": signed_on})


def _pledge_of(household: Household) -> Pledge | None:
    # Stored households come with their pledge (select_related), new ones have none:
    # neither case queries.
    try:
        return household.pledge
    except ObjectDoesNotExist:
        return None


# roadmap --------------------------------------------------------------------------------------


def plan_roadmap(state: State, row: ParsedRow) -> None:
    code, year = row.values["province_code"], row.values["year"]
    province = state.provinces.get(code)
    if province is None:
        if code in state.declared["provinces"] or "communes" in state.unreadable:
            raise SkipRow
        state.fail(
            row, "province_code", f"không có tỉnh mã “{code}” (trong hệ thống hoặc trang communes)"
        )
    if state.allowed_provinces is not None and code not in state.allowed_provinces:
        state.fail(row, "province_code", f"tỉnh mã {code} không thuộc địa bàn của bạn")
    values = _present(row, ("target_communes",))
    stored = state.existing["roadmap"].get((code, year))
    _target, action = _upsert(
        state, stored, values, lambda: RoadmapTarget(province=province, year=year, **values)
    )
    state.count(row, action)


# --- The sheets, in the order they are read and written ---------------------------------------

YEARS = integer(2024, 2030)


def _values(choices) -> list[str]:
    return [item.value for item in choices]


SHEET_LIST = [
    SheetSpec(
        name="communes",
        columns=(
            required("province_code", official_code),
            required("province_name", text(100)),
            required("code", official_code),
            required("name", text(100)),
            required("kind", choice(_values(CommuneKind))),
            optional("population", integer(), blank=0),
            optional("households", integer()),
            flag("on_key_route"),
            flag("border"),
        ),
        key=("code",),
        plan_row=plan_commune,
        places=True,
        example={
            "province_code": "99",
            "province_name": "Tỉnh Mẫu",
            "code": "99001",
            "name": "Xã Mẫu",
            "kind": "xa",
            "population": 8500,
            "households": 2100,
            "on_key_route": "không",
            "border": "không",
        },
    ),
    SheetSpec(
        name="hamlets",
        columns=(
            required("commune_code", official_code),
            required("name", text(100)),
            optional("households", integer()),
            flag("hotline_board"),
            flag("mailbox"),
        ),
        key=("commune_code", "name"),
        plan_row=plan_hamlet,
        example={
            "commune_code": "99001",
            "name": "Thôn Mẫu",
            "households": 120,
            "hotline_board": "có",
            "mailbox": "có",
        },
    ),
    SheetSpec(
        name="persons",
        columns=(
            required("citizen_id", citizen_id),
            required("full_name", text(150)),
            required("birth_date", day),
            required("sex", choice(["M", "F"], aliases={"nam": "M", "nữ": "F", "nu": "F"})),
            required("commune_code", official_code),
            optional("hamlet", text(100)),
            required("category", choice(_values(Category))),
            required("category_since", day),
            required("listed_on", day),
            required("present", yes_no),
            optional("absence_reason", choice(ABSENCES), blank=""),
            flag("psychosis"),
            optional("file_opened_on", day),
        ),
        key=("citizen_id",),
        plan_row=plan_person,
        row_checks=person_checks,
        example={
            "citizen_id": "096090000001",
            "full_name": "Nguyễn Văn Mẫu",
            "birth_date": datetime.date(1990, 5, 17),
            "sex": "M",
            "commune_code": "99001",
            "hamlet": "Thôn Mẫu",
            "category": "addict",
            "category_since": datetime.date(2025, 3, 1),
            "listed_on": datetime.date(2025, 3, 1),
            "present": "có",
            "absence_reason": None,
            "psychosis": "không",
            "file_opened_on": datetime.date(2025, 3, 5),
        },
    ),
    SheetSpec(
        name="drug_tests",
        columns=(
            required("citizen_id", citizen_id),
            required("tested_on", day),
            required("kind", choice(_values(TestKind))),
            required("result", choice(_values(TestResult))),
            optional("substance", text(100), blank=""),
        ),
        key=("citizen_id", "tested_on", "kind"),
        plan_row=plan_drug_test,
        example={
            "citizen_id": "096090000001",
            "tested_on": datetime.date(2025, 6, 1),
            "kind": "periodic",
            "result": "negative",
            "substance": None,
        },
    ),
    SheetSpec(
        name="rehab",
        columns=(
            required("citizen_id", citizen_id),
            required("form", choice(_values(RehabForm))),
            required("started_on", day),
            optional("ended_on", day),
        ),
        key=("citizen_id", "form", "started_on"),
        plan_row=plan_rehab,
        row_checks=ends_after_starts("started_on", "ended_on"),
        example={
            "citizen_id": "096090000001",
            "form": "home_community",
            "started_on": datetime.date(2025, 3, 10),
            "ended_on": None,
        },
    ),
    SheetSpec(
        name="hotspots",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("kind", choice(_values(HotspotKind))),
            optional("hamlet", text(100)),
            required("detected_on", day),
            optional("eradicated_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_hotspot,
        finish=link_re_emerged_hotspots,
        row_checks=ends_after_starts("detected_on", "eradicated_on"),
        example={
            "commune_code": "99001",
            "ref": "ĐĐ-01",
            "kind": "retail",
            "hamlet": "Thôn Mẫu",
            "detected_on": datetime.date(2025, 1, 15),
            "eradicated_on": datetime.date(2025, 4, 30),
        },
    ),
    SheetSpec(
        name="cultivation",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("found_on", day),
            count("plants"),
            optional("area_m2", area_m2, blank=Decimal("0")),
            optional("destroyed_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_cultivation,
        row_checks=ends_after_starts("found_on", "destroyed_on"),
        example={
            "commune_code": "99001",
            "ref": "TC-01",
            "found_on": datetime.date(2025, 2, 20),
            "plants": 150,
            "area_m2": 20.5,
            "destroyed_on": datetime.date(2025, 2, 21),
        },
    ),
    SheetSpec(
        name="offences",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("occurred_on", day),
            required("kind", choice(_values(OffenceKind))),
            count("offenders"),
            count("offenders_arrested"),
            count("resident_offenders"),
            flag("serious"),
            flag("by_managed_person"),
            flag("psychosis_incident"),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_offence,
        row_checks=offence_counts_check,
        example={
            "commune_code": "99001",
            "ref": "VV-01",
            "occurred_on": datetime.date(2025, 2, 10),
            "kind": "possession",
            "offenders": 2,
            "offenders_arrested": 2,
            "resident_offenders": 1,
            "serious": "không",
            "by_managed_person": "không",
            "psychosis_incident": "không",
        },
    ),
    SheetSpec(
        name="wanted",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("hiding_since", day),
            optional("arrested_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_wanted,
        row_checks=ends_after_starts("hiding_since", "arrested_on"),
        example={
            "commune_code": "99001",
            "ref": "TN-01",
            "hiding_since": datetime.date(2024, 11, 1),
            "arrested_on": datetime.date(2025, 5, 12),
        },
    ),
    SheetSpec(
        name="pledges",
        columns=(
            required("commune_code", official_code),
            required("hamlet", text(100)),
            required("household_code", text(50)),
            required("head_name", text(150)),
            optional("signed_on", day),
        ),
        key=("commune_code", "household_code"),
        plan_row=plan_pledge,
        example={
            "commune_code": "99001",
            "hamlet": "Thôn Mẫu",
            "household_code": "HM-001",
            "head_name": "Trần Văn Mẫu",
            "signed_on": datetime.date(2025, 3, 15),
        },
    ),
    SheetSpec(
        name="models",
        columns=(
            required("commune_code", official_code),
            required("name", text(200)),
            required("started_on", day),
            optional("ended_on", day),
        ),
        key=("commune_code", "name"),
        plan_row=plan_model,
        row_checks=ends_after_starts("started_on", "ended_on"),
        example={
            "commune_code": "99001",
            "name": "Thôn Mẫu nói không với ma túy",
            "started_on": datetime.date(2025, 1, 1),
            "ended_on": None,
        },
    ),
    SheetSpec(
        name="registrations",
        columns=(
            required("commune_code", official_code),
            required("year", YEARS),
            required("registered_on", day),
            optional("profile", choice(_values(ProfileCode)), blank=ProfileCode.QD28_2025.value),
            optional("baseline_addicts", integer()),
            optional("baseline_users", integer()),
        ),
        key=("commune_code", "year"),
        plan_row=plan_registration,
        example={
            "commune_code": "99001",
            "year": 2025,
            "registered_on": datetime.date(2025, 1, 10),
            "profile": "qd28-2025",
            "baseline_addicts": None,
            "baseline_users": None,
        },
    ),
    SheetSpec(
        name="roadmap",
        columns=(
            required("province_code", official_code),
            required("year", YEARS),
            required("target_communes", integer()),
        ),
        key=("province_code", "year"),
        plan_row=plan_roadmap,
        places=True,
        example={"province_code": "99", "year": 2026, "target_communes": 5},
    ),
]
SHEETS = {spec.name: spec for spec in SHEET_LIST}
