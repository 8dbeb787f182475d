"""With Redis down the pages still answer; a report asked for meanwhile is built once it is back.

Uses a Redis server of its own on port 6390, which it stops and starts again: the shared
Redis of the test run must never be stopped.
"""

import os
import shutil
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.urls import reverse

from config.celery import app as celery_app
from core.models import RunState
from reports.models import ReportRun

PORT = 6390
URL = f"redis://127.0.0.1:{PORT}/0"

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") or not shutil.which("redis-server"),
    reason="needs REDIS_URL (CI's PostgreSQL run) and redis-server",
)


def _redis(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 — Redis's own tools, fixed arguments
        [shutil.which(args[0]), *args[1:]], capture_output=True, text=True, check=False
    )


def _start_redis():
    _redis(
        "redis-server",
        "--port",
        str(PORT),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "yes",
    )
    for _ in range(50):
        if _redis("redis-cli", "-p", str(PORT), "ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise AssertionError(f"redis-server did not start on port {PORT}")


def _stop_redis():
    _redis("redis-cli", "-p", str(PORT), "shutdown", "nosave")


def _use_broker(url: str):
    """Point the Celery app at another Redis, dropping the connections it keeps to the old one."""
    celery_app.conf.broker_url = celery_app.conf.result_backend = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings):
    _start_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _use_broker(URL)
    celery_app.conf.task_always_eager = False
    yield
    _stop_redis()
    celery_app.conf.task_always_eager = saved[1]
    _use_broker(saved[0])


@pytest.mark.django_db(transaction=True)
def test_pages_answer_while_redis_is_down_and_the_report_is_built_once_it_is_back(
    private_redis, client, province, commune, leader
):
    client.force_login(leader)
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the cache really is this Redis

    _stop_redis()
    assert cache.get("probe") is None  # a miss, not an error
    for page in ("reports:overview", "reports:runs"):
        assert client.get(reverse(page)).status_code == 200
    response = client.post(reverse("reports:runs"), {"kind": "annual", "year": 2026})
    run = ReportRun.objects.get()
    assert response.url == reverse("reports:run", args=[run.pk])
    # Kept, and marked as not sent: its page offers "Try again".
    assert run.state == RunState.FAILED
    assert "Không thể đưa báo cáo vào hàng đợi" in run.error  # stored in the portal's language
    assert client.get(response.url).status_code == 200

    _start_redis()
    client.post(reverse("reports:run_retry", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == RunState.QUEUED
    with start_worker(celery_app, perform_ping_check=False, pool="solo"):
        deadline = time.monotonic() + 120
        while run.state != RunState.DONE and time.monotonic() < deadline:
            time.sleep(0.2)
            run.refresh_from_db()
    assert run.state == RunState.DONE
    assert run.pdf.read(5) == b"%PDF-"
