"""What reading a sheet may cost, bounded before it is read (imports/container.py), and rows
taken one at a time (imports/reading.py): each bound on both sides of its limit.

Workbooks are written part by part (bench/hostile.py), so that a test can place any cell
anywhere, in any order, as a hostile file would.
"""

import io

import pytest

from bench.hostile import HAMLET_ROWS, cell, row, sheet_xml, workbook
from imports import container
from imports.labels import VIETNAMESE_LABELS
from imports.reading import read_workbook
from imports.workbook import EXCEL_MAX_ROWS, workbook_preview
from tests.imports import TODAY


def read(data: bytes, max_rows: int = EXCEL_MAX_ROWS):
    sheets, errors = read_workbook(io.BytesIO(data), VIETNAMESE_LABELS, max_rows=max_rows)
    return sheets, [str(error) for error in errors]


def hamlets(*rows: str, dimension: str | None = None) -> bytes:
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + "".join(rows), dimension=dimension)})


def hamlet_at(number: int) -> str:
    return row(number, cell(f"A{number}", "20001"), cell(f"B{number}", f"Thôn {number}"))


def test_a_sheet_may_leave_up_to_ten_thousand_rows_without_a_cell():
    # Rows 1-2 and the last one hold cells: 10,000 rows between them hold none.
    last = 2 + container.MAX_EMPTY_ROWS + 1
    sheets, errors = read(hamlets(hamlet_at(last)))
    assert errors == []
    assert [number for number, _row in sheets["hamlets"].rows] == [2, last]


def test_one_more_row_without_a_cell_and_the_sheet_is_refused():
    last = 2 + container.MAX_EMPTY_ROWS + 2
    assert read(hamlets(hamlet_at(last))) == (
        {},
        [
            "hamlets!10004: sheet: trang quá lớn: dòng cuối là dòng 10.004 nhưng chỉ 3 dòng có "
            "ô, vượt giới hạn 10.000 dòng trống; hãy xóa các dòng thừa ở cuối trang"
        ],
    )


def test_rows_of_formatted_blank_cells_count_as_rows_that_hold_a_cell():
    """An officer who formats rows ahead of typing them writes blank cells with a style:
    those rows are not missing, and the sheet is read (its blank rows skipped)."""
    formatted = "".join(row(n, f'<c r="A{n}" s="1"/>') for n in range(3, 12_003))
    sheets, errors = read(hamlets(formatted, hamlet_at(12_003)))
    assert errors == []
    assert [number for number, _row in sheets["hamlets"].rows] == [2, 12_003]


def test_the_browser_stops_at_its_row_limit_and_the_command_reads_on(settings):
    settings.IMPORT_MAX_ROWS = 20
    data = hamlets(*(hamlet_at(n) for n in range(3, 23)))
    assert read(data, max_rows=20)[1] == [
        "hamlets!21: sheet: trang quá lớn: dòng 21 vượt giới hạn 20 dòng; hãy chia thành nhiều tệp"
    ]
    # workbook_preview's default is the browser's limit; the command passes Excel's.
    assert [str(error) for error in workbook_preview(io.BytesIO(data), today=TODAY).errors][
        0
    ].startswith("hamlets!21: sheet: trang quá lớn")
    sheets, errors = read(data, max_rows=EXCEL_MAX_ROWS)
    assert (errors, len(sheets["hamlets"].rows)) == ([], 21)


def test_a_declared_extent_past_the_row_limit_is_refused():
    data = hamlets(dimension="A1:C300")
    assert read(data, max_rows=200)[1] == [
        "hamlets!300: sheet: trang quá lớn: vùng dữ liệu khai báo A1:C300 vượt giới hạn 200 "
        "dòng; hãy chia thành nhiều tệp"
    ]
    assert read(data, max_rows=300)[1] == []


def test_a_declared_extent_is_found_however_the_sheet_is_written():
    """Written with a namespace prefix, the sheet goes to the exact scan, which finds it too."""
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:dimension ref="A1:C300"/><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">'
        "<x:is><x:t>commune_code</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>"
    )
    assert read(workbook({"hamlets": xml}), max_rows=200)[1] == [
        "hamlets!300: sheet: trang quá lớn: vùng dữ liệu khai báo A1:C300 vượt giới hạn 200 "
        "dòng; hãy chia thành nhiều tệp"
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (row(5, cell("A5", "x")) + row(3, cell("A3", "x")), "ô A3 đứng sau ô A5"),
        (row(3, cell("B3", "x"), cell("A3", "x")), "ô A3 đứng sau ô B3"),
        (row(3, cell("A3", "x"), cell("A3", "y")), "ô A3 bị lặp"),
        # With a formula the sheet goes to the exact scan: the same rule.
        (row(3, '<c r="B3"><f>1</f><v>1</v></c>', cell("A3", "x")), "ô A3 đứng sau ô B3"),
    ],
)
def test_cells_out_of_order_are_refused(cells, message):
    """Excel writes cells by row, then column. Out of order, the rows holding a cell cannot be
    counted as they come, and one cell repeated is the cheapest way to inflate a sheet."""
    _sheets, errors = read(hamlets(cells))
    assert len(errors) == 1
    assert errors[0].endswith(
        f"sheet: {message}: các ô phải theo thứ tự dòng rồi cột như Excel ghi; hãy mở tệp bằng "
        "Excel rồi lưu lại"
    )


def strings_table(*texts: str) -> str:
    return (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{text}</t></si>" for text in texts)
        + "</sst>"
    )


def string_cells(count: int, index: int = 0) -> str:
    return "".join(
        row(n, cell(f"A{n}", "20001"), f'<c r="B{n}" t="s"><v>{index}</v></c>')
        for n in range(3, count + 3)
    )


def test_the_text_cells_copy_from_shared_strings_is_bounded(monkeypatch):
    long_string = "Thôn " + "a" * 95
    # The last string spans from its <si> to the end of the table.
    span = len(f"<si><t>{long_string}</t></si></sst>".encode())
    monkeypatch.setattr(container, "STRINGS_FLOOR", 100 * span)
    monkeypatch.setattr(container, "STRINGS_RATIO", 0)

    def using(cells: int) -> bytes:
        return workbook(
            {"hamlets": sheet_xml(HAMLET_ROWS + string_cells(cells))},
            shared_strings=strings_table(long_string),
        )

    sheets, errors = read(using(100))
    assert (errors, len(sheets["hamlets"].rows)) == ([], 101)
    assert read(using(101))[1] == [
        "file!0: file: các ô dùng 12 KB văn bản từ bảng chuỗi dùng chung, vượt giới hạn 12 KB "
        "(nghi là tệp “bomb”: một chuỗi dài lặp lại ở rất nhiều ô)"
    ]


def test_each_cell_counts_the_size_of_its_own_shared_string(monkeypatch):
    """A thousand cells using a short string and one using a long one: only that one counts
    long (counting every cell as the longest string would refuse the file 150 times over)."""
    short, long = "Thôn A", "Thôn " + "b" * 5_000
    used = 1_000 * len(f"<si><t>{short}</t></si>".encode()) + len(
        f"<si><t>{long}</t></si></sst>".encode()
    )
    monkeypatch.setattr(container, "STRINGS_FLOOR", 2 * used)
    monkeypatch.setattr(container, "STRINGS_RATIO", 0)
    data = workbook(
        {
            "hamlets": sheet_xml(
                HAMLET_ROWS
                + string_cells(1_000, index=0)
                + row(1_003, cell("A1003", "20001"), '<c r="B1003" t="s"><v>1</v></c>')
            )
        },
        shared_strings=strings_table(short, long),
    )
    sheets, errors = read(data)
    assert errors == []
    assert len(sheets["hamlets"].rows) == 1_002
    assert sheets["hamlets"].rows[-1][1]["name"] == long


def test_a_file_inflating_fifty_times_its_size_is_refused_as_a_zip_bomb(monkeypatch):
    monkeypatch.setattr(container, "INFLATE_FLOOR", 0)
    # Blank cells with a style compress well, as a real sheet of them would (about 10 times).
    formatted = "".join(row(n, f'<c r="A{n}" s="1"/>') for n in range(3, 3_000))
    assert read(hamlets(formatted))[1] == []
    padding = "<row/>" * 50_000  # the same markup again and again: a thousand times
    assert read(hamlets(padding))[1] == [
        "file!0: file: tệp giải nén ra quá lớn (nghi là tệp “zip bomb”)"
    ]


HEADER_NAMES = ["commune_code", "name", "households"]


def test_rows_are_read_one_at_a_time_from_wherever_the_sheet_begins():
    """python-calamine gives every row from row 1 but each from the sheet's first column: a
    sheet starting at column B, with blank rows, reads each value in its column and row."""
    header = row(1, *(cell(f"{'BCD'[n]}1", name) for n, name in enumerate(HEADER_NAMES)))
    data = workbook(
        {
            "hamlets": sheet_xml(
                header
                + row(4, cell("B4", "20001"), cell("C4", "Thôn B"), cell("D4", 7))
                + row(9, cell("C9", "Thôn C"))
            )
        }
    )
    sheets, errors = read(data)
    assert errors == []
    assert sheets["hamlets"].rows == [
        (4, {"commune_code": "20001", "name": "Thôn B", "households": 7.0}),
        (9, {"name": "Thôn C"}),
    ]


def test_a_row_of_formulas_without_values_is_reported_not_skipped():
    """calamine reads such a formula as blank: its row is still read, for the problem."""
    data = hamlets(
        row(3, '<c r="C3"><f>1+1</f></c>'),
        row(4, cell("A4", "20001"), cell("B4", "Thôn D")),
        row(5, '<c r="C5"><f>1+1</f></c>'),
    )
    _sheets, errors = read(data)
    assert [error.split(" (")[0] for error in errors] == [
        "hamlets!3: households: ô chứa công thức chưa có giá trị tính sẵn",
        "hamlets!5: households: ô chứa công thức chưa có giá trị tính sẵn",
    ]


def test_python_calamine_rows_start_at_row_one_and_at_the_first_column():
    """What _rows_with_values relies on to number rows and place columns: should an upgrade of
    python-calamine change it, this fails rather than every row being read one off."""
    import python_calamine

    from imports.reading import _rows_with_values

    data = workbook({"hamlets": sheet_xml(row(3, cell("C3", "x")) + row(5, cell("D5", 2)))})
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_name("hamlets")
    assert sheet.start == (2, 2)
    assert list(sheet.iter_rows()) == [["", ""], ["", ""], ["x", ""], ["", ""], ["", 2.0]]
    assert list(_rows_with_values(sheet, {})) == [(3, ["", "", "x", ""]), (5, ["", "", "", 2.0])]
