"""Helpers for the workbook import tests: workbooks built in memory with openpyxl.

Every person, household and place here is made up.
"""

import datetime
import io

import openpyxl

from imports.workbook import workbook_apply, workbook_preview

# Fixed, so that "a date in the future" means the same on every day the suite runs.
TODAY = datetime.date(2025, 12, 1)


def table(*rows: dict) -> list[list]:
    """A sheet's rows: the keys of the first row as the header, then each row's values."""
    columns = list(rows[0])
    return [columns] + [[row.get(column) for column in columns] for row in rows]


def xlsx(sheets: dict[str, list[list]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def preview(sheets: dict[str, list[list]], **kwargs):
    kwargs.setdefault("today", TODAY)
    return workbook_preview(xlsx(sheets), **kwargs)


def errors_of(sheets: dict[str, list[list]], **kwargs) -> list[str]:
    return [str(error) for error in preview(sheets, **kwargs).errors]


def imported(sheets: dict[str, list[list]], *, by=None, **kwargs):
    """Import the sheets, failing the test with the errors if there are any."""
    result = preview(sheets, **kwargs)
    assert not result.errors, [str(error) for error in result.errors]
    workbook_apply(result, by=by)
    return result


def person_row(commune_code="20001", **values) -> dict:
    """A valid persons row: a man born 1990 with a citizen ID that matches."""
    return {
        "citizen_id": "020090000101",
        "full_name": "Hoàng Văn Thử",
        "birth_date": "1990-05-17",
        "sex": "M",
        "commune_code": commune_code,
        "hamlet": None,
        "category": "addict",
        "category_since": "2025-03-01",
        "listed_on": "2025-03-01",
        "present": "có",
        "absence_reason": None,
        "psychosis": "không",
        "file_opened_on": "2025-03-05",
        **values,
    }
