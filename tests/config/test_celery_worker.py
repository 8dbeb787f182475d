"""Tasks travel through the real broker to a real worker where CI provides Redis."""

import datetime
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.base import ContentFile

from config.celery import app as celery_app
from imports.models import ImportJob, ImportStatus
from imports.tasks import check_import
from tests.imports.test_import_pages import HOTSPOT_HEADER, workbook_bytes

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (CI's PostgreSQL run sets REDIS_URL)"
)


@pytest.mark.django_db(transaction=True)
def test_import_check_runs_on_a_real_worker(commune_officer, commune):
    celery_app.conf.task_always_eager = False
    content = workbook_bytes(
        {"hotspots": [HOTSPOT_HEADER, [commune.code, "D1", "retail", None, "2025-03-01", None]]}
    )
    job = ImportJob.objects.create(
        created_by=commune_officer,
        file=ContentFile(content, name="so.xlsx"),
        original_name="so.xlsx",
    )
    with start_worker(celery_app, perform_ping_check=False, pool="solo"):
        # The project ignores task results (settings); this test asks for this one to wait on it.
        check_import.apply_async((job.pk,), ignore_result=False).get(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportStatus.READY
    assert job.counts == {"hotspots": {"create": 1, "update": 0, "unchanged": 0}}


@pytest.mark.django_db(transaction=True)
def test_a_report_is_built_by_a_real_worker(province, commune, leader):
    from core.models import RunState
    from reports.models import ReportRun
    from reports.tasks import build_report

    celery_app.conf.task_always_eager = False
    run = ReportRun.objects.create(
        province=province,
        kind="annual",
        period_start=datetime.date(2025, 12, 10),
        period_end=datetime.date(2026, 12, 10),
        requested_by=leader,
    )
    with start_worker(celery_app, perform_ping_check=False, pool="solo"):
        build_report.apply_async((run.pk,), ignore_result=False).get(timeout=120)
    run.refresh_from_db()
    assert run.state == RunState.DONE
    assert run.pdf.read(5) == b"%PDF-"
