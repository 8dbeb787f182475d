"""The recognition workflow: one service per transition of a RecognitionCase.

registered → submitted → appraised → approved | rejected; rejected → submitted (after fixing);
approved → under review (relapse) → withdrawn | approved.

Each transition moves the case with a conditional UPDATE on its expected state, so of two
officers acting at once exactly one succeeds and the other is told the case has moved on.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services
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


@transaction.atomic
def recognition_submit(*, case: RecognitionCase, by, note: str = "", on=None) -> RecognitionCase:
    """Submit with the scorecard of today, which is frozen with the case. Only an eligible
    commune can be submitted."""
    on = on or timezone.localdate()
    registration = case.registration
    (result,) = services.assess_communes(
        [registration.commune], as_of=on, profile=services.profile_for_code(registration.profile)
    )
    if not result.eligible:
        raise ValidationError(_("Not every criterion passes yet; see the scorecard."))
    scorecard = {**result.as_json(), "as_of": on.isoformat()}
    return _move(
        case, "submit", CaseState.SUBMITTED, by=by, note=note,
        submitted_on=on, submitted_scorecard=scorecard,
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
def recognition_flag(*, case: RecognitionCase, reason: str) -> RecognitionCase:
    """The nightly relapse watch: a recognised commune no longer meets the criteria."""
    return _move(
        case, "flag", CaseState.UNDER_REVIEW, by=None, note=reason,
        review_reason=reason, flagged_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def recognition_withdraw(*, case: RecognitionCase, by, reasons: str) -> RecognitionCase:
    reasons = _require(reasons, _("Give the reasons for withdrawing."))
    return _move(case, "withdraw", CaseState.WITHDRAWN, by=by, note=reasons)


@transaction.atomic
def recognition_confirm(*, case: RecognitionCase, by, note: str) -> RecognitionCase:
    """After review, the commune keeps its recognition."""
    note = _require(note, _("Say why the recognition is kept."))
    return _move(case, "confirm", CaseState.APPROVED, by=by, note=note, review_reason="")


def relapse_watch(*, on: datetime.date | None = None) -> list[RecognitionCase]:
    """Re-assess every recognised commune and flag those that no longer meet the criteria."""
    on = on or timezone.localdate()
    cases = list(
        RecognitionCase.objects.filter(state=CaseState.APPROVED).select_related(
            "registration__commune__province"
        )
    )
    flagged = []
    for case in cases:
        registration = case.registration
        (result,) = services.assess_communes(
            [registration.commune],
            as_of=on,
            profile=services.profile_for_code(registration.profile),
        )
        failing = [item for item in result.criteria if item.result != "pass"]
        if failing:
            # Codes and titles only: the evidence names people, and leaders read this reason.
            reason = "; ".join(f"{item.code} ({item.title})" for item in failing)
            flagged.append(recognition_flag(case=case, reason=reason))
    return flagged
