"""The benchmark scripts on a smoke-size data set, so that they do not rot (the figures
themselves come from `make bench`)."""

import pytest

from bench.generate import FIRST_PROVINCE_CODE, generate
from communes.models import Commune, Province


@pytest.fixture
def smoke(db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    counts = generate("smoke", seed=3)
    return Province.objects.get(code=str(FIRST_PROVINCE_CODE)), counts


def test_generator_writes_consistent_rows(smoke):
    province, counts = smoke
    assert counts == {"communes": 12, "households": 2400, "persons": 300}
    communes = Commune.objects.filter(province=province)
    assert communes.count() == 12
    assert all(commune.households == 200 for commune in communes)


def test_bench_functions_measure(smoke):
    from bench import run

    province, _counts = smoke
    assess = run.bench_assess(province.communes.all())
    assert assess["communes"] == 12
    assert assess["queries"] == assess["queries_for_3"]
    assert assess["raw_sql_seconds"] > 0
    pages = run.bench_pages(province)
    assert {page["status"] for page in pages.values()} == {200}
    assert all(0 < page["queries"] <= 60 for page in pages.values()), pages
    assert all(page["median_ms"] > 0 for page in pages.values())
    imported = run.bench_import(province, 50)
    assert imported["rows"] == 50 and imported["rows_per_second"] > 0
    assert run.bench_report(province)["state"] == "done"
