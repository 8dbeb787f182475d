"""Province runs: every commune of a province assessed and stored, nightly and on request.

The province pages read the stored results instead of assessing thousands of people on each
request. When a run's assessments are stored, `province_run_assessed` is sent with the run and
the results: the reports app answers it by building the dashboard's figures from those same
results (reports/apps.py), so this lower layer never imports reports. A receiver that raises
fails the run, as any other step would.
"""

import logging

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune, Province
from core.models import RunState

from . import services
from .models import ProvinceRun

logger = logging.getLogger(__name__)

# Sent with run= and results= (the CommuneAssessment list) once the results are stored.
province_run_assessed = Signal()


def province_run_request(*, province: Province, by=None, as_of=None) -> ProvinceRun:
    """Queue the assessment of every commune of the province (and the dashboard's figures)."""
    run = ProvinceRun.objects.create(
        province=province, as_of=as_of or timezone.localdate(), requested_by=by
    )
    transaction.on_commit(lambda: _send(run))
    return run


def _send(run: ProvinceRun) -> None:
    from .tasks import run_province

    # If it cannot be queued, the pages keep showing the previous run's figures.
    run.send(
        run_province,
        _("The assessment could not be queued; the task queue is unavailable. Try again later."),
    )


def province_run_build(run_id: int) -> ProvinceRun:
    """Assess and store every commune of the province, then let the dashboard's figures be built
    from those results (the year to date). On failure the run says why; the pages keep showing
    the previous run's figures."""
    run = ProvinceRun.objects.select_related("province").get(pk=run_id)
    run.step(5)
    try:
        communes = Commune.objects.filter(province=run.province).select_related("province")
        results = services.assess_communes(communes, as_of=run.as_of)
        run.step(50)
        services.assessments_store(results, by=run.requested_by)
        run.step(60)
        province_run_assessed.send(sender=ProvinceRun, run=run, results=results)
    except Exception as error:
        logger.exception("Province run %s failed", run.pk)
        run.fail(
            _("The assessment could not be run (%(error)s).") % {"error": type(error).__name__}
        )
        return run
    run.finish(also_saved=("dashboard",))
    return run


def nightly_province_runs(*, today=None) -> list[ProvinceRun]:
    """The scheduled run: every province with communes, assessed as of today."""
    provinces = Province.objects.filter(communes__isnull=False).distinct()
    return [province_run_request(province=p, as_of=today) for p in provinces]


def latest_province_run(province: Province) -> ProvinceRun | None:
    """The province's latest finished run (index province_run_latest_idx)."""
    return (
        ProvinceRun.objects.filter(province=province, state=RunState.DONE)
        .order_by("-finished_at")
        .first()
    )


def pending_province_run(province: Province) -> ProvinceRun | None:
    """A run of the province queued or running now, if any (one request at a time is enough)."""
    return (
        ProvinceRun.objects.filter(province=province, state__in=[RunState.QUEUED, RunState.RUNNING])
        .order_by("-requested_at")
        .first()
    )
