"""Who may see and change which part of the area: provinces, communes, hamlets and the rows of
the area registers.

The base of every other app's access module: a person, a registration or a report run is
visible because its commune or province is. One function per question, each condition on its
own line. "Missing" and "not yours" both answer 404 (`get_or_404`), so ids of other areas
cannot be probed.

| Role | `visible_communes` | `changeable_communes` |
|---|---|---|
| commune_officer | their commune | their commune |
| provincial_officer | communes of their province | communes of their province |
| leader | communes of their province | none |
| admin (or superuser) | all | all |
| inactive or anonymous | none | none |
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import security
from accounts.models import Role

from .models import Commune, Hamlet, Province


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def get_or_404(queryset: QuerySet, **lookup):
    """One row of an already scoped queryset, or 404 whether it is missing or not the user's.

    A row that exists outside the user's area is logged as a refused access."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        security.record_out_of_scope(queryset.model, lookup)
        raise Http404(_("Not found.")) from None


def refuse_leaders(user) -> None:
    """Pages of named people and registers: leadership reads counts on its dashboards only."""
    if user.is_leader:
        raise PermissionDenied


def visible_provinces(user) -> QuerySet[Province]:
    if not _signed_in(user):
        return Province.objects.none()
    if user.is_portal_admin:
        return Province.objects.all()
    if user.role in (Role.COMMUNE_OFFICER, Role.PROVINCIAL_OFFICER, Role.LEADER):
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


def changeable_provinces(user) -> QuerySet[Province]:
    """Only system administrators create or rename provinces."""
    if not user.is_active:
        return Province.objects.none()
    if not user.is_portal_admin:
        return Province.objects.none()
    return Province.objects.all()


def visible_communes(user) -> QuerySet[Commune]:
    """Communes whose registers the user may read."""
    if not _signed_in(user):
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


def can_change_commune(user, commune: Commune) -> bool:
    return changeable_communes(user).filter(pk=commune.pk).exists()


def commune_to_add_in(user, commune_id: int | None) -> Commune | None:
    """The commune a list page's "add" button would create rows in, if the user may: their own
    commune for a commune officer, otherwise the commune the list is filtered to."""
    communes = changeable_communes(user)
    if user.is_commune_officer:
        return communes.filter(pk=user.commune_id).first()
    if not commune_id:
        return None
    return communes.filter(pk=commune_id).first()


def visible_hamlets(user) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(commune__in=visible_communes(user))


def changeable_hamlets(user) -> QuerySet[Hamlet]:
    return Hamlet.objects.filter(commune__in=changeable_communes(user))


def hamlets_to_filter_by(user, commune_id: int | None) -> QuerySet[Hamlet] | None:
    """The active hamlets a list can be filtered by: those of a commune officer's own commune,
    otherwise of the commune the list is filtered to; None until there is one."""
    commune_id = user.commune_id or commune_id
    if not commune_id:
        return None
    return visible_hamlets(user).active().filter(commune_id=commune_id)


def visible_register_rows(user, model) -> QuerySet:
    """Rows of an area register (hotspots, offences, households…) the user may read.

    Leaders read the registers as counts on their dashboards only (households carry names).
    """
    if not _signed_in(user):
        return model.objects.none()
    if user.role == Role.LEADER:
        return model.objects.none()
    return model.objects.filter(commune__in=visible_communes(user))


def changeable_register_rows(user, model) -> QuerySet:
    """Rows the user may change: not voided, in communes they may change."""
    return model.objects.current().filter(commune__in=changeable_communes(user))
