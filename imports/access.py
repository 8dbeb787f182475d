"""Who may import, into which communes, and who sees which import jobs; built on the area
(communes.access). An import is held to the same rules as the forms: it writes only into the
communes the uploader may change."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from communes.access import changeable_communes, get_or_404, refuse_leaders

from .models import ImportJob


def refuse_without_communes(user) -> None:
    """Leaders import nothing, nor does anyone with no commune to import into."""
    refuse_leaders(user)
    if not changeable_communes(user).exists():
        raise PermissionDenied


def import_scope(user) -> dict:
    """What the uploader may import, as workbook_preview takes it: rows of the communes they may
    change (None: any, for administrators), the places and roadmap sheets only above communes,
    and who imports (for the security log and the daily limit of citizen IDs outside the
    area)."""
    if user.is_portal_admin:
        return {"allowed_communes": None, "may_edit_places": True, "importer": user}
    return {
        "allowed_communes": changeable_communes(user),
        "may_edit_places": user.is_provincial_officer,
        "importer": user,
    }


def visible_import_jobs(user) -> QuerySet[ImportJob]:
    """Only the uploader sees a job: its preview may name people from the workbook."""
    return ImportJob.objects.filter(created_by=user)


def access_import_job_by_token(user, token) -> ImportJob:
    return get_or_404(visible_import_jobs(user), token=token)
