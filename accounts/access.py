"""Who may see and change what. The only place that answers it.

Every view, export and admin page gets its rows through these functions; no view filters by
area by hand. Registers of later apps scope themselves with `commune__in=visible_communes(user)`.
"Missing" and "not yours" both answer 404, so ids of other areas cannot be probed.
"""

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casefiles.models import Person, PersonMove
from communes.models import Commune, Hamlet, Province

from . import security
from .models import Role


def visible_provinces(user) -> QuerySet[Province]:
    if not (user.is_authenticated and user.is_active):
        return Province.objects.none()
    if user.is_portal_admin:
        return Province.objects.all()
    if user.role in (Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER, Role.LEADER):
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


def visible_communes(user) -> QuerySet[Commune]:
    """Communes whose registers the user may read."""
    if not (user.is_authenticated and user.is_active):
        return Commune.objects.none()
    if user.is_portal_admin:
        return Commune.objects.all()
    if user.role == Role.COMMUNE_OFFICER:
        return Commune.objects.filter(pk=user.commune_id)
    if user.role in (Role.PROVINCIAL_OFFICER, Role.LEADER):
        return Commune.objects.filter(province_id=user.province_id)
    return Commune.objects.none()


def changeable_communes(user) -> QuerySet[Commune]:
    """Communes whose registers the user may change: those they see, unless they lead."""
    if user.is_authenticated and user.role == Role.LEADER:
        return Commune.objects.none()
    return visible_communes(user)


def visible_hamlets(user) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(commune__in=visible_communes(user))


def changeable_hamlets(user) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(commune__in=changeable_communes(user))


def visible_persons(user) -> QuerySet:
    """Files of people under management the user may read. Leaders never see a person."""
    if not (user.is_authenticated and user.is_active) or user.role == Role.LEADER:
        return Person.objects.none()
    return Person.objects.filter(commune__in=visible_communes(user))


def changeable_persons(user) -> QuerySet:
    """Files the user may change: open files of the communes they may change."""
    return Person.objects.open().filter(commune__in=changeable_communes(user))


def visible_moves_out(user) -> QuerySet:
    """Records of files that left the user's communes: what the old commune keeps of a move."""
    if not (user.is_authenticated and user.is_active) or user.role == Role.LEADER:
        return PersonMove.objects.none()
    return PersonMove.objects.filter(from_commune__in=visible_communes(user))


def visible_register_rows(user, model) -> QuerySet:
    """Rows of an area register (hotspots, offences, households…) the user may read.

    Leaders read the registers as counts on their dashboards only (households carry names).
    """
    if not (user.is_authenticated and user.is_active) or user.role == Role.LEADER:
        return model.objects.none()
    return model.objects.filter(commune__in=visible_communes(user))


def changeable_register_rows(user, model) -> QuerySet:
    """Rows the user may change: not voided, in communes they may change."""
    return model.objects.current().filter(commune__in=changeable_communes(user))


def visible_audit_entries(user) -> QuerySet:
    """Audit entries about the user's area. Only provincial officers and administrators."""
    if not (user.is_authenticated and user.is_active):
        return LogEntry.objects.none()
    if user.is_portal_admin:
        return LogEntry.objects.all()
    if user.role == Role.PROVINCIAL_OFFICER:
        return LogEntry.objects.filter(additional_data__province_id=user.province_id)
    return LogEntry.objects.none()


def refuse_leaders(user) -> None:
    """Pages of named people and registers: leadership reads counts on its dashboards only."""
    if user.is_leader:
        raise PermissionDenied


def commune_to_add_in(user, commune_id: int | None) -> Commune | None:
    """The commune a list page's "add" button would create rows in, if the user may: their own
    commune for a commune officer, otherwise the commune the list is filtered to."""
    communes = changeable_communes(user)
    if user.is_commune_officer:
        return communes.filter(pk=user.commune_id).first()
    return communes.filter(pk=commune_id).first() if commune_id else None


def get_or_404(queryset: QuerySet, **lookup):
    """One row of an already scoped queryset, or 404 whether it is missing or not the user's."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        security.record_out_of_scope(queryset.model, lookup)
        raise Http404(_("Not found.")) from None


def can_change_commune(user, commune: Commune) -> bool:
    return changeable_communes(user).filter(pk=commune.pk).exists()
