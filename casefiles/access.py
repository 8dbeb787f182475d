"""Who may see and change which files of people under management, built on the area
(communes.access): a file follows its commune, with two exceptions. Leaders see no person at all
(the list answers 403, a file 404), and a closed file can be read but not changed. When a file
moves to another commune, the old commune loses the file and keeps the record of the move.

A transfer request has two sides that never meet: the requesting commune sees what it sent
(the citizen ID and name it typed, the state, the answer), never the file; the police of the
province holding the file see the request with the file, and decide.
"""

from django.db.models import QuerySet

from accounts.models import Role
from communes.access import can_change_commune, changeable_communes, get_or_404, visible_communes
from communes.models import Commune

from .models import Person, PersonMove, RehabEpisode, TransferRequest, TransferState


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def visible_persons(user) -> QuerySet[Person]:
    """Files of people under management the user may read. Leaders never see a person."""
    if not _signed_in(user):
        return Person.objects.none()
    if user.role == Role.LEADER:
        return Person.objects.none()
    return Person.objects.filter(commune__in=visible_communes(user))


def changeable_persons(user) -> QuerySet[Person]:
    """Files the user may change: open files of the communes they may change."""
    return Person.objects.open().filter(commune__in=changeable_communes(user))


def access_person_by_id(user, pk: int, *, for_change: bool = False) -> Person:
    """One file with its commune, if the user may read it (or change it); 404 otherwise."""
    persons = changeable_persons(user) if for_change else visible_persons(user)
    return get_or_404(persons.select_related("commune"), pk=pk)


def can_see_person(user, person: Person) -> bool:
    """Asked after a move: the file may have left the user's communes."""
    return visible_persons(user).filter(pk=person.pk).exists()


def can_change_person(user, person: Person) -> bool:
    if person.is_closed:
        return False
    return can_change_commune(user, person.commune)


def changeable_rehab_episodes(user) -> QuerySet[RehabEpisode]:
    """Rehab episodes on files the user may change."""
    return RehabEpisode.objects.filter(person__in=changeable_persons(user))


def visible_moves_out(user) -> QuerySet[PersonMove]:
    """Records of files that left the user's communes: what the old commune keeps of a move."""
    if not _signed_in(user):
        return PersonMove.objects.none()
    if user.role == Role.LEADER:
        return PersonMove.objects.none()
    return PersonMove.objects.filter(from_commune__in=visible_communes(user))


def move_targets(user, person: Person) -> QuerySet[Commune]:
    """Communes a file may move to: any other commune of the person's province; any other
    commune at all for administrators. Whoever may change the file may move it."""
    targets = Commune.objects.exclude(pk=person.commune_id)
    if user.is_portal_admin:
        return targets
    return targets.filter(province_id=person.commune.province_id)


def visible_sent_transfer_requests(user) -> QuerySet[TransferRequest]:
    """Requests sent by the communes the user may change: their own side, without the file."""
    return TransferRequest.objects.filter(to_commune__in=changeable_communes(user))


def visible_transfer_requests(user) -> QuerySet[TransferRequest]:
    """Requests for files of the user's province, to decide on: provincial officers of the
    province holding the file, and administrators. Nobody else, whatever commune asked."""
    if not _signed_in(user):
        return TransferRequest.objects.none()
    if user.is_portal_admin:
        return TransferRequest.objects.all()
    if user.role == Role.PROVINCIAL_OFFICER:
        return TransferRequest.objects.filter(person__commune__province_id=user.province_id)
    return TransferRequest.objects.none()


def changeable_transfer_requests(user) -> QuerySet[TransferRequest]:
    """Requests still waiting that the user may approve or reject."""
    return visible_transfer_requests(user).filter(state=TransferState.PENDING)
