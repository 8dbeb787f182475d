import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments import access as assessment_access
from assessments import runs as province_runs
from assessments import services as assessment_services
from assessments.labels import level_label, level_shown
from assessments.models import CaseState
from assessments.scorecards import criteria_rows, log_named_people
from communes.access import get_or_404, visible_communes, visible_provinces
from communes.models import CommuneKind
from communes.selectors import commune_totals
from core.models import RunState

from . import access, builders, rendering, services
from .models import ReportKind
from .rendering import report_sections


def _dashboard(province):
    """The dashboard of the province's latest stored run (the nightly job or a request), not
    assessed live: a province is seconds of work and millions of rows."""
    run = province_runs.latest_province_run(province)
    pending = province_runs.pending_province_run(province)
    if run is None:
        return {"province": province, "run": None, "pending": pending}
    report = builders.report_from_json(province, run.dashboard)
    sections = report_sections(report)
    levels = sections[_("Communes by class")]
    roadmap = report.roadmap
    return {
        "province": province,
        "run": run,
        "pending": pending,
        "report": report,
        "registered": rendering.registered_rows(report),
        "sections": sections,
        # Chart.js specs; the template puts them in data-chart attributes (autoescaped JSON).
        "roadmap_chart": json.dumps(
            {
                "type": "bar",
                "labels": [row["year"] for row in roadmap],
                "datasets": [
                    {
                        "label": str(_("Target (cumulative)")),
                        "data": [row["target"] for row in roadmap],
                        "backgroundColor": "#adb5bd",
                    },
                    {
                        "label": str(_("Recognised")),
                        "data": [row["recognised"] for row in roadmap],
                        "backgroundColor": "#198754",
                    },
                ],
            }
        ),
        "levels_chart": json.dumps(
            {
                "type": "bar",
                "labels": [str(label) for label, _value in levels],
                "datasets": [
                    {
                        "label": str(_("Communes")),
                        "data": [value for _label, value in levels],
                        "backgroundColor": [
                            "#b02a37",
                            "#e0a800",
                            "#3d8bfd",
                            "#6c757d",
                            "#198754",
                            "#ffc107",
                        ],
                    }
                ],
            }
        ),
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Leadership's dashboard: counts over the user's area, never a named person."""
    totals = commune_totals(visible_communes(request.user))
    by_kind = [(label, totals["by_kind"].get(value, 0)) for value, label in CommuneKind.choices]
    today = timezone.localdate()
    provinces = list(visible_provinces(request.user))
    dashboards = [] if request.user.is_commune_officer else [_dashboard(p) for p in provinces[:1]]
    under_review = (
        assessment_access.visible_recognition_cases(request.user)
        .filter(state=CaseState.UNDER_REVIEW)
        .count()
    )
    return render(
        request,
        "reports/overview.html",
        {
            "under_review": under_review,
            "provinces": provinces,
            "totals": totals,
            "by_kind": by_kind,
            "dashboards": dashboards,
            "today": today,
            "may_run": assessment_access.may_run_province(request.user),
        },
    )


@login_required
@require_POST
def province_run_request(request: HttpRequest) -> HttpResponse:
    """Re-run the assessment of the user's province now (the nightly job does it too)."""
    if not assessment_access.may_run_province(request.user):
        raise PermissionDenied
    provinces = list(visible_provinces(request.user)[:2])
    if len(provinces) != 1:
        raise PermissionDenied  # one province at a time
    run = province_runs.pending_province_run(provinces[0]) or province_runs.province_run_request(
        province=provinces[0], by=request.user
    )
    return redirect("reports:province_run", pk=run.pk)


@login_required
def province_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.refuse_commune_officers(request.user)
    visible = assessment_access.visible_province_runs(request.user)
    run = get_or_404(visible.select_related("province"), pk=pk)
    return render(request, "reports/province_run.html", {"run": run})


def _progress_json(run) -> JsonResponse:
    """What static/js/report-progress.js polls: a report's or a province run's progress."""
    return JsonResponse(
        {
            "state": run.state,
            "label": capfirst(run.get_state_display()),
            "progress": run.progress,
            "error": run.error,
        }
    )


@login_required
def province_run_status(request: HttpRequest, pk: int) -> JsonResponse:
    access.refuse_commune_officers(request.user)
    run = get_or_404(assessment_access.visible_province_runs(request.user), pk=pk)
    return _progress_json(run)


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2025, max_value=2030)


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    access.refuse_commune_officers(request.user)
    provinces = list(visible_provinces(request.user))
    form = ReportRequestForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        if not provinces:
            raise PermissionDenied
        run = services.report_request(
            province=provinces[0],
            kind=form.cleaned_data["kind"],
            year=form.cleaned_data["year"],
            by=request.user,
        )
        return redirect("reports:run", pk=run.pk)
    archive = access.visible_report_runs(request.user).select_related("province", "requested_by")
    archive = archive[:50]
    return render(request, "reports/runs.html", {"form": form, "runs": archive})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.refuse_commune_officers(request.user)
    run = get_or_404(access.visible_report_runs(request.user).select_related("province"), pk=pk)
    stuck = services.report_is_stuck(run)  # its worker died: offer "Try again"
    return render(request, "reports/run.html", {"run": run, "stuck": stuck})


@login_required
def run_status(request: HttpRequest, pk: int) -> JsonResponse:
    access.refuse_commune_officers(request.user)
    run = get_or_404(access.visible_report_runs(request.user), pk=pk)
    return _progress_json(run)


@login_required
@require_POST
def run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    access.refuse_commune_officers(request.user)
    run = get_or_404(access.visible_report_runs(request.user), pk=pk)
    services.report_retry(run=run)
    messages.info(request, _("The report is being built again."))
    return redirect("reports:run", pk=run.pk)


@login_required
def run_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    access.refuse_commune_officers(request.user)
    done = access.visible_report_runs(request.user).filter(state=RunState.DONE)
    run = get_or_404(done, pk=pk)
    stored = {"pdf": run.pdf, "xlsx": run.xlsx}.get(fmt)
    if not stored:
        raise Http404
    name = f"bao-cao-{run.kind}-{run.province.code}-{run.period_end:%Y%m%d}.{fmt}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name)


@login_required
def commune_profile(request: HttpRequest, commune_pk: int) -> HttpResponse:
    """The one-commune profile as PDF: scorecard and recognition history, built on request."""
    commune = get_or_404(visible_communes(request.user).select_related("province"), pk=commune_pk)
    (result,) = assessment_services.assess_communes([commune], as_of=timezone.localdate())
    show_names = not request.user.is_leader
    rows = criteria_rows(result, show_causes=show_names)
    if show_names:
        log_named_people(request.user, result, via="commune_profile")
    cases = (
        assessment_access.visible_recognition_cases(request.user)
        .filter(registration__commune=commune)
        .select_related("registration")
        .prefetch_related("events")
        .order_by("-registration__year")
    )
    pdf = rendering.render_commune_profile_pdf(
        result=result,
        criteria_rows=rows,
        cases=cases,
        level_label=level_label(result.classification.level),
        level_shown=level_shown(result.classification.level, result.inputs.facts.data_gaps),
        profile_level_label=level_label(result.profile_level),
        issued_by=_("Police of %(province)s province") % {"province": commune.province.name},
        show_notes=show_names,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ho-so-xa-{commune.code}.pdf"'
    return response
