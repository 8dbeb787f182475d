from celery import shared_task

from core.jobs import CRASH_SAFE_TASK

from . import recognition, runs


@shared_task
def watch_relapses() -> int:
    """Nightly: flag recognised communes that relapsed. Returns how many were flagged."""
    return len(recognition.relapse_watch())


# Crash-safe: a run re-sent after its worker died assesses again (the newest stored
# assessments win), and it must not stay "running" for ever.
@shared_task(**CRASH_SAFE_TASK)
def run_province(run_id: int) -> None:
    runs.province_run_build(run_id)


@shared_task
def run_all_provinces() -> int:
    """Nightly: assess every commune of every province and store the results (the province
    pages read them)."""
    return len(runs.nightly_province_runs())
