"""From the registers to the rules: the facts and criterion inputs of many communes at once.

One query per register for the whole set of communes (never one per commune), so assessing a
province costs the same number of queries as assessing one commune. Rules never touch the
database; this module never decides anything.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q

from casefiles.models import (
    CategoryPeriod,
    DrugTest,
    Person,
    PresencePeriod,
    RehabEpisode,
    SupportAction,
)
from communes.models import (
    Commune,
    CultivationFind,
    Hamlet,
    Hotspot,
    Offence,
    Pledge,
    PreventionModel,
    WantedPerson,
)

from . import rules
from .models import Registration


def _covering(day: datetime.date) -> Q:
    """Periods [started_on, ended_on) that contain `day`."""
    return Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def _persons(
    commune_ids, as_of, period_start, *, with_tests: bool = True
) -> dict[int, list[rules.PersonDetail]]:
    """Everyone on a commune's lists on `as_of`, with what the criteria read about them.

    Tests are the largest register; `with_tests=False` skips them when no criterion in use
    reads them (classification never does)."""
    persons = Person.objects.filter(commune_id__in=commune_ids, listed_on__lte=as_of).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of)
    )
    person_ids = persons.values("pk")
    category = dict(
        CategoryPeriod.objects.filter(_covering(as_of), person_id__in=person_ids).values_list(
            "person_id", "category"
        )
    )
    presence = dict(
        PresencePeriod.objects.filter(_covering(as_of), person_id__in=person_ids).values_list(
            "person_id", "status"
        )
    )
    # An episode is open on D from its start through its end day.
    open_rehab = Q(started_on__lte=as_of) & (Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
    treatment = dict(
        RehabEpisode.objects.filter(open_rehab, person_id__in=person_ids)
        .order_by("started_on")
        .values_list("person_id", "form")
    )
    tests = defaultdict(list)
    if with_tests:
        # The period and the 30-day window; for suspects, every test since they were listed
        # ("tested on or after the day listed" may reach back before the period).
        earliest = min(period_start, as_of - datetime.timedelta(days=rules.RECENT_TEST_DAYS))
        suspects = [pk for pk, listed_as in category.items() if listed_as == "suspect"]
        window = Q(tested_on__gte=earliest) | Q(person_id__in=suspects)
        for person_id, tested_on, result in DrugTest.objects.filter(
            window, person_id__in=person_ids, tested_on__lte=as_of
        ).values_list("person_id", "tested_on", "result"):
            tests[person_id].append(rules.DrugTest(tested_on, result))
    support = defaultdict(list)
    for person_id, given_on in SupportAction.objects.filter(
        person_id__in=person_ids, given_on__range=(period_start, as_of)
    ).values_list("person_id", "given_on"):
        support[person_id].append(given_on)
    by_commune = defaultdict(list)
    for person in persons.only(
        "pk", "full_name", "commune_id", "file_opened_on", "listed_on", "psychosis"
    ):
        if person.pk not in category:
            continue  # listed before their first category: not on a list on D
        by_commune[person.commune_id].append(
            rules.PersonDetail(
                id=person.pk,
                name=person.full_name,
                category=category[person.pk],
                present=presence.get(person.pk) == "present",
                has_file=person.file_opened_on is not None and person.file_opened_on <= as_of,
                listed_on=person.listed_on,
                psychosis=person.psychosis,
                treatment_form=treatment.get(person.pk, ""),
                tests=tuple(sorted(tests[person.pk])),
                support_dates=tuple(sorted(support[person.pk])),
            )
        )
    return by_commune


def _hotspots(commune_ids, as_of, period_start) -> dict[int, list[rules.HotspotDetail]]:
    """Hotspots active at some time in [period start, D]."""
    rows = Hotspot.objects.current().filter(
        Q(eradicated_on__isnull=True) | Q(eradicated_on__gte=period_start),
        commune_id__in=commune_ids,
        detected_on__lte=as_of,
    )
    by_commune = defaultdict(list)
    for row in rows.only("pk", "commune_id", "ref", "kind", "eradicated_on"):
        active = row.eradicated_on is None or row.eradicated_on > as_of
        by_commune[row.commune_id].append(
            rules.HotspotDetail(id=row.pk, ref=row.ref, kind=row.kind, active_on_d=active)
        )
    return by_commune


def _offences(commune_ids, as_of, period_start) -> dict[int, list[rules.OffenceDetail]]:
    rows = Offence.objects.current().filter(
        commune_id__in=commune_ids, occurred_on__range=(period_start, as_of)
    )
    by_commune = defaultdict(list)
    for row in rows:
        by_commune[row.commune_id].append(
            rules.OffenceDetail(
                id=row.pk,
                ref=row.ref,
                kind=row.kind,
                offenders=row.offenders,
                offenders_arrested=row.offenders_arrested,
                resident_offenders=row.resident_offenders,
                serious=row.serious,
                by_managed_person=row.by_managed_person,
                psychosis_incident=row.psychosis_incident,
            )
        )
    return by_commune


def _cultivation(commune_ids, as_of, period_start) -> dict[int, list[rules.CultivationDetail]]:
    rows = CultivationFind.objects.current().filter(
        commune_id__in=commune_ids, found_on__range=(period_start, as_of)
    )
    by_commune = defaultdict(list)
    for row in rows.only("pk", "commune_id", "ref", "plants", "area_m2"):
        by_commune[row.commune_id].append(
            rules.CultivationDetail(
                id=row.pk, ref=row.ref, plants=row.plants, area_m2=float(row.area_m2)
            )
        )
    return by_commune


def _wanted(commune_ids, as_of) -> dict[int, list[rules.WantedDetail]]:
    rows = WantedPerson.objects.current().filter(
        Q(arrested_on__isnull=True) | Q(arrested_on__gt=as_of),
        commune_id__in=commune_ids,
        hiding_since__lte=as_of,
    )
    by_commune = defaultdict(list)
    for row in rows.only("pk", "commune_id", "ref"):
        by_commune[row.commune_id].append(rules.WantedDetail(id=row.pk, ref=row.ref))
    return by_commune


def _hamlets(commune_ids) -> dict[int, list[rules.HamletDetail]]:
    by_commune = defaultdict(list)
    for row in Hamlet.objects.active().filter(commune_id__in=commune_ids).order_by("name"):
        by_commune[row.commune_id].append(
            rules.HamletDetail(id=row.pk, name=row.name, hotline_board=row.hotline_board)
        )
    return by_commune


def _pledged(commune_ids, as_of) -> dict[int, int]:
    rows = (
        Pledge.objects.filter(
            household__commune_id__in=commune_ids,
            household__voided_on__isnull=True,
            signed_on__lte=as_of,
        )
        .values("household__commune_id")
        .annotate(n=Count("pk"))
    )
    return {row["household__commune_id"]: row["n"] for row in rows}


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


def _users_with_file_present(persons: list[rules.PersonDetail]) -> list[rules.PersonDetail]:
    return [p for p in persons if p.present and p.has_file and p.category in ("addict", "user")]


def _baselines(registrations: dict[int, Registration]) -> dict[int, int]:
    """Addicts + users at registration: as recorded, or counted from the registers that day."""
    baselines = {}
    to_count = defaultdict(list)
    for commune_id, registration in registrations.items():
        if registration.baseline_addicts is not None and registration.baseline_users is not None:
            baselines[commune_id] = registration.baseline_addicts + registration.baseline_users
        else:
            to_count[registration.registered_on].append(commune_id)
    for day, commune_ids in to_count.items():
        start, _end = rules.assessment_period(day)
        persons = _persons(commune_ids, day, start, with_tests=False)
        for commune_id in commune_ids:
            baselines[commune_id] = len(_users_with_file_present(persons.get(commune_id, [])))
    return baselines


def commune_facts(commune: Commune, persons, hotspots, offences, cultivation, wanted):
    """The counts of contracts.md §1 from the details of one commune."""
    users = _users_with_file_present(persons)
    return rules.CommuneFacts(
        population=commune.population,
        addicts=sum(p.category == "addict" for p in users),
        illegal_users=sum(p.category == "user" for p in users),
        exempt_users=sum(p.exempt_under_art_6_1 for p in users),
        hotspots=sum(h.active_on_d for h in hotspots),
        harbouring_places=sum(h.kind == "harbouring" for h in hotspots),
        drug_plants=sum(c.plants for c in cultivation),
        plant_area_m2=round(sum(c.area_m2 for c in cultivation), 1),
        arrested_offenders=sum(o.offenders_arrested for o in offences),
        drug_offences=sum(o.resident_offenders > 0 for o in offences),
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
) -> dict[int, rules.CriteriaInputs]:
    """Criteria inputs (with their CommuneFacts) for every commune of `communes` on `as_of`.

    `period` defaults to the QĐ 28 art. 7 period containing `as_of`; registers are read from
    its start up to `as_of`.
    """
    communes = list(communes)
    ids = [commune.pk for commune in communes]
    period_start, period_end = period or rules.assessment_period(as_of)
    persons = _persons(ids, as_of, period_start, with_tests=with_tests)
    hotspots = _hotspots(ids, as_of, period_start)
    offences = _offences(ids, as_of, period_start)
    cultivation = _cultivation(ids, as_of, period_start)
    wanted = _wanted(ids, as_of)
    hamlets = _hamlets(ids)
    pledged = _pledged(ids, as_of)
    models = _active_models(ids, as_of)
    # The programme year is the one the period closes (a province may move its cut-off).
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
            facts=commune_facts(commune, **{k: list(v) for k, v in details.items()}),
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


def province_totals(inputs: dict[int, rules.CriteriaInputs]) -> dict:
    """Sums over communes for the province status (art. 5); the caller adds the rest."""
    facts = [item.facts for item in inputs.values()]
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
