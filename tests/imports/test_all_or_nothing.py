"""A file is imported whole or not at all, however many rows it holds and however many
batches the write takes."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from communes.models import Household, Pledge
from imports import apply, state
from imports.workbook import workbook_apply
from tests.factories import HamletFactory
from tests.imports import TODAY, imported, preview, xlsx

HEADER = ["commune_code", "hamlet", "household_code", "head_name", "signed_on"]


def pledge_rows(count: int, *, bad_row: int | None = None) -> list[list]:
    rows = [HEADER]
    for number in range(2, count + 2):
        signed_on = "2025-13-45" if number == bad_row else "2025-03-01"
        rows.append(["20001", "Thôn Nà Pe", f"HM-{number:05d}", "Chủ Hộ Thử", signed_on])
    return rows


@pytest.fixture
def hamlet(commune):
    return HamletFactory(commune=commune, name="Thôn Nà Pe")


def stored() -> tuple[int, int, int]:
    return Household.objects.count(), Pledge.objects.count(), LogEntry.objects.count()


def test_one_bad_row_in_the_middle_of_thousands_writes_nothing(hamlet, tmp_path):
    path = tmp_path / "pledges.xlsx"
    path.write_bytes(xlsx({"pledges": pledge_rows(5000, bad_row=2501)}).getvalue())
    before = stored()
    stderr = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=stderr)
    assert exit.value.code == 1
    assert stderr.getvalue().splitlines() == [
        "pledges!2501: signed_on: “2025-13-45” không phải là ngày hợp lệ "
        "(YYYY-MM-DD hoặc ô kiểu ngày)"
    ]
    assert stored() == before


def test_a_failure_in_the_last_write_batch_undoes_the_batches_before_it(hamlet, monkeypatch):
    monkeypatch.setattr(apply, "BATCH_SIZE", 10)
    result = preview({"pledges": pledge_rows(45)}, today=TODAY)
    assert not result.errors
    real_bulk_create = LogEntry.objects.bulk_create
    calls = []

    def failing_on_the_last_batch(entries, **kwargs):
        calls.append(len(entries))
        if sum(calls) > 80:  # 90 entries: a household and a pledge per row
            raise RuntimeError("database went away")
        return real_bulk_create(entries, **kwargs)

    monkeypatch.setattr(LogEntry.objects, "bulk_create", failing_on_the_last_batch)
    before = stored()
    with pytest.raises(RuntimeError):
        workbook_apply(result)
    assert len(calls) == 9  # the entries were written in batches: the first eight were sent
    assert stored() == before


@pytest.mark.parametrize("chunk", [500, 2])  # 30 codes: fetched by code, or by commune
def test_a_large_pledge_file_finds_the_stored_households_either_way(hamlet, monkeypatch, chunk):
    monkeypatch.setattr(state, "CHUNK", chunk)
    other = HamletFactory(commune=hamlet.commune, name="Thôn Khác")
    Household.objects.create(
        commune=hamlet.commune, hamlet=other, household_code="NOT-IN-FILE", head_name="Chủ Hộ Khác"
    )
    imported({"pledges": pledge_rows(30)})
    rows = pledge_rows(30)
    rows[5][4] = "2025-04-01"  # one signature date changed
    again = imported({"pledges": rows})
    assert again.counts["pledges"] == {"create": 0, "update": 1, "unchanged": 29}
    assert Household.objects.count() == 31
