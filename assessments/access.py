"""Who may see and change the rows of the recognition programme, built on the area
(communes.access): a registration, a stored assessment or a recognition case belongs to its
commune; a roadmap target, a provincial profile or a province run to its province.
"""

from django.db.models import QuerySet

from communes.access import changeable_communes, visible_communes, visible_provinces

from .models import (
    Assessment,
    ProvinceRun,
    ProvincialProfile,
    RecognitionCase,
    Registration,
    RoadmapTarget,
)


def visible_registrations(user) -> QuerySet[Registration]:
    return Registration.objects.filter(commune__in=visible_communes(user))


def changeable_registrations(user) -> QuerySet[Registration]:
    """Registrations the user may submit for recognition or correct."""
    return Registration.objects.filter(commune__in=changeable_communes(user))


def visible_recognition_cases(user) -> QuerySet[RecognitionCase]:
    return RecognitionCase.objects.filter(registration__commune__in=visible_communes(user))


def changeable_recognition_cases(user) -> QuerySet[RecognitionCase]:
    """Cases the user may take a step on (appraise, approve, reject, withdraw)."""
    return RecognitionCase.objects.filter(registration__commune__in=changeable_communes(user))


def visible_assessments(user) -> QuerySet[Assessment]:
    """Stored assessments of the user's communes."""
    return Assessment.objects.filter(commune__in=visible_communes(user))


def changeable_assessments(user) -> QuerySet[Assessment]:
    """None: a stored assessment is the record of what the rules said on a day."""
    return Assessment.objects.none()


def visible_roadmap_targets(user) -> QuerySet[RoadmapTarget]:
    return RoadmapTarget.objects.filter(province__in=visible_provinces(user))


def changeable_roadmap_targets(user) -> QuerySet[RoadmapTarget]:
    """The targets of the provinces the user sees (only provincial officers and administrators
    reach the admin, where targets are set)."""
    return visible_roadmap_targets(user)


def visible_provincial_profiles(user) -> QuerySet[ProvincialProfile]:
    return ProvincialProfile.objects.filter(province__in=visible_provinces(user))


def changeable_provincial_profiles(user) -> QuerySet[ProvincialProfile]:
    if user.is_leader:
        return ProvincialProfile.objects.none()
    return visible_provincial_profiles(user)


def visible_province_runs(user) -> QuerySet[ProvinceRun]:
    return ProvinceRun.objects.filter(province__in=visible_provinces(user))


def may_run_province(user) -> bool:
    """Who may ask for a province to be assessed again now (the nightly run does it anyway)."""
    return user.is_provincial_officer or user.is_portal_admin
