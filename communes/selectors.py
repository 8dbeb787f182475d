from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from core.text import fold_vietnamese

from . import access
from .models import Commune, Hamlet


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


@dataclass(frozen=True)
class HamletCoverage:
    hamlet: Hamlet
    households: int  # the hamlet's official count, or its registered households when missing
    registered: int
    signed: int

    @property
    def missing(self) -> int:
        return max(self.households - self.signed, 0)

    @property
    def percent(self) -> float | None:
        return round(100 * self.signed / self.households, 1) if self.households else None


def pledge_coverage(commune: Commune) -> tuple[list[HamletCoverage], HamletCoverage]:
    """Household pledges per active hamlet of a commune, and the commune total.

    The total's household count is the commune's own figure when it is known (the recognition
    criterion compares pledges with it), else the sum over hamlets.
    """
    current = Q(registered_households__voided_on__isnull=True)
    hamlets = commune.hamlets.active().annotate(
        registered=Count("registered_households", filter=current),
        signed=Count(
            "registered_households",
            filter=current & Q(registered_households__pledge__isnull=False),
        ),
    )
    rows = [
        HamletCoverage(
            hamlet=hamlet,
            households=hamlet.households if hamlet.households is not None else hamlet.registered,
            registered=hamlet.registered,
            signed=hamlet.signed,
        )
        for hamlet in hamlets.order_by("name")
    ]
    total = HamletCoverage(
        hamlet=None,
        households=(
            commune.households
            if commune.households is not None
            else sum(row.households for row in rows)
        ),
        registered=sum(row.registered for row in rows),
        # As the recognition criterion counts (assessments.facts): a hamlet counts at most the
        # households it has, so surplus rows in one cannot cover households missing in another.
        signed=sum(min(row.signed, row.households) for row in rows),
    )
    return rows, total
