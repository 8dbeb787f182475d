"""Workbook import (contracts.md §3): one .xlsx, one sheet per kind of row.

    preview = workbook_preview(file_obj, allowed_communes=..., may_edit_places=...)
    if preview.errors: show each str(error) ("sheet!row: column: message")
    else: workbook_apply(preview, by=user)   # one transaction, audit entry per row

Everything is validated before anything is written; a file with one error writes nothing.
The steps, each in its own module: `reading` (the file, safely) → `parsing` (each sheet's cells
and rows, pure) → `state` (the stored rows the file names, in bulk) → `planners` (each row
against them: create, update or unchanged) → `apply` (the plan, written in bulk). `specs` says
what each sheet holds and which planner takes it.
"""

import datetime
import io

import openpyxl
from django.utils import timezone
from openpyxl.styles import Font

from .apply import WorkbookNotApplicable, WorkbookPreview, WritePlan, workbook_apply
from .container import MAX_ROW as EXCEL_MAX_ROWS
from .labels import VIETNAMESE_LABELS
from .parsing import declared_keys, parse_sheet
from .planners.common import plan_sheet
from .reading import FILE, CellError, import_max_bytes, read_workbook
from .specs import SHEET_LIST, SHEETS
from .state import load_state

__all__ = [
    "EXCEL_MAX_ROWS",
    "CellError",
    "WorkbookNotApplicable",
    "WorkbookPreview",
    "import_max_bytes",
    "template_workbook",
    "workbook_apply",
    "workbook_preview",
]

SHEET_ORDER = {FILE: -1, **{spec.name: index for index, spec in enumerate(SHEET_LIST)}}


def workbook_preview(
    file_obj,
    *,
    allowed_communes=None,
    may_edit_places: bool = True,
    today: datetime.date | None = None,
    max_rows: int | None = None,
) -> WorkbookPreview:
    """Read and validate every row of every sheet; nothing is written.

    `allowed_communes`: queryset of the communes the user may change (None: any, as on the
    command line). `may_edit_places`: the user may import the `communes` and `roadmap` sheets
    (provincial officers); without allowed_communes it does not matter. `max_rows`: the last
    row a sheet may reach; by default the browser's `IMPORT_MAX_ROWS`, the command passes
    `EXCEL_MAX_ROWS`.
    """
    today = today or timezone.localdate()
    sheets, errors = read_workbook(file_obj, VIETNAMESE_LABELS, max_rows=max_rows)
    if not sheets:
        return WorkbookPreview(errors=errors, counts={}, plan=WritePlan())
    parsed = {}
    for name in list(sheets):
        # The cells read are dropped as soon as they are parsed: at a million rows both at
        # once would double the memory the preview needs.
        rows, sheet_errors = parse_sheet(SHEETS[name], sheets.pop(name), today)
        errors += sheet_errors
        parsed[name] = rows
    unreadable = {name for name, rows in parsed.items() if rows is None}
    parsed = {name: rows for name, rows in parsed.items() if rows is not None}
    state = load_state(
        parsed,
        declared=declared_keys(parsed, SHEETS),
        allowed_communes=allowed_communes,
        may_edit_places=may_edit_places,
        today=today,
        unreadable=unreadable,
    )
    for spec in SHEET_LIST:
        if spec.name in parsed:
            plan_sheet(spec, parsed[spec.name], state)
    errors = sorted(errors + state.errors, key=lambda e: (SHEET_ORDER[e.sheet], e.row))
    return WorkbookPreview(errors=errors, counts=state.counts, plan=state.plan)


def template_workbook() -> bytes:
    """An empty workbook to fill: per sheet, the English headers (row 1), the Vietnamese labels
    (row 2, skipped on import) and one made-up example row (row 3)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in SHEET_LIST:
        sheet = book.create_sheet(spec.name)
        names = spec.column_names
        sheet.append(names)
        sheet.append([VIETNAMESE_LABELS[spec.name][name] for name in names])
        sheet.append([spec.example.get(name) for name in names])
        _style_template_sheet(sheet, names)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style_template_sheet(sheet, names) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[3]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(cell.value, str):
            # Codes and citizen IDs stay text, so Excel keeps their leading zeros.
            cell.number_format = "@"
    for index, name in enumerate(names, start=1):
        width = max(len(name), len(VIETNAMESE_LABELS[sheet.title][name])) + 2
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
