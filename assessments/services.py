"""Assessing communes: pick each commune's profile, gather facts, apply the rules, store."""

import contextlib
import dataclasses
import datetime
import gc

from django.db import transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone

from communes.models import Commune

from . import facts, rules
from .models import (
    Assessment,
    CaseState,
    ProvincialProfile,
    RecognitionCase,
    Registration,
    RoadmapTarget,
)
from .rules import DEFAULT_PROFILE, PROFILES, Profile, Reads, get_profile


@dataclasses.dataclass(frozen=True)
class CommuneAssessment:
    commune: Commune
    profile: Profile
    inputs: rules.CriteriaInputs
    # The classification of record (QĐ 28 from 24/08/2025, whatever the profile).
    classification: rules.Classification
    criteria: tuple[rules.CriterionResult, ...]
    # The profile's own classification, where it has levels of its own (Trà Vinh 2025).
    profile_classification: rules.Classification | None = None

    @property
    def eligible(self) -> bool:
        return rules.is_eligible(self.criteria)

    @property
    def profile_level(self) -> rules.Level | None:
        own = self.profile_classification
        return own.level if own is not None else None

    def as_json(self) -> dict:
        """The shape of contracts.md §4; `profile_level` only where the profile has levels of
        its own."""
        level = {"level": self.classification.level.value}
        if self.profile_level is not None:
            level["profile_level"] = self.profile_level.value
        return {
            "code": self.commune.code,
            "name": self.commune.name,
            "profile": self.profile.code,
            **level,
            "reasons": list(self.classification.reasons),
            "facts": dataclasses.asdict(self.inputs.facts),
            # Facts the level needs and lacks (population): its ratio criteria are unknown.
            "data_gaps": list(self.inputs.facts.data_gaps),
            "criteria": [
                {"code": item.code, "result": item.result.value, "evidence": item.evidence}
                for item in self.criteria
            ],
            "eligible": self.eligible,
        }


def profile_for_code(code: str) -> Profile:
    """A built-in profile, or a province's own one stored in the admin. Built-in codes always
    mean the built-in profile: a province cannot redefine the national rule for others."""
    if code in PROFILES:
        return PROFILES[code]
    provincial = ProvincialProfile.objects.filter(code=code).first()
    return provincial.as_rules_profile() if provincial else get_profile(code)


def profiles_for(communes: list[Commune], year: int, as_of: datetime.date) -> dict[int, Profile]:
    """Each commune's registration profile for the year, else its province's default profile
    while it is in force on `as_of`, else QĐ 28 (contracts.md §4)."""
    registered = dict(
        Registration.objects.filter(commune__in=communes, year=year).values_list(
            "commune_id", "profile"
        )
    )
    defaults = {
        profile.province_id: profile.as_rules_profile()
        for profile in ProvincialProfile.objects.filter(
            is_default=True, province_id__in={commune.province_id for commune in communes}
        )
    }
    defaults = {key: value for key, value in defaults.items() if value.in_force_on(as_of)}
    cache: dict[str, Profile] = {}

    def lookup(code):
        if code not in cache:
            cache[code] = profile_for_code(code)
        return cache[code]

    return {
        commune.pk: lookup(registered[commune.pk])
        if registered.get(commune.pk)
        else defaults.get(commune.province_id, get_profile(DEFAULT_PROFILE))
        for commune in communes
    }


def report_calendar(province) -> rules.ReportCalendar:
    """The province's report dates (domain §9): a report cut-off and deadline, never the
    assessment period, which is 15/12 – 14/12 for every province (QĐ 28 art. 7.1)."""
    return rules.ReportCalendar(
        cut_off=(province.year_end_month, province.year_end_day),
        due_after_days=province.report_due_days,
    )


@contextlib.contextmanager
def _without_gc_pauses():
    """A province is tens of thousands of small, acyclic objects (people, offences, causes);
    the cyclic garbage collector would scan them again and again as they are made (measured:
    a third of the engine's time). Reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assess_communes(
    communes,
    *,
    as_of: datetime.date,
    profile: str | Profile | None = None,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> list[CommuneAssessment]:
    """Classify every commune and evaluate its recognition criteria on `as_of`, over `period`
    (by default the QĐ 28 art. 7 period containing `as_of`, for every province). Writes
    nothing."""
    communes = sorted(communes, key=lambda commune: commune.code)
    if period is None:
        period = rules.assessment_period(as_of)
    if profile is None:
        chosen = profiles_for(communes, period[1].year, as_of)
    else:
        forced = profile if isinstance(profile, Profile) else profile_for_code(profile)
        chosen = {commune.pk: forced for commune in communes}
    # From 24/08/2025 a provincial profile's criteria come on top of QĐ 28 art. 6 (Q1–Q3).
    applied = {id(each): rules.in_force_on(each, as_of) for each in chosen.values()}
    chosen = {pk: applied[id(each)] for pk, each in chosen.items()}
    with _without_gc_pauses():
        reads = rules.inputs_read_by(
            code for chosen_profile in chosen.values() for code in chosen_profile.criteria
        )
        inputs = facts.gather(
            communes,
            as_of=as_of,
            period=period,
            with_tests=Reads.TESTS in reads,
            everyone=Reads.OTHER_PERSONS in reads,
            with_support=Reads.SUPPORT in reads,
            with_pledges=Reads.PLEDGES in reads,
        )
        results = []
        for commune in communes:
            commune_inputs = inputs[commune.pk]
            levels = rules.classification_of_record(commune_inputs.facts, chosen[commune.pk], as_of)
            results.append(
                CommuneAssessment(
                    commune=commune,
                    profile=chosen[commune.pk],
                    inputs=commune_inputs,
                    classification=levels.record,
                    criteria=rules.evaluate_criteria(commune_inputs, chosen[commune.pk]),
                    profile_classification=levels.own,
                )
            )
    return results


def case_assessment(registration: Registration, *, on: datetime.date) -> CommuneAssessment:
    """A recognition case judged on its own programme year Y (contracts.md §2): as of
    min(`on`, 14/12/Y), over 15/12/(Y − 1) – 14/12/Y, on the registration's profile and with
    the registration of year Y, whatever day it is submitted or looked at."""
    year = registration.year
    (result,) = assess_communes(
        [registration.commune],
        as_of=rules.case_as_of(year, on),
        profile=profile_for_code(registration.profile),
        period=rules.programme_year_period(year),
    )
    return result


@transaction.atomic
def assessments_store(results: list[CommuneAssessment], *, by=None) -> list[Assessment]:
    return Assessment.objects.bulk_create(
        [
            Assessment(
                commune=result.commune,
                as_of=result.inputs.as_of,
                period_start=result.inputs.period[0],
                period_end=result.inputs.period[1],
                profile_code=result.profile.code,
                profile_version=result.profile.version,
                level=result.classification.level.value,
                profile_level=result.profile_level.value if result.profile_level else "",
                reasons=list(result.classification.reasons),
                facts=dataclasses.asdict(result.inputs.facts),
                criteria=result.as_json()["criteria"],
                eligible=result.eligible,
                created_by=by,
            )
            for result in results
        ]
    )


def _latest(communes, **conditions):
    """Each commune's latest stored assessment meeting `conditions`: one correlated subquery
    per commune, each reading one entry of assessment_commune_latest_idx, however long the
    history grows."""
    latest = (
        Assessment.objects.filter(commune=OuterRef("pk"), **conditions)
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    ids = communes.values("pk") if hasattr(communes, "values") else [c.pk for c in communes]
    per_commune = Commune.objects.filter(pk__in=ids).annotate(latest=Subquery(latest))
    return Assessment.objects.filter(pk__in=per_commune.values("latest"))


def previous_levels(communes, *, before: datetime.date) -> dict[int, str]:
    """Each commune's level in its latest stored assessment dated before `before`."""
    return dict(_latest(communes, as_of__lt=before).values_list("commune_id", "level"))


def latest_assessments(communes, *, on_or_before: datetime.date | None = None) -> list[Assessment]:
    """Each commune's latest stored assessment (dated on or before a day, if given): what the
    province pages show instead of assessing live."""
    conditions = {"as_of__lte": on_or_before} if on_or_before else {}
    return list(_latest(communes, **conditions).select_related("commune"))


def stored_province_status(stored: list[Assessment], *, on_interprovincial_route: bool):
    """QĐ 28 art. 5 over the stored assessments of a province's communes."""
    return _province_status(
        [rules.CommuneFacts(**row.facts) for row in stored],
        [rules.Level(row.level) for row in stored],
        on_interprovincial_route=on_interprovincial_route,
    )


def _province_status(commune_facts, levels, *, on_interprovincial_route: bool):
    totals = facts.province_totals(commune_facts)
    key_levels = {rules.Level.TYPE_1, rules.Level.TYPE_2}
    return rules.classify_province(
        rules.ProvinceFacts(
            communes=len(levels),
            type_1_2_communes=sum(level in key_levels for level in levels),
            on_interprovincial_route=on_interprovincial_route,
            **totals,
        )
    )


def recognition_spans(province) -> dict[int, list[tuple[datetime.date, datetime.date | None]]]:
    """Each commune's recognitions, as dated spans [approved on, withdrawn on): approved on the
    decision's date (else the day the approval was recorded), withdrawn on the day the
    withdrawal was recorded. A case that stands has no end; under review, it still stands.
    One query over the cases and their approval and withdrawal steps."""
    rows = (
        RecognitionCase.objects.filter(
            registration__commune__province=province,
            state__in=[CaseState.APPROVED, CaseState.UNDER_REVIEW, CaseState.WITHDRAWN],
        )
        .annotate(
            approved_at=Min("events__at", filter=Q(events__to_state=CaseState.APPROVED)),
            withdrawn_at=Min("events__at", filter=Q(events__to_state=CaseState.WITHDRAWN)),
        )
        .values_list(
            "registration__commune_id",
            "registration__year",
            "state",
            "decision_date",
            "approved_at",
            "withdrawn_at",
        )
    )
    spans: dict[int, list[tuple[datetime.date, datetime.date | None]]] = {}
    for commune_id, year, state, decided, approved_at, withdrawn_at in rows:
        approved_on = decided or (timezone.localdate(approved_at) if approved_at else None)
        # A case moved without its steps recorded (before the portal kept them): from the end
        # of its programme year; a withdrawal without its date counts as never recognised.
        approved_on = approved_on or rules.programme_year_period(year)[1]
        if state == CaseState.WITHDRAWN:
            if withdrawn_at is None:
                continue
            withdrawn_on = timezone.localdate(withdrawn_at)
        else:
            withdrawn_on = None
        spans.setdefault(commune_id, []).append((approved_on, withdrawn_on))
    return spans


def recognised_on(spans, day: datetime.date) -> int:
    """Communes whose recognition stood at the end of `day`."""
    return sum(
        any(start <= day and (end is None or end > day) for start, end in commune_spans)
        for commune_spans in spans.values()
    )


def roadmap_rows(province) -> list[dict]:
    """Year by year: the plan's cumulative target, the communes recognised at the year's end
    (31 December), the gap.

    History is not rewritten (domain §9): a year's figure counts the recognitions that stood at
    that year's end, by the dates of the approvals and withdrawals, so a withdrawal in 2027
    lowers 2027's figure, never 2025's. A commune recognised in several years counts once. The
    current year and the years after it show the recognitions recorded so far.
    """
    targets = dict(
        RoadmapTarget.objects.filter(province=province).values_list("year", "target_communes")
    )
    spans = recognition_spans(province)
    years = set(targets) | {start.year for commune in spans.values() for start, _end in commune}
    rows = []
    for year in sorted(years):
        recognised = recognised_on(spans, datetime.date(year, 12, 31))
        target = targets.get(year)
        rows.append(
            {
                "year": year,
                "target": target,
                "target_percent": None,
                "recognised": recognised,
                "gap": max(target - recognised, 0) if target is not None else None,
            }
        )
    return rows


@dataclasses.dataclass(frozen=True)
class Baseline:
    """A registration's baseline: the addicts and illegal users it started from."""

    addicts: int
    users: int


def registration_baselines(*, registrations: list[Registration]) -> list[Baseline]:
    """Each registration's baseline, in order (contracts.md §3: a blank baseline is "computed
    from the data as of registered_on").

    A number the registration records stands; a blank one is counted from the registers on
    the registration day — the addicts, or the illegal users, on the commune's lists, present
    and with a file, as the classification counts them. The engine reads baselines this way
    while they are blank (registrations imported with blanks), and `registration_open` freezes
    them this way when the case opens (the admin, a registration's first submission), so a
    baseline does not change when it is frozen. One statement per registration day, however
    many registrations.
    """
    blank_by_day: dict[datetime.date, set[int]] = {}
    for registration in registrations:
        if registration.baseline_addicts is None or registration.baseline_users is None:
            blank_by_day.setdefault(registration.registered_on, set()).add(registration.commune_id)
    counted = {
        day: facts.users_on_lists(sorted(commune_ids), day)
        for day, commune_ids in blank_by_day.items()
    }
    baselines = []
    for registration in registrations:
        on_day = counted.get(registration.registered_on, {}).get(registration.commune_id, {})
        addicts, users = registration.baseline_addicts, registration.baseline_users
        baselines.append(
            Baseline(
                addicts=on_day.get("addict", 0) if addicts is None else addicts,
                users=on_day.get("user", 0) if users is None else users,
            )
        )
    return baselines


# What a recognition case rests on: the scorecard frozen at submission was worked out on this
# profile and from this baseline (a blank one is computed from the registers as of
# registered_on), and a decision was taken on them. The commune and the year say whose case it
# is.
REGISTRATION_TERMS = (
    "commune", "year", "registered_on", "profile", "baseline_addicts", "baseline_users",
)  # fmt: skip


def registration_terms_fixed(registration: Registration) -> bool:
    """The registration's case has been submitted or decided (any state past "registered"):
    its terms can no longer change, whoever asks and however (the admin, an import)."""
    try:
        case = registration.case
    except RecognitionCase.DoesNotExist:
        return False
    return case.state != CaseState.REGISTERED


def registration_refused_changes(*, registration: Registration, values: dict) -> list[str]:
    """The fields among `values` ({field: new value}) that would change a term of the
    registration its case no longer lets change; [] when the change may go ahead.

    Every way of changing a registration asks this first: the admin's form and the workbook
    import (contracts.md §3). Reads the case once (none if `case` was fetched with it)."""
    changed = [
        name
        for name in REGISTRATION_TERMS
        if name in values and values[name] != getattr(registration, name)
    ]
    if not changed or not registration_terms_fixed(registration):
        return []
    return changed
