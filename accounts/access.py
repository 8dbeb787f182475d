"""Who may see which users and which entries of the logs.

Rows of the registers are scoped by their own app's access module, built on communes.access for
the area; this module is below them all and imports none of them.
"""

from auditlog.models import LogEntry
from django.db.models import QuerySet

from .models import Role, User


def visible_users(user) -> QuerySet[User]:
    """Users an admin page may list (the audit log's "user" filter): everyone for system
    administrators, the users of their own province for provincial officers, nobody else (the
    audit log is theirs only)."""
    if not (user.is_authenticated and user.is_active):
        return User.objects.none()
    if user.is_portal_admin:
        return User.objects.all()
    if user.role == Role.PROVINCIAL_OFFICER:
        return User.objects.filter(province_id=user.province_id)
    return User.objects.none()


def visible_audit_entries(user) -> QuerySet[LogEntry]:
    """Audit entries about the user's area. Only provincial officers and administrators."""
    if not (user.is_authenticated and user.is_active):
        return LogEntry.objects.none()
    if user.is_portal_admin:
        return LogEntry.objects.all()
    if user.role == Role.PROVINCIAL_OFFICER:
        return LogEntry.objects.filter(additional_data__province_id=user.province_id)
    return LogEntry.objects.none()
