from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.querystring import query_prefix

from . import access, selectors, services
from .forms import HamletArchiveForm, HamletForm
from .models import CommuneKind

COMMUNES_PER_PAGE = 25


@login_required
def commune_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if kind not in CommuneKind.values:
        kind = ""
    communes = selectors.commune_list(request.user, search=search, kind=kind)
    page = Paginator(communes, COMMUNES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communes/commune_list.html",
        {
            "page": page,
            "search": search,
            "kind": kind,
            "kinds": CommuneKind.choices,
            "filter_query": query_prefix({"q": search, "kind": kind}),
        },
    )


@login_required
def commune_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commune = access.get_or_404(
        access.visible_communes(request.user).select_related("province"), pk=pk
    )
    hamlets = list(commune.hamlets.order_by("archived_on", "name"))
    active = [hamlet for hamlet in hamlets if not hamlet.is_archived]
    return render(
        request,
        "communes/commune_detail.html",
        {
            "commune": commune,
            "active_hamlets": active,
            "archived_hamlets": [hamlet for hamlet in hamlets if hamlet.is_archived],
            "hamlet_households": sum(hamlet.households or 0 for hamlet in active),
            "hotline_boards": sum(hamlet.hotline_board for hamlet in active),
            "mailboxes": sum(hamlet.mailbox for hamlet in active),
            "can_change": access.can_change_commune(request.user, commune),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_create(request: HttpRequest, commune_pk: int) -> HttpResponse:
    commune = access.get_or_404(access.changeable_communes(request.user), pk=commune_pk)
    form = HamletForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        hamlet = form.save()
        messages.success(request, _("Hamlet “%(name)s” added.") % {"name": hamlet.name})
        return redirect("communes:detail", pk=commune.pk)
    return render(request, "communes/hamlet_form.html", {"form": form, "commune": commune})


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hamlet = access.get_or_404(
        access.changeable_hamlets(request.user).active().select_related("commune"), pk=pk
    )
    form = HamletForm(request.POST or None, instance=hamlet, commune=hamlet.commune)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Hamlet “%(name)s” saved.") % {"name": hamlet.name})
        return redirect("communes:detail", pk=hamlet.commune_id)
    return render(
        request,
        "communes/hamlet_form.html",
        {"form": form, "commune": hamlet.commune, "hamlet": hamlet},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hamlet_archive(request: HttpRequest, pk: int) -> HttpResponse:
    hamlet = access.get_or_404(
        access.changeable_hamlets(request.user).active().select_related("commune"), pk=pk
    )
    form = HamletArchiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hamlet_archive(
            hamlet=hamlet, reason=form.cleaned_data["reason"], on=timezone.localdate()
        )
        messages.success(request, _("Hamlet “%(name)s” archived.") % {"name": hamlet.name})
        return redirect("communes:detail", pk=hamlet.commune_id)
    return render(request, "communes/hamlet_archive.html", {"form": form, "hamlet": hamlet})
