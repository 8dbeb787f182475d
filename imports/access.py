"""Who may import, which sheets, into which communes, and who sees which import jobs; built on
the area (communes.access). An import is held to the same rules as the forms and the admin: it
writes only into the communes the uploader may change, and only what their role may change
there (contracts.md §3 "Who may import what"). The browser upload and the command's `--as`
both take their scope from `import_scope`."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from communes.access import changeable_communes, get_or_404, refuse_leaders

from .models import ImportJob

# The registers of a commune: its own officer keeps them.
REGISTER_SHEETS = frozenset(
    {
        "hamlets",
        "persons",
        "drug_tests",
        "rehab",
        "hotspots",
        "cultivation",
        "offences",
        "wanted",
        "pledges",
        "hamlet_pledges",
        "models",
    }
)
# What the province decides: its communes, which of them seek recognition (on which profile,
# from which baseline) and its roadmap. A commune officer importing these would set the terms
# their own commune is judged by.
PROVINCE_SHEETS = frozenset({"communes", "registrations", "roadmap"})


def refuse_without_communes(user) -> None:
    """Leaders import nothing, nor does anyone with no commune to import into."""
    refuse_leaders(user)
    if not changeable_communes(user).exists():
        raise PermissionDenied


def importable_sheets(user) -> frozenset[str]:
    if not user.is_active:
        return frozenset()
    if user.is_provincial_officer or user.is_portal_admin:
        return REGISTER_SHEETS | PROVINCE_SHEETS
    if user.is_commune_officer:
        return REGISTER_SHEETS
    return frozenset()


def import_scope(user) -> dict:
    """What the uploader may import, as workbook_preview takes it: the sheets of their role, rows
    of the communes they may change (None: any, for administrators), whether they may create or
    rename a province (administrators only, as communes.access.changeable_provinces says for the
    admin), and who imports (for the security log and the daily limit of citizen IDs outside
    the area)."""
    if user.is_portal_admin and user.is_active:
        return {
            "allowed_communes": None,
            "allowed_sheets": None,
            "may_change_provinces": True,
            "importer": user,
        }
    return {
        "allowed_communes": changeable_communes(user),
        "allowed_sheets": importable_sheets(user),
        "may_change_provinces": False,
        "importer": user,
    }


def visible_import_jobs(user) -> QuerySet[ImportJob]:
    """Only the uploader sees a job: its preview may name people from the workbook."""
    return ImportJob.objects.filter(created_by=user)


def access_import_job_by_token(user, token) -> ImportJob:
    return get_or_404(visible_import_jobs(user), token=token)
