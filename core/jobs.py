"""Background jobs (report builds, workbook imports) that survive a dead worker or broker.

Two questions the services ask:
- Is a worker on this job right now? A worker holds a PostgreSQL session advisory lock while it
  works. PostgreSQL drops the lock when the worker's connection ends, however it ends (SIGKILL,
  out of memory, lost machine), so "running" with nobody holding the lock means the work died
  and may be sent again. SQLite (development; tasks run in-process) has no such lock: there a
  job never counts as held.
- Did the task reach the broker? With Redis down, sending raises; the caller records that the
  job was not queued instead of answering 500.
"""

import logging
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# For tasks that write a job's outcome (report builds, imports, province runs): a worker process
# killed in the middle (out of memory, deploy) sends the task again 5 s later, at most twice;
# after that the job can be retried by hand. The services make a second run harmless (the lock
# below).
CRASH_SAFE_TASK = {
    "acks_late": True,
    "retry_on_worker_lost": True,
    "max_retries": 2,
    "default_retry_delay": 5,
}


def _lock_key(kind: str, pk: int) -> tuple[int, int]:
    # pg_advisory_lock(int4, int4): one namespace per kind of job, then the job's id.
    return zlib.crc32(kind.encode()) & 0x7FFFFFFF, pk & 0x7FFFFFFF


def _try_lock(key: tuple[int, int]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        return cursor.fetchone()[0]


def _unlock(key: tuple[int, int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


@contextmanager
def job_lock(kind: str, pk: int) -> Iterator[bool]:
    """Hold the job's lock while the block runs; yield False when another worker holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(kind, pk)
    acquired = _try_lock(key)
    try:
        yield acquired
    finally:
        if acquired:
            _unlock(key)


def job_lock_held(kind: str, pk: int) -> bool:
    if connection.vendor != "postgresql":
        return False
    key = _lock_key(kind, pk)
    if not _try_lock(key):
        return True
    _unlock(key)
    return False


def send_task(task, *args) -> bool:
    """Queue a task; False (and a log line) when the broker cannot be reached."""
    try:
        task.delay(*args)
    except OperationalError:
        logger.exception("Could not queue %s%r: the broker is unreachable", task.name, args)
        return False
    return True
