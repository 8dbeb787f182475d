"""Every Excel file the portal produces keeps text inert: a cell beginning with = + - @, a tab
or a carriage return is prefixed with ' so Excel shows it instead of evaluating it (issue #9).
Names typed by users reach the people export, the province report and nothing else."""

import io

import openpyxl
import pytest
from django.urls import reverse

from assessments.rules import period as periods
from core.excel import FORMULA_PREFIXES, neutralise
from imports.workbook import template_workbook
from reports import builders, rendering
from tests.factories import make_person

HOSTILE_TEXTS = [
    "=cmd|'/c calc'!A1",
    '=HYPERLINK("http://evil.invalid","x")',
    "+84 912 000 000",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def text_cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [
        value
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]


def assert_inert(cells: list[str]) -> None:
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert not dangerous


def test_every_prefix_of_the_issue_is_neutralised():
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
    for text in HOSTILE_TEXTS:
        assert neutralise(text) == "'" + text


def test_the_people_export_keeps_typed_text_inert(client, commune_officer, commune):
    for number, text in enumerate(HOSTILE_TEXTS):
        make_person(commune, full_name=f"Người Thử {number}", address=text)
    make_person(commune, full_name="=1+1", address="Thôn Nà Pe")
    client.force_login(commune_officer)
    cells = text_cells(client.get(reverse("casefiles:export")).content)
    assert_inert(cells)
    for text in HOSTILE_TEXTS:
        # An XML reader turns a stored CR into LF (as Excel does); the quote is still first.
        assert ("'" + text).replace("\r", "\n") in cells


def test_the_province_report_keeps_typed_names_inert(province, commune):
    province.name = '=HYPERLINK("http://evil.invalid","x")'
    province.save(update_fields=["name"])
    commune.name = "@SUM(A1)"
    commune.save(update_fields=["name"])
    report = builders.province_report(province, periods.annual_period(2026))
    cells = text_cells(rendering.render_province_report_xlsx(report))
    assert_inert(cells)
    assert "'" + province.name in cells


@pytest.mark.django_db
def test_the_import_template_holds_no_formula():
    assert_inert(text_cells(template_workbook()))
