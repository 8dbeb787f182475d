"""Measure the goals of the scale issue and print a table (`make bench`).

Run against a database filled by `manage.py generate_load_data` (PostgreSQL for real figures):

    DATABASE_URL=postgres://… python bench/run.py [--import-rows N] [--out bench/results.json]
    DATABASE_URL=postgres://… python bench/run.py --only import --import-rows 1000000

Every figure is measured in this run; nothing is asserted here (tests assert behaviour).
"""

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from accounts.two_factor import confirmed_device, requires_two_factor  # noqa: E402
from assessments import runs  # noqa: E402
from assessments import services as assessment_services  # noqa: E402
from assessments.models import ProvinceRun  # noqa: E402
from bench.generate import FIRST_PROVINCE_CODE, TODAY  # noqa: E402
from casefiles.models import Person  # noqa: E402
from communes.models import Commune, Province  # noqa: E402
from imports.workbook import EXCEL_MAX_ROWS, workbook_apply, workbook_preview  # noqa: E402
from reports import services as report_services  # noqa: E402
from reports.models import ReportRun  # noqa: E402


def timed(function, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, min(times)


def bench_assess(communes):
    communes = list(communes.select_related("province"))

    def assess():
        return assessment_services.assess_communes(communes, as_of=TODAY)

    with CaptureQueriesContext(connection) as all_queries:
        _results, seconds = timed(assess)
    # Timed as in production, DEBUG off: with it on, Django copies and logs every statement
    # inside both timings below (the engine's and the bare SQL's).
    with override_settings(DEBUG=False):
        _results, seconds = timed(assess, repeat=3)
    with CaptureQueriesContext(connection) as few_queries:
        assessment_services.assess_communes(communes[:3], as_of=TODAY)
    # The physical limit: the same SQL, run bare through the driver (no ORM, no rules).
    statements = [query["sql"] for query in all_queries.captured_queries]

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    with override_settings(DEBUG=False):
        _none, raw_seconds = timed(raw, repeat=3)
    return {
        "communes": len(communes),
        "seconds": seconds,
        "queries": len(all_queries),
        "queries_for_3": len(few_queries),
        "raw_sql_seconds": raw_seconds,
        "ratio": seconds / raw_seconds if raw_seconds else None,
    }


def _user(role, **area):
    user, _created = User.objects.get_or_create(
        username=f"bench-{role}", defaults={"role": role, **area}
    )
    return user


def signed_in_client(user) -> Client:
    """A client fully signed in as the user: password and, for the roles that need it, the
    one-time code step (the session is marked as having passed it with the user's device)."""
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    if requires_two_factor(user):
        device = confirmed_device(user) or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def bench_pages(province):
    commune = Commune.objects.filter(province=province).first()
    person = Person.objects.filter(commune=commune).first()
    officer = _user(Role.COMMUNE_OFFICER, commune=commune, province=province)
    provincial = _user(Role.PROVINCIAL_OFFICER, province=province)
    leader = _user(Role.LEADER, province=province)
    pages = {
        "commune home": (officer, reverse("communes:detail", args=[commune.pk])),
        "people list": (officer, reverse("casefiles:list")),
        "people detail": (officer, reverse("casefiles:detail", args=[person.pk])),
        "hotspot list": (officer, reverse("communes:register_list", args=["hotspots"])),
        "pledge coverage": (officer, reverse("communes:pledges", args=[commune.pk])),
        "province table": (provincial, reverse("assessments:province")),
        "province dashboard": (leader, reverse("reports:overview")),
        "admin recognition list": (
            provincial,
            reverse("admin:assessments_recognitioncase_changelist"),
        ),
    }
    results = {}
    for name, (user, url) in pages.items():
        client = signed_in_client(user)
        client.get(url)  # warm
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        results[name] = {
            "status": response.status_code,
            "queries": len(executed),
            "median_ms": statistics.median(times) * 1000,
        }
    return results


def bench_import(province, rows: int):
    """Rows per second of a pledge import, preview and write, and the process's peak memory.

    The write is rolled back afterwards, so every run measures creating the rows."""
    commune = Commune.objects.filter(province=province).last()
    hamlet = commune.hamlets.first()
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("pledges")
    sheet.append(["commune_code", "hamlet", "household_code", "head_name", "signed_on"])
    for number in range(rows):
        sheet.append([commune.code, hamlet.name, f"BENCH-{number:08d}", "Chủ hộ thử", "2026-03-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    del book, sheet
    size = buffer.tell()
    buffer.seek(0)
    # A million rows make a ~19 MB file: a province importing that raises IMPORT_MAX_BYTES.
    settings.IMPORT_MAX_BYTES = max(settings.IMPORT_MAX_BYTES, size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu_started = time.perf_counter(), time.process_time()
    # As in production: with DEBUG on, Django keeps the text of the last 9,000 queries, and
    # here each is a 2,000-row INSERT (≈ 2 GB at a million rows, none of it the import's).
    with override_settings(DEBUG=False), transaction.atomic():
        # As the command reads it: a bulk import goes past the browser's IMPORT_MAX_ROWS.
        preview = workbook_preview(buffer, today=TODAY, max_rows=EXCEL_MAX_ROWS)
        if preview.errors:
            return {"rows": rows, "error": str(preview.errors[0])}
        previewed = time.perf_counter()
        workbook_apply(preview)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        transaction.set_rollback(True)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": rows,
        "file_mb": size / 2**20,
        "seconds": seconds,
        "preview_seconds": previewed - started,
        "cpu_seconds": cpu_seconds,
        "rows_per_second": rows / seconds,
        "peak_rss_mb": rss_after / 1024,
        "rss_growth_mb": (rss_after - rss_before) / 1024,
    }


def bench_province_run(province):
    """The nightly province run: assess every commune, store, build the dashboard's figures
    (what the province table and dashboard then read)."""
    run = ProvinceRun.objects.create(province=province, as_of=TODAY)
    _run, seconds = timed(lambda: runs.province_run_build(run.pk))
    return {"seconds": seconds, "state": ProvinceRun.objects.get(pk=run.pk).state}


def bench_report(province):
    # The run is created here, not through report_request, whose task would run eagerly
    # (no broker in the bench) before the timer starts; the timer covers the worker's whole job.
    period = report_services.report_period("annual", TODAY.year)
    run = ReportRun.objects.create(
        province=province, kind="annual", period_start=period.start, period_end=period.end
    )
    _run, seconds = timed(lambda: report_services.report_build(run.pk))
    return {"seconds": seconds, "state": ReportRun.objects.get(pk=run.pk).state}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--import-rows", type=int, default=100_000, help="0 skips the import benchmark"
    )
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument(
        "--only", choices=["import"], help="measure only this figure and print it as JSON"
    )
    args = parser.parse_args()
    province = Province.objects.get(code=str(FIRST_PROVINCE_CODE))
    if args.only == "import":
        print(json.dumps(bench_import(province, args.import_rows), indent=2))
        return
    # At national scale the engine's goal is every commune of the country at once.
    national = Commune.objects.count() > 1000
    assess = bench_assess(Commune.objects.all() if national else province.communes.all())
    province_run = bench_province_run(province)  # before the pages, which read what it stores
    pages = bench_pages(province)
    imported = bench_import(province, args.import_rows) if args.import_rows else {"rows": 0}
    report = bench_report(province)
    rows = [
        (
            f"assess, {'all' if national else 'whole province'} ({assess['communes']} communes)",
            f"≤ {20 if national else 2} s",
            f"{assess['seconds']:.2f} s",
            assess["seconds"] <= (20 if national else 2),
        ),
        (
            "assess queries (all communes vs 3)",
            "same",
            f"{assess['queries']} vs {assess['queries_for_3']}",
            assess["queries"] == assess["queries_for_3"],
        ),
        ("engine time / bare SQL time", "≤ 1.5", f"{assess['ratio']:.2f}", assess["ratio"] <= 1.5),
        (
            "province run (assess, store, dashboard)",
            "nightly",
            f"{province_run['seconds']:.1f} s ({province_run['state']})",
            province_run["state"] == "done",
        ),
        *(
            (
                f"page: {name}",
                "≤ 15 queries, 200",
                f"{page['queries']} q, {page['median_ms']:.0f} ms, {page['status']}",
                page["queries"] <= 15 and page["status"] == 200,
            )
            for name, page in pages.items()
        ),
        (
            "import: pledge rows per second",
            "≥ 10,000/s",
            f"{imported.get('rows_per_second', 0):,.0f}/s ({imported['rows']:,} rows)",
            imported.get("rows_per_second", 0) >= 10_000,
        ),
        (
            "import: peak memory (process)",
            "≤ 1024 MB",
            f"{imported.get('peak_rss_mb', 0):.0f} MB",
            imported.get("peak_rss_mb", 0) <= 1024,
        ),
        (
            "annual PDF report",
            "≤ 10 s",
            f"{report['seconds']:.1f} s ({report['state']})",
            report["seconds"] <= 10,
        ),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{'figure':<{width}}  {'goal':<20} {'measured':<32} result")
    for figure, goal, measured, passed in rows:
        print(f"{figure:<{width}}  {goal:<20} {measured:<32} {'pass' if passed else 'FAIL'}")
    Path(args.out).write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "assess": assess,
                "province_run": province_run,
                "pages": pages,
                "import": imported,
                "report": report,
                "goals": [
                    dict(zip(["figure", "goal", "measured", "pass"], row, strict=True))
                    for row in rows
                ],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
