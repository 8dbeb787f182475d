"""The recognition workflow: one service per transition of a RecognitionCase.

registered → submitted → appraised → approved | rejected; rejected → submitted (after fixing);
approved → under review (relapse) → withdrawn | approved.

Each transition moves the case with a conditional UPDATE on its expected state, so of two
officers acting at once exactly one succeeds and the other is told the case has moved on.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import facts, rules, services
from .models import CaseEvent, CaseState, RecognitionCase, Registration

ALLOWED = {
    "submit": {CaseState.REGISTERED, CaseState.REJECTED},
    "appraise": {CaseState.SUBMITTED},
    "approve": {CaseState.APPRAISED},
    "reject": {CaseState.SUBMITTED, CaseState.APPRAISED},
    "flag": {CaseState.APPROVED},
    "withdraw": {CaseState.UNDER_REVIEW},
    "confirm": {CaseState.UNDER_REVIEW},
}


class TransitionRefused(ValidationError):
    """The case is not in a state that allows this step (or someone moved it first)."""


def _move(case: RecognitionCase, action: str, to_state: str, *, by, note: str, **fields):
    allowed = ALLOWED[action]
    # The state the case is really in now (another officer may have moved it since it was read).
    from_state = RecognitionCase.objects.select_for_update().get(pk=case.pk).state
    moved = RecognitionCase.objects.filter(pk=case.pk, state__in=allowed).update(
        state=to_state, **fields
    )
    if not moved:
        # Refresh the caller's copy too, so the page that shows this refusal shows the state it
        # names rather than the one the officer saw before someone else moved the case.
        case.refresh_from_db()
        raise TransitionRefused(
            _("This step is not possible: the case is now “%(state)s”.")
            % {"state": case.get_state_display()}
        )
    case.refresh_from_db()
    CaseEvent.objects.create(case=case, from_state=from_state, to_state=to_state, by=by, note=note)
    return case


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


@transaction.atomic
def registration_open(*, registration: Registration, by) -> RecognitionCase:
    """Freeze the baseline a registration left empty (the registers on that day) and open its
    case. Used for registrations made in the admin too."""
    if registration.baseline_addicts is None or registration.baseline_users is None:
        (baseline,) = services.registration_baselines(registrations=[registration])
        registration.baseline_addicts = baseline.addicts
        registration.baseline_users = baseline.users
        registration.save(update_fields=["baseline_addicts", "baseline_users"])
    case, created = RecognitionCase.objects.get_or_create(registration=registration)
    if created:
        CaseEvent.objects.create(case=case, to_state=CaseState.REGISTERED, by=by)
    return case


def submission_window(registration: Registration) -> tuple[datetime.date, datetime.date]:
    """The days a case of programme year Y may be submitted: from the first day of Y's
    assessment period (15/12/(Y − 1)) to the QĐ 28 report's deadline (20/12/Y, art. 7.2:
    the province reports its approved list to the Ministry "trước ngày 20 tháng 12"), both
    included. The same in every province: a province's own report to its People's Committee
    (Lạng Sơn's 12/12) is not the deadline of the list, and Lạng Sơn's plan reviews until
    20 December (domain §7)."""
    year = registration.year
    return rules.programme_year_period(year)[0], rules.report_deadline(year)


def submission_refused(registration: Registration, on: datetime.date) -> str:
    """Why a case of this registration cannot be submitted on `on`, in words; "" if it can."""
    opens, closes = submission_window(registration)
    values = {
        "year": registration.year,
        "opens": opens.strftime("%d/%m/%Y"),
        "deadline": closes.strftime("%d/%m/%Y"),
    }
    if on > closes:
        return (
            _(
                "Submission for %(year)s closed on %(deadline)s, the province's report "
                "deadline (QĐ 28 art. 7.2)."
            )
            % values
        )
    if on < opens:
        return (
            _(
                "Programme year %(year)s is assessed from %(opens)s: its case can be submitted "
                "from that day until %(deadline)s."
            )
            % values
        )
    return ""


@transaction.atomic
def recognition_submit(*, case: RecognitionCase, by, note: str = "", on=None) -> RecognitionCase:
    """Submit on `on` (today by default), until the province's report deadline. The case is
    judged on its own programme year Y: as of min(`on`, 14/12/Y), over 15/12/(Y − 1) – 14/12/Y,
    with the registration of Y (contracts.md §2); that scorecard is frozen with the case. Only
    an eligible commune can be submitted."""
    on = on or timezone.localdate()
    registration = case.registration
    refused = submission_refused(registration, on)
    if refused:
        raise ValidationError(refused)
    result = services.case_assessment(registration, on=on)
    if not result.eligible:
        raise ValidationError(_("Not every criterion passes yet; see the scorecard."))
    start, end = result.inputs.period
    scorecard = {
        **result.as_json(),
        "as_of": result.inputs.as_of.isoformat(),
        "submitted_on": on.isoformat(),
        "period": [start.isoformat(), end.isoformat()],
    }
    # What the relapse watch will not count as new: the adverse facts of the judged day.
    known = [list(rules.fact_key(fact.cause)) for fact in rules.adverse_facts(result.inputs)]
    return _move(
        case, "submit", CaseState.SUBMITTED, by=by, note=note,
        submitted_on=on, submitted_scorecard=scorecard, relapse_known=known, relapse_facts=[],
    )  # fmt: skip


@transaction.atomic
def recognition_appraise(*, case: RecognitionCase, by, appraisal: str) -> RecognitionCase:
    appraisal = _require(appraisal, _("Write the appraisal."))
    return _move(case, "appraise", CaseState.APPRAISED, by=by, note=appraisal, appraisal=appraisal)


@transaction.atomic
def recognition_approve(
    *, case: RecognitionCase, by, number: str, date: datetime.date, signer: str
) -> RecognitionCase:
    number = _require(number, _("Enter the decision number."))
    signer = _require(signer, _("Enter who signed the decision."))
    return _move(
        case, "approve", CaseState.APPROVED, by=by,
        note=_("Decision %(number)s of %(date)s, signed by %(signer)s")
        % {"number": number, "date": date.strftime("%d/%m/%Y"), "signer": signer},
        decision_number=number, decision_date=date, decision_signer=signer,
    )  # fmt: skip


@transaction.atomic
def recognition_reject(*, case: RecognitionCase, by, reasons: str) -> RecognitionCase:
    reasons = _require(reasons, _("Give the reasons for rejecting."))
    return _move(case, "reject", CaseState.REJECTED, by=by, note=reasons)


@transaction.atomic
def recognition_flag(
    *, case: RecognitionCase, reason: str, adverse: Iterable[rules.AdverseFact] = ()
) -> RecognitionCase:
    """The nightly relapse watch: a recognised commune has new adverse facts (`adverse`, named
    with their rows on the case page; `reason` counts them without names)."""
    found = [
        {"reading": fact.reading, "kind": fact.cause.kind, "id": fact.cause.id,
         "label": fact.cause.label}
        for fact in adverse
    ]  # fmt: skip
    return _move(
        case, "flag", CaseState.UNDER_REVIEW, by=None, note=reason,
        review_reason=reason, flagged_at=timezone.now(), relapse_facts=found,
    )  # fmt: skip


@transaction.atomic
def recognition_withdraw(*, case: RecognitionCase, by, reasons: str) -> RecognitionCase:
    reasons = _require(reasons, _("Give the reasons for withdrawing."))
    return _move(case, "withdraw", CaseState.WITHDRAWN, by=by, note=reasons)


@transaction.atomic
def recognition_confirm(*, case: RecognitionCase, by, note: str) -> RecognitionCase:
    """After review, the commune keeps its recognition: the facts the review saw are known
    from now on, and only newer ones flag it again."""
    note = _require(note, _("Say why the recognition is kept."))
    reviewed = [[fact["kind"], fact["id"]] for fact in case.relapse_facts]
    known = case.relapse_known
    if known is not None or reviewed:
        known = [*(known or []), *reviewed]
    # else: judged before the watch kept what it knew; the watch reads that day once.
    return _move(
        case, "confirm", CaseState.APPROVED, by=by, note=note,
        review_reason="", relapse_facts=[], relapse_known=known,
    )  # fmt: skip


def _judged_on(case: RecognitionCase) -> datetime.date:
    """The day the case was judged: its frozen scorecard's day, else (a case recorded without
    one) its submission or decision day, else its programme year's last day."""
    frozen = (case.submitted_scorecard or {}).get("as_of")
    if frozen:
        return datetime.date.fromisoformat(frozen)
    day = case.submitted_on or case.decision_date
    return day or rules.programme_year_period(case.registration.year)[1]


def relapse_watch(*, on: datetime.date | None = None) -> list[RecognitionCase]:
    """Flag every recognised commune that has new adverse facts (contracts.md §2): facts of the
    registers since the day it was judged, up to `on`, that were not known then nor kept by a
    review. Criteria results are not read: an unknown, a 30-day window or a registration's
    baseline never flags. Cases judged on the same day are read together."""
    on = on or timezone.localdate()
    cases = list(
        RecognitionCase.objects.filter(state=CaseState.APPROVED).select_related(
            "registration__commune__province"
        )
    )
    by_day: dict[datetime.date, list[RecognitionCase]] = {}
    for case in cases:
        by_day.setdefault(_judged_on(case), []).append(case)
    flagged = []
    for judged, group in sorted(by_day.items()):
        unknown_baseline = [case for case in group if case.relapse_known is None]
        if unknown_baseline:
            _read_known_facts(unknown_baseline, judged)
        since = min(judged + datetime.timedelta(days=1), on)
        inputs = _watch_inputs(group, as_of=on, period=(since, on))
        for case in group:
            new = rules.new_adverse_facts(
                inputs[case.registration.commune_id], case.relapse_known or []
            )
            if new:
                reason = rules.relapse_reason(new)
                flagged.append(recognition_flag(case=case, reason=reason, adverse=new))
    return flagged


def _watch_inputs(cases, *, as_of, period):
    # The people present on D (addicts and users), the area registers; no tests, no pledges.
    return facts.gather(
        [case.registration.commune for case in cases],
        as_of=as_of,
        period=period,
        with_tests=False,
        everyone=False,
        with_support=False,
        with_pledges=False,
    )


def _read_known_facts(cases, judged: datetime.date) -> None:
    """Cases judged before the watch kept what it knew: the adverse facts of the judged day,
    over its programme year, read once from the registers and kept."""
    for case in cases:
        period = rules.programme_year_period(case.registration.year)
        inputs = _watch_inputs([case], as_of=judged, period=period)
        case.relapse_known = [
            list(rules.fact_key(fact.cause))
            for fact in rules.adverse_facts(inputs[case.registration.commune_id])
        ]
        case.save(update_fields=["relapse_known"])
