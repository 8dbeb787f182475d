"""Checks on an uploaded .xlsx before any spreadsheet parser reads it.

The reader (calamine, in Rust) is fast but trusts its input in ways that matter here: it
inflates a zip entry past its declared size, and a value placed in cell XFD1048576 makes it
allocate the whole sheet and abort the process. So the container is checked here, in plain
Python, on the bytes that will be read: every entry is inflated once within its declared size,
every XML part is refused if it declares a DTD (entity bombs, external entities), and each
worksheet is scanned for what calamine cannot report: formula and error cells, and cells far
outside the template's columns.

The scan also bounds what reading will cost, before anything is read: calamine builds each sheet
as a full rectangle from A1 to its last cell, and copies a shared string into every cell that
uses it. So a sheet is refused when its last row lies far below the rows it really holds, or
beyond the row limit of the way in; a file is refused when it inflates far more than a
spreadsheet does, or when its cells would copy out far more text than the file holds. Every
figure comes from the bytes themselves, counted as they are inflated.
"""

import io
import re
import struct
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from itertools import chain, pairwise

import defusedxml.ElementTree as SafeET
from openpyxl.utils import get_column_letter

from .errors import CellError, file_error, import_max_bytes

ZIP_SIGNATURE = b"PK\x03\x04"
# Compound File Binary: an old .xls, or an .xlsx saved with a password (Excel encrypts it so).
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An upload inflating to more than this many times the upload limit is treated as a zip bomb.
BOMB_RATIO = 20
# ... and so is one inflating to more than this many times its own size (past a floor, so that
# small files are never refused for it). Spreadsheets inflate 3 to 20 times: a generated sheet
# repeating one row inflates 18 times, every cell reference being different. A zip bomb
# inflates a thousand times, and every check and parser below costs by the inflated byte.
INFLATE_RATIO = 50
INFLATE_FLOOR = 2**20
MAX_ENTRIES = 1000  # Excel writes a few dozen; thousands only make the checks slow
MAX_ROW = 1_048_576  # Excel's last row
MAX_COLUMN = 26  # column Z: the widest sheet of the template has 13 columns
# Rows above a sheet's last row that hold no cell. calamine builds them all, so a sheet whose
# few cells end at row 1,048,576 costs a gigabyte; an officer's sheet has a few blank rows.
MAX_EMPTY_ROWS = 10_000
# The text the cells copy out of the shared strings: at most this many times the file's size
# (past a floor). A real workbook holds each string about once per cell that uses it; a bomb
# holds one long string that thousands of cells use.
# The floor is 2 MB: a 3 KB file whose headers each quoted a 900,000-character string cost
# 124 MB at a 16 MB floor; a real sheet copies about as much text as it holds.
STRINGS_RATIO = 8
STRINGS_FLOOR = 2 * 2**20
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
# The fast scan reads every cell reference and every shared-string index with these; a cell
# they do not match (another spelling, another attribute order) sends the sheet to the exact
# scan, which reads the same with a real parser. Each match is shorter than PartScan.TAIL.
CELL_START = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
STRING_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[1-9][0-9]{0,6}"(?: s="[0-9]{1,6}")? t="s"><v>([0-9]{1,10})</v>'
)
DIMENSION = re.compile(
    rb"""<dimension ref=["']((?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7}))["']"""
)
STRING_ITEM = re.compile(rb"<si[ >/]")
STRING_INDEX = re.compile(r"^\s*[0-9]{1,10}\s*$")
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHARED_STRINGS_TYPE = RELATIONSHIPS + "/sharedStrings"


class Refused(Exception):
    """Why the file is refused; with `sheet`, a problem of that sheet at `row`."""

    def __init__(self, message: str, *, sheet: str | None = None, row: int = 0):
        super().__init__(message)
        self.message = message
        self.sheet = sheet
        self.row = row

    def error(self) -> CellError:
        if self.sheet is None:
            return file_error(self.message)
        return CellError(self.sheet, self.row, "sheet", self.message)


@dataclass
class SheetPart:
    # {(row number, 0-based column): message} for formula cells that cannot be read.
    problems: dict[tuple[int, int], str] = field(default_factory=dict)


NOT_XLSX = "tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)"


def sheet_key(title: str) -> str:
    """How a sheet is named in the errors: its title as the contract spells it."""
    return title.strip().lower()


def inspect(
    data: bytes, *, max_rows: int = MAX_ROW
) -> tuple[dict[str, SheetPart], list[CellError]]:
    """The worksheets' formula problems by sheet title, or the reason the file is refused.

    `max_rows`: the last row a sheet may reach (the browser's limit is lower than Excel's)."""
    try:
        return _inspect(data, max_rows), []
    except Refused as refused:
        return {}, [refused.error()]


def _inspect(data: bytes, max_rows: int) -> dict[str, SheetPart]:
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
    _check_entries(entries, len(data))
    entry_of = {entry.filename: entry for entry in entries}
    # The workbook and its relationships first: they say which parts are sheets and which is
    # the shared-string table; then that table, whose sizes the sheets' scans need.
    kept, scans = {}, {}
    for name in sorted(KEPT_PARTS & entry_of.keys()):
        pieces = kept[name] = []
        scans[name] = _scanned(data, entry_of[name], PartScan(), also=pieces.append)
    kept = {name: b"".join(pieces) for name, pieces in kept.items()}
    if any(mark in kept.get("[Content_Types].xml", b"") for mark in MACRO_MARKS):
        raise Refused(MACROS)
    sheet_paths = _sheet_paths(kept)
    if any(path not in entry_of for path in sheet_paths.values()):
        # A path calamine might resolve differently ("a/../b"): it would read unchecked.
        raise Refused(NOT_XLSX)
    strings = StringSizes()
    for name in _shared_strings_paths(kept, entry_of):
        scans[name] = _scanned(data, entry_of[name], PartScan(strings=strings))
    titles = {path: title for title, path in sheet_paths.items()}
    for entry in entries:
        if entry.filename in scans:
            continue
        # Every entry is scanned; only parts named as XML are refused for a DTD (an SVG image
        # may carry one). The sheets' scans also follow their cells.
        name = entry.filename
        extent = SheetExtent(titles[name], max_rows, strings) if name in titles else None
        xml = name.lower().endswith(XML_SUFFIXES) or extent is not None
        scans[name] = _scanned(data, entry, PartScan(xml=xml, extent=extent))
    sheets, string_bytes = {}, 0
    for title, path in sheet_paths.items():
        scans[path].check_rows(title)
        # A sheet whose part was scanned as another kind of part (the workbook, the string
        # table) was not followed cell by cell.
        if scans[path].extent is None or scans[path].needs_exact_scan():
            extent = SheetExtent(title, max_rows, strings)
            sheets[title] = _exact_scan(title, _inflated(data, entry_of[path]), extent)
        else:
            extent, sheets[title] = scans[path].extent, SheetPart()
        string_bytes += extent.string_bytes
    _check_strings(string_bytes, len(data))
    return sheets


# The parts read whole: small, and needed to find the sheets and the macros.
KEPT_PARTS = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}


def _scanned(data: bytes, entry: zipfile.ZipInfo, scan: "PartScan", also=None) -> "PartScan":
    _inflate(data, entry, scan.feed if also is None else _both(scan.feed, also))
    scan.finish()
    return scan


def _both(first, second):
    def call(piece):
        first(piece)
        second(piece)

    return call


def _inflated(data: bytes, entry: zipfile.ZipInfo) -> bytes:
    pieces = []
    _inflate(data, entry, pieces.append)
    return b"".join(pieces)


def _count(number: int) -> str:
    """A number as Vietnamese writes it: 1.048.576."""
    return f"{number:,}".replace(",", ".")


def _check_strings(string_bytes: int, file_size: int) -> None:
    limit = max(STRINGS_FLOOR, STRINGS_RATIO * file_size)
    if string_bytes > limit:
        raise Refused(
            f"các ô dùng {_bytes(string_bytes)} văn bản từ bảng chuỗi dùng chung, vượt giới hạn "
            f"{_bytes(limit)} (nghi là tệp “bomb”: một chuỗi dài lặp lại ở rất nhiều ô)"
        )


def _bytes(size: int) -> str:
    return f"{_count(round(size / 2**20))} MB" if size >= 2**20 else f"{round(size / 1024)} KB"


class StringSizes:
    """How many bytes each shared string can take: the XML between its `<si>` and the next
    one, never less than its text. A table written otherwise than Excel writes it (attributes,
    a namespace prefix, comments, CDATA, an empty `<si/>`) might number its strings otherwise
    than calamine; every string of it is then taken to be as long as the whole table."""

    def __init__(self):
        self.sizes = array("I")
        self.whole = 0  # size of a table whose strings cannot be told apart

    def add(self, sizes, *, part_size: int, opaque: bool) -> None:
        if opaque:
            self.whole = max(self.whole, part_size)
            return
        # Two candidate tables (by name and by relationship): each index takes the larger.
        for index, size in enumerate(sizes):
            if index < len(self.sizes):
                self.sizes[index] = max(self.sizes[index], size)
            else:
                self.sizes.append(size)

    def total(self, indices) -> int:
        """Bytes of the strings at `indices` (digits, as the cells give them). An index past a
        table read string by string counts nothing: calamine refuses the file for it."""
        sizes, count, whole = self.sizes, len(self.sizes), self.whole
        if whole:
            return whole * len(indices)
        return sum(sizes[index] if index < count else 0 for index in map(int, indices))


# Markup after which a shared-string table is not read string by string (see StringSizes).
OPAQUE_STRINGS = (b"<!", b"<si ", b"<si\t", b"<si\n", b"<si\r", b"<si/", b":si")


class SheetExtent:
    """A sheet's cells in the order of the file. Refused as soon as a cell comes out of order
    (Excel writes them by row, then column), or lies past the row limit, or leaves more than
    MAX_EMPTY_ROWS rows without a cell above it: calamine would build every row up to it.
    Also adds up the shared-string text the cells use."""

    def __init__(self, title: str, max_rows: int, strings: StringSizes):
        self.sheet = sheet_key(title)
        self.max_rows = max_rows
        self.strings = strings
        self.last_row = 0  # the last row holding a cell
        self.rows = 0  # rows holding a cell
        self.last_place = 0  # (row, column) of the last cell, as one number
        self.string_bytes = 0

    def add_cells(self, references) -> None:
        """(column letters, row digits) of cells, in the order of the file. Runs once per cell
        of the file, hence the plain loop."""
        last_place, last_row, rows = self.last_place, self.last_row, self.rows
        columns = COLUMN_NUMBERS
        for letters, digits in references:
            row = int(digits)
            place = row << 15 | (columns.get(letters) or _column_number(letters))
            if place <= last_place:
                self._refuse_order(place, last_place)
            if row > last_row:
                rows += 1
                last_row = row
                if row - rows > MAX_EMPTY_ROWS or row > self.max_rows:
                    self.last_row, self.rows = last_row, rows
                    self._refuse_size(row)
            last_place = place
        self.last_place, self.last_row, self.rows = last_place, last_row, rows

    def add_strings(self, indices) -> None:
        self.string_bytes += self.strings.total(indices)

    def declared(self, reference: str, row: int) -> None:
        """The extent the sheet declares (`<dimension ref="A1:E20"/>`): calamine does not rely
        on it, but past the row limit no file Excel wrote is that large."""
        if row > self.max_rows:
            raise Refused(
                f"trang quá lớn: vùng dữ liệu khai báo {reference} vượt giới hạn "
                f"{_count(self.max_rows)} dòng; hãy chia thành nhiều tệp",
                sheet=self.sheet,
                row=row,
            )

    def _refuse_order(self, place: int, last_place: int) -> None:
        reference, previous = _reference(place), _reference(last_place)
        if place == last_place:
            where = f"ô {reference} bị lặp"
        else:
            where = f"ô {reference} đứng sau ô {previous}"
        raise Refused(
            f"{where}: các ô phải theo thứ tự dòng rồi cột như Excel ghi; hãy mở tệp bằng Excel "
            "rồi lưu lại",
            sheet=self.sheet,
            row=place >> 15,
        )

    def _refuse_size(self, row: int) -> None:
        if row - self.rows > MAX_EMPTY_ROWS:
            message = (
                f"trang quá lớn: dòng cuối là dòng {_count(row)} nhưng chỉ {_count(self.rows)} "
                f"dòng có ô, vượt giới hạn {_count(MAX_EMPTY_ROWS)} dòng trống; hãy xóa các "
                "dòng thừa ở cuối trang"
            )
        else:
            message = (
                f"trang quá lớn: dòng {_count(row)} vượt giới hạn {_count(self.max_rows)} dòng; "
                "hãy chia thành nhiều tệp"
            )
        raise Refused(message, sheet=self.sheet, row=row)


def _reference(place: int) -> str:
    return f"{get_column_letter(place & 0x7FFF)}{place >> 15}"


class PartScan:
    """What the checks need from one XML part, gathered piece by piece as it is inflated, so
    that a sheet of a million rows (300 MB of XML) is never held whole in memory.

    A sheet's scan (`extent`) follows its cells; the shared-string table's (`strings`) measures
    each string."""

    COUNTED = (b"<c ", b'<c r="', b"<c>", b"<c/>", b't="s"')
    TAIL = 64  # longer than any marker or match searched for

    def __init__(
        self,
        *,
        xml: bool = True,
        extent: SheetExtent | None = None,
        strings: StringSizes | None = None,
    ):
        self.xml = xml
        self.extent = extent
        self.strings = strings
        self.tail = b""
        self.started = False
        self.counts = dict.fromkeys(self.COUNTED, 0)
        self.sheet_data = self.formula_or_error = self.wide_reference = self.odd_cell = False
        self.row_numbers: set[int] = set()
        self.cells = self.string_cells = 0  # cells and string cells the fast scan followed
        self.declared = self.past_header = False
        self.size = 0
        self.string_starts = array("I")  # where each `<si>` begins
        self.opaque = False
        self.declarations = 0

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
        if self.extent is not None:
            self._follow_cells(window)
        if self.strings is not None:
            self._measure_strings(window)
        self.size += len(piece)
        self.tail = window[-self.TAIL :]

    def _follow_cells(self, window: bytes) -> None:
        # The matches of the tail were followed with the previous piece; they come first.
        cells = CELL_START.findall(window)[len(CELL_START.findall(self.tail)) :]
        self.cells += len(cells)
        self.extent.add_cells(cells)
        strings = STRING_CELL.findall(window)[len(STRING_CELL.findall(self.tail)) :]
        self.string_cells += len(strings)
        self.extent.add_strings(strings)
        if not self.declared and not self.past_header:
            # The declared extent comes before the cells, once.
            dimension = DIMENSION.search(window)
            if dimension:
                self.declared = True
                self.extent.declared(dimension.group(1).decode(), int(dimension.group(3)))
            self.past_header = self.sheet_data

    def _measure_strings(self, window: bytes) -> None:
        self.opaque = self.opaque or any(mark in window for mark in OPAQUE_STRINGS)
        self.declarations += (self.tail[-1:] + window[len(self.tail) :]).count(b"<?")
        start = self.size - len(self.tail)  # where the window begins in the part
        for match in STRING_ITEM.finditer(window):
            if match.end() > len(self.tail):  # not seen with the previous piece
                self.string_starts.append(start + match.start())

    def finish(self) -> None:
        if self.strings is None:
            return
        starts = self.string_starts
        sizes = (end - begin for begin, end in pairwise(chain(starts, (self.size,))))
        self.strings.add(sizes, part_size=self.size, opaque=self.opaque or self.declarations > 1)

    def check_rows(self, title: str) -> None:
        if any(number > MAX_ROW for number in self.row_numbers):
            raise Refused(f"trang “{title}”: số dòng vượt quá giới hạn của Excel")

    def needs_exact_scan(self) -> bool:
        """Whether the sheet has formulas, errors, far columns or cells without a reference,
        which only a real parse can place, or cells the fast scan could not follow."""
        return (
            not self.sheet_data  # elements with a namespace prefix
            or self.counts[b"<c "] != self.counts[b'<c r="']
            or self.counts[b"<c>"] > 0
            or self.counts[b"<c/>"] > 0
            or self.odd_cell
            or self.formula_or_error
            or self.wide_reference
            or self.cells != self.counts[b'<c r="']
            or self.string_cells != self.counts[b't="s"']
        )


MACROS = "tệp chứa macro (VBA); hãy lưu lại dạng .xlsx không có macro"


def _check_entries(entries: list[zipfile.ZipInfo], file_size: int) -> None:
    names = [entry.filename for entry in entries]
    if "xl/workbook.xml" not in names:
        raise Refused(NOT_XLSX)
    if len(entries) > MAX_ENTRIES:
        raise Refused(f"tệp có quá nhiều thành phần (hơn {MAX_ENTRIES})")
    # Two entries with one name: Python would read one, calamine perhaps the other (calamine
    # finds some parts ignoring case).
    if len({name.lower() for name in names}) != len(names) or any(
        _unsafe_name(name) for name in names
    ):
        raise Refused("tệp có tên thành phần không hợp lệ (trùng tên hoặc đường dẫn lạ)")
    if any("vbaproject" in name.lower() or "macrosheets/" in name.lower() for name in names):
        raise Refused(MACROS)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise Refused("tệp có phần được mã hóa; hãy lưu lại dạng .xlsx không đặt mật khẩu")
    if any(
        entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries
    ):
        raise Refused(NOT_XLSX)
    inflated = sum(entry.file_size for entry in entries)
    if inflated > BOMB_RATIO * import_max_bytes() or inflated > max(
        INFLATE_FLOOR, INFLATE_RATIO * file_size
    ):
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


def _relationships(xml_parts: dict[str, bytes]):
    """The workbook's XML and its relationships {id: (type, target path)}."""
    try:
        workbook = SafeET.fromstring(xml_parts["xl/workbook.xml"])
        relations = SafeET.fromstring(xml_parts.get("xl/_rels/workbook.xml.rels", b"<r/>"))
    except Exception as exc:
        raise Refused(f"không đọc được tệp Excel ({type(exc).__name__}): {exc}") from None
    targets = {
        relation.get("Id"): (relation.get("Type", ""), _part_path(relation.get("Target", "")))
        for relation in relations
        if _local(relation.tag) == "Relationship"
    }
    return workbook, targets


def _part_path(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _sheet_paths(xml_parts: dict[str, bytes]) -> dict[str, str]:
    """{sheet title: path of its XML in the zip}, from the workbook and its relationships."""
    workbook, targets = _relationships(xml_parts)
    paths = {}
    for sheet in workbook.iter():
        if _local(sheet.tag) == "sheet":
            _type, path = targets.get(sheet.get(f"{{{RELATIONSHIPS}}}id"), ("", "xl/"))
            paths[sheet.get("name", "")] = path
    return paths


def _shared_strings_paths(xml_parts: dict[str, bytes], entries) -> list[str]:
    """The parts calamine may read as the shared-string table: the usual name, in any case,
    and whatever the relationships name so."""
    _workbook, targets = _relationships(xml_parts)
    named = {path for kind, path in targets.values() if kind == SHARED_STRINGS_TYPE}
    return sorted(
        name for name in entries if name.lower() == "xl/sharedstrings.xml" or name in named
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _exact_scan(title: str, xml: bytes, extent: SheetExtent) -> SheetPart:
    """Every cell of the sheet, parsed safely: formula cells without a usable value, cells
    with a value beyond the template's columns (which calamine would allocate up to), and the
    sheet's extent and shared strings (SheetExtent)."""
    part, cells, strings = SheetPart(), [], []
    try:
        for _event, element in SafeET.iterparse(io.BytesIO(xml), events=("end",)):
            tag = _local(element.tag)
            if tag == "c":
                cells.append(_scan_cell(title, element, part, strings))
            elif tag == "row":
                # A row's cells at once, as the fast scan gives them.
                extent.add_cells(cells)
                extent.add_strings(strings)
                cells.clear()
                strings.clear()
                element.clear()
            elif tag == "dimension":
                _declared(element.get("ref", ""), extent)
        extent.add_cells(cells)
        extent.add_strings(strings)
    except Refused:
        raise
    except Exception as exc:
        raise Refused(f"không đọc được tệp Excel ({type(exc).__name__}): {exc}") from None
    return part


def _declared(reference: str, extent: SheetExtent) -> None:
    last = CELL_REFERENCE.match(reference.rsplit(":", 1)[-1])
    if last:
        extent.declared(reference, int(last.group(2)))


def _scan_cell(title: str, cell, part: SheetPart, strings: list) -> tuple[str, str]:
    """The cell's (column letters, row digits), for SheetExtent; its problems go to `part`, its
    shared-string index to `strings`."""
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
    if cell.get("t") == "s" and has_value and STRING_INDEX.match(value.text):
        strings.append(value.text)
    if cell.get("t") == "e":
        part.problems[(row, column - 1)] = (
            f"{ERROR_PREFIX} {value.text if has_value else ''}".strip()
        )
    elif "f" in children and not has_value:
        part.problems[(row, column - 1)] = NO_CACHED_VALUE
    return reference.group(1), reference.group(2)


COLUMN_NUMBERS: dict = {}


def _column_number(letters: str | bytes) -> int:
    """A column's number (A = 1), from its letters as text or bytes; remembered, as it runs
    once per cell."""
    number = COLUMN_NUMBERS.get(letters)
    if number is None:
        number = 0
        for letter in letters.decode("ascii") if isinstance(letters, bytes) else letters:
            number = number * 26 + ord(letter) - ord("A") + 1
        if len(COLUMN_NUMBERS) < 100_000:
            COLUMN_NUMBERS[letters] = number
    return number
