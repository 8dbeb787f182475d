import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communes.access import get_or_404, visible_communes, visible_provinces
from core.forms import DayField

from . import access, rules, services
from .labels import LEVEL_CHOICES, level_label, level_shown, province_criterion_label
from .scorecards import criteria_rows, log_named_people


class AsOfForm(forms.Form):
    as_of = DayField(label=_("As of"), required=False)


def _as_of(request) -> tuple[AsOfForm, datetime.date]:
    form = AsOfForm(request.GET or None)
    day = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, day or timezone.localdate()


@login_required
def scorecard(request: HttpRequest, commune_pk: int) -> HttpResponse:
    commune = get_or_404(visible_communes(request.user), pk=commune_pk)
    form, as_of = _as_of(request)
    (result,) = services.assess_communes([commune], as_of=as_of)
    if not request.user.is_leader:
        log_named_people(request.user, result, via="scorecard")
    return render(
        request,
        "assessments/scorecard.html",
        {
            "commune": commune,
            "form": form,
            "as_of": as_of,
            "result": result,
            "level_label": level_label(result.classification.level),
            "profile_level_label": level_label(result.profile_level),
            "level_shown": level_shown(result.classification.level, result.inputs.facts.data_gaps),
            "data_gaps": result.inputs.facts.data_gaps,
            "period": result.inputs.period,
            "criteria": criteria_rows(result, show_causes=not request.user.is_leader),
            "facts": vars(result.inputs.facts),
        },
    )


SORT_KEYS = {
    "name": lambda row: row["commune"].search_text,
    "level": lambda row: rules.Level(row["level"]).rank,
    "eligible": lambda row: not row["eligible"],
    "users": lambda row: -row["users"],
}


def _profile_title(code: str) -> str:
    built_in = rules.PROFILES.get(code)
    return built_in.title if built_in else code


# The level filter's choice for the communes whose level rests on missing data.
NOT_ENOUGH_DATA = "data_gaps"


def _stored_row(assessment, previous: dict[int, str]) -> dict:
    level = assessment.level
    before = previous.get(assessment.commune_id)
    shown = level_shown(level, rules.CommuneFacts(**assessment.facts).data_gaps)
    return {
        "commune": assessment.commune,
        "level": level,
        "level_label": level_label(level),
        # The profile's own level beside the level of record, where it has one.
        "profile_level": assessment.profile_level,
        "profile_level_label": level_label(assessment.profile_level),
        "profile_title": _profile_title(assessment.profile_code),
        "shown": shown,
        # Where the row counts among the classes: its level, or "not enough data".
        "class": NOT_ENOUGH_DATA if shown["undetermined"] else level,
        "previous": before,
        "previous_label": level_label(before),
        "reasons": assessment.reasons,
        "eligible": assessment.eligible,
        "profile": assessment.profile_code,
        "facts": assessment.facts,
        "users": assessment.facts["addicts"] + assessment.facts["illegal_users"],
        "failed": sum(item["result"] != rules.Outcome.PASS for item in assessment.criteria),
    }


@login_required
def province_table(request: HttpRequest) -> HttpResponse:
    """Every commune's latest stored assessment (the nightly run, `assess`, or a re-run from
    the page), not assessed live; `as_of` picks the latest stored on or before that day. The
    scorecard of one commune stays live."""
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    communes = visible_communes(request.user)
    stored = services.latest_assessments(communes, on_or_before=as_of)
    shown_day = min((row.as_of for row in stored), default=None)
    previous = (
        services.previous_levels(communes, before=rules.assessment_period(shown_day)[0])
        if shown_day
        else {}
    )
    rows = [_stored_row(assessment, previous) for assessment in stored]
    level = request.GET.get("level", "")
    eligible = request.GET.get("eligible", "")
    shown = [
        row
        for row in rows
        if (not level or row["class"] == level)
        and (not eligible or row["eligible"] == (eligible == "yes"))
    ]
    sort = request.GET.get("sort", "name")
    shown.sort(key=SORT_KEYS.get(sort, SORT_KEYS["name"]))
    level_filters = LEVEL_CHOICES
    if any(row["class"] == NOT_ENOUGH_DATA for row in rows):
        level_filters = [*LEVEL_CHOICES, (NOT_ENOUGH_DATA, _("Not enough data"))]
    provinces = list(visible_provinces(request.user))
    status = (
        services.stored_province_status(
            stored, on_interprovincial_route=provinces[0].on_interprovincial_route
        )
        # Article 5 is about a whole province: not shown from one commune's numbers.
        if len(provinces) == 1 and stored and not request.user.is_commune_officer
        else None
    )
    return render(
        request,
        "assessments/province_table.html",
        {
            "form": form,
            "as_of": as_of,
            "figures_as_of": shown_day,
            "computed_at": max((row.created_at for row in stored), default=None),
            "may_run": len(provinces) == 1 and access.may_run_province(request.user),
            "rows": shown,
            "total": len(rows),
            "by_level": [
                (label, sum(r["class"] == key for r in rows)) for key, label in level_filters
            ],
            "eligible_count": sum(row["eligible"] for row in rows),
            "levels": level_filters,
            "level": level,
            "eligible": eligible,
            "sort": sort,
            "province": provinces[0] if len(provinces) == 1 else None,
            "status": status,
            "status_met": [province_criterion_label(code) for code in status.met] if status else [],
            "query": request.GET.copy(),
        },
    )
