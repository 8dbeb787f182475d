"""Safe reading of an uploaded workbook: checks on the file, then its sheets as
(row_number, {column: value}) rows, headers mapped to the contract's English column names.

The file comes from a user, so nothing in it is trusted. Before any spreadsheet parser sees it,
`container.inspect` checks the size, the zip container, every entry's real inflated size, and
the XML of every part (no DTD, so no entity bomb and no external entity). The values are then
read once by calamine (fast, never evaluates formulas: a formula cell gives the value Excel
saved with it); formula and error cells, which calamine cannot tell from blank ones, were found
by the inspection. Macros are refused, never run.
"""

import io
from dataclasses import dataclass

import python_calamine
from openpyxl.utils import get_column_letter

from .cells import is_blank, name_key, shown
from .container import SheetPart, inspect
from .errors import FILE, CellError, file_error, import_max_bytes

__all__ = ["FILE", "CellError", "SheetRows", "file_error", "import_max_bytes", "read_workbook"]

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
    file_obj, labels: dict[str, dict[str, str]]
) -> tuple[dict[str, SheetRows], list[CellError]]:
    """The sheets of the workbook named in `labels` ({sheet: {column: Vietnamese label}}).

    Returns the sheets read and every problem found; with a problem about the file itself no
    sheet is read.
    """
    data, errors = _read_limited(file_obj)
    if errors:
        return {}, errors
    parts, errors = inspect(data)
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
                # skip_empty_area=False: row i of the list is row i + 1 of the sheet.
                values = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
                part = parts.get(title) or SheetPart()
                sheet, sheet_errors = _read_sheet(key, values, part.problems, labels[key])
                del values
                errors += sheet_errors
                if sheet is not None:
                    sheets[key] = sheet
    return sheets, errors


def _unknown_sheet(title: str, labels) -> CellError:
    return file_error(
        f"trang “{title}” không có trong mẫu nhập; các trang hợp lệ: " + ", ".join(labels),
        column="sheet",
    )


def _read_sheet(name, values, problems, labels):
    header = values[0] if values else []
    if all(is_blank(value) for value in header):
        if all(is_blank(value) for row in values for value in row):
            return None, []  # an empty sheet is an absent sheet
        error = CellError(name, 1, "sheet", "dòng 1 phải là dòng tiêu đề cột")
        return SheetRows(name, (), [], readable=False), [error]
    columns, in_vietnamese, errors = _header_columns(name, header, labels)
    if errors:
        return SheetRows(name, (), [], readable=False), errors
    sheet = SheetRows(name, tuple(column for column in columns if column), [])
    for number, cells in enumerate(values[1:], 2):
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
