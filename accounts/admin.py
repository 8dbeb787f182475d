from auditlog.mixins import LogEntryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.querystring import int_or_none

from . import access
from .admin_mixins import NotYoursIsNotFound, PeopleSearchLogged, QueryStringChecked
from .models import SecurityEvent, User


@admin.register(User)
class UserAdmin(QueryStringChecked, DjangoUserAdmin):
    """Users, roles and areas are kept by system administrators only; users are deactivated,
    never deleted, so the audit trail keeps its actors."""

    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "province",
        "commune",
        "is_active",
    ]
    list_filter = ["role", "is_active", "province"]
    list_select_related = ["province", "commune"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["commune"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and area"), {"fields": ("role", "province", "commune")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "role", "province", "commune", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def _is_admin(self, request):
        return request.user.is_active and request.user.is_portal_admin

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PersonFilter(admin.SimpleListFilter):
    """Entries about one person's file: reads, changes and records (reached from the file)."""

    title = _("person")
    parameter_name = "person"

    def lookups(self, request, model_admin):
        person_id = int_or_none(self.value())
        return [(self.value(), _("Person #%(id)s") % {"id": person_id})] if person_id else []

    def queryset(self, request, queryset):
        person_id = int_or_none(self.value())
        if person_id is not None:
            return queryset.filter(additional_data__person_id=person_id)
        return queryset


class ActorFilter(admin.SimpleListFilter):
    """Entries made by one user, among the users of the viewer's own area."""

    title = _("user")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        users = access.visible_users(request.user).order_by("username")
        return [(user.pk, f"{user.username} — {user}") for user in users]

    def queryset(self, request, queryset):
        # Not str.isdigit(): "²" is a digit to it and not to int(); with facets on, the admin
        # sets the value to each choice's id, an int.
        actor_id = int_or_none(self.value())
        if actor_id is not None:
            return queryset.filter(actor_id=actor_id)
        return queryset


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogAdmin(
    # Entries are named after their rows, people's files among them.
    PeopleSearchLogged,
    QueryStringChecked,
    NotYoursIsNotFound,
    LogEntryAdminMixin,
    admin.ModelAdmin,
):
    """The audit trail, read-only, scoped to the viewer's province.

    Answers "who saw or changed whose file, when, from where" (PDPL breach reports).
    """

    date_hierarchy = "timestamp"
    list_select_related = ["content_type", "actor"]
    list_display = ["created", "action", "resource_url", "msg_short", "user_url", "remote_addr"]
    list_filter = ["action", PersonFilter, ActorFilter, "timestamp"]
    search_fields = ["object_repr", "actor__username", "actor__last_name", "remote_addr"]
    readonly_fields = ["created", "resource_url", "action", "user_url", "remote_addr", "msg"]
    fieldsets = [(None, {"fields": readonly_fields})]
    list_per_page = 50

    def get_queryset(self, request):
        self.request = request  # LogEntryAdminMixin builds links from it
        return access.visible_audit_entries(request.user).order_by("-timestamp")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.may_use_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdminOnlyMixin:
    """Pages for system administrators only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_portal_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(SecurityEvent)
class SecurityEventAdmin(QueryStringChecked, AdminOnlyMixin, admin.ModelAdmin):
    """Failed sign-ins, lockouts, wrong codes and denied pages: read-only, like the audit log."""

    date_hierarchy = "at"
    list_display = ["at", "kind", "username", "ip_address", "method", "path", "query"]
    list_filter = ["kind", "at"]
    # "Who looked up this citizen ID": search the looked-up words.
    search_fields = ["username", "ip_address", "path", "query"]
    list_select_related = ["user"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(QueryStringChecked, AdminOnlyMixin, admin.ModelAdmin):
    """Two-factor devices. An officer who lost their phone has the device deleted here by an
    administrator; at their next sign-in they set up a new one. Secrets are never shown."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__last_name"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)
