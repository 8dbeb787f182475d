from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import security

from . import access, services, workbook

XLSX_SIGNATURE = b"PK\x03\x04"


def _max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only .xlsx workbooks can be imported."))
        if upload.size > _max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": _max_bytes() // (1024 * 1024)}
            )
        if upload.read(4) != XLSX_SIGNATURE:
            raise forms.ValidationError(_("This file is not an Excel .xlsx workbook."))
        upload.seek(0)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    access.refuse_without_communes(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_start(
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
                address=security.client_ip(request),
            )
        except services.ImportBusy:
            form.add_error(
                "file",
                _(
                    "Your previous workbook is still being checked. Wait for its result, then "
                    "upload the next one."
                ),
            )
        else:
            return redirect("imports:job", token=job.token)
    jobs = access.visible_import_jobs(request.user)[:10]
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs})


@login_required
def import_job(request: HttpRequest, token) -> HttpResponse:
    job = access.access_import_job_by_token(request.user, token)
    counts = [(sheet, numbers) for sheet, numbers in sorted(job.counts.items())]
    stuck = services.import_job_is_stuck(job)  # its worker died, or it is still queued
    return render(request, "imports/job.html", {"job": job, "counts": counts, "stuck": stuck})


@login_required
@require_POST
def import_confirm(request: HttpRequest, token) -> HttpResponse:
    job = access.access_import_job_by_token(request.user, token)
    job = services.import_job_confirm(job=job)
    if job.status == "done":
        messages.success(request, _("The workbook was imported."))
    return redirect("imports:job", token=job.token)


@login_required
@require_POST
def import_retry(request: HttpRequest, token) -> HttpResponse:
    job = services.import_job_retry(job=access.access_import_job_by_token(request.user, token))
    return redirect("imports:job", token=job.token)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    access.refuse_without_communes(request.user)
    response = HttpResponse(
        workbook.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-lieu.xlsx"'
    return response
