"""`manage.py import_workbook FILE.xlsx [--dry-run]`: summary on stdout; on any error one
`sheet!row: column: message` line per error on stderr, exit status 1, nothing written."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from casefiles.models import Person
from communes.models import Hamlet
from tests.imports import person_row, table, xlsx

ERROR_LINE = re.compile(r"^[a-z_]+![0-9]+: [^:]+: .+$")


def run(*args) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of the command, as a shell would see them."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("import_workbook", *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit:
        return exit.code, stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def saved(tmp_path, sheets, name="import.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(sheets).getvalue())
    return str(path)


GOOD = {
    "hamlets": table({"commune_code": "20001", "name": "Thôn Nà Pe"}),
    "persons": table(person_row(hamlet="Thôn Nà Pe")),
}


def test_a_valid_file_is_imported_with_a_summary(commune, tmp_path):
    path = saved(tmp_path, GOOD)
    status, out, err = run(path)
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "hamlets: created 1, updated 0, unchanged 0",
        "persons: created 1, updated 0, unchanged 0",
    ]
    assert Person.objects.get().hamlet == Hamlet.objects.get()
    entries = LogEntry.objects.count()
    status, out, err = run(path)
    assert out.splitlines() == [
        "hamlets: created 0, updated 0, unchanged 1",
        "persons: created 0, updated 0, unchanged 1",
    ]
    assert LogEntry.objects.count() == entries


def test_dry_run_prints_the_summary_and_writes_nothing(commune, tmp_path):
    entries = LogEntry.objects.count()
    status, out, err = run(saved(tmp_path, GOOD), "--dry-run")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "hamlets: created 1, updated 0, unchanged 0",
        "persons: created 1, updated 0, unchanged 0",
        "Dry run: nothing was written.",
    ]
    assert not Hamlet.objects.exists()
    assert LogEntry.objects.count() == entries


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_errors_go_to_stderr_one_per_line_with_status_1(commune, tmp_path, dry_run):
    sheets = {
        **GOOD,
        "persons": table(
            person_row(hamlet="Thôn Nà Pe"),
            person_row(citizen_id="020090000102", hamlet="Thôn Nà Pe"),
            person_row(citizen_id="020090000102", listed_on="2999-01-01", hamlet="Thôn Nà Pe"),
            person_row(citizen_id="12345", hamlet="Thôn Nà Pe"),
        ),
    }
    status, out, err = run(saved(tmp_path, sheets), *dry_run)
    lines = err.splitlines()
    assert status == 1
    assert out == ""
    assert all(ERROR_LINE.match(line) for line in lines), lines
    assert [line.split(": ")[0:2] for line in lines] == [
        ["persons!4", "listed_on"],
        ["persons!4", "citizen_id"],
        ["persons!5", "citizen_id"],
    ]
    assert lines[1] == ("persons!4: citizen_id: trùng khóa (citizen_id) với dòng 3 trong tệp")
    assert not Hamlet.objects.exists()
    assert not Person.objects.exists()


def test_a_refused_file_is_reported_on_row_0_of_sheet_file(db, tmp_path):
    path = tmp_path / "import.xlsx"
    path.write_bytes(b"not a workbook")
    assert run(str(path)) == (
        1,
        "",
        "file!0: file: tệp không phải là tệp Excel .xlsx (nội dung không đúng định dạng)\n",
    )


def test_a_missing_file_is_reported_the_same_way(db, tmp_path):
    status, out, err = run(str(tmp_path / "missing.xlsx"))
    assert status == 1
    assert err.startswith("file!0: file: không mở được tệp: ")
