"""Every kind of bad cell has its own message in the contract's `sheet!row: column: message`
form, and a file with any error writes nothing at all."""

import datetime

import pytest
from auditlog.models import LogEntry

from casefiles.models import DrugTest, Person
from communes.models import CultivationFind, Hamlet, PreventionModel
from imports.apply import WorkbookNotApplicable
from imports.errors import (
    MAX_COLUMN_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_STORED_ERRORS,
    CellError,
    stored_errors,
)
from imports.labels import VIETNAMESE_LABELS
from imports.workbook import workbook_apply
from tests.factories import make_person
from tests.imports import errors_of, imported, person_row, preview, table

D = datetime.date


def drug_test_row(**values) -> dict:
    return {
        "citizen_id": "020090000101",
        "tested_on": "2025-06-01",
        "kind": "periodic",
        "result": "negative",
        **values,
    }


def stored_rows() -> list[int]:
    return [
        model.objects.count()
        for model in (Person, DrugTest, Hamlet, CultivationFind, PreventionModel, LogEntry)
    ]


# (sheets, the one error expected). Each workbook also holds valid rows, which are not written.
BAD_CELLS = {
    "wrong type in a date column": (
        {"persons": table(person_row(birth_date="hôm qua"))},
        "persons!2: birth_date: “hôm qua” không phải là ngày hợp lệ (YYYY-MM-DD hoặc ô kiểu ngày)",
    ),
    "text in a number column": (
        {"hamlets": table({"commune_code": "20001", "name": "Thôn A", "households": "nhiều"})},
        "hamlets!2: households: “nhiều” không phải là số",
    ),
    "fraction in a count column": (
        {
            "cultivation": table(
                {"commune_code": "20001", "ref": "A", "found_on": "2025-01-01", "plants": 2.5}
            )
        },
        "cultivation!2: plants: “2.5” không phải là số nguyên",
    ),
    "unknown commune": (
        {"hamlets": table({"commune_code": "20999", "name": "Thôn A"})},
        "hamlets!2: commune_code: không có xã mã “20999” (trong hệ thống hoặc trang communes)",
    ),
    "unknown hamlet": (
        {"persons": table(person_row(hamlet="Thôn Không Có"))},
        "persons!2: hamlet: xã Công Sơn (20001) không có thôn, tổ dân phố “Thôn Không Có” "
        "(trong hệ thống hoặc trang hamlets)",
    ),
    "unknown person": (
        {"drug_tests": table(drug_test_row(citizen_id="020090999999"))},
        "drug_tests!2: citizen_id: không có hồ sơ mang số CCCD “020090999999” "
        "trong địa bàn của bạn (trong hệ thống hoặc trang persons)",
    ),
    "citizen ID of 11 digits": (
        {"persons": table(person_row(citizen_id="02009000010"))},
        "persons!2: citizen_id: số CCCD “02009000010” không hợp lệ: "
        "Số CCCD phải có đúng 12 chữ số.",
    ),
    "citizen ID with a province code out of range": (
        {"persons": table(person_row(citizen_id="099090000101"))},
        "persons!2: citizen_id: số CCCD “099090000101” không hợp lệ: 3 chữ số đầu",
    ),
    "citizen ID typed as a number": (
        {"persons": table(person_row(citizen_id=20090000101))},
        "persons!2: citizen_id: số CCCD “20090000101” được nhập dạng số",
    ),
    "citizen ID of the other sex": (
        {"persons": table(person_row(sex="F"))},
        "persons!2: citizen_id: số CCCD “020090000101” không khớp với người này: "
        "Chữ số thứ 4 của số CCCD không khớp với giới tính.",
    ),
    "citizen ID of another birth year": (
        {"persons": table(person_row(birth_date="1991-05-17"))},
        "persons!2: citizen_id: số CCCD “020090000101” không khớp với người này: "
        "Các chữ số 4–6 của số CCCD cho năm sinh 1990",
    ),
    "date in the future": (
        {"persons": table(person_row(listed_on="2026-01-05"))},
        "persons!2: listed_on: ngày 2026-01-05 ở tương lai (hôm nay là 2025-12-01)",
    ),
    "negative count": (
        {
            "cultivation": table(
                {"commune_code": "20001", "ref": "A", "found_on": "2025-01-01", "plants": -5}
            )
        },
        "cultivation!2: plants: số lượng không được âm (-5)",
    ),
    "negative area": (
        {
            "cultivation": table(
                {"commune_code": "20001", "ref": "A", "found_on": "2025-01-01", "area_m2": "-1,5"}
            )
        },
        "cultivation!2: area_m2: số lượng không được âm (-1.5)",
    ),
    "duplicate key inside the file": (
        {
            "persons": table(person_row()),
            "drug_tests": table(drug_test_row(), drug_test_row(result="positive")),
        },
        "drug_tests!3: kind: trùng khóa (citizen_id, tested_on, kind) với dòng 2 trong tệp",
    ),
    "value not in the choices": (
        {"persons": table(person_row(category="dealer"))},
        "persons!2: category: “dealer” không phải giá trị cho phép; chọn một trong: "
        "addict, user, suspect, post_rehab",
    ),
    "required cell left blank": (
        {"persons": table(person_row(full_name="  "))},
        "persons!2: full_name: không được để trống",
    ),
    "end date before start date": (
        {
            "wanted": table(
                {
                    "commune_code": "20001",
                    "ref": "TN",
                    "hiding_since": "2025-05-01",
                    "arrested_on": "2025-04-01",
                }
            )
        },
        "wanted!2: arrested_on: "
        "ngày kết thúc 2025-04-01 trước ngày bắt đầu 2025-05-01 (hiding_since)",
    ),
    "absent without a reason": (
        {"persons": table(person_row(present="không"))},
        "persons!2: absence_reason: vắng mặt thì phải ghi lý do vắng mặt: "
        "compulsory_rehab, prison, moved_away, unknown",
    ),
    "not a yes/no": (
        {"hamlets": table({"commune_code": "20001", "name": "Thôn A", "mailbox": "có lẽ"})},
        "hamlets!2: mailbox: “có lẽ” không phải là có/không (yes/no, y/n, true/false, 1/0)",
    ),
    "year outside the programme": (
        {
            "registrations": table(
                {"commune_code": "20001", "year": 2031, "registered_on": "2025-01-01"}
            )
        },
        "registrations!2: year: 2031 nằm ngoài khoảng cho phép 2024–2030",
    ),
    "malformed commune code": (
        {"hamlets": table({"commune_code": "2000A", "name": "Thôn A"})},
        "hamlets!2: commune_code: mã “2000A” không hợp lệ",
    ),
}


@pytest.mark.parametrize("sheets, expected", BAD_CELLS.values(), ids=BAD_CELLS.keys())
def test_each_bad_cell_has_its_message_and_nothing_is_written(commune, sheets, expected):
    before = stored_rows()
    # A valid row on another sheet: it must not be written either.
    valid_model = {"commune_code": "20001", "name": "Mô hình", "started_on": "2025-01-01"}
    result = preview({**sheets, "models": table(valid_model)})
    assert len(result.errors) == 1, [str(error) for error in result.errors]
    assert str(result.errors[0]).startswith(expected)
    with pytest.raises(WorkbookNotApplicable):
        workbook_apply(result)
    assert stored_rows() == before


def test_errors_of_every_sheet_are_reported_in_sheet_and_row_order(commune):
    errors = errors_of(
        {
            "drug_tests": table(drug_test_row(kind="weekly")),
            "persons": table(
                person_row(),
                person_row(citizen_id="020090000102", birth_date="x"),
                person_row(citizen_id="020090000103", sex="?"),
            ),
            "hamlets": table({"commune_code": "20001", "name": None}),
        }
    )
    assert [error.split(":")[0] for error in errors] == [
        "hamlets!2",
        "persons!3",
        "persons!4",
        "drug_tests!2",
    ]
    assert errors[2].startswith(
        "persons!4: sex: “?” không phải giá trị cho phép; chọn một trong: M, F"
    )


def test_a_reference_to_a_row_with_an_error_reports_only_that_row(commune):
    errors = errors_of(
        {
            "persons": table(person_row(birth_date="sai")),
            "drug_tests": table(drug_test_row()),
        }
    )
    assert len(errors) == 1
    assert errors[0].startswith("persons!2: birth_date:")


def test_unknown_and_missing_columns_are_errors_on_the_header(commune):
    errors = errors_of(
        {
            "hamlets": table({"commune_code": "20001", "ten": "Thôn A"}),
            "drug_tests": table({"citizen_id": "020090000101", "tested_on": "2025-06-01"}),
        }
    )
    assert errors == [
        "hamlets!1: ten: cột không có trong mẫu; các cột của trang: "
        "commune_code, name, households, hotline_board, mailbox",
        "drug_tests!1: kind: thiếu cột bắt buộc",
        "drug_tests!1: result: thiếu cột bắt buộc",
    ]


def test_rows_referring_to_a_sheet_with_a_wrong_header_are_not_reported(commune):
    errors = errors_of(
        {
            "persons": table({"citizen_id": "020090000101", "full_name": "Hoàng Văn Thử"}),
            "drug_tests": table(drug_test_row()),
        }
    )
    assert [error.split(":")[0] for error in errors] == ["persons!1"] * 7  # missing columns


def test_unknown_sheet_and_data_without_a_header_are_errors(commune):
    errors = errors_of(
        {
            "people": [["citizen_id"], ["020090000101"]],
            "hamlets": [["commune_code", "name"], ["20001", "Thôn A", "thừa"]],
        }
    )
    assert errors == [
        "file!0: sheet: trang “people” không có trong mẫu nhập; các trang hợp lệ: communes, "
        "hamlets, persons, drug_tests, rehab, hotspots, cultivation, offences, wanted, pledges, "
        "hamlet_pledges, models, registrations, roadmap",
        "hamlets!2: C: ô có dữ liệu nhưng cột không có tiêu đề",
    ]


def test_data_under_a_blank_first_row_is_an_error(commune):
    errors = errors_of({"hamlets": [[None, None], ["20001", "Thôn A"]]})
    assert errors == ["hamlets!1: sheet: dòng 1 phải là dòng tiêu đề cột"]


def test_a_vietnamese_header_row_is_accepted(commune):
    labels = VIETNAMESE_LABELS["hamlets"]
    imported(
        {
            "hamlets": [
                [labels["commune_code"], labels["name"], labels["mailbox"]],
                ["20001", "Thôn Việt", "có"],
            ]
        }
    )
    assert Hamlet.objects.get(name="Thôn Việt").mailbox is True


def test_a_vietnamese_label_row_under_the_english_header_is_skipped(commune):
    labels = VIETNAMESE_LABELS["hamlets"]
    result = imported(
        {
            "hamlets": [
                ["commune_code", "name", "households"],
                [labels["commune_code"], labels["name"], labels["households"]],
                ["20001", "Thôn Hai", 80],
            ]
        }
    )
    assert result.counts["hamlets"] == {"create": 1, "update": 0, "unchanged": 0}
    assert Hamlet.objects.get().households == 80


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("có", True),
        ("Có", True),
        ("co", True),
        ("KHÔNG", False),
        ("khong", False),
        ("y", True),
        ("N", False),
        ("yes", True),
        ("No", False),
        ("TRUE", True),
        ("false", False),
        (1, True),
        (0, False),
        (True, True),
        (False, False),
        (None, False),
    ],
)
def test_yes_no_cells(commune, cell, expected):
    imported({"hamlets": table({"commune_code": "20001", "name": "Thôn A", "mailbox": cell})})
    assert Hamlet.objects.get().mailbox is expected


@pytest.mark.parametrize(
    "cell", ["2025-06-01", datetime.datetime(2025, 6, 1), D(2025, 6, 1), " 2025-06-01 "]
)
def test_dates_are_iso_text_or_real_excel_dates(commune, cell):
    make_person(commune, citizen_id="020090000101")
    imported({"drug_tests": table(drug_test_row(tested_on=cell))})
    assert DrugTest.objects.get().tested_on == D(2025, 6, 1)


@pytest.mark.parametrize("cell", ["01/06/2025", "2025-13-01", 45809])
def test_other_date_forms_are_refused(commune, cell):
    make_person(commune, citizen_id="020090000101")
    errors = errors_of({"drug_tests": table(drug_test_row(tested_on=cell))})
    assert len(errors) == 1
    assert errors[0].startswith("drug_tests!2: tested_on: ")
    assert "không phải là ngày hợp lệ" in errors[0]


def test_an_applied_preview_cannot_be_applied_again(commune):
    result = imported({"hamlets": table({"commune_code": "20001", "name": "Thôn A"})})
    with pytest.raises(WorkbookNotApplicable):
        workbook_apply(result)
    assert Hamlet.objects.count() == 1


def test_an_error_line_quotes_at_most_a_bounded_part_of_the_file():
    """A header is a cell: a hostile header of 100,000 characters, quoted whole in each error
    line, made megabytes of errors kept on the job (found by an attacker: 15 MB from 3 KB)."""
    header = "q" * 100_000
    errors = errors_of({"hamlets": [[header, "name"], ["20001", "Thôn A"]]})
    assert errors and all(len(line) <= 2 * MAX_COLUMN_CHARS + MAX_MESSAGE_CHARS for line in errors)
    assert any("…" in line for line in errors)


def test_a_job_keeps_the_first_errors_and_counts_the_rest():
    many = [CellError("hamlets", number, "name", "trống") for number in range(2, 1_502)]
    lines = stored_errors(many)
    assert len(lines) == MAX_STORED_ERRORS + 1
    assert lines[0] == "hamlets!2: name: trống"
    assert lines[-1] == "file!0: file: … và 500 lỗi khác; sửa các lỗi trên rồi tải lại tệp"
