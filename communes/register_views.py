"""Pages of the area registers: one flow (list, add, edit, void) for every register, plus the
hotspot's eradication and the household pledge coverage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import security
from core.querystring import int_or_none, kept_filters, query_prefix
from core.text import fold_vietnamese

from . import access, selectors, services
from .models import Hotspot, Household, has_pledge
from .register_forms import EradicateForm, PledgeForm, VoidForm
from .registers import REGISTERS, Register

ROWS_PER_PAGE = 25


def _register_or_404(slug: str) -> Register:
    try:
        return REGISTERS[slug]
    except KeyError:
        raise Http404 from None


def _rows(request, register: Register):
    rows = access.visible_register_rows(request.user, register.model)
    rows = rows.select_related(*register.select_related).annotate(**register.annotations)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        condition = Q()
        for field in register.search_fields:
            condition |= Q(**{f"{field}__icontains": search})
        rows = rows.filter(condition)
    commune_id = int_or_none(request.GET.get("commune"))
    if commune_id:
        rows = rows.filter(commune_id=commune_id)
    status = request.GET.get("status", "")
    if status in register.status_filters:
        lookup = register.status_filters[status].lookup
        rows = rows.filter(lookup) if isinstance(lookup, Q) else rows.filter(**lookup)
    voided = request.GET.get("voided") == "1"
    rows = rows.filter(voided_on__isnull=not voided)
    ordering = register.ordering or register.model._meta.ordering
    return rows.order_by(*ordering, "pk"), {
        "search": search,
        "commune_id": commune_id,
        "status": status,
        "voided": voided,
    }


@login_required
def register_list(request: HttpRequest, slug: str) -> HttpResponse:
    access.refuse_leaders(request.user)
    register = _register_or_404(slug)
    rows, filters = _rows(request, register)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    if register.names_people:
        security.record_people_search(request, filters["search"])
        services.register_rows_access_log(
            user=request.user, rows=page.object_list, via="register_list"
        )
    return render(
        request,
        "communes/register_list.html",
        {
            "register": register,
            "registers": REGISTERS.values(),
            "page": page,
            "table": [(row, [column.value(row) for column in register.columns]) for row in page],
            "filters": filters,
            "filter_query": kept_filters(request, ("q", "commune", "status", "voided")),
            "communes": None
            if request.user.is_commune_officer
            else access.visible_communes(request.user).only("id", "name"),
            "create_commune": access.commune_to_add_in(request.user, filters["commune_id"]),
            "changeable_ids": set(
                access.changeable_register_rows(request.user, register.model)
                .filter(pk__in=[row.pk for row in page])
                .values_list("pk", flat=True)
            ),
        },
    )


def _save(register: Register, form, by):
    row = form.save(commit=False)
    if isinstance(row, Hotspot):
        return services.hotspot_save(hotspot=row, by=by)
    if row.pk is None:
        row.recorded_by = by
    row.save()
    return row


@login_required
@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest, slug: str, commune_pk: int) -> HttpResponse:
    register = _register_or_404(slug)
    commune = access.get_or_404(access.changeable_communes(request.user), pk=commune_pk)
    form = register.form_class(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        _save(register, form, request.user)
        messages.success(request, _("Saved."))
        return redirect(f"{_list_url(register)}?commune={commune.pk}")
    return render(
        request,
        "communes/register_form.html",
        {"form": form, "register": register, "commune": commune},
    )


def _list_url(register: Register) -> str:
    return reverse("communes:register_list", args=[register.slug])


@login_required
@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    register = _register_or_404(slug)
    row = access.get_or_404(
        access.changeable_register_rows(request.user, register.model).select_related("commune"),
        pk=pk,
    )
    form = register.form_class(request.POST or None, instance=row, commune=row.commune)
    if request.method == "POST" and form.is_valid():
        _save(register, form, request.user)
        messages.success(request, _("Saved."))
        return redirect(f"{_list_url(register)}?commune={row.commune_id}")
    return render(
        request,
        "communes/register_form.html",
        {"form": form, "register": register, "commune": row.commune, "row": row},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_void(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    register = _register_or_404(slug)
    row = access.get_or_404(
        access.changeable_register_rows(request.user, register.model).select_related("commune"),
        pk=pk,
    )
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.register_row_void(
            row=row, reason=form.cleaned_data["reason"], on=timezone.localdate()
        )
        messages.success(request, _("The record was voided. It no longer counts anywhere."))
        return redirect(f"{_list_url(register)}?commune={row.commune_id}")
    return render(
        request, "communes/register_void.html", {"form": form, "register": register, "row": row}
    )


@login_required
@require_http_methods(["GET", "POST"])
def hotspot_eradicate(request: HttpRequest, pk: int) -> HttpResponse:
    register = REGISTERS["hotspots"]
    hotspots = access.changeable_register_rows(request.user, Hotspot).filter(
        eradicated_on__isnull=True
    )
    hotspot = access.get_or_404(hotspots.select_related("commune"), pk=pk)
    form = EradicateForm(request.POST or None, hotspot=hotspot)
    if request.method == "POST" and form.is_valid():
        services.hotspot_eradicate(hotspot=hotspot, on=form.cleaned_data["eradicated_on"])
        messages.success(request, _("Hotspot %(ref)s marked eradicated.") % {"ref": hotspot.ref})
        return redirect(f"{_list_url(register)}?commune={hotspot.commune_id}")
    return render(
        request,
        "communes/register_void.html",
        {"form": form, "register": register, "row": hotspot, "eradicate": True},
    )


@login_required
def pledge_coverage(request: HttpRequest, commune_pk: int) -> HttpResponse:
    access.refuse_leaders(request.user)
    commune = access.get_or_404(access.visible_communes(request.user), pk=commune_pk)
    rows, total = selectors.pledge_coverage(commune)
    unsigned = (
        access.visible_register_rows(request.user, Household)
        .current()
        .filter(commune=commune)
        .exclude(has_pledge())  # not pledge__isnull: see has_pledge (0.6 s → ms)
        .select_related("hamlet", "commune")
        .order_by("hamlet__name", "household_code")
    )
    search = request.GET.get("q", "").strip()[:100]
    security.record_people_search(request, search)
    if search:
        folded = fold_vietnamese(search)
        unsigned = [
            h for h in unsigned if folded in fold_vietnamese(f"{h.household_code} {h.head_name}")
        ]
    page = Paginator(unsigned, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    services.register_rows_access_log(user=request.user, rows=page.object_list, via="pledges")
    return render(
        request,
        "communes/pledge_coverage.html",
        {
            "commune": commune,
            "rows": rows,
            "total": total,
            "page": page,
            "search": search,
            "filter_query": query_prefix({"q": search}),
            "can_change": access.can_change_commune(request.user, commune),
            "pledge_form": PledgeForm(),
        },
    )


@login_required
@require_http_methods(["POST"])
def pledge_sign(request: HttpRequest, pk: int) -> HttpResponse:
    household = access.get_or_404(
        access.changeable_register_rows(request.user, Household).filter(pledge__isnull=True), pk=pk
    )
    form = PledgeForm(request.POST)
    if form.is_valid():
        services.pledge_record(
            household=household, signed_on=form.cleaned_data["signed_on"], by=request.user
        )
        messages.success(
            request,
            _("Pledge of household %(code)s recorded.") % {"code": household.household_code},
        )
    else:
        messages.error(request, " ".join(form.errors.get("signed_on", [])))
    return redirect("communes:pledges", commune_pk=household.commune_id)
