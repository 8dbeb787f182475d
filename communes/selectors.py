from django.db.models import Count, Q, QuerySet, Sum

from accounts import access

from .models import Commune
from .text import fold_vietnamese


def commune_list(user, *, search: str = "", kind: str = "") -> QuerySet[Commune]:
    """The communes a user may see, with their active hamlets counted, for the list page."""
    communes = (
        access.visible_communes(user)
        .select_related("province")
        .annotate(
            hamlet_count=Count("hamlets", filter=Q(hamlets__archived_on__isnull=True)),
        )
        # Explicit: Meta.ordering is not applied to queries that group (Django ≥ 3.1).
        .order_by("search_text", "code")
    )
    if search:
        communes = communes.filter(search_text__contains=fold_vietnamese(search))
    if kind:
        communes = communes.filter(kind=kind)
    return communes


def commune_totals(communes: QuerySet[Commune]) -> dict:
    """Counts by kind and totals over a set of communes, for dashboards (no names)."""
    totals = communes.aggregate(
        communes=Count("id"),
        population=Sum("population"),
        households=Sum("households"),
        on_key_route=Count("id", filter=Q(on_key_route=True)),
        border=Count("id", filter=Q(border=True)),
    )
    by_kind = dict(
        communes.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return {**totals, "by_kind": by_kind}
