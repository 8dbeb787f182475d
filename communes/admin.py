from django.contrib import admin

from accounts.admin_mixins import AreaScopedAdmin

from . import access
from .models import Commune, Hamlet, Province


@admin.register(Province)
class ProvinceAdmin(AreaScopedAdmin):
    visible_rows = access.visible_provinces
    changeable_rows = access.changeable_provinces
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_portal_admin


class HamletInline(admin.TabularInline):
    model = Hamlet
    fields = ["name", "households", "hotline_board", "mailbox", "archived_on", "archive_reason"]
    extra = 0
    show_change_link = True

    # Shown to whoever may open the commune (the commune admin scopes which); hamlets are added
    # and changed on their own pages, where the archive rules apply, not in this table.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.may_use_admin

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(AreaScopedAdmin):
    visible_rows = access.visible_communes
    changeable_rows = access.changeable_communes
    scoped_choices = {"province": access.visible_provinces}
    list_display = ["code", "name", "kind", "province", "population", "households", "on_key_route"]
    list_filter = ["kind", "on_key_route", "border", "province"]
    search_fields = ["code", "name", "search_text", "former_district"]
    list_select_related = ["province"]
    list_per_page = 50
    inlines = [HamletInline]


@admin.register(Hamlet)
class HamletAdmin(AreaScopedAdmin):
    visible_rows = access.visible_hamlets
    changeable_rows = access.changeable_hamlets
    scoped_choices = {"commune": access.changeable_communes}
    list_display = ["name", "commune", "households", "hotline_board", "mailbox", "archived_on"]
    list_filter = ["hotline_board", "mailbox", ("archived_on", admin.EmptyFieldListFilter)]
    search_fields = ["name", "commune__name", "commune__code"]
    list_select_related = ["commune"]
    list_per_page = 50
