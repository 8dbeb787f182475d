"""From the registers to the rules: the facts and criterion inputs of many communes at once.

One query per register for the whole set of communes (never one per commune), so assessing a
province costs the same number of queries as assessing one commune. Rules never touch the
database; this module never decides anything.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from casefiles.models import (
    DrugTest,
    Person,
    RehabEpisode,
    SupportAction,
)
from communes.models import (
    Commune,
    CultivationFind,
    Hamlet,
    HamletPledge,
    Hotspot,
    Offence,
    Pledge,
    PreventionModel,
    WantedPerson,
)

from . import rules
from .models import Registration


def _on_lists(commune_ids, as_of, **only):
    """People on a commune's lists on `as_of`, each row joined (LEFT JOIN, so one statement
    whatever the number of people) to the category and presence periods covering D.

    `only` filters on those joined rows; it must go into the same `filter()` call as the
    category test, or Django would join the periods a second time."""
    return Person.objects.annotate(
        category_on_d=FilteredRelation("categories", condition=_covering_of("categories", as_of)),
        presence_on_d=FilteredRelation("presences", condition=_covering_of("presences", as_of)),
    ).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of),
        commune_id__in=commune_ids,
        listed_on__lte=as_of,
        # Listed before their first category: not on a list on D.
        category_on_d__category__isnull=False,
        **only,
    )


def _treatment_on(as_of):
    """The form of the person's rehab or treatment episode open on D (open from its start
    through its end day); the latest started one when several are. A subquery, not a join:
    people often have several episodes, and a join would repeat their row."""
    return Subquery(
        RehabEpisode.objects.filter(person=OuterRef("pk"), started_on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
        .order_by("-started_on", "-id")
        .values("form")[:1]
    )


def _covering_of(relation: str, day: datetime.date) -> Q:
    """Periods [started_on, ended_on) of a related table that contain `day`."""
    return Q(**{f"{relation}__started_on__lte": day}) & (
        Q(**{f"{relation}__ended_on__isnull": True}) | Q(**{f"{relation}__ended_on__gt": day})
    )


# Counted by the classification and read by most criteria: addicts and illegal users present.
USER_CATEGORIES = ("addict", "user")


def _persons(
    commune_ids,
    as_of,
    period_start,
    *,
    everyone: bool = True,
    with_tests: bool = True,
    with_support: bool = True,
) -> dict[int, list[rules.PersonDetail]]:
    """Everyone on a commune's lists on `as_of`, with what the criteria read about them.

    One row per person from one statement, plain tuples (no model instances). `everyone=False`
    keeps only the addicts and illegal users present on D (all that classification and most
    criteria read, see `rules.CRITERIA_READING_OTHER_PERSONS`); tests and support actions, the
    largest registers, are read only when a criterion in use reads them.
    """
    only = (
        {}
        if everyone
        else {"category_on_d__category__in": USER_CATEGORIES, "presence_on_d__status": "present"}
    )
    on_lists = _on_lists(commune_ids, as_of, **only)
    rows = (
        on_lists.annotate(treatment_on_d=_treatment_on(as_of))
        .order_by(
            "search_text",
            "pk",
            # Should periods overlap, the latest started one wins, as it always has.
            "category_on_d__started_on",
            "category_on_d__id",
            "presence_on_d__started_on",
            "presence_on_d__id",
        )
        .values_list(
            "pk",
            "full_name",
            "commune_id",
            "file_opened_on",
            "listed_on",
            "psychosis",
            "category_on_d__category",
            "presence_on_d__status",
            "treatment_on_d",
        )
    )
    by_person = {row[0]: row for row in rows}  # the last row of a person wins
    tests = defaultdict(list)
    if with_tests:
        person_ids = on_lists.values("pk")
        # The period and the 30-day window; for suspects, every test since they were listed
        # ("tested on or after the day listed" may reach back before the period).
        earliest = min(period_start, rules.recent_window(as_of)[0])
        suspects = [pk for pk, row in by_person.items() if row[6] == "suspect"]
        window = Q(tested_on__gte=earliest) | Q(person_id__in=suspects)
        for person_id, tested_on, result, kind in DrugTest.objects.filter(
            window, person_id__in=person_ids, tested_on__lte=as_of
        ).values_list("person_id", "tested_on", "result", "kind"):
            tests[person_id].append(rules.DrugTest(tested_on, result, kind))
    support = defaultdict(list)
    if with_support:
        for person_id, given_on in SupportAction.objects.filter(
            person_id__in=on_lists.values("pk"), given_on__range=(period_start, as_of)
        ).values_list("person_id", "given_on"):
            support[person_id].append(given_on)
    by_commune = defaultdict(list)
    for (
        pk,
        name,
        commune_id,
        opened,
        listed,
        psychosis,
        category,
        presence,
        form,
    ) in by_person.values():
        by_commune[commune_id].append(
            # Positional, in the order of PersonDetail's fields: tens of thousands of people,
            # and keyword arguments cost a third more.
            rules.PersonDetail(
                pk,
                name,
                category,
                presence == "present",
                opened is not None and opened <= as_of,  # has_file
                listed,
                psychosis,
                form or "",  # treatment_form
                tuple(sorted(tests[pk])) if pk in tests else (),
                tuple(sorted(support[pk])) if pk in support else (),
            )
        )
    return by_commune


# The registers below are read as plain tuples (values_list), in each model's own order (the
# order the evidence names causes in): building model instances cost more than the SQL.


def _hotspots(commune_ids, as_of, period_start) -> dict[int, list[rules.HotspotDetail]]:
    """Hotspots active at some time in [period start, D]."""
    rows = Hotspot.objects.current().filter(
        Q(eradicated_on__isnull=True) | Q(eradicated_on__gte=period_start),
        commune_id__in=commune_ids,
        detected_on__lte=as_of,
    )
    by_commune = defaultdict(list)
    for pk, commune_id, ref, kind, eradicated_on in rows.values_list(
        "pk", "commune_id", "ref", "kind", "eradicated_on"
    ):
        active = eradicated_on is None or eradicated_on > as_of
        by_commune[commune_id].append(
            rules.HotspotDetail(id=pk, ref=ref, kind=kind, active_on_d=active)
        )
    return by_commune


# In the order of OffenceDetail's fields (built positionally below).
OFFENCE_FIELDS = [
    field.name for field in dataclasses.fields(rules.OffenceDetail) if field.name != "id"
]


def _offences(commune_ids, as_of, period_start) -> dict[int, list[rules.OffenceDetail]]:
    rows = Offence.objects.current().filter(
        commune_id__in=commune_ids, occurred_on__range=(period_start, as_of)
    )
    by_commune = defaultdict(list)
    for pk, commune_id, *values in rows.values_list("pk", "commune_id", *OFFENCE_FIELDS):
        by_commune[commune_id].append(rules.OffenceDetail(pk, *values))
    return by_commune


def _cultivation(commune_ids, as_of, period_start) -> dict[int, list[rules.CultivationDetail]]:
    rows = CultivationFind.objects.current().filter(
        commune_id__in=commune_ids, found_on__range=(period_start, as_of)
    )
    by_commune = defaultdict(list)
    for pk, commune_id, ref, plants, area_m2 in rows.values_list(
        "pk", "commune_id", "ref", "plants", "area_m2"
    ):
        by_commune[commune_id].append(
            rules.CultivationDetail(id=pk, ref=ref, plants=plants, area_m2=float(area_m2))
        )
    return by_commune


def _wanted(commune_ids, as_of) -> dict[int, list[rules.WantedDetail]]:
    rows = WantedPerson.objects.current().filter(
        Q(arrested_on__isnull=True) | Q(arrested_on__gt=as_of),
        commune_id__in=commune_ids,
        hiding_since__lte=as_of,
    )
    by_commune = defaultdict(list)
    for pk, commune_id, ref in rows.values_list("pk", "commune_id", "ref"):
        by_commune[commune_id].append(rules.WantedDetail(id=pk, ref=ref))
    return by_commune


def _hamlets(commune_ids, as_of) -> dict[int, list[rules.HamletDetail]]:
    """Active hamlets with their collective pledge's day and their models active on D, in the
    same statement (subqueries on each hamlet's few rows: a hamlet has one pledge that counts
    and a model or two)."""
    pledge_signed_on = Subquery(
        HamletPledge.objects.current()
        .filter(hamlet=OuterRef("pk"))
        .order_by("signed_on")
        .values("signed_on")[:1]
    )
    active_models = Subquery(
        PreventionModel.objects.current()
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of), hamlet=OuterRef("pk"))
        .filter(started_on__lte=as_of)
        .order_by()
        .values("hamlet")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Hamlet.objects.active()
        .filter(commune_id__in=commune_ids)
        .annotate(pledge_signed_on=pledge_signed_on, active_models=Coalesce(active_models, 0))
        .order_by("name")
    )
    by_commune = defaultdict(list)
    for pk, commune_id, name, hotline_board, signed_on, models in rows.values_list(
        "pk", "commune_id", "name", "hotline_board", "pledge_signed_on", "active_models"
    ):
        by_commune[commune_id].append(
            rules.HamletDetail(
                id=pk,
                name=name,
                hotline_board=hotline_board,
                pledge_signed_on=signed_on,
                active_models=models,
            )
        )
    return by_commune


def _pledged(commune_ids, as_of) -> dict[int, int]:
    """Pledged households on `as_of`, counted as the pledge page counts them: in hamlets not
    archived by then, and never more in a hamlet than the households it has (where known), so
    that extra rows in one hamlet cannot make up for households missing in another (an
    attacker run lifted a commune to 100 % through an archived hamlet and surplus rows)."""
    rows = (
        Pledge.objects.filter(
            household__commune_id__in=commune_ids,
            household__voided_on__isnull=True,
            signed_on__lte=as_of,
        )
        .filter(
            Q(household__hamlet__archived_on__isnull=True)
            | Q(household__hamlet__archived_on__gt=as_of)
        )
        .values("household__commune_id", "household__hamlet_id", "household__hamlet__households")
        .annotate(n=Count("pk"))
    )
    pledged: dict[int, int] = {}
    for row in rows:
        ceiling = row["household__hamlet__households"]
        signed = row["n"] if ceiling is None else min(row["n"], ceiling)
        pledged[row["household__commune_id"]] = (
            pledged.get(row["household__commune_id"], 0) + signed
        )
    return pledged


def _active_models(commune_ids, as_of) -> dict[int, int]:
    rows = (
        PreventionModel.objects.current()
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of), commune_id__in=commune_ids)
        .filter(started_on__lte=as_of)
        .values("commune_id")
        .annotate(n=Count("pk"))
    )
    return {row["commune_id"]: row["n"] for row in rows}


def _registrations(commune_ids, year) -> dict[int, Registration]:
    rows = Registration.objects.filter(commune_id__in=commune_ids, year=year)
    return {row.commune_id: row for row in rows}


def _baselines(registrations: dict[int, Registration]) -> dict[int, int]:
    """Each commune's baseline (addicts + users at registration), by the rule of
    `services.registration_baselines`, which also freezes it when the case opens."""
    from .services import registration_baselines  # services builds on this module

    baselines = registration_baselines(registrations=list(registrations.values()))
    return {
        commune_id: baseline.addicts + baseline.users
        for commune_id, baseline in zip(registrations, baselines, strict=True)
    }


def users_on_lists(commune_ids, day: datetime.date) -> dict[int, dict[str, int]]:
    """Per commune, the addicts and illegal users on its lists on `day`, present and with a
    file — the people `commune_facts` counts — by category. Counted in SQL, one statement."""
    rows = (
        _on_lists(
            commune_ids,
            day,
            category_on_d__category__in=USER_CATEGORIES,
            presence_on_d__status="present",
            file_opened_on__lte=day,
        )
        .order_by()
        .values("commune_id", "category_on_d__category")
        .annotate(n=Count("pk", distinct=True))
        .values_list("commune_id", "category_on_d__category", "n")
    )
    counts: dict[int, dict[str, int]] = {}
    for commune_id, category, number in rows:
        counts.setdefault(commune_id, dict.fromkeys(USER_CATEGORIES, 0))[category] = number
    return counts


def commune_facts(commune: Commune, persons, hotspots, offences, cultivation, wanted):
    """The counts of contracts.md §1 from the details of one commune."""
    addicts = illegal_users = exempt_users = unfiled_users = 0
    for person in persons:  # one pass: a commune has hundreds
        if not person.present or person.category not in USER_CATEGORIES:
            continue
        if not person.has_file:
            # Art. 6.1 counts them, art. 4 does not; the treatment art. 6.1 exempts stands
            # with or without a file.
            unfiled_users += not person.exempt_under_art_6_1
        elif person.category == "addict":
            addicts += 1
            exempt_users += person.exempt_under_art_6_1
        else:
            illegal_users += 1
            exempt_users += person.exempt_under_art_6_1
    # Administrative violations (use) are violations of drug law (art. 6.2) but not crimes:
    # never an arrest of an offender (art. 4.1 c) nor a resident's drug offence.
    crimes = [o for o in offences if o.is_crime]
    return rules.CommuneFacts(
        population=commune.population,
        addicts=addicts,
        illegal_users=illegal_users,
        unfiled_users=unfiled_users,
        exempt_users=exempt_users,
        hotspots=sum(h.active_on_d for h in hotspots),
        harbouring_places=sum(h.kind == "harbouring" for h in hotspots),
        drug_plants=sum(c.plants for c in cultivation),
        plant_area_m2=round(sum(c.area_m2 for c in cultivation), 1),
        arrested_offenders=sum(o.offenders_arrested for o in crimes),
        drug_offences=sum(o.resident_offenders > 0 for o in crimes),
        # Each cultivation find counts as at least one resident breaking the law.
        resident_violators=sum(o.resident_offenders for o in offences) + len(cultivation),
        wanted_hiding=len(wanted),
        on_key_route=commune.on_key_route,
    )


def gather(
    communes,
    *,
    as_of: datetime.date,
    period: tuple[datetime.date, datetime.date] | None = None,
    with_tests: bool = True,
    everyone: bool = True,
    with_support: bool = True,
    with_pledges: bool = True,
) -> dict[int, rules.CriteriaInputs]:
    """Criteria inputs (with their CommuneFacts) for every commune of `communes` on `as_of`.

    `period` defaults to the QĐ 28 art. 7 period containing `as_of`; registers are read from
    its start up to `as_of`. `with_tests`, `everyone` and `with_support` say which details
    about people to load (see `_persons`), `with_pledges` whether to count pledged households;
    the defaults load them all.
    """
    communes = list(communes)
    ids = [commune.pk for commune in communes]
    period_start, period_end = period or rules.assessment_period(as_of)
    persons = _persons(
        ids,
        as_of,
        period_start,
        everyone=everyone,
        with_tests=with_tests,
        with_support=with_support,
    )
    hotspots = _hotspots(ids, as_of, period_start)
    offences = _offences(ids, as_of, period_start)
    cultivation = _cultivation(ids, as_of, period_start)
    wanted = _wanted(ids, as_of)
    hamlets = _hamlets(ids, as_of)
    pledged = _pledged(ids, as_of) if with_pledges else {}
    models = _active_models(ids, as_of)
    # The programme year is the one the period closes (QĐ 28 art. 7: the same for every province).
    registrations = _registrations(ids, period_end.year)
    baselines = _baselines(registrations)
    inputs = {}
    for commune in communes:
        details = {
            "persons": tuple(persons[commune.pk]),
            "hotspots": tuple(hotspots[commune.pk]),
            "offences": tuple(offences[commune.pk]),
            "cultivation": tuple(cultivation[commune.pk]),
            "wanted": tuple(wanted[commune.pk]),
        }
        registration = registrations.get(commune.pk)
        inputs[commune.pk] = rules.CriteriaInputs(
            as_of=as_of,
            facts=commune_facts(commune, **details),
            period_start=period_start,
            period_end=period_end,
            hamlets=tuple(hamlets[commune.pk]),
            households=commune.households,
            pledged_households=pledged.get(commune.pk, 0),
            active_models=models.get(commune.pk, 0),
            baseline=baselines.get(commune.pk),
            registered_on=registration.registered_on if registration else None,
            **details,
        )
    return inputs


def province_totals(facts: list[rules.CommuneFacts]) -> dict:
    """Sums over communes for the province status (art. 5); the caller adds the rest."""
    return {
        "population": sum(f.population for f in facts),
        "addicts": sum(f.addicts for f in facts),
        "illegal_users": sum(f.illegal_users for f in facts),
        "harbouring_places": sum(f.harbouring_places for f in facts),
        "arrested_offenders": sum(f.arrested_offenders for f in facts),
        "drug_plants": sum(f.drug_plants for f in facts),
        "plant_area_m2": sum(f.plant_area_m2 for f in facts),
    }


__all__ = ["commune_facts", "gather", "province_totals"]
