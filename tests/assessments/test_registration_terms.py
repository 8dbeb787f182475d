"""A registration whose recognition case was submitted or decided keeps its terms (commune,
year, profile, baseline): the scorecard frozen at submission and the decision rest on them.
One rule (`assessments.services.registration_refused_changes`) for the admin and the import
(the import's side: tests/imports/test_roles.py)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import CaseState, RecognitionCase, Registration
from assessments.services import registration_refused_changes
from tests import factories

D = datetime.date
DECIDED_OR_SUBMITTED = [state for state in CaseState.values if state != CaseState.REGISTERED]


@pytest.fixture
def registration(commune, provincial_officer):
    case = factories.registration_with_case(
        commune=commune,
        year=2026,
        registered_on=D(2025, 11, 20),
        profile="lang-son-2025",
        by=provincial_officer,
    )
    return case.registration


def set_state(registration, state) -> Registration:
    RecognitionCase.objects.filter(registration=registration).update(state=state)
    return Registration.objects.get(pk=registration.pk)  # the case read afresh


def test_a_registration_without_a_case_may_change(commune):
    registration = Registration.objects.create(
        commune=commune, year=2026, registered_on=D(2025, 11, 20)
    )
    assert registration_refused_changes(registration=registration, values={"profile": "x"}) == []


def test_an_opened_case_lets_its_registration_change(registration):
    values = {"profile": "qd28-2025", "baseline_addicts": 9, "baseline_users": 9}
    assert registration_refused_changes(registration=registration, values=values) == []


@pytest.mark.parametrize("state", DECIDED_OR_SUBMITTED)
def test_a_submitted_or_decided_case_keeps_the_terms(state, registration, other_commune):
    registration = set_state(registration, state)
    values = {
        "commune": other_commune,
        "year": 2027,
        # A blank baseline is computed as of this day, and the case's history starts on it.
        "registered_on": D(2025, 11, 1),
        "profile": "qd28-2025",
        "baseline_addicts": registration.baseline_addicts + 1,
        "baseline_users": registration.baseline_users,  # the stored value: no change
    }
    assert registration_refused_changes(registration=registration, values=values) == [
        "commune",
        "year",
        "registered_on",
        "profile",
        "baseline_addicts",
    ]


def admin_data(registration, **changes) -> dict:
    data = {
        "commune": registration.commune_id,
        "year": registration.year,
        "registered_on": registration.registered_on.isoformat(),
        "profile": registration.profile,
        "baseline_addicts": registration.baseline_addicts,
        "baseline_users": registration.baseline_users,
    }
    return {**data, **changes}


@pytest.mark.parametrize("state", [CaseState.SUBMITTED, CaseState.APPROVED])
@pytest.mark.parametrize(
    "change",
    [{"profile": "qd28-2025"}, {"baseline_addicts": 0}, {"baseline_users": 0}, {"year": 2027}],
    ids=["profile", "baseline_addicts", "baseline_users", "year"],
)
def test_the_admin_refuses_the_same_change(change, state, client, provincial_officer, registration):
    registration = set_state(registration, state)
    Registration.objects.filter(pk=registration.pk).update(baseline_addicts=4, baseline_users=6)
    registration.refresh_from_db()
    before = Registration.objects.filter(pk=registration.pk).values().get()
    entries = LogEntry.objects.count()
    client.force_login(provincial_officer)
    response = client.post(
        reverse("admin:assessments_registration_change", args=[registration.pk]),
        admin_data(registration, **change),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == list(change)
    assert Registration.objects.filter(pk=registration.pk).values().get() == before
    assert LogEntry.objects.count() == entries


def test_the_admin_corrects_an_opened_case_and_the_change_is_audited(
    client, provincial_officer, registration
):
    client.force_login(provincial_officer)
    old = registration.baseline_users
    response = client.post(
        reverse("admin:assessments_registration_change", args=[registration.pk]),
        admin_data(registration, baseline_users=old + 2, profile="qd28-2025"),
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.profile, registration.baseline_users) == ("qd28-2025", old + 2)
    entry = LogEntry.objects.get_for_object(registration).latest("pk")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == provincial_officer
    assert entry.changes == {
        "profile": ["lang-son-2025", "qd28-2025"],
        "baseline_users": [str(old), str(old + 2)],
    }
