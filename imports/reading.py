"""Safe reading of an uploaded workbook: checks on the file, then its sheets as
(row_number, {column: value}) rows, headers mapped to the contract's English column names.

The file comes from a user, so nothing in it is trusted. Before any spreadsheet parser sees it,
`container.inspect` checks the size, the zip container, every entry's real inflated size, and
the XML of every part (no DTD, so no entity bomb and no external entity). The values are then
read once by calamine (fast, never evaluates formulas: a formula cell gives the value Excel
saved with it); formula and error cells, which calamine cannot tell from blank ones, were found
by the inspection. Macros are refused, never run.

The inspection also bounds what reading costs (a sheet's last row, its blank rows, the text its
cells copy), so that the rows calamine builds are the rows the file really holds. They are then
taken one at a time, blank rows dropped as they come: only rows holding a value are kept.
"""

import io
from dataclasses import dataclass

import python_calamine
from openpyxl.utils import get_column_letter

from .cells import is_blank, name_key, shown
from .container import SheetPart, inspect
from .errors import FILE, CellError, file_error, import_max_bytes, import_max_rows

__all__ = [
    "FILE",
    "CellError",
    "SheetRows",
    "file_error",
    "import_max_bytes",
    "import_max_rows",
    "read_workbook",
]

# Stands for a cell already reported (a formula without a value): not blank, not readable.
UNREADABLE = object()
WORKSHEET = python_calamine.SheetTypeEnum.WorkSheet


@dataclass
class SheetRows:
    name: str
    columns: tuple[str, ...]  # the contract's names of the columns present, in file order
    rows: list[tuple[int, dict[str, object]]]
    # False when the header is wrong: the sheet is there but none of its rows can be read.
    readable: bool = True


def read_workbook(
    file_obj, labels: dict[str, dict[str, str]], *, max_rows: int | None = None
) -> tuple[dict[str, SheetRows], list[CellError]]:
    """The sheets of the workbook named in `labels` ({sheet: {column: Vietnamese label}}).

    Returns the sheets read and every problem found; with a problem about the file itself no
    sheet is read. `max_rows`: the last row a sheet may reach (default: the browser's
    `IMPORT_MAX_ROWS`; the command passes Excel's last row).
    """
    data, errors = _read_limited(file_obj)
    if errors:
        return {}, errors
    parts, errors = inspect(data, max_rows=max_rows or import_max_rows())
    if errors:
        return {}, errors
    try:
        return _read_sheets(data, parts, labels)
    except Exception as exc:  # any malformed part of a user's file is a refusal, not a crash
        return {}, [file_error(f"không đọc được tệp Excel ({type(exc).__name__}): {exc}")]


def _read_limited(file_obj) -> tuple[bytes, list[CellError]]:
    name = getattr(file_obj, "name", None) or ""
    if name and not str(name).lower().endswith(".xlsx"):
        return b"", [file_error("chỉ nhận tệp Excel .xlsx (không nhận .xls, .xlsm, .csv…)")]
    limit = import_max_bytes()
    # Reading one byte past the limit tells "too large" without reading a huge file whole.
    data = file_obj.read(limit + 1)
    if len(data) > limit:
        return b"", [file_error(f"tệp lớn hơn giới hạn {_size(limit)}")]
    return data, []


def _size(limit: int) -> str:
    return f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit / 2**10:g} KB"


def _read_sheets(
    data: bytes, parts: dict[str, SheetPart], labels
) -> tuple[dict[str, SheetRows], list[CellError]]:
    sheets, errors = {}, []
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        for meta in book.sheets_metadata:
            title = meta.name
            key = title.strip().lower()
            if key not in labels:
                errors.append(_unknown_sheet(title, labels))
            elif key in sheets:
                errors.append(file_error(f"trang “{title}” bị lặp", column="sheet"))
                sheets[key].readable = False
            elif meta.typ == WORKSHEET:  # a chart sheet holds no rows
                part = parts.get(title) or SheetPart()
                values = book.get_sheet_by_name(title)
                rows = _rows_with_values(values, part.problems)
                sheet, sheet_errors = _read_sheet(key, rows, part.problems, labels[key])
                del rows, values  # calamine's copy of the sheet goes with it
                errors += sheet_errors
                if sheet is not None:
                    sheets[key] = sheet
    return sheets, errors


def _unknown_sheet(title: str, labels) -> CellError:
    return file_error(
        f"trang “{title}” không có trong mẫu nhập; các trang hợp lệ: " + ", ".join(labels),
        column="sheet",
    )


def _rows_with_values(sheet, problems):
    """(row number, cells from column A) of each row holding a value or a problem, one at a
    time: the other rows are passed over as they come, never kept.

    A formula without a value reads as blank, and calamine's rows end with the last value: a
    row or column of such formulas alone is added here, blank, for its problems to be told.
    python-calamine gives every row from row 1, each starting at the sheet's first column
    (tests/imports/test_sheet_bounds.py holds it to that)."""
    widths = {}  # {row: cells needed to reach its last problem}
    for row, column in problems:
        widths[row] = max(widths.get(row, 0), column + 1)
    number = 0
    if sheet.start is not None:
        padding = [""] * sheet.start[1]
        for number, cells in enumerate(sheet.iter_rows(), 1):
            width = widths.get(number, 0)
            if cells.count("") != len(cells) or width:
                cells = padding + cells if padding else cells
                yield number, cells + [""] * (width - len(cells))
    for row in sorted(row for row in widths if row > number):
        yield row, [""] * widths[row]


def _read_sheet(name, rows, problems, labels):
    number, header = next(rows, (0, []))
    if number != 1 or all(is_blank(value) for value in header):
        # Row 1 holds no header. `header` is then the first row holding a cell, if any.
        if all(is_blank(value) for value in header) and all(
            is_blank(value) for _number, cells in rows for value in cells
        ):
            return None, []  # an empty sheet is an absent sheet
        error = CellError(name, 1, "sheet", "dòng 1 phải là dòng tiêu đề cột")
        return SheetRows(name, (), [], readable=False), [error]
    columns, in_vietnamese, errors = _header_columns(name, header, labels)
    if errors:
        return SheetRows(name, (), [], readable=False), errors
    sheet = SheetRows(name, tuple(column for column in columns if column), [])
    for number, cells in rows:
        if number == 2 and not in_vietnamese and _is_label_row(cells, columns, labels):
            continue
        row = _row_values(name, number, cells, columns, problems, errors)
        if row:
            sheet.rows.append((number, row))
    return sheet, errors


def _header_columns(name, values, labels):
    """The contract column of each header cell (None for a blank one), whether the header is
    the Vietnamese labels, and the header's problems."""
    texts = [None if is_blank(value) else shown(value).strip() for value in values]
    given = [text for text in texts if text]
    vietnamese = {name_key(label): column for column, label in labels.items()}
    in_vietnamese = all(name_key(text) in vietnamese for text in given)
    if in_vietnamese:
        columns = [vietnamese[name_key(text)] if text else None for text in texts]
    else:
        english = {column.casefold(): column for column in labels}
        columns = [english.get(text.casefold()) if text else None for text in texts]
    errors = _header_errors(name, texts, columns, labels)
    return columns, in_vietnamese, errors


def _header_errors(name, texts, columns, labels) -> list[CellError]:
    errors, seen = [], set()
    for text, column in zip(texts, columns, strict=True):
        if text is None:
            continue
        if column is None:
            errors.append(
                CellError(
                    name, 1, text, "cột không có trong mẫu; các cột của trang: " + ", ".join(labels)
                )
            )
        elif column in seen:
            errors.append(CellError(name, 1, column, "cột bị lặp"))
        seen.add(column)
    return errors


def _is_label_row(values, columns, labels) -> bool:
    """Row 2 of the template: exactly the Vietnamese label under each English header."""
    values = list(values) + [None] * (len(columns) - len(values))
    for value, column in zip(values, columns, strict=False):
        expected = labels[column] if column else None
        actual = None if is_blank(value) else name_key(shown(value))
        if actual != (name_key(expected) if expected else None):
            return False
    return all(is_blank(value) for value in values[len(columns) :])


def _row_values(name, number, cells, columns, problems, errors) -> dict:
    """{column: value} of one data row (empty for a blank row); its problems go to `errors`.

    Runs once per cell of the file, hence the plain loop."""
    row = {}
    width = len(columns)
    for index, value in enumerate(cells):
        column = columns[index] if index < width else None
        problem = problems.get((number, index)) if problems else None
        if problem:
            label = column or get_column_letter(index + 1)
            errors.append(CellError(name, number, label, problem))
            row[label] = UNREADABLE
        elif value == "" or is_blank(value):
            continue
        elif column is None:
            label = get_column_letter(index + 1)
            errors.append(CellError(name, number, label, "ô có dữ liệu nhưng cột không có tiêu đề"))
        else:
            row[column] = value
    return row
