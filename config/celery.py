"""The Celery app. Broker and eagerness come from settings (REDIS_URL); see config/settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# For tasks that write a job's outcome (report builds, imports): a worker process killed in the
# middle (out of memory, deploy) sends the task again 5 s later, at most twice; after that the
# job can be retried by hand. The services make a second run harmless (config/jobs.py).
CRASH_SAFE_TASK = {
    "acks_late": True,
    "retry_on_worker_lost": True,
    "max_retries": 2,
    "default_retry_delay": 5,
}
