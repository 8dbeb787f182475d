"""The `persons`, `drug_tests` and `rehab` sheets: people under management and their files."""

from casefiles.models import DrugTest, Person, Presence, RehabEpisode
from casefiles.services import (
    PeriodChange,
    PeriodStartsTooEarly,
    category_change_plan,
    person_opening_periods,
    presence_change_plan,
)
from communes.models import Commune
from core.text import fold_vietnamese

from ..parsing import ParsedRow
from ..state import State
from .common import commune_of, hamlet_of, person_of, present, upsert

PERSON_FIELDS = ("full_name", "birth_date", "sex", "listed_on", "psychosis", "file_opened_on")


def plan_person(state: State, row: ParsedRow) -> None:
    commune = commune_of(state, row)
    values = present(row, PERSON_FIELDS)
    if "hamlet" in row.values:
        values["hamlet"] = hamlet_of(state, row, commune)
    number = row.values["citizen_id"]
    # Asked of the budget as it stood before this row spends it.
    refused = state.refuses_new_citizen_id(number)
    if state.held_elsewhere(number):
        # The file cannot be opened twice, and the importer may not be told where it is.
        state.fail(row, "citizen_id", _limit_reached(state) if refused else _not_openable(number))
    person = state.persons.get(number)
    if person is not None:
        changed = _update_person(state, row, person, commune, values)
        state.count(row, "update" if changed else "unchanged")
        return
    if refused:  # past the limit, a number on no file is refused alike
        state.fail(row, "citizen_id", _limit_reached(state))
    state.persons[number] = _create_person(state, row, commune, values)
    state.count(row, "create")


def _not_openable(number: str) -> str:
    return (
        f"không lập được hồ sơ mới với số CCCD “{number}”; nếu người này chuyển đến từ nơi "
        "khác, hãy gửi yêu cầu chuyển hồ sơ tới Công an tỉnh từ trang thêm người"
    )


def _limit_reached(state: State) -> str:
    return (
        f"hôm nay đã hết giới hạn {state.lookups.limit} số CCCD trùng với hồ sơ ngoài địa bàn; "
        "không lập được hồ sơ mới cho tới ngày mai"
    )


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
    for period in person_opening_periods(
        person=person,
        category=row.values["category"],
        category_since=row.values["category_since"],
        presence=_presence(row),
        presence_since=values["listed_on"],
    ):
        state.plan.create(period)
    return person


def _update_person(state, row, person: Person, commune: Commune, values: dict) -> bool:
    """Bring a stored file to the row; True if anything changes. A change of commune is a
    move, with its own record: done on the file's page, not by an import."""
    if person.commune_id != commune.pk:  # both in the importer's area (plan_person)
        where = f"xã {person.commune.name} ({person.commune.code})"
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
            _plan_period_change(state, change)
    return bool(fields or category or presence)


def _category_change(state: State, row: ParsedRow, person: Person) -> PeriodChange | None:
    """The change of category the row makes, by the rule of the file's page."""
    since = row.values["category_since"]
    try:
        return category_change_plan(
            person=person,
            current=state.categories.get(person.pk),
            category=row.values["category"],
            on=since,
        )
    except PeriodStartsTooEarly as refusal:
        current = refusal.current
        message = (
            f"ngày {since:%Y-%m-%d} trước ngày bắt đầu diện hiện tại "
            f"({current.get_category_display()}, từ {current.started_on:%Y-%m-%d})"
        )
        state.fail(row, "category_since", message)


def _presence_change(state: State, row: ParsedRow, person: Person) -> PeriodChange | None:
    """As `_category_change`; the sheet has no date for it, so it starts on the day of the
    import."""
    try:
        return presence_change_plan(
            person=person,
            current=state.presences.get(person.pk),
            status=_presence(row),
            on=state.today,
        )
    except PeriodStartsTooEarly as refusal:
        message = f"tình trạng hiện tại bắt đầu sau hôm nay ({refusal.current.started_on:%Y-%m-%d})"
        state.fail(row, "present", message)


def _plan_period_change(state: State, change: PeriodChange) -> None:
    if change.ending is not None:
        state.plan.change(change.ending, {"ended_on": change.on})
    state.plan.create(change.opening)


def plan_drug_test(state: State, row: ParsedRow) -> None:
    person = person_of(state, row)
    values = present(row, ("result", "substance"))
    tested_on, kind = row.values["tested_on"], row.values["kind"]
    stored = state.existing["drug_tests"].get((person.citizen_id, tested_on, kind))
    _test, action = upsert(
        state,
        stored,
        values,
        lambda: DrugTest(person=person, tested_on=tested_on, kind=kind, **values),
    )
    state.count(row, action)


def plan_rehab(state: State, row: ParsedRow) -> None:
    person = person_of(state, row)
    values = present(row, ("ended_on",))
    form, started_on = row.values["form"], row.values["started_on"]
    stored = state.existing["rehab"].get((person.citizen_id, form, started_on))
    _episode, action = upsert(
        state,
        stored,
        values,
        lambda: RehabEpisode(person=person, form=form, started_on=started_on, **values),
    )
    state.count(row, action)
