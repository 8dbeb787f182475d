from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import Http404
from django.utils.translation import gettext as _

from . import security


class NotYoursIsNotFound:
    """Change, history and delete pages of a row outside the user's rows answer 404.

    Django's admin redirects to its index instead; the portal answers "missing" and "not yours"
    the same way everywhere (communes.access.get_or_404), and 404 says plainly that there is
    nothing here.
    """

    def get_object(self, request, object_id, from_field=None):
        row = super().get_object(request, object_id, from_field)
        if row is None:
            raise Http404(_("Not found."))
        return row


class PeopleSearchLogged:
    """A changelist whose rows name people: its search is a people search (security log).

    Recorded once per page here, not in get_search_results, which the admin calls again for
    each filter's counts when facets are shown.
    """

    def changelist_view(self, request, extra_context=None):
        security.record_people_search(request, request.GET.get(SEARCH_VAR, ""))
        return super().changelist_view(request, extra_context)


class QueryStringChecked:
    """A changelist whose query string holds a number no column can hold answers Django's
    "invalid parameters" page, not a 500.

    Django's admin turns the bad values it foresees (an unknown field, a malformed date) into
    IncorrectLookupParameters; a year of thirty digits in the date hierarchy, or an id beyond
    64 bits in a filter (SQLite), raise OverflowError instead, while the changelist counts its
    rows.
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class AreaScopedAdmin(QueryStringChecked, NotYoursIsNotFound, admin.ModelAdmin):
    """A model admin whose rows, choices and permissions come from access modules.

    Subclasses name the access functions that give the rows a user may see and change. Rights
    follow the role (PortalAdminSite lets only provincial officers and administrators in), and
    nothing is ever deleted: records are archived or closed with a reason instead.
    """

    # Functions (user) -> QuerySet from the access.py of the model's app (never a helper or a
    # lambda in admin.py: tests/test_architecture.py checks).
    visible_rows = None
    changeable_rows = None
    # Foreign-key field name -> access function that scopes its choices.
    scoped_choices: dict = {}

    def get_queryset(self, request):
        rows = type(self).visible_rows(request.user)
        ordering = self.get_ordering(request)
        return rows.order_by(*ordering) if ordering else rows

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = self.scoped_choices.get(db_field.name)
        if scope is not None:
            kwargs["queryset"] = scope(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.may_use_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if not self.has_module_permission(request):
            return False
        if obj is None:
            return True
        return type(self).changeable_rows(request.user).filter(pk=obj.pk).exists()

    def has_delete_permission(self, request, obj=None):
        return False
