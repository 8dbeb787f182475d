"""What the services do when the broker refuses a task, and when a job is retryable.

The broker's refusal is simulated (kombu's OperationalError, what `delay` raises with Redis
down), so these run everywhere; test_redis_down.py shows the same with a real Redis stopped.
"""

import os
import time
from datetime import date

import pytest
from django.core.files.base import ContentFile
from kombu.exceptions import OperationalError

from config.cache import FailSoftRedisCache
from core.jobs import _lock_key
from core.models import RunState
from imports import services as import_services
from imports.models import ImportJob, ImportStatus
from imports.tasks import apply_import, check_import
from reports import services as report_services
from reports.models import ReportRun
from reports.tasks import build_report
from tests.imports.test_import_pages import HOTSPOT_HEADER, workbook_bytes


@pytest.fixture(autouse=True)
def run_queued_tasks(monkeypatch):
    # Tasks are queued on commit; test transactions never commit, so run them at once.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    for task in (build_report, check_import, apply_import):
        monkeypatch.setattr(task, "delay", refuse)


def test_a_report_asked_for_while_the_broker_is_down_is_kept_and_can_be_retried(
    broker_down, province, leader
):
    run = report_services.report_request(province=province, kind="annual", year=2026, by=leader)
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert "Không thể đưa báo cáo vào hàng đợi" in run.error  # stored in the portal's language

    run = report_services.report_retry(run=run)  # Redis still down: still says so
    assert run.state == RunState.FAILED


def _run(province, **fields) -> ReportRun:
    return ReportRun.objects.create(
        province=province,
        kind="annual",
        period_start=date(2025, 12, 11),
        period_end=date(2026, 12, 10),
        **fields,
    )


def test_a_report_retried_once_the_broker_is_back_is_built(province, leader):
    run = _run(province, state=RunState.FAILED, error="The report could not be queued")
    run = report_services.report_retry(run=run)  # tasks run eagerly here
    assert run.state == RunState.DONE


def _ready_job(user, commune) -> ImportJob:
    row = [commune.code, "D1", "retail", None, "2025-03-01", None]
    job = ImportJob.objects.create(
        created_by=user,
        file=ContentFile(workbook_bytes({"hotspots": [HOTSPOT_HEADER, row]}), name="so.xlsx"),
        original_name="so.xlsx",
    )
    return import_services.import_job_check(job.pk)


def test_an_import_confirmed_while_the_broker_is_down_waits_for_confirmation_again(
    broker_down, commune_officer, commune
):
    job = _ready_job(commune_officer, commune)
    job = import_services.import_job_confirm(job=job)
    assert job.status == ImportStatus.READY  # nothing written; "Confirm" is offered again


def test_an_upload_while_the_broker_is_down_is_marked_failed(broker_down, commune_officer):
    job = import_services.import_job_start(
        user=commune_officer, uploaded_file=ContentFile(b"PK\x03\x04", name="so.xlsx")
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED


def test_only_an_import_nobody_is_writing_is_stuck(commune_officer, commune):
    job = _ready_job(commune_officer, commune)
    assert not import_services.import_job_is_stuck(job)  # waiting for confirmation
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    job.refresh_from_db()
    assert import_services.import_job_is_stuck(job)
    import_services.import_job_retry(job=job)  # tasks run eagerly here
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert not import_services.import_job_is_stuck(job)


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="advisory locks are PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_a_report_being_built_by_a_live_worker_is_not_retried(province):
    from django.db import connections

    run = _run(province, state=RunState.RUNNING)
    # Another connection plays the live worker holding the job's lock (core.jobs).
    worker = connections.create_connection("default")
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", _lock_key("report", run.pk))
        assert not report_services.report_is_stuck(run)
        assert report_services.report_retry(run=run).state == RunState.RUNNING
    finally:
        worker.close()
    # The lock goes with its connection, once PostgreSQL has seen the connection end.
    deadline = time.monotonic() + 10
    while not report_services.report_is_stuck(run) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert report_services.report_is_stuck(run)


def test_the_cache_misses_instead_of_failing_when_redis_is_unreachable():
    cache = FailSoftRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}}
    )  # nothing listens on port 1
    cache.set("key", "value")
    assert cache.get("key", "missing") == "missing"
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.get_many(["key"]) == {}
    assert cache.add("key", "value") is False
