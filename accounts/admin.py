from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
