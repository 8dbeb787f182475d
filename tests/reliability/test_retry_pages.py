"""The pages offer "Try again" for a job whose worker died, and the retry finishes it."""

import pytest
from django.urls import reverse

from communes.models import Hotspot
from core.models import RunState
from imports.models import ImportJob, ImportStatus
from tests import factories
from tests.reliability.test_unqueued_jobs import _ready_job, _run


@pytest.fixture(autouse=True)
def run_queued_tasks(monkeypatch):
    # Tasks are queued on commit; test transactions never commit, so run them at once.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


def test_a_report_left_running_by_a_dead_worker_offers_a_retry_that_builds_it(
    client, province, leader
):
    # No worker holds the run's lock (no worker at all here): as after a crash.
    run = _run(province, state=RunState.RUNNING, progress=40)
    client.force_login(leader)
    page = client.get(reverse("reports:run", args=[run.pk]))
    assert b'data-testid="run-stuck"' in page.content

    client.post(reverse("reports:run_retry", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == RunState.DONE
    page = client.get(reverse("reports:run", args=[run.pk]))
    assert b'data-testid="run-stuck"' not in page.content


def test_an_import_left_applying_by_a_dead_worker_is_sent_again_and_written_once(
    client, commune_officer, commune
):
    job = _ready_job(commune_officer, commune)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    client.force_login(commune_officer)
    page = client.get(reverse("imports:job", args=[job.token]))
    assert b'data-testid="import-retry"' in page.content

    client.post(reverse("imports:retry", args=[job.token]))
    client.post(reverse("imports:retry", args=[job.token]))  # a second click
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Hotspot.objects.filter(commune=commune).count() == 1


def test_only_the_uploader_can_send_an_import_again(client, commune_officer, commune):
    job = _ready_job(commune_officer, commune)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    client.force_login(factories.commune_officer(commune, username="canbo.khac"))
    response = client.post(reverse("imports:retry", args=[job.token]))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING
