"""File transfer requests, decided by the police of the province that holds the file.

The request changes only through its two step pages (approve, reject), each a confirmation
form that calls casefiles.services; nothing here writes a state directly, and nothing is
deleted.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import AreaScopedAdmin, PeopleSearchLogged
from communes.access import get_or_404

from . import access, services
from .forms import TransferApproveForm, TransferRejectForm
from .models import TransferRequest

# step -> (button label, form class, service call)
STEPS = {
    "approve": (
        _("Approve: move the file to the requesting commune"),
        TransferApproveForm,
        lambda transfer, by, data: services.transfer_request_approve(
            transfer=transfer, on=data["on"], note=data["note"], by=by
        ),
    ),
    "reject": (
        _("Reject the request"),
        TransferRejectForm,
        lambda transfer, by, data: services.transfer_request_reject(
            transfer=transfer, reason=data["reason"], by=by
        ),
    ),
}


@admin.register(TransferRequest)
class TransferRequestAdmin(PeopleSearchLogged, AreaScopedAdmin):
    visible_rows = access.visible_transfer_requests
    changeable_rows = access.changeable_transfer_requests
    list_display = [
        "full_name", "citizen_id", "to_commune", "file_commune", "state", "requested_at",
    ]  # fmt: skip
    list_filter = ["state"]
    search_fields = ["citizen_id", "full_name", "to_commune__name", "person__full_name"]
    list_select_related = ["to_commune", "person__commune"]
    list_per_page = 50
    readonly_fields = [
        "citizen_id", "full_name", "note", "to_commune", "requested_by", "requested_at",
        "person", "file_commune", "state", "resolved_by", "resolved_at", "resolution_note",
        "move",
    ]  # fmt: skip
    fields = readonly_fields
    change_form_template = "admin/casefiles/transferrequest/change_form.html"

    def has_add_permission(self, request):
        return False  # sent from the person form only

    def has_change_permission(self, request, obj=None):
        # The page is read only: a request changes through its steps alone.
        return obj is None and super().has_change_permission(request)

    def may_decide(self, request, transfer) -> bool:
        return super().has_change_permission(request, transfer)

    @admin.display(description=_("commune of the file"))
    def file_commune(self, transfer):
        return transfer.person.commune

    def changelist_view(self, request, extra_context=None):
        # The list names the files asked for (citizen ID, the commune holding each): the rows
        # shown are reads, as on the people list (and its search a people search, by the mixin).
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            services.people_access_log(
                user=request.user,
                persons=[transfer.person for transfer in changelist.result_list],
                via="admin_transfer_requests",
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transfer = self.get_object(request, object_id)
        steps = []
        if transfer is not None and self.may_decide(request, transfer):
            steps = [(step, label) for step, (label, _form, _call) in STEPS.items()]
        response = super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "steps": steps}
        )
        if transfer is not None and response.status_code == 200:  # it names the file's holder
            services.people_access_log(
                user=request.user, persons=[transfer.person], via="admin_transfer_request"
            )
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/step/<slug:step>/",
                self.admin_site.admin_view(self.step_view),
                name="casefiles_transferrequest_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, pk, step):
        if step not in STEPS:
            raise Http404
        transfer = get_or_404(
            access.changeable_transfer_requests(request.user).select_related(
                "person__commune", "to_commune"
            ),
            pk=pk,
        )
        label, form_class, call = STEPS[step]
        services.people_access_log(
            user=request.user, persons=[transfer.person], via="admin_transfer_request"
        )
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                call(transfer, request.user, form.cleaned_data)
            except ValidationError as error:  # the file was closed or moved, or decided
                form.add_error(None, error)
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": label})
                return redirect("admin:casefiles_transferrequest_change", transfer.pk)
        return render(
            request,
            "admin/casefiles/transferrequest/step.html",
            {**self.admin_site.each_context(request), "transfer": transfer, "form": form,
             "label": label, "opts": self.model._meta, "title": label},
        )  # fmt: skip
