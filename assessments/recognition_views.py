"""Recognition for commune officers (status, submit, history) and the province's roadmap."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access

from . import recognition, services
from .models import CaseState, RecognitionCase, Registration, RoadmapTarget

# States in which a commune counts as recognised drug-free.
RECOGNISED = [CaseState.APPROVED, CaseState.UNDER_REVIEW]


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the provincial police"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


def _cases(user):
    return RecognitionCase.objects.filter(registration__commune__in=access.visible_communes(user))


@login_required
def recognition_status(request: HttpRequest) -> HttpResponse:
    # Registrations made outside the workflow (imports, demo data) get their case here.
    for registration in Registration.objects.filter(
        commune__in=access.visible_communes(request.user), case__isnull=True
    ):
        recognition.registration_open(registration=registration, by=None)
    cases = (
        _cases(request.user)
        .select_related("registration__commune")
        .prefetch_related("events__by")
        .order_by("-registration__year", "registration__commune__name")
    )
    changeable = set(
        RecognitionCase.objects.filter(
            registration__commune__in=access.changeable_communes(request.user)
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "assessments/recognition.html",
        {
            "cases": cases,
            "changeable": changeable,
            "submittable": {CaseState.REGISTERED, CaseState.REJECTED},
            "form": SubmitForm(),
        },
    )


@login_required
@require_POST
def recognition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    cases = RecognitionCase.objects.filter(
        registration__commune__in=access.changeable_communes(request.user)
    ).select_related("registration__commune__province")
    case = access.get_or_404(cases, pk=pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("assessments:recognition")
    try:
        recognition.recognition_submit(case=case, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(commune)s was submitted for recognition. The scorecard of today is kept with it.")
            % {"commune": case.registration.commune.name},
        )
    return redirect("assessments:recognition")


@login_required
def roadmap(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    provinces = []
    for province in access.visible_provinces(request.user).annotate(
        commune_count=Count("communes")
    ):
        provinces.append(_province_roadmap(request.user, province, today))
    return render(request, "assessments/roadmap.html", {"provinces": provinces, "today": today})


def _province_roadmap(user, province, today):
    targets = list(RoadmapTarget.objects.filter(province=province).order_by("year"))
    recognised_by_year = dict(
        RecognitionCase.objects.filter(
            state__in=RECOGNISED, registration__commune__province=province
        )
        .values_list("registration__year")
        .annotate(n=Count("registration__commune", distinct=True))
    )
    rows, cumulative = [], 0
    first_year = min([t.year for t in targets] + list(recognised_by_year), default=today.year)
    by_year = {t.year: t.target_communes for t in targets}
    for year in range(first_year, max([*by_year, first_year]) + 1):
        cumulative += recognised_by_year.get(year, 0)
        target = by_year.get(year)
        rows.append(
            {
                "year": year,
                "target": target,
                "target_percent": round(100 * target / province.commune_count, 1)
                if target is not None and province.commune_count
                else None,
                "recognised": cumulative,
                "gap": max(target - cumulative, 0) if target is not None else None,
            }
        )
    _start, end = services.programme_period(province, today)
    registered = list(
        Registration.objects.filter(
            Q(commune__in=access.visible_communes(user)), commune__province=province, year=end.year
        )
        .select_related("commune__province", "case")
        .order_by("commune__search_text")
    )
    results = {
        result.commune.pk: result
        for result in services.assess_communes([r.commune for r in registered], as_of=today)
    } if registered else {}  # fmt: skip
    return {
        "province": province,
        "rows": rows,
        "year": end.year,
        "registered": [
            (registration, results[registration.commune_id].eligible) for registration in registered
        ],
    }
