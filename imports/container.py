"""Checks on an uploaded .xlsx before any spreadsheet parser reads it.

The reader (calamine, in Rust) is fast but trusts its input in ways that matter here: it
inflates a zip entry past its declared size, and a value placed in cell XFD1048576 makes it
allocate the whole sheet and abort the process. So the container is checked here, in plain
Python, on the bytes that will be read: every entry is inflated once within its declared size,
every XML part is refused if it declares a DTD (entity bombs, external entities), and each
worksheet is scanned for what calamine cannot report: formula and error cells, and cells far
outside the template's columns.
"""

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET

from .errors import CellError, file_error, import_max_bytes

ZIP_SIGNATURE = b"PK\x03\x04"
# Compound File Binary: an old .xls, or an .xlsx saved with a password (Excel encrypts it so).
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An upload inflating to more than this many times the upload limit is treated as a zip bomb.
BOMB_RATIO = 20
MAX_ENTRIES = 1000  # Excel writes a few dozen; thousands only make the checks slow
MAX_ROW = 1_048_576  # Excel's last row
MAX_COLUMN = 26  # column Z: the widest sheet of the template has 13 columns
CHUNK = 1 << 20
XML_SUFFIXES = (".xml", ".rels", ".vml")
MACRO_MARKS = (b"vbaProject", b"macroEnabled", b"macrosheet")
ERROR_PREFIX = "công thức trong ô báo lỗi"
NO_CACHED_VALUE = (
    "ô chứa công thức chưa có giá trị tính sẵn (công thức không được tính khi nhập); "
    "mở tệp bằng Excel, lưu lại rồi nhập lại, hoặc dán giá trị thay cho công thức"
)
# Cheap signs that a sheet needs the slower, exact scan. Plain substring searches where they
# suffice: a regular expression over 300 MB of XML costs seconds. A false alarm only costs
# the exact scan; what must never be missed is a cell calamine would place far away, so a
# cell whose reference is not the first attribute, written as `<c r="`, is a sign too.
FORMULA_OR_ERROR = (b"<f", b't="e"', b"t='e'")
ODD_CELL_TAGS = (b"<c\t", b"<c\n", b"<c\r", b":c ", b":c\t", b":c\n", b":c\r")
WIDE_REFERENCE = re.compile(rb' r="[A-Z]{2}')
LONG_ROW_NUMBER = re.compile(rb' r="[A-Z]{0,3}([0-9]{7,})')
CELL_REFERENCE = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class Refused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SheetPart:
    # {(row number, 0-based column): message} for formula cells that cannot be read.
    problems: dict[tuple[int, int], str] = field(default_factory=dict)


NOT_XLSX = "tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)"


def inspect(data: bytes) -> tuple[dict[str, SheetPart], list[CellError]]:
    """The worksheets' formula problems by sheet title, or the reason the file is refused."""
    try:
        return _inspect(data), []
    except Refused as refused:
        return {}, [file_error(refused.message)]


def _inspect(data: bytes) -> dict[str, SheetPart]:
    if data.startswith(CFB_SIGNATURE):
        raise Refused(
            "tệp được đặt mật khẩu hoặc là tệp Excel cũ (.xls); hãy lưu lại dạng .xlsx "
            "không đặt mật khẩu"
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise Refused(NOT_XLSX)
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, struct.error):
        raise Refused(NOT_XLSX) from None
    _check_entries(entries)
    kept, scans = {}, {}
    for entry in entries:
        # Every entry is scanned: a sheet may hide under any name the relationships give it.
        # Only parts named as XML are refused for a DTD (an SVG image may carry one).
        scan = scans[entry.filename] = PartScan(xml=entry.filename.lower().endswith(XML_SUFFIXES))
        pieces = kept.setdefault(entry.filename, []) if entry.filename in KEPT_PARTS else None
        _inflate(data, entry, scan.feed if pieces is None else _both(scan.feed, pieces.append))
    kept = {name: b"".join(pieces) for name, pieces in kept.items()}
    if any(mark in kept.get("[Content_Types].xml", b"") for mark in MACRO_MARKS):
        raise Refused(MACROS)
    entry_of = {entry.filename: entry for entry in entries}
    sheets = {}
    for title, path in _sheet_paths(kept).items():
        if path not in scans:
            # A path calamine might resolve differently ("a/../b"): it would read unchecked.
            raise Refused(NOT_XLSX)
        scans[path].check_rows(title)
        needs_exact_scan = scans[path].needs_exact_scan()
        sheets[title] = (
            _exact_scan(title, _inflated(data, entry_of[path])) if needs_exact_scan else SheetPart()
        )
    return sheets


# The parts read whole: small, and needed to find the sheets and the macros.
KEPT_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}


def _both(first, second):
    def call(piece):
        first(piece)
        second(piece)

    return call


def _inflated(data: bytes, entry: zipfile.ZipInfo) -> bytes:
    pieces = []
    _inflate(data, entry, pieces.append)
    return b"".join(pieces)


class PartScan:
    """What the checks need from one XML part, gathered piece by piece as it is inflated, so
    that a sheet of a million rows (300 MB of XML) is never held whole in memory."""

    COUNTED = (b"<c ", b'<c r="', b"<c>", b"<c/>")
    TAIL = 64  # longer than any marker searched for

    def __init__(self, *, xml: bool = True):
        self.xml = xml
        self.tail = b""
        self.started = False
        self.counts = dict.fromkeys(self.COUNTED, 0)
        self.sheet_data = self.formula_or_error = self.wide_reference = self.odd_cell = False
        self.row_numbers: set[int] = set()

    def feed(self, piece: bytes) -> None:
        if not piece:
            return
        if not self.started and self.xml:
            self.started = True
            # Excel writes UTF-8; another encoding would hide the markup from these checks.
            if piece.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                raise Refused(NOT_XLSX)
        window = self.tail + piece
        if self.xml and (b"<!DOCTYPE" in window or b"<!ENTITY" in window):
            raise Refused("tệp chứa khai báo DTD/thực thể XML (không được phép trong tệp .xlsx)")
        for marker in self.COUNTED:
            # Only the last len-1 bytes: a marker ending there was not counted yet.
            self.counts[marker] += (self.tail[len(self.tail) - len(marker) + 1 :] + piece).count(
                marker
            )
        self.sheet_data = self.sheet_data or b"<sheetData" in window
        self.formula_or_error = self.formula_or_error or any(
            marker in window for marker in FORMULA_OR_ERROR
        )
        self.odd_cell = self.odd_cell or any(tag in window for tag in ODD_CELL_TAGS)
        self.wide_reference = self.wide_reference or bool(WIDE_REFERENCE.search(window))
        self.row_numbers.update(int(match) for match in LONG_ROW_NUMBER.findall(window))
        self.tail = window[-self.TAIL :]

    def check_rows(self, title: str) -> None:
        if any(number > MAX_ROW for number in self.row_numbers):
            raise Refused(f"trang “{title}”: số dòng vượt quá giới hạn của Excel")

    def needs_exact_scan(self) -> bool:
        """Whether the sheet has formulas, errors, far columns or cells without a reference,
        which only a real parse can place."""
        return (
            not self.sheet_data  # elements with a namespace prefix
            or self.counts[b"<c "] != self.counts[b'<c r="']
            or self.counts[b"<c>"] > 0
            or self.counts[b"<c/>"] > 0
            or self.odd_cell
            or self.formula_or_error
            or self.wide_reference
        )


MACROS = "tệp chứa macro (VBA); hãy lưu lại dạng .xlsx không có macro"


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    names = [entry.filename for entry in entries]
    if "xl/workbook.xml" not in names:
        raise Refused(NOT_XLSX)
    if len(entries) > MAX_ENTRIES:
        raise Refused(f"tệp có quá nhiều thành phần (hơn {MAX_ENTRIES})")
    # Two entries with one name: Python would read one, calamine perhaps the other.
    if len(set(names)) != len(names) or any(_unsafe_name(name) for name in names):
        raise Refused("tệp có tên thành phần không hợp lệ (trùng tên hoặc đường dẫn lạ)")
    if any("vbaproject" in name.lower() or "macrosheets/" in name.lower() for name in names):
        raise Refused(MACROS)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise Refused("tệp có phần được mã hóa; hãy lưu lại dạng .xlsx không đặt mật khẩu")
    if any(
        entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries
    ):
        raise Refused(NOT_XLSX)
    if sum(entry.file_size for entry in entries) > BOMB_RATIO * import_max_bytes():
        raise Refused(ZIP_BOMB)


ZIP_BOMB = "tệp giải nén ra quá lớn (nghi là tệp “zip bomb”)"


def _unsafe_name(name: str) -> bool:
    return name.startswith("/") or "\\" in name or ":" in name or ".." in name.split("/")


def _inflate(data: bytes, entry: zipfile.ZipInfo, on_piece) -> None:
    """Pass the entry's content to `on_piece`, inflated here rather than trusting the declared
    size: more than that is a zip bomb."""
    raw = _raw_bytes(data, entry)
    if entry.compress_type == zipfile.ZIP_STORED:
        if len(raw) != entry.file_size:
            raise Refused(NOT_XLSX)
        for start in range(0, len(raw), CHUNK):
            on_piece(bytes(raw[start : start + CHUNK]))
        return
    budget, total = entry.file_size, 0
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for start in range(0, len(raw), CHUNK):
            pending = raw[start : start + CHUNK]
            while pending and not inflater.eof:
                out = inflater.decompress(pending, budget - total + 1)
                total += len(out)
                if total > budget:
                    raise Refused(ZIP_BOMB)
                on_piece(out)
                pending = inflater.unconsumed_tail
        out = inflater.flush()
    except zlib.error:
        raise Refused(NOT_XLSX) from None
    if total + len(out) > budget:
        raise Refused(ZIP_BOMB)
    on_piece(out)


def _raw_bytes(data: bytes, entry: zipfile.ZipInfo) -> memoryview:
    header = data[entry.header_offset : entry.header_offset + 30]
    if len(header) < 30 or not header.startswith(ZIP_SIGNATURE):
        raise Refused(NOT_XLSX)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = entry.header_offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + entry.compress_size]
    if len(raw) != entry.compress_size:
        raise Refused(NOT_XLSX)  # truncated
    return raw


def _sheet_paths(xml_parts: dict[str, bytes]) -> dict[str, str]:
    """{sheet title: path of its XML in the zip}, from the workbook and its relationships."""
    try:
        workbook = SafeET.fromstring(xml_parts["xl/workbook.xml"])
        relations = SafeET.fromstring(xml_parts.get("xl/_rels/workbook.xml.rels", b"<r/>"))
    except Exception as exc:
        raise Refused(f"không đọc được tệp Excel ({type(exc).__name__}): {exc}") from None
    targets = {
        relation.get("Id"): relation.get("Target", "")
        for relation in relations
        if _local(relation.tag) == "Relationship"
    }
    paths = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet":
            target = targets.get(sheet.get(f"{{{RELATIONSHIPS}}}id"), "")
            paths[sheet.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
    return paths


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _exact_scan(title: str, xml: bytes) -> SheetPart:
    """Every cell of the sheet, parsed safely: formula cells without a usable value, and cells
    with a value beyond the template's columns (which calamine would allocate up to)."""
    part = SheetPart()
    try:
        for _event, element in SafeET.iterparse(io.BytesIO(xml), events=("end",)):
            tag = _local(element.tag)
            if tag == "c":
                _scan_cell(title, element, part)
            elif tag == "row":
                element.clear()
    except Refused:
        raise
    except Exception as exc:
        raise Refused(f"không đọc được tệp Excel ({type(exc).__name__}): {exc}") from None
    return part


def _scan_cell(title: str, cell, part: SheetPart) -> None:
    reference = CELL_REFERENCE.match(cell.get("r", ""))
    if reference is None:
        raise Refused(f"trang “{title}”: ô không có địa chỉ hợp lệ")
    children = {_local(child.tag): child for child in cell}
    value = children.get("v")
    has_value = (value is not None and value.text) or "is" in children
    row, column = int(reference.group(2)), _column_number(reference.group(1))
    if row > MAX_ROW:
        raise Refused(f"trang “{title}”: số dòng vượt quá giới hạn của Excel")
    if has_value and column > MAX_COLUMN:
        raise Refused(
            f"trang “{title}”: ô {reference.group(0)} có dữ liệu ngoài các cột của mẫu "
            "(chỉ đọc đến cột Z)"
        )
    if cell.get("t") == "e":
        part.problems[(row, column - 1)] = (
            f"{ERROR_PREFIX} {value.text if has_value else ''}".strip()
        )
    elif "f" in children and not has_value:
        part.problems[(row, column - 1)] = NO_CACHED_VALUE


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
