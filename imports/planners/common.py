"""What every planner shares: running a sheet's rows, resolving the commune, hamlet or person a
row names, and bringing a stored row to the row's values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from casefiles.models import Person
from communes.models import Commune, Hamlet

from ..cells import name_key
from ..parsing import ParsedRow, key_part
from ..state import SkipRow, State

if TYPE_CHECKING:
    from ..specs import SheetSpec

ACTIONS = ("create", "update", "unchanged")


def plan_sheet(spec: SheetSpec, rows: list[ParsedRow], state: State) -> None:
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


def present(row: ParsedRow, names: Iterable[str]) -> dict:
    """The values of the columns the sheet has: an absent column leaves the stored value."""
    return {name: row.values[name] for name in names if name in row.values}


def upsert(state: State, stored, values: dict, make: Callable):
    """Create the row with `make()` or bring the stored one to `values`.

    Returns the instance and what happened to it: "create", "update" or "unchanged"."""
    if stored is None:
        return state.plan.create(make()), "create"
    return stored, "update" if state.plan.change(stored, values) else "unchanged"


def also_changed(action: str, changed: bool) -> str:
    """A row counts as updated when something else it holds changes (a province, a pledge)."""
    return "update" if action == "unchanged" and changed else action


def commune_of(state: State, row: ParsedRow, column: str = "commune_code") -> Commune:
    code = row.values[column]
    commune = state.communes.get(code)
    if commune is None:
        if state.refers_to_bad_row("communes", (code,)):
            raise SkipRow
        state.fail(row, column, f"không có xã mã “{code}” (trong hệ thống hoặc trang communes)")
    if not state.may_change(code):
        state.fail(row, column, f"xã {commune.name} ({code}) không thuộc địa bàn của bạn")
    return commune


def hamlet_of(state: State, row: ParsedRow, commune: Commune) -> Hamlet | None:
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


def person_of(state: State, row: ParsedRow) -> Person:
    """The file a row of a person's records names, in the importer's area. A file outside it
    is answered exactly as a number on no file (contracts.md §3), and logged."""
    number = row.values["citizen_id"]
    # Held outside the area: answered as if no file held it.
    person = None if state.held_elsewhere(number) else state.persons.get(number)
    if person is None:
        if state.refers_to_bad_row("persons", (number,)):
            raise SkipRow
        message = (
            f"không có hồ sơ mang số CCCD “{number}” trong địa bàn của bạn "
            "(trong hệ thống hoặc trang persons)"
        )
        state.fail(row, "citizen_id", message)
    return person


def plan_register(state, row, commune, model, key_field: str, fields: Iterable[str], **extra):
    """Upsert a row of a commune's register keyed by commune + `key_field`; return the
    instance and what happened to it, uncounted."""
    key_value = row.values[key_field]
    values = {**present(row, fields), **extra}
    stored = state.existing[row.sheet].get((commune.code, key_part(key_value)))
    return upsert(
        state, stored, values, lambda: model(commune=commune, **{key_field: key_value}, **values)
    )


def plan_counted(state, row, model, key_field: str, fields: Iterable[str]):
    """`plan_register` for a row that holds nothing else, counted."""
    commune = commune_of(state, row)
    instance, action = plan_register(state, row, commune, model, key_field, fields)
    state.count(row, action)
    return instance
