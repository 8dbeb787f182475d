from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access
from communes.models import CommuneKind
from communes.selectors import commune_totals


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Leadership's first page: counts over the user's area, never a named person."""
    totals = commune_totals(access.visible_communes(request.user))
    by_kind = [(label, totals["by_kind"].get(value, 0)) for value, label in CommuneKind.choices]
    return render(
        request,
        "reports/overview.html",
        {
            "provinces": access.visible_provinces(request.user),
            "totals": totals,
            "by_kind": by_kind,
        },
    )
