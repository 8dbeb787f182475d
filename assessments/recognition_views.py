"""Recognition for commune officers (status, submit, history) and the province's roadmap."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from communes.access import get_or_404, refuse_leaders, visible_provinces

from . import access, recognition, rules, services
from .models import CaseState


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note to the provincial police"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


@login_required
def recognition_status(request: HttpRequest) -> HttpResponse:
    """Each registration of the user's communes with its case, if one has been opened."""
    # Case notes are officers' words and may name people; leaders read the roadmap instead.
    refuse_leaders(request.user)
    registrations = (
        access.visible_registrations(request.user)
        .select_related("commune__province", "case")
        .prefetch_related("case__events__by")
        .order_by("-year", "commune__search_text")
    )
    changeable = set(access.changeable_registrations(request.user).values_list("pk", flat=True))
    rows = [(registration, getattr(registration, "case", None)) for registration in registrations]
    for registration, _case in rows:
        # Shown beside the button: the days a case of this year may be submitted.
        registration.submission_opens, registration.submission_closes = (
            recognition.submission_window(registration)
        )
    return render(
        request,
        "assessments/recognition.html",
        {
            "rows": rows,
            "changeable": changeable,
            "submittable": {CaseState.REGISTERED, CaseState.REJECTED},
            "form": SubmitForm(),
        },
    )


@login_required
@require_POST
def recognition_submit(request: HttpRequest, pk: int) -> HttpResponse:
    registrations = access.changeable_registrations(request.user)
    registration = get_or_404(registrations.select_related("commune__province"), pk=pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
        return redirect("assessments:recognition")
    try:
        with transaction.atomic():
            # A registration imported from a workbook gets its case when first submitted.
            case = recognition.registration_open(registration=registration, by=request.user)
            recognition.recognition_submit(
                case=case, by=request.user, note=form.cleaned_data["note"]
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(commune)s was submitted for recognition. The scorecard of today is kept with it.")
            % {"commune": registration.commune.name},
        )
    return redirect("assessments:recognition")


@login_required
def roadmap(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    provinces = []
    for province in visible_provinces(request.user).annotate(commune_count=Count("communes")):
        provinces.append(_province_roadmap(request.user, province, today))
    return render(request, "assessments/roadmap.html", {"provinces": provinces, "today": today})


def _province_roadmap(user, province, today):
    rows = services.roadmap_rows(province)
    for row in rows:
        if row["target"] is not None and province.commune_count:
            row["target_percent"] = round(100 * row["target"] / province.commune_count, 1)
    year = rules.assessment_year(today)
    registered = list(
        access.visible_registrations(user)
        .filter(commune__province=province, year=year)
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
        "year": year,
        "registered": [
            (registration, results[registration.commune_id].eligible) for registration in registered
        ],
    }
