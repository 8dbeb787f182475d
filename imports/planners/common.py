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


def refuse_frozen(state: State, row: ParsedRow, stored, values: dict, column: str) -> None:
    """A voided register row or an archived hamlet stays as it was: its pages show it read
    only, and the import may not change it either (re-importing it unchanged is fine). It is
    restored on its page first."""
    if stored is None or not state.plan.changed_fields(stored, values):
        return
    if getattr(stored, "is_voided", False):
        state.fail(row, column, f"dòng “{row.values[column]}” {voided_since(stored.voided_on)}")
    if getattr(stored, "is_archived", False):
        state.fail(row, column, f"thôn “{stored.name}” {_archived_since(stored)}")


def voided_since(voided_on) -> str:
    return f"đã hủy ngày {voided_on:%d/%m/%Y}; dòng đã hủy không sửa được qua tệp nhập"


def _archived_since(hamlet: Hamlet) -> str:
    return (
        f"đã lưu trữ ngày {hamlet.archived_on:%d/%m/%Y}; không nhập được vào thôn đã lưu trữ "
        "(khôi phục thôn trên trang thôn trước)"
    )


def commune_of(state: State, row: ParsedRow, column: str = "commune_code") -> Commune:
    """The commune a row names, if the importer may change it. A commune outside their area
    is answered as a code that names none: the file learns nothing of other areas."""
    code = row.values[column]
    commune = state.communes.get(code)
    if commune is None and state.refers_to_bad_row("communes", (code,)):
        raise SkipRow
    if commune is None or not state.may_change(code):
        where = (
            "(trong hệ thống hoặc trang communes)"
            if state.allowed is None
            else ("trong địa bàn của bạn")
        )
        state.fail(row, column, f"không có xã mã “{code}” {where}")
    return commune


def hamlet_of(state: State, row: ParsedRow, commune: Commune) -> Hamlet | None:
    name = row.values.get("hamlet")
    if not name:
        return None
    key = (commune.code, name_key(name))
    if key in state.hamlets:
        hamlet = state.hamlets[key]
        if hamlet.pk is not None and hamlet.is_archived:
            state.fail(row, "hamlet", f"thôn “{hamlet.name}” {_archived_since(hamlet)}")
        return hamlet
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
    refuse_frozen(state, row, stored, values, key_field)
    return upsert(
        state, stored, values, lambda: model(commune=commune, **{key_field: key_value}, **values)
    )


def plan_counted(state, row, model, key_field: str, fields: Iterable[str]):
    """`plan_register` for a row that holds nothing else, counted."""
    commune = commune_of(state, row)
    instance, action = plan_register(state, row, commune, model, key_field, fields)
    state.count(row, action)
    return instance
