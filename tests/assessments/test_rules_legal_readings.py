"""Issue 15, items 1, 2, 7 and 9, through the rules API (no database): who art. 6.1 counts,
administrative use is no crime, the provincial criteria as the seeds word them, and a missing
population said rather than silent. Each test quotes the clause it reads."""

import dataclasses
from datetime import date

import pytest

from assessments.rules import (
    QD28_2025,
    Cause,
    CommuneFacts,
    CriteriaInputs,
    DrugTest,
    Level,
    OffenceDetail,
    Outcome,
    PersonDetail,
    classify,
    evaluate_criteria,
    level_undetermined,
)

D = date(2025, 12, 1)  # period 15/12/2024–14/12/2025


def person(id=1, name="Nông Văn A", category="addict", **details) -> PersonDetail:
    details.setdefault("has_file", True)
    return PersonDetail(id=id, name=name, category=category, **details)


def evaluate(code: str, *, as_of: date = D, facts: CommuneFacts | None = None, **details):
    profile = dataclasses.replace(QD28_2025, code="test", criteria=(code,))
    inputs = CriteriaInputs(
        as_of=as_of,
        facts=facts or CommuneFacts(population=5000),
        **{"persons": (), "offences": (), "hotspots": (), "cultivation": (), "wanted": ()}
        | details,
    )
    (result,) = evaluate_criteria(inputs, profile)
    return result


# --- Item 1: art. 6.1 counts every resident user, with a file or not


def test_one_resident_addict_without_a_file_is_not_drug_free():
    """QĐ 28 art. 6.1: "Không có người hiện đang cư trú trên địa bàn nghiện ma túy, sử dụng
    trái phép chất ma túy, trừ …": no "có hồ sơ quản lý", which art. 4.1 a has."""
    assert classify(CommuneFacts(population=5000)).level is Level.DRUG_FREE

    result = classify(CommuneFacts(population=5000, unfiled_users=1))

    assert result.level is Level.LESS_COMPLEX
    assert result.reasons == ("less_complex",)


def test_art_4_ratios_count_filed_people_only():
    """Art. 4.3 a: "Tỷ lệ người nghiện và người sử dụng trái phép chất ma túy có hồ sơ quản lý
    so với số nhân khẩu …": 50 unfiled users are no Type III criterion, 50 filed ones are."""
    unfiled = classify(CommuneFacts(population=1000, unfiled_users=50))
    filed = classify(CommuneFacts(population=1000, illegal_users=50))

    assert unfiled.level is Level.LESS_COMPLEX
    assert filed.level is Level.TYPE_3
    assert filed.reasons == ("users_type_3",)


def test_q1_fails_naming_the_resident_without_a_file():
    """Art. 6.1, as above: Q1 fails when unfiled_users > 0, naming those people
    (contracts.md §2)."""
    facts = CommuneFacts(population=5000, unfiled_users=1)
    persons = (
        person(1, "Nông Văn A", "addict", has_file=False),
        person(2, "Hoàng Văn B", "user", has_file=False, present=False),  # absent: not counted
        person(3, "Lý Văn C", "addict", has_file=False, treatment_form="methadone"),  # exempt
    )

    result = evaluate("Q1_no_users_except_treatment", facts=facts, persons=persons)

    assert result.result == Outcome.FAIL
    assert result.evidence == (
        "1 người nghiện, sử dụng trái phép cư trú chưa được lập hồ sơ quản lý (Điều 6.1): "
        "Nông Văn A"
    )
    assert result.causes == (Cause("person", 1, "Nông Văn A"),)


def test_q1_names_filed_and_unfiled_people_apart():
    """Art. 6.1: the filed people outside treatment and the unfiled ones both fail it; the
    evidence tells them apart, so the officer knows whose file to open."""
    facts = CommuneFacts(population=5000, illegal_users=1, unfiled_users=1)
    persons = (person(1, "Nông Văn A", "user"), person(2, "Hoàng Văn B", "addict", has_file=False))

    result = evaluate("Q1_no_users_except_treatment", facts=facts, persons=persons)

    assert result.result == Outcome.FAIL
    assert result.evidence == (
        "1 người nghiện, sử dụng trái phép cư trú ngoài diện loại trừ (Điều 6.1): Nông Văn A; "
        "1 người nghiện, sử dụng trái phép cư trú chưa được lập hồ sơ quản lý (Điều 6.1): "
        "Hoàng Văn B"
    )
    assert [cause.id for cause in result.causes] == [1, 2]


# --- Item 2: an administrative violation (use) is not a crime


ADMINISTRATIVE_USE = OffenceDetail(
    5, "XP-05", "use_administrative", offenders=1, offenders_arrested=1, resident_offenders=1,
    by_managed_person=True,
)  # fmt: skip


@pytest.mark.parametrize(
    "code",
    ["TV1_no_hotspot_no_offence", "TV5_no_offence_by_managed", "TH7_offenders_arrested"],
)
def test_administrative_use_is_no_crime_for_the_provincial_criteria(code):
    """Seed 001 §3: "không để xảy ra các vụ phạm tội về ma túy do người đang cư trú … gây ra"
    (TV1), "không để gây ra các vụ phạm tội trên địa bàn" (TV5); seed 003 §II "bắt giữ 100%
    người phạm tội về ma túy" (TH7): crimes. A use fined under administrative law is none
    (contracts.md §3: "never a crime, an arrest or a drug_offences count")."""
    result = evaluate(code, offences=(ADMINISTRATIVE_USE,))

    assert result.result == Outcome.PASS


def test_tv1_names_only_the_crimes_of_residents():
    """Seed 001 §3 (TV1), as above: of a resident's crime and a resident's administrative use,
    only the crime is named."""
    crime = OffenceDetail(6, "VA-06", "possession", offenders=1, resident_offenders=1)
    facts = CommuneFacts(population=5000, drug_offences=1, resident_violators=2)

    result = evaluate(
        "TV1_no_hotspot_no_offence", facts=facts, offences=(ADMINISTRATIVE_USE, crime)
    )

    assert result.result == Outcome.FAIL
    assert result.causes == (Cause("offence", 6, "VA-06"),)


def test_administrative_use_by_a_resident_is_a_violation_under_art_6_2():
    """QĐ 28 art. 6.2: "Không có người hiện đang cư trú trên địa bàn vi phạm pháp luật về ma
    túy trên địa bàn": a violation, criminal or administrative, so Q2 fails and names it."""
    facts = CommuneFacts(population=5000, resident_violators=1)

    result = evaluate("Q2_no_violations_no_fugitives", facts=facts, offences=(ADMINISTRATIVE_USE,))

    assert result.result == Outcome.FAIL
    assert result.causes == (Cause("offence", 5, "XP-05"),)
    assert classify(facts).level is Level.LESS_COMPLEX


# --- Item 7: the criteria as strong as the seeds


def test(on: date, kind: str, result: str = "negative") -> DrugTest:
    return DrugTest(on, result, kind)


test.__test__ = False  # a helper, not a test


@pytest.mark.parametrize("code", ["TV2_users_filed_tested", "TH5_post_rehab_managed"])
@pytest.mark.parametrize(
    "tests, missing",
    [
        pytest.param((test(date(2025, 3, 1), "periodic"), test(date(2025, 9, 1), "surprise")),
                     None, id="both"),
        pytest.param((test(date(2025, 3, 1), "periodic"), test(date(2025, 9, 1), "periodic")),
                     "đột xuất", id="periodic-only"),
        pytest.param((test(date(2025, 3, 1), "surprise"),), "định kỳ", id="surprise-only"),
        pytest.param((test(date(2025, 3, 1), "periodic", "positive"),
                      test(date(2025, 3, 2), "surprise", "positive")), None,
                     id="both-positive-still-tested"),
    ],
)  # fmt: skip
def test_periodic_and_surprise_tests(code, tests, missing):
    """Seed 001 §3 (TV2): "100% người sử dụng trái phép ma túy, người sau cai nghiện được lập
    hồ sơ quản lý, theo dõi chặt chẽ, định kỳ và đột xuất phải được xét nghiệm"; seed 003 §II
    (TH5): "100% người sau cai nghiện ma túy có hồ sơ quản lý, được giám sát chặt chẽ và định
    kỳ, đột xuất phải được xét nghiệm". One test of each kind in the period; one kind never
    stands for the other."""
    subject = person(category="post_rehab", tests=tests, support_dates=(date(2025, 4, 2),))

    result = evaluate(code, persons=(subject,))

    if missing is None:
        assert result.result == Outcome.PASS
    else:
        assert result.result == Outcome.FAIL
        assert f"chưa được xét nghiệm {missing} trong kỳ 15/12/2024–14/12/2025" in result.evidence
        assert result.causes == (Cause("person", 1, "Nông Văn A"),)


@pytest.mark.parametrize(
    "as_of, outcome",
    [
        pytest.param(date(2025, 12, 14), Outcome.PASS, id="14/12: period of 2025"),
        pytest.param(date(2025, 12, 15), Outcome.FAIL, id="15/12: a new period, no test yet"),
    ],
)
def test_tests_count_in_the_period_of_d(as_of, outcome):
    """QĐ 28 art. 7.1: "Kỳ đánh giá và báo cáo tính từ ngày 15 tháng 12 năm trước đến ngày 14
    tháng 12 năm sau": tests of 2025 show TV2 on 14/12/2025, not from 15/12/2025."""
    tests = (test(date(2024, 12, 15), "periodic"), test(date(2025, 12, 14), "surprise"))
    subject = person(category="user", tests=tests)

    result = evaluate("TV2_users_filed_tested", as_of=as_of, persons=(subject,))

    assert result.result == outcome


@pytest.mark.parametrize(
    "subject, problem",
    [
        pytest.param(person(category="user", has_file=False, tests=(test(D, "periodic"),)),
                     "chưa có hồ sơ", id="user-without-a-file"),
        pytest.param(person(category="user", tests=(test(date(2025, 11, 20), "periodic"),
                                                    test(date(2025, 11, 25), "surprise",
                                                         "positive"))),
                     "hoặc dương tính sau đó", id="positive-after-the-negative"),
        pytest.param(person(category="post_rehab", psychosis=True, has_file=False,
                            tests=(test(D, "periodic"),)),
                     "chưa có hồ sơ", id="psychosis-without-a-file"),
    ],
)  # fmt: skip
def test_th2_needs_a_file_and_no_positive_after_the_negative(subject, problem):
    """Seed 003 §II (TH2): "100% người sử dụng trái phép chất ma túy, người có biểu hiện loạn
    thần "ngáo đá" cư trú tại địa bàn được phát hiện, lập hồ sơ quản lý, theo dõi, giám sát
    chặt chẽ theo quy định; đồng thời có kết quả âm tính khi xét nghiệm … cách thời điểm đề
    nghị công nhận không quá 30 ngày"."""
    result = evaluate("TH2_users_negative_30d", persons=(subject,))

    assert result.result == Outcome.FAIL
    assert problem in result.evidence
    assert result.causes == (Cause("person", 1, "Nông Văn A"),)


def test_th2_passes_a_filed_user_negative_since():
    """Seed 003 §II (TH2), as above: a file and a negative test within 30 days, no positive
    one after it."""
    subject = person(
        category="user",
        tests=(
            test(date(2025, 11, 10), "surprise", "positive"),
            test(date(2025, 11, 20), "periodic"),
        ),
    )

    assert evaluate("TH2_users_negative_30d", persons=(subject,)).result == Outcome.PASS


SERIOUS_BY_UNMANAGED_USER = OffenceDetail(
    9, "VA-09", "other", offenders=1, serious=True, by_drug_user=True
)


@pytest.mark.parametrize(
    "code, offence, outcome",
    [
        pytest.param("TV6_no_serious_incident", SERIOUS_BY_UNMANAGED_USER, Outcome.FAIL,
                     id="tv6-serious-by-unmanaged-user"),
        pytest.param("TH8_no_serious_incident", SERIOUS_BY_UNMANAGED_USER, Outcome.FAIL,
                     id="th8-serious-by-unmanaged-user"),
        pytest.param("TV6_no_serious_incident",
                     dataclasses.replace(SERIOUS_BY_UNMANAGED_USER, by_drug_user=False,
                                         by_managed_person=True),
                     Outcome.FAIL, id="tv6-serious-by-managed"),
        pytest.param("TH8_no_serious_incident",
                     dataclasses.replace(SERIOUS_BY_UNMANAGED_USER, serious=False), Outcome.PASS,
                     id="th8-not-serious"),
        pytest.param("TV6_no_serious_incident",
                     dataclasses.replace(SERIOUS_BY_UNMANAGED_USER, by_drug_user=False),
                     Outcome.PASS, id="tv6-serious-by-someone-else"),
        pytest.param("TV5_no_offence_by_managed", SERIOUS_BY_UNMANAGED_USER, Outcome.PASS,
                     id="tv5-reads-management-only"),
    ],
)  # fmt: skip
def test_serious_cases_by_any_drug_user(code, offence, outcome):
    """Seed 001 §3 (TV6): "Không để sót, lọt các đối tượng sử dụng trái phép chất ma túy,
    nghiện ma túy gây ra các vụ việc, vụ án rất nghiêm trọng, đặc biệt nghiêm trọng"; seed 003
    §II (TH8): "… các đối tượng là công dân trên địa bàn nghiện ma túy, sử dụng trái phép chất
    ma túy …": any user or addict, under management or not."""
    result = evaluate(code, offences=(offence,))

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.causes == (Cause("offence", 9, "VA-09"),)


# --- Item 9: a missing population is a data gap, never silent


def test_a_missing_population_is_a_data_gap():
    """contracts.md §4: "A commune whose population is missing (0) carries "data_gaps":
    ["population"] …; data_gaps is [] otherwise"."""
    assert CommuneFacts(population=0).data_gaps == ("population",)
    assert CommuneFacts(population=1).data_gaps == ()


@pytest.mark.parametrize(
    "facts, level, undetermined",
    [
        pytest.param(CommuneFacts(population=0, addicts=40, arrested_offenders=9),
                     Level.LESS_COMPLEX, True, id="users-and-arrests-unreadable"),
        pytest.param(CommuneFacts(population=0, harbouring_places=1, drug_plants=600,
                                  on_key_route=True),
                     Level.TYPE_2, True, id="type-ii-could-be-type-i-with-ratios"),
        pytest.param(CommuneFacts(population=0), Level.DRUG_FREE, False,
                     id="drug-free-reads-no-ratio"),
        pytest.param(CommuneFacts(population=8000, addicts=40), Level.TYPE_3, False,
                     id="population-known"),
    ],
)  # fmt: skip
def test_a_level_without_population_is_not_a_verdict(facts, level, undetermined):
    """contracts.md §1: "With population 0 the two ratios are not evaluated"; §4: "its ratio
    criteria are unknown, never silently skipped". The level found is the least severe the
    commune may be; drug-free stands (art. 6 reads no ratio)."""
    result = classify(facts)

    assert result.level is level
    assert level_undetermined(result.level, facts.data_gaps) is undetermined
