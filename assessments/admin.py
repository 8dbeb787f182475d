from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.admin_mixins import AreaScopedAdmin

from .models import Assessment, ProvincialProfile, Registration, RoadmapTarget
from .profiles import CRITERION_TITLES

# Criteria a province may add on top of a built-in profile (the 2025 provincial plans' extras).
EXTRA_CRITERIA = [
    ("PLEDGES_100", CRITERION_TITLES["PLEDGES_100"]),
    ("MODEL_1", CRITERION_TITLES["MODEL_1"]),
]


def _profiles_of(user):
    return ProvincialProfile.objects.filter(province__in=access.visible_provinces(user))


def _changeable_profiles(user):
    if user.is_leader:
        return ProvincialProfile.objects.none()
    return _profiles_of(user)


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
            "version",
            "base",
            "extra_criteria",
            "is_default",
        ]


@admin.register(ProvincialProfile)
class ProvincialProfileAdmin(AreaScopedAdmin):
    form = ProvincialProfileForm
    visible_rows = _profiles_of
    changeable_rows = _changeable_profiles
    scoped_choices = {"province": access.visible_provinces}
    list_display = ["code", "title", "version", "base", "is_default", "province", "valid_from"]
    list_filter = ["base", "is_default"]
    search_fields = ["code", "title"]


def _registrations_of(user):
    return Registration.objects.filter(commune__in=access.visible_communes(user))


def _changeable_registrations(user):
    return Registration.objects.filter(commune__in=access.changeable_communes(user))


@admin.register(Registration)
class RegistrationAdmin(AreaScopedAdmin):
    visible_rows = _registrations_of
    changeable_rows = _changeable_registrations
    scoped_choices = {"commune": access.changeable_communes}
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


def _roadmap_of(user):
    return RoadmapTarget.objects.filter(province__in=access.visible_provinces(user))


@admin.register(RoadmapTarget)
class RoadmapTargetAdmin(AreaScopedAdmin):
    visible_rows = _roadmap_of
    changeable_rows = _roadmap_of
    scoped_choices = {"province": access.visible_provinces}
    list_display = ["province", "year", "target_communes"]
    list_filter = ["year"]


def _assessments_of(user):
    return Assessment.objects.filter(commune__in=access.visible_communes(user))


@admin.register(Assessment)
class AssessmentAdmin(AreaScopedAdmin):
    """Stored runs, read only: they are the record of what the rules said on a date."""

    visible_rows = _assessments_of
    changeable_rows = _assessments_of
    list_display = ["commune", "as_of", "level", "eligible", "profile_code", "profile_version"]
    list_filter = ["level", "eligible", "as_of"]
    search_fields = ["commune__name", "commune__code"]
    list_select_related = ["commune"]
    date_hierarchy = "as_of"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
