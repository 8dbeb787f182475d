"""Issue 15, item 10: history is not rewritten.

Domain §9: "A past year's figures (recognised communes, the lists) are as they stood at that
year's end: a later withdrawal is dated and never rewrites history." QĐ 28 art. 9.2b: the
provincial People's Committee "xem xét, phê duyệt, đưa vào, đưa ra khỏi danh sách … địa bàn không
ma túy cấp xã" — putting a commune on the list and taking it off are each a dated decision.
"""

import datetime

import pytest
from django.utils import timezone

from assessments import recognition
from assessments.models import CaseEvent, CaseState, RecognitionCase
from assessments.services import roadmap_rows
from tests import factories

day = datetime.date


def recognise(commune, year: int, decided: datetime.date, by) -> RecognitionCase:
    """A case approved by a decision dated `decided`, its steps recorded that day."""
    case = factories.registration_with_case(
        commune=commune, year=year, registered_on=day(year - 1, 12, 10), profile="qd28-2025", by=by
    )
    RecognitionCase.objects.filter(pk=case.pk).update(state=CaseState.APPRAISED)
    case.refresh_from_db()
    recognition.recognition_approve(case=case, by=by, number=f"{year}/QĐ", date=decided,
                                    signer="Chủ tịch UBND tỉnh")  # fmt: skip
    _date_last_step(case, decided)
    return case


def withdraw(case, on: datetime.date, by):
    recognition.recognition_flag(case=case, reason="Tái phức tạp")
    recognition.recognition_withdraw(case=case, by=by, reasons="Tái phức tạp")
    _date_last_step(case, on)


def _date_last_step(case, on):
    step = case.events.order_by("-at", "-pk").first()
    at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    CaseEvent.objects.filter(pk=step.pk).update(at=at)


def recognised_by_year(province) -> dict[int, int]:
    return {row["year"]: row["recognised"] for row in roadmap_rows(province)}


@pytest.fixture
def two_recognised(province, commune, other_commune, provincial_officer):
    first = recognise(commune, 2025, day(2025, 12, 12), provincial_officer)
    second = recognise(other_commune, 2025, day(2025, 12, 12), provincial_officer)
    return first, second


def test_a_withdrawal_in_2027_does_not_lower_2025(province, two_recognised, provincial_officer):
    """Issue 15 item 10: "a withdrawal in 2027 lowers 2025's figure" (wrong today)."""
    first, _second = two_recognised
    before = recognised_by_year(province)
    assert (before[2025], before[2026], before[2027]) == (2, 2, 2)
    withdraw(first, day(2027, 3, 1), provincial_officer)
    after = recognised_by_year(province)
    assert (after[2025], after[2026], after[2027]) == (2, 2, 1)


@pytest.mark.parametrize(
    ("withdrawn_on", "count_2026"), [(day(2026, 12, 31), 2), (day(2027, 1, 1), 2)]
)
def test_a_year_counts_the_recognitions_standing_at_its_end(
    province, two_recognised, provincial_officer, withdrawn_on, count_2026
):
    """Withdrawn on 31/12/2026, a recognition no longer stands at 2026's end."""
    first, _second = two_recognised
    withdraw(first, withdrawn_on, provincial_officer)
    by_year = recognised_by_year(province)
    expected = 1 if withdrawn_on.year == 2026 else 2
    assert by_year[2026] == expected
    assert by_year[2025] == 2


def test_an_approval_counts_from_its_decision_date(province, commune, provincial_officer):
    """A 2026 case decided on 05/01/2027 is not among the communes recognised at 2026's end."""
    recognise(commune, 2026, day(2027, 1, 5), provincial_officer)
    by_year = recognised_by_year(province)
    assert (by_year[2026], by_year[2027]) == (0, 1)


def test_a_decision_of_31_december_counts_for_that_year(province, commune, provincial_officer):
    recognise(commune, 2025, day(2025, 12, 31), provincial_officer)
    assert recognised_by_year(province)[2025] == 1


def test_under_review_still_counts_and_a_commune_counts_once(province, commune, provincial_officer):
    first = recognise(commune, 2025, day(2025, 12, 12), provincial_officer)
    recognise(commune, 2026, day(2026, 12, 15), provincial_officer)
    recognition.recognition_flag(case=first, reason="Tái phức tạp")
    by_year = recognised_by_year(province)
    assert (by_year[2025], by_year[2026]) == (1, 1)


def test_the_roadmap_reads_the_dates_in_one_query(
    province, two_recognised, provincial_officer, django_assert_num_queries
):
    # 1. the targets; 2. the cases with their approval and withdrawal dates.
    with django_assert_num_queries(2):
        roadmap_rows(province)
