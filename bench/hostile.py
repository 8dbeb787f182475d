"""What refusing or reading each hostile workbook costs: wall time, CPU time and memory.

    python bench/hostile.py            # a table, both ways in (browser and command)
    python bench/hostile.py --json     # one JSON object per line (tests/security read them)

Each file is built here, in memory, with zipfile: a few kilobytes each, nothing committed.
Each measurement runs in a child process of its own (fork), so that one file's peak memory
does not hide the next one's: the peak resident memory the reading added (calamine's Rust
allocations included, which tracemalloc cannot see) and, in a second child, the peak of Python's
own allocations (tracemalloc). Only the reading is measured (`imports.reading.read_workbook`:
the container checks, then calamine): that is where an upload becomes memory; validation and
the database come after, on the rows read.

Nothing is asserted here; tests/security/test_hostile_sizes.py asserts the bounds.
"""

import argparse
import contextlib
import gc
import io
import json
import os
import resource
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

EXCEL_LAST_ROW = 1_048_576
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
# The contract's sheets (contracts.md §3), for a workbook that fills every one.
SHEETS = [
    "communes",
    "hamlets",
    "persons",
    "drug_tests",
    "rehab",
    "hotspots",
    "cultivation",
    "offences",
    "wanted",
    "pledges",
    "models",
    "registrations",
    "roadmap",
]


def cell(reference: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{reference}"><v>{value}</v></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


HEADER = (cell("A1", "commune_code"), cell("B1", "name"), cell("C1", "households"))
HAMLET_ROWS = row(1, *HEADER) + row(
    2, cell("A2", "20001"), cell("B2", "Thôn Hà Thử"), cell("C2", 120)
)


def sheet_xml(rows: str, *, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'


def workbook(sheets: dict[str, str], *, shared_strings: str | None = None) -> bytes:
    """An .xlsx holding `sheets` ({title: sheet XML}), written part by part as Excel lays
    them out, so that each hostile file differs from a real one only where it means to."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" '
        f'Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        relations += (
            f'<Relationship Id="rIdStrings" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    entries = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><sheets>'
            + "".join(
                f'<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>'
                for n, title in enumerate(sheets, 1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
            f"{relations}</Relationships>"
        ),
        **{
            f"xl/worksheets/sheet{n}.xml": '<?xml version="1.0" encoding="UTF-8"?>' + xml
            for n, xml in enumerate(sheets.values(), 1)
        },
    }
    if shared_strings is not None:
        entries["xl/sharedStrings.xml"] = shared_strings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def tall(reference: str) -> bytes:
    """A hamlet, then one value on Excel's last row: the finding of issue 14 (Z1048576 cost
    1.2 GB and 4 s)."""
    number = int(reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + row(number, cell(reference, 1)))})


def wide() -> bytes:
    """A hamlet, and one value in Excel's last column of the header row."""
    header = row(1, *HEADER, cell("XFD1", "x"))
    data = row(2, cell("A2", "20001"), cell("B2", "Thôn Hà Thử"), cell("C2", 120))
    return workbook({"hamlets": sheet_xml(header + data)})


def declared_everything() -> bytes:
    """A real sheet of one hamlet that declares the whole grid as its extent."""
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS, dimension="A1:XFD1048576")})


def declared_small_reaching_far() -> bytes:
    """The reverse lie: declares A1:C2, and its cells go on to row 1,000,000."""
    far = row(3, cell("A3", "20001")) + row(1_000_000, cell("A1000000", "20001"))
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + far, dimension="A1:C2")})


def thirteen_tall_sheets() -> bytes:
    """Every sheet of the contract, each with a value on Excel's last row."""
    last = row(EXCEL_LAST_ROW, cell(f"Z{EXCEL_LAST_ROW}", 1))
    return workbook({title: sheet_xml(row(1, cell("A1", "x")) + last) for title in SHEETS})


def shared_string_bomb(cells: int = 2_000, length: int = 512 * 1024) -> bytes:
    """One string of half a megabyte, used by 2,000 cells: calamine copies it into each
    (a gigabyte) from a file of a few kilobytes."""
    strings = f'<sst xmlns="{MAIN}"><si><t>{"a" * length}</t></si></sst>'
    used = "".join(
        row(n, f'<c r="A{n}" t="s"><v>0</v></c>', cell(f"B{n}", "x")) for n in range(3, cells + 3)
    )
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + used)}, shared_strings=strings)


def header_echo(length: int = 900_000, columns: int = 17) -> bytes:
    """One string of 900,000 characters as every header of a sheet: each unknown header was
    quoted whole in its error line (a 15 MB job page from a 3 KB file)."""
    strings = f'<sst xmlns="{MAIN}"><si><t>{"q" * length}</t></si></sst>'
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:columns]
    headers = "".join(f'<c r="{letter}1" t="s"><v>0</v></c>' for letter in letters)
    return workbook({"hamlets": sheet_xml(f'<row r="1">{headers}</row>')}, shared_strings=strings)


def repeated_cell(copies: int = 20_000) -> bytes:
    """One cell written 20,000 times over: calamine would keep every copy, and deflate packs
    them into a few KB (at 200,000 copies the file inflates too much to be opened)."""
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + row(3, cell("A3", "20001") * copies))})


def inflating_sheet(megabytes: int = 5) -> bytes:
    """A sheet padded with blank rows' markup far beyond what the file's size can hold."""
    padding = "<row/>" * (megabytes * 2**20 // 6)
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + padding)})


def pledges(rows: int = 20_000) -> bytes:
    """For comparison, not hostile: a large commune's pledges, one row per household."""
    header = row(
        1,
        *(
            cell(f"{letter}1", name)
            for letter, name in zip(
                "ABCDE",
                ["commune_code", "hamlet", "household_code", "head_name", "signed_on"],
                strict=True,
            )
        ),
    )
    body = "".join(
        row(
            n,
            cell(f"A{n}", "20001"),
            cell(f"B{n}", "Thôn Nà Cạn"),
            cell(f"C{n}", f"HO-{n:06d}"),
            cell(f"D{n}", f"Chủ hộ {n}"),
            cell(f"E{n}", "2026-03-01"),
        )
        for n in range(2, rows + 2)
    )
    return workbook({"pledges": sheet_xml(header + body)})


def blank_rows_then_data(blank: int = 9_000) -> bytes:
    """Legitimate: a hamlet, some thousands of blank rows, another hamlet (under the bound)."""
    later = 3 + blank
    rows = row(later, cell(f"A{later}", "20001"), cell(f"B{later}", "Thôn Nà Cạn"))
    return workbook({"hamlets": sheet_xml(HAMLET_ROWS + rows)})


# name: (builder, what it is); tests/security/test_hostile_sizes.py holds the expected outcome.
HOSTILE_FILES = {
    "tall: one value at A1048576": (lambda: tall("A1048576"), "tall"),
    "tall: one value at Z1048576": (lambda: tall("Z1048576"), "tall"),
    "wide: one value at XFD1": (wide, "wide"),
    "declared A1:XFD1048576, one hamlet": (declared_everything, "declared lie"),
    "declared A1:C2, cells to row 1,000,000": (declared_small_reaching_far, "declared lie"),
    "13 sheets reaching row 1,048,576": (thirteen_tall_sheets, "many tall sheets"),
    "shared string of 512 KB in 2,000 cells": (shared_string_bomb, "string bomb"),
    "a 900,000-character string as every header": (header_echo, "string bomb"),
    "one cell written 20,000 times": (repeated_cell, "repeated cell"),
    "5 MB of sheet XML in a few KB": (inflating_sheet, "inflation"),
    "9,000 blank rows, then a hamlet (legitimate)": (blank_rows_then_data, "legitimate"),
    "20,000 pledges (for comparison)": (pledges, "comparison"),
}


def _vm(field: str) -> int:
    """A line of /proc/self/status in KB (VmRSS: now; VmHWM: the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> None:
    # Linux: writing 5 to clear_refs sets the peak (VmHWM) back to the resident size now.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _read(data: bytes, max_rows: int, *, traced: bool) -> dict:
    from imports.labels import VIETNAMESE_LABELS
    from imports.reading import read_workbook

    gc.collect()
    _reset_peak()
    rss_before = _vm("VmRSS")
    if traced:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    sheets, errors = read_workbook(io.BytesIO(data), VIETNAMESE_LABELS, max_rows=max_rows)
    result = {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "rss_growth_mb": max(0, _vm("VmHWM") - rss_before) / 1024,
        "error": str(errors[0]) if errors else None,
        "rows": {name: len(sheet.rows) for name, sheet in sheets.items()},
    }
    if traced:
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def _in_child(function, *args, **kwargs) -> dict:
    """Run function in a forked child and return what it returned (a JSON-able dict)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, write, leave without cleaning up the parent's state
        os.close(reader)
        try:
            payload = json.dumps(function(*args, **kwargs)).encode()
        except BaseException as exc:  # noqa: BLE001 — reported to the parent, not lost
            payload = json.dumps({"crash": f"{type(exc).__name__}: {exc}"}).encode()
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        payload = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if not payload:
        return {"crash": f"child ended with status {status}"}
    return json.loads(payload)


def measure(data: bytes, max_rows: int) -> dict:
    """Time and resident memory from one child, Python's peak allocation from another
    (tracemalloc slows the allocations it counts)."""
    result = _in_child(_read, data, max_rows, traced=False)
    result["python_peak_mb"] = _in_child(_read, data, max_rows, traced=True).get("python_peak_mb")
    return result


def measure_all(names=None):
    import django

    django.setup()
    from django.conf import settings

    ways = {"browser": settings.IMPORT_MAX_ROWS, "command": EXCEL_LAST_ROW}
    for name, (build, kind) in HOSTILE_FILES.items():
        if names and name not in names:
            continue
        data = build()
        for way, max_rows in ways.items():
            yield {"file": name, "kind": kind, "bytes": len(data), "way": way} | measure(
                data, max_rows
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("names", nargs="*", help="only these files (default: all)")
    args = parser.parse_args()
    if not args.json:
        print(
            f"{'file':<46} {'way':<8} {'size':>7} {'time':>8} {'CPU':>8} {'RSS +':>9} "
            f"{'Python':>9}  outcome"
        )
    for figures in measure_all(args.names):
        if args.json:
            print(json.dumps(figures, ensure_ascii=False), flush=True)
            continue
        outcome = figures.get("error") or figures.get("crash") or f"read {figures['rows']}"
        milliseconds = figures.get("seconds", 0) * 1000
        cpu_milliseconds = figures.get("cpu_seconds", 0) * 1000
        print(
            f"{figures['file']:<46} {figures['way']:<8} {figures['bytes'] / 1024:>5.1f}KB "
            f"{milliseconds:>6.1f}ms {cpu_milliseconds:>6.1f}ms "
            f"{figures.get('rss_growth_mb', 0):>7.1f}MB "
            f"{figures.get('python_peak_mb') or 0:>7.1f}MB  {outcome[:90]}"
        )


if __name__ == "__main__":
    main()
