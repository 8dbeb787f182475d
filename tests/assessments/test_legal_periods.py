"""Issue 15, items 3 and 4: the assessment period is QĐ 28's for every province, and a
recognition case is judged on its own programme year (contracts.md §2).

QĐ 28/2025/QĐ-TTg art. 7.1: "Kỳ đánh giá và báo cáo tính từ ngày 15 tháng 12 năm trước đến ngày
14 tháng 12 năm sau." Art. 7.2: the provincial police "tổng hợp kết quả báo cáo Bộ Công an trước
ngày 20 tháng 12 hằng năm."
"""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments import recognition, rules, services
from assessments.models import CaseState, Registration
from communes.models import Commune, Province
from tests.imports.test_import_pages import workbook_bytes

day = datetime.date

# A commune whose only blemish is a resident's trafficking offence in June 2025, registered for
# 2025 (and for 2026), with what every other criterion needs.
WORKBOOK = {
    "communes": [
        ["province_code", "province_name", "code", "name", "kind", "population", "households",
         "on_key_route", "border"],
        ["97", "Tỉnh Kỳ Hạn", "97001", "Xã Tháng Sáu", "xa", 6000, 2, "no", "no"],
        ["97", "Tỉnh Kỳ Hạn", "97002", "Xã Trong Sạch", "xa", 4000, 2, "no", "no"],
    ],
    "hamlets": [
        ["commune_code", "name", "households", "hotline_board", "mailbox"],
        ["97001", "Thôn Một", 2, "yes", "yes"],
        ["97002", "Thôn Hai", 2, "yes", "yes"],
    ],
    "offences": [
        ["commune_code", "ref", "occurred_on", "kind", "offenders", "offenders_arrested",
         "resident_offenders", "serious", "by_managed_person", "psychosis_incident"],
        ["97001", "V-06", "2025-06-10", "trafficking", 1, 1, 1, "no", "no", "no"],
    ],
    "models": [
        ["commune_code", "name", "started_on", "ended_on"],
        ["97001", "Tổ tự quản", "2024-06-01", None],
        ["97002", "Tổ tự quản", "2024-06-01", None],
    ],
    "registrations": [
        ["commune_code", "year", "registered_on", "profile", "baseline_addicts",
         "baseline_users"],
        ["97001", 2025, "2024-12-10", "qd28-2025", 0, 0],
        ["97002", 2025, "2024-12-10", "qd28-2025", 0, 0],
        ["97001", 2026, "2025-12-10", "qd28-2025", 0, 0],
    ],
}  # fmt: skip


@pytest.fixture
def imported(db, tmp_path):
    path = tmp_path / "ky-han.xlsx"
    path.write_bytes(workbook_bytes(WORKBOOK))
    call_command("import_workbook", str(path), stdout=io.StringIO())
    return Province.objects.get(code="97")


def assess_json(as_of: str) -> dict:
    out = io.StringIO()
    call_command("assess", "--province", "97", "--as-of", as_of, "--json", "--dry-run", stdout=out)
    return {commune["code"]: commune for commune in json.loads(out.getvalue())["communes"]}


def case_of(code: str, year: int):
    registration = Registration.objects.get(commune__code=code, year=year)
    return recognition.registration_open(registration=registration, by=None)


# ---- the rules API -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "as_of"),
    [
        (day(2025, 6, 30), day(2025, 6, 30)),
        (day(2025, 12, 14), day(2025, 12, 14)),  # the period's last day
        (day(2025, 12, 15), day(2025, 12, 14)),  # the next period has begun: still 14/12
        (day(2025, 12, 16), day(2025, 12, 14)),
        (day(2025, 12, 20), day(2025, 12, 14)),
    ],
)
def test_a_case_is_judged_as_of_the_submission_day_or_the_end_of_its_year(submitted, as_of):
    """Contracts §2: "judged on its own programme year Y: as of min(submission day, 14/12/Y),
    over 15/12/(Y−1)–14/12/Y"."""
    assert rules.case_as_of(2025, submitted) == as_of
    assert rules.programme_year_period(2025) == (day(2024, 12, 15), day(2025, 12, 14))


def test_the_report_deadline_is_20_december_unless_the_province_reports_earlier():
    """Art. 7.2: "báo cáo Bộ Công an trước ngày 20 tháng 12 hằng năm"; Lạng Sơn's plan (seed
    004): "báo cáo năm … đến ngày 10/12 năm báo cáo (gửi báo cáo chậm nhất ngày 12/12)"."""
    assert rules.report_deadline(2025) == day(2025, 12, 20)
    assert rules.report_deadline(2025, rules.LANG_SON_CALENDAR) == day(2025, 12, 12)


@pytest.mark.parametrize(
    ("as_of", "period"),
    [
        (day(2025, 12, 10), (day(2024, 12, 15), day(2025, 12, 14))),
        (day(2025, 12, 11), (day(2024, 12, 15), day(2025, 12, 14))),
        (day(2025, 12, 12), (day(2024, 12, 15), day(2025, 12, 14))),
        (day(2025, 12, 14), (day(2024, 12, 15), day(2025, 12, 14))),
        (day(2025, 12, 15), (day(2025, 12, 15), day(2026, 12, 14))),
    ],
)
def test_a_report_cut_off_never_moves_the_assessment_period(as_of, period):
    """Domain §5, §9: the period is "15 December of the previous year to 14 December, for every
    province (a province's own reporting dates are report cut-offs, never this period)"."""
    assert rules.assessment_period(as_of) == period
    # Lạng Sơn's report year closes on 10/12; the assessment period does not.
    assert rules.annual_period(2025, rules.LANG_SON_CALENDAR).end == day(2025, 12, 10)


# ---- item 4: the engine, through the import and assess --json ------------------------------


@pytest.mark.parametrize("as_of", ["2025-12-11", "2025-12-12", "2025-12-14"])
def test_a_province_cut_off_of_10_december_does_not_end_the_period(imported, as_of):
    """Seed 004 reports up to 10/12 ("báo cáo năm tính từ ngày 10/12 năm trước đến ngày 10/12
    năm báo cáo"): a report cut-off only. As of 11–14/12/2025 the assessment period is still
    15/12/2024 – 14/12/2025 (art. 7.1), so the June offence is read."""
    Province.objects.filter(pk=imported.pk).update(year_end_day=10, report_due_days=2)
    commune = assess_json(as_of)["97001"]
    assert commune["facts"]["drug_offences"] == 1
    assert commune["facts"]["resident_violators"] == 1
    results = {item["code"]: item["result"] for item in commune["criteria"]}
    assert results["Q2_no_violations_no_fugitives"] == "fail"
    assert commune["eligible"] is False


def test_the_june_offence_leaves_the_period_on_15_december(imported):
    """Art. 7.1: the period that contains 15/12/2025 starts that day."""
    Province.objects.filter(pk=imported.pk).update(year_end_day=10, report_due_days=2)
    assert assess_json("2025-12-14")["97001"]["facts"]["drug_offences"] == 1
    assert assess_json("2025-12-15")["97001"]["facts"]["drug_offences"] == 0


def test_every_province_is_assessed_over_the_same_period(imported, province):
    """A province with Lạng Sơn's report dates and one without: the same period on the same
    day (art. 7.1 is national)."""
    province.year_end_day, province.report_due_days = 10, 2
    province.save()
    communes = [*Commune.objects.filter(code="97001"), *province.communes.all()]
    factory_commune = Commune.objects.create(
        province=province, code="20901", name="Xã Báo Cáo", kind="xa", population=100
    )
    results = services.assess_communes([*communes, factory_commune], as_of=day(2025, 12, 12))
    assert {result.inputs.period for result in results} == {(day(2024, 12, 15), day(2025, 12, 14))}


# ---- item 3: a case is judged on its own programme year ------------------------------------


@pytest.mark.parametrize("on", [day(2025, 12, 14), day(2025, 12, 16), day(2025, 12, 20)])
def test_a_2025_case_with_a_june_offence_is_refused_before_and_after_14_december(imported, on):
    """Issue 15 item 3: "A 2025 registration with a resident's trafficking offence in June is
    refused on 14/12/2025 and accepted as eligible on 16/12/2025 (the new period no longer reads
    June)." Judged on 2025 (as of min(day, 14/12/2025), over 15/12/2024–14/12/2025), it is
    refused on every day it can still be submitted."""
    case = case_of("97001", 2025)
    with pytest.raises(ValidationError, match="Not every criterion|Chưa"):
        recognition.recognition_submit(case=case, by=None, on=on)
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_a_case_submitted_after_14_december_keeps_the_scorecard_of_its_year(imported):
    """Contracts §2: "as of min(submission day, 14/12/Y), over the period 15/12/(Y−1)–14/12/Y,
    with the registration of year Y". The 2026 registration of another commune is not read."""
    case = case_of("97002", 2025)
    recognition.recognition_submit(case=case, by=None, on=day(2025, 12, 16))
    case.refresh_from_db()
    frozen = case.submitted_scorecard
    assert case.state == CaseState.SUBMITTED
    assert case.submitted_on == day(2025, 12, 16)
    assert frozen["as_of"] == "2025-12-14"
    assert frozen["submitted_on"] == "2025-12-16"
    assert frozen["period"] == ["2024-12-15", "2025-12-14"]
    assert frozen["eligible"] is True


@pytest.mark.parametrize(
    ("on", "accepted"),
    [(day(2025, 12, 19), True), (day(2025, 12, 20), True), (day(2025, 12, 21), False)],
)
def test_submission_for_a_year_closes_at_the_report_deadline(imported, on, accepted):
    """Contracts §2: "Submission for Y closes at the province's report deadline (20/12/Y by
    default, art. 7.2) with a message naming it." The deadline day itself is still open."""
    case = case_of("97002", 2025)
    if accepted:
        recognition.recognition_submit(case=case, by=None, on=on)
        case.refresh_from_db()
        assert case.state == CaseState.SUBMITTED
        return
    with pytest.raises(ValidationError) as refused:
        recognition.recognition_submit(case=case, by=None, on=on)
    assert "20/12/2025" in " ".join(refused.value.messages)
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED and case.submitted_scorecard is None


@pytest.mark.parametrize(
    ("on", "accepted"),
    [(day(2025, 12, 13), True), (day(2025, 12, 20), True), (day(2025, 12, 21), False)],
)
def test_a_province_with_an_earlier_report_of_its_own_closes_on_20_december_too(
    imported, on, accepted
):
    """Art. 7.2: the province reports the approved list to the Ministry "trước ngày 20 tháng
    12"; Lạng Sơn's own annual report (seed 004: "chậm nhất ngày 12/12") goes to its People's
    Committee and its plan reviews "by 20 December" (domain §7): the list closes on 20/12."""
    Province.objects.filter(pk=imported.pk).update(year_end_day=10, report_due_days=2)
    case = case_of("97002", 2025)
    if accepted:
        recognition.recognition_submit(case=case, by=None, on=on)
        case.refresh_from_db()
        assert case.submitted_scorecard["as_of"] == min(on, day(2025, 12, 14)).isoformat()
        return
    with pytest.raises(ValidationError, match="20/12/2025"):
        recognition.recognition_submit(case=case, by=None, on=on)


def test_a_case_cannot_be_submitted_before_its_year_is_assessed(imported):
    """Programme year 2026 is assessed over 15/12/2025 – 14/12/2026: a 2026 case submitted on
    14/12/2025 would be judged over a period not yet begun."""
    case = case_of("97001", 2026)
    with pytest.raises(ValidationError, match="15/12/2025"):
        recognition.recognition_submit(case=case, by=None, on=day(2025, 12, 14))


def test_the_refusal_is_in_vietnamese(imported, settings):
    from django.utils import translation

    case = case_of("97002", 2025)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        recognition.recognition_submit(case=case, by=None, on=day(2025, 12, 21))
    message = " ".join(refused.value.messages)
    assert "20/12/2025" in message and "2025" in message
    assert "hạn" in message.lower()
