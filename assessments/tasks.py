from celery import shared_task

from . import recognition


@shared_task
def watch_relapses() -> int:
    """Nightly: flag recognised communes that relapsed. Returns how many were flagged."""
    return len(recognition.relapse_watch())
