from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import AreaScopedAdmin
from casefiles.services import people_access_log
from communes.access import changeable_communes, get_or_404, visible_provinces
from core.forms import DayField

from . import access, recognition, rules, services
from .labels import criterion_title, level_label, level_shown
from .models import (
    Assessment,
    CaseEvent,
    CaseState,
    ProvincialProfile,
    RecognitionCase,
    Registration,
    RoadmapTarget,
)
from .scorecards import named_people, relapse_fact_rows

# Criteria a province may add on top of a built-in profile (the 2025 provincial plans' extras).
EXTRA_CRITERIA = [(code, criterion_title(code)) for code in rules.EXTRA_CRITERIA]


class ProvincialProfileForm(forms.ModelForm):
    extra_criteria = forms.MultipleChoiceField(
        label=_("extra criteria"),
        choices=EXTRA_CRITERIA,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProvincialProfile
        fields = [
            "province",
            "code",
            "title",
            "legal_basis",
            "valid_from",
            "valid_until",
            "base",
            "extra_criteria",
            "is_default",
        ]


@admin.register(ProvincialProfile)
class ProvincialProfileAdmin(AreaScopedAdmin):
    form = ProvincialProfileForm
    visible_rows = access.visible_provincial_profiles
    changeable_rows = access.changeable_provincial_profiles
    scoped_choices = {"province": visible_provinces}
    list_display = [
        "code", "title", "version", "base", "is_default", "province", "valid_from", "valid_until",
    ]  # fmt: skip
    # A stored assessment names code + version: a changed rule must get a new version.
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change and {"base", "extra_criteria"} & set(form.changed_data):
            obj.version += 1
        super().save_model(request, obj, form, change)

    list_filter = ["base", "is_default"]
    search_fields = ["code", "title"]


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [
            "commune",
            "year",
            "registered_on",
            "profile",
            "baseline_addicts",
            "baseline_users",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        # The rule the workbook import follows too (assessments.services).
        changes = {name: cleaned[name] for name in self.changed_data if name in cleaned}
        for name in services.registration_refused_changes(
            registration=self.instance, values=changes
        ):
            self.add_error(
                name,
                _(
                    "The recognition case of this registration has been submitted or decided: "
                    "this can no longer be changed."
                ),
            )
        return cleaned


@admin.register(Registration)
class RegistrationAdmin(AreaScopedAdmin):
    form = RegistrationForm
    visible_rows = access.visible_registrations
    changeable_rows = access.changeable_registrations
    scoped_choices = {"commune": changeable_communes}
    list_display = [
        "commune",
        "year",
        "registered_on",
        "profile",
        "baseline_addicts",
        "baseline_users",
    ]
    list_filter = ["year", "profile"]
    search_fields = ["commune__name", "commune__code"]
    list_select_related = ["commune"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Left empty, the baseline is counted from the registers on the registration day.
            recognition.registration_open(registration=obj, by=request.user)


@admin.register(RoadmapTarget)
class RoadmapTargetAdmin(AreaScopedAdmin):
    visible_rows = access.visible_roadmap_targets
    changeable_rows = access.changeable_roadmap_targets
    scoped_choices = {"province": visible_provinces}
    list_display = ["province", "year", "target_communes"]
    list_filter = ["year"]


@admin.register(Assessment)
class AssessmentAdmin(AreaScopedAdmin):
    """Stored runs, read only: they are the record of what the rules said on a date."""

    visible_rows = access.visible_assessments
    changeable_rows = access.changeable_assessments
    list_display = [
        "commune", "as_of", "level", "profile_level", "eligible", "profile_code", "profile_version",
    ]  # fmt: skip
    list_filter = ["level", "eligible", "as_of"]
    search_fields = ["commune__name", "commune__code"]
    list_select_related = ["commune"]
    date_hierarchy = "as_of"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The stored criteria's evidence names people: showing it is a read of their files.
        if obj is not None:
            named = named_people(request.user, stored=obj.criteria, commune=obj.commune)
            people_access_log(user=request.user, persons=named, via="admin_assessment")
        return super().render_change_form(request, context, add, change, form_url, obj)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["at", "from_state", "to_state", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    # The steps are shown to whoever may open the case (the case admin scopes which cases);
    # Django's model permissions, which our roles do not use, would hide them from provincial
    # officers, who decide the case.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.may_use_admin

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EligibleFilter(admin.SimpleListFilter):
    title = _("eligible at submission")
    parameter_name = "eligible"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(submitted_scorecard__eligible=self.value() == "yes")
        return queryset


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ApproveForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=50)
    date = DayField(label=_("Decision date"))
    signer = forms.CharField(label=_("Signed by"), max_length=150)


# action -> (button label, form class, service call)
TRANSITIONS = {
    "appraise": (
        _("Record the appraisal"),
        TransitionForm,
        lambda case, by, data: recognition.recognition_appraise(
            case=case, by=by, appraisal=data["note"]
        ),
    ),
    "approve": (
        _("Approve recognition"),
        ApproveForm,
        lambda case, by, data: recognition.recognition_approve(case=case, by=by, **data),
    ),
    "reject": (
        _("Reject"),
        TransitionForm,
        lambda case, by, data: recognition.recognition_reject(
            case=case, by=by, reasons=data["note"]
        ),
    ),
    "withdraw": (
        _("Withdraw recognition"),
        TransitionForm,
        lambda case, by, data: recognition.recognition_withdraw(
            case=case, by=by, reasons=data["note"]
        ),
    ),
    "confirm": (
        _("Keep recognition"),
        TransitionForm,
        lambda case, by, data: recognition.recognition_confirm(case=case, by=by, note=data["note"]),
    ),
}


RESULT_LABELS = {"pass": _("pass"), "fail": _("fail"), "unknown": _("not enough data")}


def _labelled(scorecard: dict | None) -> dict | None:
    """A stored scorecard with its level and results in words, for reading in the admin."""
    if scorecard is None:
        return None
    criteria = [
        {**item, "result_label": RESULT_LABELS.get(item["result"], item["result"])}
        for item in scorecard["criteria"]
    ]
    # A scorecard frozen before `data_gaps` existed still has its facts to tell them.
    gaps = scorecard.get("data_gaps")
    if gaps is None:
        gaps = rules.CommuneFacts(**scorecard["facts"]).data_gaps if "facts" in scorecard else ()
    return {
        **scorecard,
        "criteria": criteria,
        "level_label": level_shown(scorecard["level"], gaps)["text"],
        # The profile's own level beside the level of record, where it has one.
        "profile_level_label": level_label(scorecard.get("profile_level")),
    }


@admin.register(RecognitionCase)
class RecognitionCaseAdmin(AreaScopedAdmin):
    """Provincial appraisal and approval. State changes only through the transition pages,
    which call assessments.recognition; nothing here writes a state directly."""

    visible_rows = access.visible_recognition_cases
    changeable_rows = access.changeable_recognition_cases
    list_display = ["commune_name", "year", "state_badge", "submitted_on", "decision_number"]
    list_filter = ["state", "registration__year", EligibleFilter]
    search_fields = [
        "registration__commune__name",
        "registration__commune__code",
        "decision_number",
    ]
    list_select_related = ["registration__commune"]
    readonly_fields = [
        "registration", "state", "submitted_on", "appraisal", "decision_number", "decision_date",
        "decision_signer", "review_reason", "relapse", "flagged_at", "scorecards",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [CaseEventInline]
    change_form_template = "admin/assessments/recognitioncase/change_form.html"

    class Media:
        # Layout and badge colour; style attributes are barred by the Content Security Policy.
        css = {"all": ["css/admin-recognition.css"]}

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("commune"), ordering="registration__commune__name")
    def commune_name(self, case):
        return case.registration.commune.name

    @admin.display(description=_("year"), ordering="registration__year")
    def year(self, case):
        return case.registration.year

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, case):
        if case.state == CaseState.UNDER_REVIEW:
            return format_html(
                '<strong class="state-under-review">⚠ {}</strong>', case.get_state_display()
            )
        return case.get_state_display()

    def _live_scorecard(self, case):
        """The case's scorecard if it were submitted today: judged on its own programme year
        (as of today, or 14/12 of that year once it is over), assessed once per page (the field
        below and the read log both need it)."""
        if not hasattr(case, "live_scorecard"):
            case.live_scorecard = services.case_assessment(
                case.registration, on=timezone.localdate()
            )
        return case.live_scorecard

    @admin.display(description=_("scorecards"))
    def scorecards(self, case):
        live = self._live_scorecard(case)
        return render_to_string(
            "admin/assessments/recognitioncase/scorecards.html",
            {
                "frozen": _labelled(case.submitted_scorecard),
                "live": _labelled(live.as_json()),
                "live_as_of": live.inputs.as_of,
                "today": timezone.localdate(),
            },
        )

    @admin.display(description=_("facts found by the relapse watch"))
    def relapse(self, case):
        """Each new adverse fact of the last flag, linked to its row."""
        return render_to_string(
            "admin/assessments/recognitioncase/relapse_facts.html",
            {"facts": relapse_fact_rows(case.relapse_facts)},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Both scorecards' evidence names people: showing it is a read of their files.
        if obj is not None:
            named = named_people(
                request.user,
                live=self._live_scorecard(obj),
                stored=(obj.submitted_scorecard or {}).get("criteria", []),
                commune=obj.registration.commune,
                person_ids=[f["id"] for f in obj.relapse_facts if f["kind"] == "person"],
            )
            people_access_log(user=request.user, persons=named, via="admin_recognition_case")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        actions = []
        if case is not None and self.has_change_permission(request, case):
            actions = [
                (action, label)
                for action, (label, _form, _call) in TRANSITIONS.items()
                if case.state in recognition.ALLOWED[action]
            ]
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "transitions": actions}
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<slug:action>/",
                self.admin_site.admin_view(self.transition_view),
                name="assessments_recognitioncase_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, action):
        if action not in TRANSITIONS:
            raise Http404
        case = get_or_404(access.changeable_recognition_cases(request.user), pk=pk)
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        label, form_class, call = TRANSITIONS[action]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                call(case, request.user, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": label})
                return redirect("admin:assessments_recognitioncase_change", case.pk)
        return render(
            request,
            "admin/assessments/recognitioncase/transition.html",
            {**self.admin_site.each_context(request), "case": case, "form": form, "label": label,
             "opts": self.model._meta, "title": label},
        )  # fmt: skip
