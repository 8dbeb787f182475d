"""Workbook import (contracts.md §3): one .xlsx, one sheet per kind of row.

    preview = workbook_preview(file_obj, **imports.access.import_scope(user))
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

from casefiles.services import out_of_area_lookups_record

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
    allowed_sheets: frozenset[str] | None = None,
    may_change_provinces: bool = True,
    today: datetime.date | None = None,
    importer=None,
    max_rows: int | None = None,
    logged_as: tuple[str, str | None] = ("import_workbook", None),
) -> WorkbookPreview:
    """Read and validate every row of every sheet; nothing is written to the registers.

    The scope of the importing user, as `imports.access.import_scope` gives it (the defaults are
    a system administrator's, as on the command line): `allowed_communes`, a queryset of the
    communes they may change (None: any); `allowed_sheets`, the sheets they may import (None:
    all); `may_change_provinces`, whether the `communes` sheet may create or rename a province;
    `importer`, the user, held to the daily limit of citizen IDs outside their area (those the
    file names go to the security log, in one insert). `max_rows`: the last row a sheet may
    reach; by default the browser's `IMPORT_MAX_ROWS`, the command passes `EXCEL_MAX_ROWS`.
    `logged_as`: the page and address the security log gives those lookups (the upload's).
    """
    today = today or timezone.localdate()
    read, errors = read_workbook(file_obj, VIETNAMESE_LABELS, max_rows=max_rows)
    if not read:
        return WorkbookPreview(errors=errors, counts={}, plan=WritePlan())
    refused = {name for name in read if allowed_sheets is not None and name not in allowed_sheets}
    for name in sorted(refused):
        # One line for the sheet, whatever its rows hold: none of them is the user's to write.
        del read[name]
        errors.append(CellError(name, 1, "sheet", f"chỉ Công an tỉnh được nhập trang “{name}”"))
    parsed = {}
    for name in list(read):
        # The cells read are dropped as soon as they are parsed: at a million rows both at
        # once would double the memory the preview needs.
        rows, sheet_errors = parse_sheet(SHEETS[name], read.pop(name), today)
        errors += sheet_errors
        parsed[name] = rows
    unreadable = {name for name, rows in parsed.items() if rows is None}
    parsed = {name: rows for name, rows in parsed.items() if rows is not None}
    state = load_state(
        parsed,
        declared=declared_keys(parsed, SHEETS),
        allowed_communes=allowed_communes,
        may_change_provinces=may_change_provinces,
        today=today,
        # Rows referring to a refused sheet's rows are not reported a second time.
        unreadable=unreadable | refused,
        importer=importer,
    )
    for spec in SHEET_LIST:
        if spec.name in parsed:
            plan_sheet(spec, parsed[spec.name], state)
    # Logged at the check. The write checks again, but a file that reached it had no such
    # number then (each is an error line), so a number logged there is one met since.
    if importer is not None and state.out_of_area:
        path, address = logged_as
        out_of_area_lookups_record(
            user=importer, citizen_ids=state.out_of_area, path=path, ip_address=address
        )
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
