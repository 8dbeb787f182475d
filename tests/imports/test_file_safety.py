"""The uploaded file is not trusted: wrong type, too large, zip bombs and macros are refused
before any spreadsheet parser reads it; formulas are read as Excel saved them, never evaluated."""

import io
import zipfile

import pytest

from communes.models import Hamlet
from imports.container import PartScan, Refused, SheetExtent, StringSizes
from imports.workbook import workbook_preview
from tests.imports import TODAY, imported, table, xlsx


def refusal(file_obj) -> list[str]:
    return [str(error) for error in workbook_preview(file_obj, today=TODAY).errors]


def hamlet_workbook(households=120) -> io.BytesIO:
    return xlsx(
        {"hamlets": table({"commune_code": "20001", "name": "Thôn A", "households": households})}
    )


def rezip(workbook: io.BytesIO, *, extra: dict | None = None, replace=None) -> io.BytesIO:
    """The same workbook with entries added, or one entry's bytes changed by `replace`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(workbook) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if replace and entry.filename == replace[0]:
                data = replace[1](data)
            target.writestr(entry.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    out.seek(0)
    return out


class Named(io.BytesIO):
    """An upload with a file name, as Django's UploadedFile has."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name


def test_a_file_that_is_not_a_zip_is_refused(db):
    assert refusal(io.BytesIO(b"citizen_id,full_name\n020090000101,A\n")) == [
        "file!0: file: tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)"
    ]


def test_a_zip_without_a_workbook_is_refused(db):
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    other.seek(0)
    assert refusal(other) == [
        "file!0: file: tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)"
    ]


@pytest.mark.parametrize("name", ["data.xls", "data.xlsm", "data.csv"])
def test_only_the_xlsx_extension_is_accepted(db, name):
    assert refusal(Named(hamlet_workbook().getvalue(), name)) == [
        "file!0: file: chỉ nhận tệp Excel .xlsx (không nhận .xls, .xlsm, .csv…)"
    ]


def test_a_broken_workbook_is_refused_without_a_traceback(db):
    broken = rezip(hamlet_workbook(), replace=("xl/workbook.xml", lambda data: b"<not-xml"))
    errors = refusal(broken)
    assert len(errors) == 1
    assert errors[0].startswith("file!0: file: không đọc được tệp Excel")


def test_a_file_over_the_size_limit_is_refused(db, settings):
    settings.IMPORT_MAX_BYTES = 2048
    assert refusal(hamlet_workbook()) == ["file!0: file: tệp lớn hơn giới hạn 2 KB"]


def test_a_zip_bomb_is_refused(db, settings):
    settings.IMPORT_MAX_BYTES = 100 * 1024
    # 3 MB of zeros deflate to a few KB: small upload, 30 times the limit once inflated.
    bomb = rezip(hamlet_workbook(), extra={"xl/media/padding.bin": bytes(3 * 1024 * 1024)})
    assert len(bomb.getvalue()) < settings.IMPORT_MAX_BYTES
    assert refusal(bomb) == ["file!0: file: tệp giải nén ra quá lớn (nghi là tệp “zip bomb”)"]


def test_a_workbook_with_macros_is_refused(db):
    with_macros = rezip(hamlet_workbook(), extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal(with_macros) == [
        "file!0: file: tệp chứa macro (VBA); hãy lưu lại dạng .xlsx không có macro"
    ]


def test_a_formula_without_a_cached_value_is_refused(commune):
    # openpyxl writes formulas without a cached value, as a script-generated file would have.
    errors = refusal(hamlet_workbook(households="=100+20"))
    assert len(errors) == 1
    assert errors[0].startswith(
        "hamlets!2: households: ô chứa công thức chưa có giá trị tính sẵn (công thức không được "
        "tính khi nhập)"
    )


def test_a_formula_is_read_as_its_cached_value(commune):
    # What Excel saves: the formula and, beside it, the value it computed.
    def add_cached_value(sheet_xml: bytes) -> bytes:
        assert b"<f>100+20</f><v />" in sheet_xml
        return sheet_xml.replace(b"<f>100+20</f><v />", b"<f>100+20</f><v>120</v>")

    cached = rezip(
        hamlet_workbook(households="=100+20"),
        replace=("xl/worksheets/sheet1.xml", add_cached_value),
    )
    result = workbook_preview(cached, today=TODAY)
    assert not result.errors, [str(error) for error in result.errors]
    assert result.counts["hamlets"]["create"] == 1


def test_a_formula_whose_cached_value_is_an_excel_error_is_refused(commune):
    def add_error_value(sheet_xml: bytes) -> bytes:
        return sheet_xml.replace(b"<f>100+20</f><v />", b"<f>100+20</f><v>#DIV/0!</v>").replace(
            b'<c r="C2">', b'<c r="C2" t="e">'
        )

    broken = rezip(
        hamlet_workbook(households="=100+20"),
        replace=("xl/worksheets/sheet1.xml", add_error_value),
    )
    assert refusal(broken) == ["hamlets!2: households: công thức trong ô báo lỗi #DIV/0!"]


def test_an_empty_sheet_is_an_absent_sheet(commune):
    result = imported(
        {
            "hamlets": [],
            "models": table({"commune_code": "20001", "name": "M", "started_on": "2025-01-01"}),
        }
    )
    assert list(result.counts) == ["models"]
    assert not Hamlet.objects.exists()


def scanned(xml: bytes, piece_size: int):
    scan = PartScan()
    for start in range(0, len(xml), piece_size):
        scan.feed(xml[start : start + piece_size])
    return scan


SHEET_XML = (
    b'<worksheet><sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is>'
    b'</c><c r="B1048576"><f>1+1</f><v>2</v></c><c r="AA1048576" s="1"/></row></sheetData>'
    b"</worksheet>"
)


@pytest.mark.parametrize("piece_size", [1, 2, 5, 7, 64, 1 << 20])
def test_the_sheet_scan_finds_the_same_markers_however_the_xml_is_cut(piece_size):
    """Sheets are scanned as they are inflated, piece by piece: a marker cut in two between
    pieces must be found, and counted once."""
    scan = scanned(SHEET_XML, piece_size)
    assert scan.counts == {b"<c ": 3, b'<c r="': 3, b"<c>": 0, b"<c/>": 0, b't="s"': 0}
    assert (scan.sheet_data, scan.formula_or_error, scan.wide_reference) == (True, True, True)
    assert scan.row_numbers == {1048576}


ROWS_XML = (
    b'<worksheet><dimension ref="A1:C9"/><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c>'
    b'<c r="B1" s="4" t="s"><v>0</v></c></row><row r="3"><c r="C3"><v>7</v></c></row>'
    b'<row r="9"><c r="A9" t="s"><v>1</v></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize("piece_size", [1, 2, 5, 7, 64, 1 << 20])
def test_the_sheet_scan_follows_each_cell_once_however_the_xml_is_cut(piece_size):
    """The scan follows every cell reference and shared-string index as the XML is inflated:
    one cut in two between pieces is followed once, neither lost nor counted twice."""
    strings = StringSizes()
    strings.add([100, 10], part_size=110, opaque=False)
    scan = PartScan(extent=SheetExtent("hamlets", 20, strings))
    for start in range(0, len(ROWS_XML), piece_size):
        scan.feed(ROWS_XML[start : start + piece_size])
    extent = scan.extent
    assert (scan.cells, scan.string_cells, scan.declared) == (4, 3, True)
    assert (extent.rows, extent.last_row, extent.string_bytes) == (3, 9, 10 + 100 + 10)
    assert not scan.needs_exact_scan()


@pytest.mark.parametrize("piece_size", [1, 3, 1 << 20])
def test_the_string_table_scan_measures_each_string_however_the_xml_is_cut(piece_size):
    xml = b'<?xml version="1.0"?><sst><si><t>ab</t></si><si><t>' + b"x" * 50 + b"</t></si></sst>"
    scan = PartScan(strings=StringSizes())
    for start in range(0, len(xml), piece_size):
        scan.feed(xml[start : start + piece_size])
    scan.finish()
    # Each string spans from its <si> to the next one (the last to the end): never less than
    # its text.
    assert list(scan.strings.sizes) == [len(b"<si><t>ab</t></si>"), len(xml) - xml.rindex(b"<si>")]
    assert scan.strings.whole == 0


@pytest.mark.parametrize(
    "markup",
    [b"<si/>", b'<si xml:space="preserve">', b"<x:si>", b"<!-- <si> -->", b"<![CDATA[<si>]]>"],
)
def test_a_string_table_written_otherwise_than_excel_counts_whole(markup):
    """Markup that calamine might number otherwise than the scan: every string is then taken
    to be as long as the whole table."""
    xml = b"<sst><si><t>ab</t></si>" + markup + b"<si><t>cd</t></si></sst>"
    scan = PartScan(strings=StringSizes())
    scan.feed(xml)
    scan.finish()
    assert scan.strings.whole == len(xml)
    assert scan.strings.total([b"0"]) == len(xml)


@pytest.mark.parametrize("piece_size", [1, 3, 1 << 20])
def test_a_doctype_cut_between_pieces_is_still_refused(piece_size):
    with pytest.raises(Refused):
        scanned(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', piece_size)
