"""The downloadable template: English headers, Vietnamese labels, one made-up example row per
sheet, and it imports cleanly as it is."""

import io

import openpyxl

from communes.models import Commune, Province
from imports.labels import VIETNAMESE_LABELS
from imports.specs import SHEET_LIST
from imports.workbook import template_workbook, workbook_apply, workbook_preview
from tests.factories import CommuneFactory, ProvinceFactory
from tests.imports import TODAY


def test_the_labels_cover_exactly_the_columns_of_every_sheet():
    assert list(VIETNAMESE_LABELS) == [spec.name for spec in SHEET_LIST]
    for spec in SHEET_LIST:
        assert list(VIETNAMESE_LABELS[spec.name]) == spec.column_names
        labels = list(VIETNAMESE_LABELS[spec.name].values())
        assert len(set(labels)) == len(labels), f"{spec.name}: a label is used twice"
        assert set(spec.example) == set(spec.column_names)


def test_the_template_has_headers_labels_and_an_example_on_every_sheet():
    book = openpyxl.load_workbook(io.BytesIO(template_workbook()), read_only=True)
    assert book.sheetnames == [spec.name for spec in SHEET_LIST]
    for spec in SHEET_LIST:
        rows = list(book[spec.name].iter_rows(values_only=True))
        assert len(rows) == 3
        assert list(rows[0]) == spec.column_names
        assert list(rows[1]) == [VIETNAMESE_LABELS[spec.name][name] for name in spec.column_names]
        assert any(value is not None for value in rows[2])


def test_the_template_imports_cleanly_and_again_without_changes(db):
    # The province and commune of the communes sheet's example already exist, as after a
    # first import of the template.
    ProvinceFactory(code="99", name="Tỉnh Mẫu")
    CommuneFactory(
        province=Province.objects.get(code="99"),
        code="99001",
        name="Xã Mẫu",
        population=8500,
        households=2100,
    )
    first = workbook_preview(io.BytesIO(template_workbook()), today=TODAY)
    assert not first.errors, [str(error) for error in first.errors]
    assert first.counts["communes"] == {"create": 0, "update": 0, "unchanged": 1}
    assert all(
        counts == {"create": 1, "update": 0, "unchanged": 0}
        for sheet, counts in first.counts.items()
        if sheet not in ("communes",)
    )
    workbook_apply(first)
    again = workbook_preview(io.BytesIO(template_workbook()), today=TODAY)
    assert not again.errors
    assert all(counts["unchanged"] == 1 for counts in again.counts.values())
    assert Commune.objects.get(code="99001").hamlets.get().name == "Thôn Mẫu"


def test_the_template_creates_its_own_province_and_commune_on_an_empty_database(db):
    result = workbook_preview(io.BytesIO(template_workbook()), today=TODAY)
    assert not result.errors, [str(error) for error in result.errors]
    assert all(counts["create"] == 1 for counts in result.counts.values())
