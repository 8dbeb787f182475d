"""Settings come from the environment: each case loads them in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
from imports.tasks import apply_import, check_import
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "celery_eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "session_age": settings.SESSION_COOKIE_AGE,
    "worker_max_memory_per_child": app.conf.worker_max_memory_per_child,
    "import_time_limits": [
        [task.soft_time_limit, task.time_limit] for task in (check_import, apply_import)
    ],
    "import_max_rows": settings.IMPORT_MAX_ROWS,
}))
"""
# Variables of this process that must not leak into the probe. DJANGO_ALLOW_ASYNC_UNSAFE is set
# for the browser tests and is itself a deployment error.
VARIABLES = (
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ENV",
    "SECRET_KEY",
    "DEBUG",
    "SESSION_IDLE_MINUTES",
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD",
    "IMPORT_TASK_TIME_LIMIT",
    "IMPORT_MAX_ROWS",
)


def run_clean(args, **variables) -> subprocess.CompletedProcess:
    """Run our interpreter with `args` in an environment without this process's settings."""
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.update(variables, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(  # noqa: S603 — our own interpreter and fixed arguments
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, check=False
    )


def load_settings(tmp_path, **variables):
    result = run_clean(["-c", PROBE], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sqlite_and_eager_celery_without_environment(tmp_path):
    loaded = load_settings(tmp_path)
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"].endswith("db.sqlite3")
    assert loaded["eager"] is True
    assert loaded["celery_eager"] is True
    assert loaded["cache"].endswith("LocMemCache")
    assert loaded["debug"] is True
    assert loaded["session_age"] == 1800


def test_postgresql_and_redis_from_environment(tmp_path):
    loaded = load_settings(
        tmp_path,
        DATABASE_URL="postgres://portal:secret@db.example:5432/portal",
        REDIS_URL="redis://cache.example:6379/0",
        SESSION_IDLE_MINUTES="15",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert loaded["name"] == "portal"
    assert loaded["eager"] is False
    assert loaded["celery_eager"] is False
    assert loaded["broker"] == "redis://cache.example:6379/0"
    assert loaded["cache"].endswith("RedisCache")
    assert loaded["session_age"] == 900


def test_the_worker_and_the_imports_are_bounded_by_default(tmp_path):
    """A pool process is replaced once it holds 512 MB after a task; an import task is
    interrupted after 15 minutes (hard stop a minute later); a browser upload's sheet ends at
    row 200,000 (SECURITY.md, "Hostile workbooks that cost")."""
    loaded = load_settings(tmp_path)
    assert loaded["worker_max_memory_per_child"] == 512 * 1024  # KiB
    assert loaded["import_time_limits"] == [[900, 960], [900, 960]]
    assert loaded["import_max_rows"] == 200_000


def test_the_worker_and_import_bounds_come_from_the_environment(tmp_path):
    loaded = load_settings(
        tmp_path,
        CELERY_WORKER_MAX_MEMORY_PER_CHILD="300000",
        IMPORT_TASK_TIME_LIMIT="120",
        IMPORT_MAX_ROWS="5000",
    )
    assert loaded["worker_max_memory_per_child"] == 300_000
    assert loaded["import_time_limits"] == [[120, 180], [120, 180]]
    assert loaded["import_max_rows"] == 5000


def test_production_refuses_to_start_without_a_secret_key():
    result = run_clean(["-c", PROBE], DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_clean(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-with-many-characters-0123456789",
        ALLOWED_HOSTS="ma-tuy.example.gov.vn",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="runs where CI sets DATABASE_URL")
def test_the_suite_runs_on_postgresql_when_asked(db):
    from django.db import connection

    assert connection.vendor == "postgresql"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="runs where CI sets REDIS_URL")
def test_the_cache_reaches_redis_when_asked():
    from django.core.cache import cache

    cache.set("ci-probe", "xin chào", 30)
    assert cache.get("ci-probe") == "xin chào"
