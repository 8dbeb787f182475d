"""Safe reading of an uploaded workbook: checks on the file, then its sheets as
(row_number, {column: value}) rows, headers mapped to the contract's English column names.

The file comes from a user, so nothing in it is trusted: size, container and zip entries are
checked before openpyxl opens it; formulas are never evaluated (their cached value is read, as
Excel saved it); macros are refused, never run.
"""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter

from .cells import is_blank, name_key, shown

FILE = "file"  # sheet name used for errors about the file as a whole (row 0)
ZIP_SIGNATURE = b"PK\x03\x04"
# A zip entry expanding more than this many times the upload limit is treated as a zip bomb.
BOMB_RATIO = 20


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


@dataclass(frozen=True)
class CellError:
    """One problem in the workbook, printed as the contract's `sheet!row: column: message`."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.row}: {self.column}: {self.message}"


def file_error(message: str, column: str = FILE) -> CellError:
    return CellError(FILE, 0, column, message)


# Stands for a cell already reported (a formula without a value): not blank, not readable.
UNREADABLE = object()


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
    if not errors:
        errors = _container_errors(data)
    if errors:
        return {}, errors
    try:
        return _read_sheets(data, labels)
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


def _container_errors(data: bytes) -> list[CellError]:
    not_xlsx = file_error("tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)")
    if not data.startswith(ZIP_SIGNATURE):
        return [not_xlsx]
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError):
        return [not_xlsx]
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        return [not_xlsx]
    if any(entry.lower().endswith("vbaproject.bin") for entry in names):
        return [file_error("tệp chứa macro (VBA); hãy lưu lại dạng .xlsx không có macro")]
    # zipfile never inflates an entry past its declared size, so the declared total bounds
    # what openpyxl can make us decompress.
    if sum(entry.file_size for entry in entries) > BOMB_RATIO * import_max_bytes():
        return [file_error("tệp giải nén ra quá lớn (nghi là tệp “zip bomb”)")]
    return []


def _read_sheets(data: bytes, labels) -> tuple[dict[str, SheetRows], list[CellError]]:
    # Two read-only views of the same file: cached values, and formulas (to tell a formula
    # without a cached value from an empty cell, which data_only alone cannot).
    values_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formula_book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheets, errors = {}, []
    try:
        for title in values_book.sheetnames:
            key = title.strip().lower()
            if key not in labels:
                errors.append(_unknown_sheet(title, labels))
            elif key in sheets:
                errors.append(file_error(f"trang “{title}” bị lặp", column="sheet"))
                sheets[key].readable = False
            else:
                sheet, sheet_errors = _read_sheet(
                    key, values_book[title], formula_book[title], labels[key]
                )
                errors += sheet_errors
                if sheet is not None:
                    sheets[key] = sheet
    finally:
        values_book.close()
        formula_book.close()
    return sheets, errors


def _unknown_sheet(title: str, labels) -> CellError:
    return file_error(
        f"trang “{title}” không có trong mẫu nhập; các trang hợp lệ: " + ", ".join(labels),
        column="sheet",
    )


def _read_sheet(name, values_sheet, formula_sheet, labels):
    if not hasattr(values_sheet, "iter_rows"):
        return None, []  # a chart sheet holds no rows
    # Some writers store a wrong dimension; without a reset, read-only mode would trust it.
    values_sheet.reset_dimensions()
    formula_sheet.reset_dimensions()
    rows = enumerate(zip(values_sheet.iter_rows(), formula_sheet.iter_rows(), strict=False), 1)
    _number, (header, _formulas) = next(rows, (1, ((), ())))
    if all(is_blank(cell.value) for cell in header):
        if all(is_blank(cell.value) for _number, (cells, _f) in rows for cell in cells):
            return None, []  # an empty sheet is an absent sheet
        error = CellError(name, 1, "sheet", "dòng 1 phải là dòng tiêu đề cột")
        return SheetRows(name, (), [], readable=False), [error]
    columns, in_vietnamese, errors = _header_columns(name, [cell.value for cell in header], labels)
    if errors:
        return SheetRows(name, (), [], readable=False), errors
    sheet = SheetRows(name, tuple(column for column in columns if column), [])
    for number, (value_cells, formula_cells) in rows:
        if number == 2 and not in_vietnamese and _is_label_row(value_cells, columns, labels):
            continue
        row, row_errors = _row_values(name, number, value_cells, formula_cells, columns)
        errors += row_errors
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


def _is_label_row(cells, columns, labels) -> bool:
    """Row 2 of the template: exactly the Vietnamese label under each English header."""
    values = [cell.value for cell in cells]
    values += [None] * (len(columns) - len(values))
    for value, column in zip(values, columns, strict=False):
        expected = labels[column] if column else None
        actual = None if is_blank(value) else name_key(shown(value))
        if actual != (name_key(expected) if expected else None):
            return False
    return all(is_blank(value) for value in values[len(columns) :])


def _row_values(name, number, value_cells, formula_cells, columns):
    """{column: value} of one data row (empty for a blank row) and the problems of its cells."""
    row, errors = {}, []
    for index, (cell, formula) in enumerate(zip(value_cells, formula_cells, strict=False)):
        column = columns[index] if index < len(columns) else None
        label = column or get_column_letter(index + 1)
        problem = _cell_problem(cell, formula)
        if problem:
            errors.append(CellError(name, number, label, problem))
            row[label] = UNREADABLE
        elif is_blank(cell.value):
            continue
        elif column is None:
            errors.append(CellError(name, number, label, "ô có dữ liệu nhưng cột không có tiêu đề"))
        else:
            row[column] = cell.value
    return row, errors


def _cell_problem(cell, formula) -> str | None:
    if getattr(formula, "data_type", None) != "f":
        return None
    if cell.value is None:
        return (
            "ô chứa công thức chưa có giá trị tính sẵn (công thức không được tính khi nhập); "
            "mở tệp bằng Excel, lưu lại rồi nhập lại, hoặc dán giá trị thay cho công thức"
        )
    if isinstance(cell.value, str) and cell.value in ERROR_CODES:
        return f"công thức trong ô báo lỗi {cell.value}"
    return None
