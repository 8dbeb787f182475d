import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from assessments import recognition
from assessments.labels import level_label
from assessments.models import CaseEvent, CaseState, RecognitionCase, Registration
from assessments.rules import assessment_year
from communes.models import Hotspot, PreventionModel
from tests import factories
from tests.factories import make_person

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def clean_commune(commune):
    """A commune that meets every QĐ 28 criterion."""
    factories.HamletFactory(commune=commune)
    PreventionModel.objects.create(
        commune=commune, name="Tổ tự quản", started_on=datetime.date(2025, 1, 1)
    )
    return commune


@pytest.fixture
def case(clean_commune, provincial_officer):
    return factories.registration_with_case(
        commune=clean_commune,
        year=2026,
        registered_on=datetime.date(2025, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )


def submit(case, by):
    return recognition.recognition_submit(case=case, by=by, note="Đề nghị công nhận", on=TODAY)


def approve(case, by):
    return recognition.recognition_approve(
        case=case,
        by=by,
        number="123/QĐ-UBND",
        date=datetime.date(2026, 7, 1),
        signer="Chủ tịch UBND tỉnh",
    )


def test_the_whole_cycle_records_every_step(case, commune_officer, provincial_officer):
    assert case.state == CaseState.REGISTERED
    assert (case.registration.baseline_addicts, case.registration.baseline_users) == (0, 0)
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt yêu cầu")
    approve(case, provincial_officer)
    recognition.recognition_flag(case=case, reason="Q3: điểm mới")
    recognition.recognition_confirm(case=case, by=provincial_officer, note="Đã triệt xóa ngay")
    recognition.recognition_flag(case=case, reason="Q1: người nghiện mới")
    recognition.recognition_withdraw(case=case, by=provincial_officer, reasons="Tái phức tạp")
    case.refresh_from_db()
    assert case.state == CaseState.WITHDRAWN
    assert case.decision_number == "123/QĐ-UBND"
    steps = list(case.events.values_list("from_state", "to_state"))
    assert steps == [
        ("", "registered"), ("registered", "submitted"), ("submitted", "appraised"),
        ("appraised", "approved"), ("approved", "under_review"), ("under_review", "approved"),
        ("approved", "under_review"), ("under_review", "withdrawn"),
    ]  # fmt: skip
    assert case.events.get(to_state="submitted").by == commune_officer


ILLEGAL = [
    ("registered", "appraise"), ("registered", "approve"), ("registered", "withdraw"),
    ("submitted", "approve"), ("submitted", "submit"), ("appraised", "submit"),
    ("approved", "reject"), ("approved", "withdraw"), ("withdrawn", "submit"),
]  # fmt: skip


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transitions_are_refused_and_change_nothing(
    case, provincial_officer, state, action
):
    RecognitionCase.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    by = provincial_officer
    calls = {
        "appraise": lambda: recognition.recognition_appraise(case=case, by=by, appraisal="x"),
        "approve": lambda: approve(case, by),
        "withdraw": lambda: recognition.recognition_withdraw(case=case, by=by, reasons="x"),
        "submit": lambda: submit(case, by),
        "reject": lambda: recognition.recognition_reject(case=case, by=by, reasons="x"),
    }
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError):
        calls[action]()
    case.refresh_from_db()
    assert case.state == state
    assert CaseEvent.objects.count() == events


def test_an_ineligible_commune_cannot_be_submitted(case, commune_officer):
    make_person(
        case.registration.commune, full_name="Nông Văn Một", since=datetime.date(2026, 1, 2)
    )
    with pytest.raises(ValidationError, match="Not every criterion|Chưa đạt"):
        submit(case, commune_officer)
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_rejection_needs_reasons_and_allows_resubmission(case, commune_officer, provincial_officer):
    submit(case, commune_officer)
    with pytest.raises(ValidationError):
        recognition.recognition_reject(case=case, by=provincial_officer, reasons="  ")
    recognition.recognition_reject(case=case, by=provincial_officer, reasons="Thiếu hồ sơ")
    submit(case, commune_officer)
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED


def test_frozen_scorecard_does_not_change_with_the_registers(case, commune_officer):
    submit(case, commune_officer)
    frozen = RecognitionCase.objects.get(pk=case.pk).submitted_scorecard
    assert frozen["eligible"] is True and frozen["as_of"] == "2026-06-30"
    Hotspot.objects.create(commune=case.registration.commune, ref="D9", kind="harbouring",
                           detected_on=datetime.date(2026, 6, 1))  # fmt: skip
    assert RecognitionCase.objects.get(pk=case.pk).submitted_scorecard == frozen


def test_a_relapse_after_approval_is_flagged_by_the_nightly_job(
    case, commune_officer, provincial_officer
):
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    approve(case, provincial_officer)
    assert recognition.relapse_watch(on=TODAY) == []
    make_person(case.registration.commune, full_name="Lương Văn Tái", category="user",
                since=datetime.date(2026, 7, 10))  # fmt: skip
    flagged = recognition.relapse_watch(on=datetime.date(2026, 7, 11))
    assert [c.pk for c in flagged] == [case.pk]
    case.refresh_from_db()
    assert case.state == CaseState.UNDER_REVIEW
    assert "(Điều 6.1): 1" in case.review_reason
    assert "Lương Văn Tái" not in case.review_reason  # leaders may read the reason
    # The case page names the person, with a link to the file.
    assert [(f["kind"], f["label"]) for f in case.relapse_facts] == [("person", "Lương Văn Tái")]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_exactly_one_succeeds(
    clean_commune, provincial_officer, commune_officer
):
    case = factories.registration_with_case(
        commune=clean_commune,
        year=2026,
        registered_on=datetime.date(2025, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve_in_thread():
        # SQLite's shared in-memory test database answers a second writer with "table is
        # locked" at once (no busy wait), sometimes to both threads; such a try changed nothing,
        # so it is tried again, as a user would. What is under test is the conditional UPDATE:
        # of two approvals that both get through, exactly one wins and the other is refused.
        try:
            barrier.wait()
            for _attempt in range(50):
                try:
                    approve(RecognitionCase.objects.get(pk=case.pk), provincial_officer)
                except OperationalError:
                    time.sleep(0.05)
                    continue
                except Exception as error:  # the loser: told the case moved on
                    outcomes.append(type(error).__name__)
                    return
                outcomes.append("approved")
                return
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("approved") == 1
    assert len(outcomes) == 2 and "locked" not in outcomes
    assert CaseEvent.objects.filter(case=case, to_state="approved").count() == 1
    assert RecognitionCase.objects.get(pk=case.pk).state == CaseState.APPROVED


def test_commune_officer_submits_only_their_commune(
    client, commune_officer, other_commune, provincial_officer
):
    other_case = factories.registration_with_case(
        commune=other_commune,
        year=2026,
        registered_on=datetime.date(2025, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )
    client.force_login(commune_officer)
    url = reverse("assessments:submit", args=[other_case.registration_id])
    response = client.post(url, {"note": "x"})
    assert response.status_code == 404
    other_case.refresh_from_db()
    assert other_case.state == CaseState.REGISTERED
    page = client.get(reverse("assessments:recognition"))
    assert other_case.registration not in [registration for registration, _ in page.context["rows"]]


def test_an_imported_registration_gets_its_case_when_first_submitted(
    client, commune_officer, clean_commune
):
    # Submitted today (the page has no other day): a registration of today's programme year.
    year = assessment_year(timezone.localdate())
    registration = Registration.objects.create(
        commune=clean_commune, year=year, registered_on=datetime.date(year - 1, 12, 10)
    )
    client.force_login(commune_officer)
    page = client.get(reverse("assessments:recognition"))
    assert (registration, None) in page.context["rows"]
    assert not RecognitionCase.objects.exists()  # reading the page changes nothing
    client.post(reverse("assessments:submit", args=[registration.pk]), {"note": "Đề nghị"})
    registration.refresh_from_db()
    assert registration.case.state == CaseState.SUBMITTED
    assert (registration.baseline_addicts, registration.baseline_users) == (0, 0)


def test_leaders_do_not_open_the_case_notes(client, leader, case):
    client.force_login(leader)
    assert client.get(reverse("assessments:recognition")).status_code == 403


def test_only_provincial_officers_approve_in_the_admin(
    client, case, commune_officer, provincial_officer, leader
):
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    url = reverse("admin:assessments_recognitioncase_transition", args=[case.pk, "approve"])
    data = {"number": "5/QĐ", "date": "01/07/2026", "signer": "Chủ tịch"}
    for outsider in (commune_officer, leader):
        client.force_login(outsider)
        assert client.post(url, data, follow=True).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.APPRAISED
    client.force_login(provincial_officer)
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.decision_number) == (CaseState.APPROVED, "5/QĐ")


def test_admin_case_page_shows_both_scorecards_and_the_steps(
    client, case, commune_officer, provincial_officer
):
    submit(case, commune_officer)
    client.force_login(provincial_officer)
    response = client.get(reverse("admin:assessments_recognitioncase_change", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-06-30" in body  # the frozen scorecard's date
    # Both scorecards say the level and each result in words, not as codes.
    case.refresh_from_db()
    frozen_label = level_label(case.submitted_scorecard["level"])
    assert frozen_label and body.count(f"<strong>{frozen_label}</strong>") >= 1
    assert "<strong></strong>" not in body
    assert [action for action, _label in response.context["transitions"]] == ["appraise", "reject"]
    # The provincial officer who decides sees the steps so far (registered, submitted).
    steps = response.context["inline_admin_formsets"][0].formset.queryset
    assert [step.to_state for step in steps.order_by("at", "pk")] == [
        CaseState.REGISTERED,
        CaseState.SUBMITTED,
    ]


def test_roadmap_numbers_equal_the_plans(client, db, portal_admin):
    client.force_login(portal_admin)
    response = client.get(reverse("assessments:roadmap"))
    by_code = {item["province"].code: item for item in response.context["provinces"]}
    assert [(r["year"], r["target"]) for r in by_code["37"]["rows"]] == [
        (2025, 26), (2026, 39), (2027, 46), (2028, 52), (2029, 59), (2030, 65),
    ]  # fmt: skip
    assert [r["target"] for r in by_code["20"]["rows"]] == [16, 17, 20, 26, 29, 33]
    assert [r["target"] for r in by_code["84"]["rows"]] == [21]


def test_roadmap_counts_recognised_communes(client, case, commune_officer, provincial_officer):
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    approve(case, provincial_officer)
    client.force_login(provincial_officer)
    response = client.get(reverse("assessments:roadmap"))
    (item,) = response.context["provinces"]
    row_2026 = next(row for row in item["rows"] if row["year"] == 2026)
    assert (row_2026["target"], row_2026["recognised"], row_2026["gap"]) == (17, 1, 16)


def test_registration_freezes_the_baseline_of_that_day(commune, provincial_officer):
    make_person(
        commune, full_name="Nông Văn Một", category="addict", since=datetime.date(2025, 11, 1)
    )
    make_person(
        commune, full_name="Hoàng Văn Hai", category="user", since=datetime.date(2025, 11, 1)
    )
    case = factories.registration_with_case(
        commune=commune,
        year=2026,
        registered_on=datetime.date(2025, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )
    registration = Registration.objects.get(pk=case.registration_id)
    assert (registration.baseline_addicts, registration.baseline_users) == (1, 1)


def test_registering_in_the_admin_freezes_the_baseline_and_opens_the_case(
    client, provincial_officer, commune
):
    make_person(
        commune, full_name="Nông Văn Một", category="addict", since=datetime.date(2025, 11, 1)
    )
    client.force_login(provincial_officer)
    response = client.post(
        reverse("admin:assessments_registration_add"),
        {
            "commune": commune.pk,
            "year": 2026,
            "registered_on": "2025-12-10",
            "profile": "qd28-2025",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(commune=commune, year=2026)
    assert (registration.baseline_addicts, registration.baseline_users) == (1, 0)
    assert registration.case.state == CaseState.REGISTERED
    assert registration.case.events.get().by == provincial_officer


def test_a_relapse_shows_on_the_dashboard(
    client, case, commune_officer, provincial_officer, leader
):
    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    approve(case, provincial_officer)
    recognition.recognition_flag(case=case, reason="Q3: điểm mới")
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    assert response.context["under_review"] == 1
    assert "đang được xem xét" in response.content.decode()


def test_a_commune_recognised_two_years_counts_once(
    case, commune_officer, provincial_officer, province
):
    from assessments.services import roadmap_rows

    submit(case, commune_officer)
    recognition.recognition_appraise(case=case, by=provincial_officer, appraisal="Đạt")
    approve(case, provincial_officer)
    again = factories.registration_with_case(
        commune=case.registration.commune,
        year=2027,
        registered_on=datetime.date(2026, 12, 10),
        profile="qd28-2025",
        by=provincial_officer,
    )
    RecognitionCase.objects.filter(pk=again.pk).update(state=CaseState.APPROVED)
    by_year = {row["year"]: row["recognised"] for row in roadmap_rows(province)}
    assert by_year[2026] == 1
    assert by_year[2027] == 1


def _queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_recognition_and_roadmap_query_counts_are_constant(
    client, case, commune_officer, provincial_officer, province
):
    client.force_login(provincial_officer)
    pages = [reverse("assessments:recognition"), reverse("assessments:roadmap")]
    before = [_queries(client, url) for url in pages]
    for commune in factories.CommuneFactory.create_batch(6, province=province):
        factories.registration_with_case(
            commune=commune,
            year=2026,
            registered_on=datetime.date(2025, 12, 10),
            profile="qd28-2025",
            by=provincial_officer,
        )
    assert [_queries(client, url) for url in pages] == before
