"""A worker killed in the middle of an import or a report: nothing half done, and the job ends.

The worker is a real `celery worker` subprocess (prefork pool) on the test database and the
test run's Redis, with a crash injected at a chosen point (faulty_worker.py).
"""

import os
import secrets
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import redis
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.db import connection

from communes.models import Hotspot
from config.celery import app as celery_app
from core.models import RunState
from imports import services as import_services
from imports.models import ImportJob, ImportStatus
from reports import services as report_services
from reports.models import ReportRun
from tests.imports.test_import_pages import HOTSPOT_HEADER, workbook_bytes

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs Redis (CI's PostgreSQL run sets REDIS_URL)"
    ),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the worker subprocess shares the test database: PostgreSQL only",
    ),
]


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def start_faulty_worker(transactional_db, settings, tmp_path):
    """Start workers with a fault; stop any still running at the end, before the tables go."""
    celery_app.conf.task_always_eager = False  # send through Redis (eager_celery restores it)
    workers = []

    def start(fault: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "FAULT": fault,
            "FAULT_MARKER": str(tmp_path / "fault-fired"),
        }
        log = (tmp_path / f"worker-{len(workers)}.log").open("w")
        worker = subprocess.Popen(  # noqa: S603 — our interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reliability.faulty_worker",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                f"--hostname=faulty-{secrets.token_hex(3)}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, which the fault may kill whole
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    # A killed worker's message stays "unacked" in Redis, to come back in an hour to some later
    # test run's worker; only this test's workers used them, so drop them.
    redis.Redis.from_url(settings.REDIS_URL).delete("unacked", "unacked_index")


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _ready_import(user, commune, refs) -> ImportJob:
    rows = [[commune.code, ref, "retail", None, "2025-03-01", None] for ref in refs]
    job = ImportJob.objects.create(
        created_by=user,
        file=ContentFile(workbook_bytes({"hotspots": [HOTSPOT_HEADER, *rows]}), name="so.xlsx"),
        original_name="so.xlsx",
    )
    import_services.import_job_check(job.pk)  # the preview, in-process: not under test here
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    return job


def test_a_worker_killed_while_writing_an_import_writes_nothing_and_the_retry_writes_once(
    start_faulty_worker, commune_officer, commune
):
    job = _ready_import(commune_officer, commune, ["D1", "D2", "D3"])
    hotspots, audit_entries = Hotspot.objects.count(), LogEntry.objects.count()
    import_services.import_job_confirm(job=job)

    crashed = start_faulty_worker("import-write")
    crashed.wait(timeout=90)  # the fault kills the whole worker once the hotspots are inserted
    assert crashed.returncode == -signal.SIGKILL
    job.refresh_from_db()
    # The hotspots had been inserted, but in the transaction the crash rolled back.
    assert (Hotspot.objects.count(), LogEntry.objects.count()) == (hotspots, audit_entries)
    assert job.status == ImportStatus.APPLYING
    # Stuck, once PostgreSQL has seen the dead worker's connection end and dropped its lock.
    _wait_for(lambda: import_services.import_job_is_stuck(job), 10, "the lock to go")

    import_services.import_job_retry(job=job)
    start_faulty_worker("import-write")  # the fault has fired already: this one runs clean
    _wait_for(
        lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE, 90, "the import"
    )
    assert Hotspot.objects.count() == hotspots + 3
    assert LogEntry.objects.count() == audit_entries + 3  # one audit entry per row

    # The crashed worker's message comes back from Redis later; running it writes nothing.
    job = import_services.import_job_apply(job.pk)
    assert job.status == ImportStatus.DONE
    assert Hotspot.objects.count() == hotspots + 3


def test_a_worker_killed_while_saving_a_report_leaves_no_half_file_and_the_build_finishes(
    start_faulty_worker, tmp_path, province, commune, leader
):
    run = report_services.report_request(province=province, kind="annual", year=2026, by=leader)
    marker = tmp_path / "fault-fired"
    start_faulty_worker("report-file")

    _wait_for(marker.exists, 120, "the pool child to be killed saving the Excel file")
    half_file = marker.read_text()
    run.refresh_from_db()
    # Killed after the PDF was saved and half the Excel file written: the run is not ready and
    # points at no file, so the archive offers nothing to download.
    assert run.state == RunState.RUNNING
    assert (run.pdf.name, run.xlsx.name) == ("", "")

    # The main process saw its child die and sends the task again (CRASH_SAFE_TASK).
    _wait_for(lambda: ReportRun.objects.get(pk=run.pk).state == RunState.DONE, 120, "the build")
    run.refresh_from_db()
    assert run.pdf.read(5) == b"%PDF-"
    assert zipfile.is_zipfile(run.xlsx.path)
    assert run.xlsx.name != half_file
    assert not zipfile.is_zipfile(Path(run.xlsx.storage.path(half_file)))  # really half a file
