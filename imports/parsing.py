"""Step 1 of the import, pure: a sheet's cells parsed into rows, each row's own rules checked,
and duplicate keys inside the sheet marked, before anything is looked up in the database."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casefiles.models import Presence
from communes.services import offence_counts_over

from .cells import CellProblem, citizen_id_conflict, is_blank, name_key
from .errors import CellError
from .reading import UNREADABLE, SheetRows

if TYPE_CHECKING:
    from .specs import Column, SheetSpec

ABSENCES = [status.value for status in Presence if status != Presence.PRESENT]


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


# --- Keys -------------------------------------------------------------------------------------


def key_of(spec: SheetSpec, values: dict) -> tuple | None:
    """The row's upsert key, names compared as `name_key` does; None if a key cell is bad."""
    if any(values.get(name) is None for name in spec.key):
        return None
    return tuple(key_part(values[name]) for name in spec.key)


def key_part(value):
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


def declared_keys(parsed: dict[str, list[ParsedRow]], specs: dict[str, SheetSpec]) -> dict:
    """The keys of every row of each sheet, rows with errors included: a reference to one of
    them is that row's error, not a second one."""
    declared = {
        name: {key_of(specs[name], row.values) for row in rows} for name, rows in parsed.items()
    }
    declared["provinces"] = collect(parsed, ("communes",), "province_code")
    return declared


def collect(parsed: dict[str, list[ParsedRow]], sheets, column: str) -> set:
    """The values of `column` in the rows of `sheets` that have one."""
    return {
        row.values[column]
        for sheet in sheets
        for row in parsed.get(sheet, [])
        if row.values.get(column) is not None
    }


# --- Row checks: rules across the cells of one row ---------------------------------------------


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
    """The counts the row gives against the offence form's rule; with a count column left out,
    the planner asks again with the stored count."""
    if "offenders" not in values:
        return []
    return offence_count_problems(
        offenders=values["offenders"],
        offenders_arrested=values.get("offenders_arrested", 0),
        resident_offenders=values.get("resident_offenders", 0),
    )


def offence_count_problems(**counts: int) -> list[tuple[str, str]]:
    """`communes.services.offence_counts_over`, worded for the sheet."""
    over = offence_counts_over(**counts)
    return [(name, f"không được lớn hơn số đối tượng ({counts['offenders']})") for name in over]
