"""The Celery app with a crash injected, for the worker subprocess of test_worker_faults.py.

Killing a worker "in the middle" with a signal timed from outside would be flaky; these hooks
kill it from inside at a chosen point instead. Each fires once: a marker file records that it
fired, so the task sent again runs clean. FAULT names the point:
- "import-write": the whole worker (main process and pool child) is SIGKILLed after the first
  rows of an import went to the database, inside the write's transaction: a machine or
  container dying.
- "report-file": the pool child is SIGKILLed half-way through saving the report's Excel file,
  after the PDF was saved: the kernel killing a process for memory.
Run as `celery -A tests.reliability.faulty_worker worker`; never imported by the portal.
"""

import os
import signal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.files.storage import FileSystemStorage  # noqa: E402 — after django.setup()

from config.celery import app  # noqa: E402, F401 — the app this worker runs
from imports import apply  # noqa: E402

MARKER = Path(os.environ["FAULT_MARKER"])
FAULT = os.environ["FAULT"]


def _first_time(note: str = "") -> bool:
    if MARKER.exists():
        return False
    MARKER.write_text(note)
    return True


_bulk_create = apply._bulk_create


def _bulk_create_then_die(model, instances, by):
    _bulk_create(model, instances, by)
    if instances and _first_time(model.__name__):
        os.killpg(os.getpgrp(), signal.SIGKILL)  # the worker runs in a process group of its own


_save = FileSystemStorage._save


def _save_half_then_die(self, name, content):
    if name.endswith(".xlsx") and not MARKER.exists():
        data = content.read()
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data[: len(data) // 2])
        _first_time(name)
        os.kill(os.getpid(), signal.SIGKILL)  # this pool child only; the main process lives
    return _save(self, name, content)


if FAULT == "import-write":
    apply._bulk_create = _bulk_create_then_die
elif FAULT == "report-file":
    FileSystemStorage._save = _save_half_then_die
