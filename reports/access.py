"""Who may see which province reports, built on the area (communes.access): a report run
belongs to its province. Reports cover a province: commune officers have their scorecard."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from communes.access import visible_provinces

from .models import ReportRun


def refuse_commune_officers(user) -> None:
    if user.is_commune_officer:
        raise PermissionDenied


def visible_report_runs(user) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(province__in=visible_provinces(user))
