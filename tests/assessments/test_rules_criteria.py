"""Recognition criteria (contracts.md §2) of every built-in profile: pass, fail and unknown, with
the evidence naming the causes. Pure functions, no database."""

import dataclasses
from datetime import date, timedelta

import pytest

from assessments.rules import (
    CRITERIA,
    CRITERION_TITLES,
    PROFILES,
    QD28_2025,
    Cause,
    CommuneFacts,
    CriteriaInputs,
    CriterionResult,
    CultivationDetail,
    DrugTest,
    HamletDetail,
    HotspotDetail,
    Level,
    OffenceDetail,
    Outcome,
    PersonDetail,
    WantedDetail,
    classify,
    evaluate_criteria,
    is_eligible,
)

D = date(2025, 12, 1)  # the assessment date; its period is 15/12/2024–14/12/2025


def days_before(days: int) -> date:
    return D - timedelta(days=days)


def negative(on: date, kind: str = "periodic") -> DrugTest:
    return DrugTest(on, "negative", kind)


def positive(on: date) -> DrugTest:
    return DrugTest(on, "positive")


def person(id=1, name="Nông Văn A", category="addict", **details) -> PersonDetail:
    details.setdefault("has_file", True)
    return PersonDetail(id=id, name=name, category=category, **details)


def inputs(facts: CommuneFacts | None = None, **details) -> CriteriaInputs:
    defaults = {
        "as_of": D,
        "facts": facts or CommuneFacts(population=5000),
        "persons": (),
        "hotspots": (),
        "offences": (),
        "cultivation": (),
        "wanted": (),
        "hamlets": (
            HamletDetail(
                1,
                "Thôn Nà Lầu",
                hotline_board=True,
                pledge_signed_on=date(2025, 3, 1),
                active_models=1,
            ),
        ),
        "households": 800,
        "pledged_households": 800,
        "active_models": 1,
        "baseline": 0,
    }
    return CriteriaInputs(**{**defaults, **details})


def evaluate(code: str, **details) -> CriterionResult:
    """One criterion, through the public entry point (a one-criterion profile)."""
    profile = dataclasses.replace(QD28_2025, code="test", criteria=(code,))
    (result,) = evaluate_criteria(inputs(**details), profile)
    assert result.code == code
    return result


# --- Q1: no resident addicts or users, except those in treatment (art. 6.1)


def test_q1_passes_without_users():
    result = evaluate("Q1_no_users_except_treatment")

    assert result.result == Outcome.PASS
    assert result.evidence == "Không có người nghiện, sử dụng trái phép ngoài diện loại trừ"


def test_q1_passes_when_everyone_is_exempt():
    facts = CommuneFacts(population=5000, addicts=2, exempt_users=2)

    result = evaluate("Q1_no_users_except_treatment", facts=facts)

    assert result.result == Outcome.PASS
    assert "2 người thuộc diện loại trừ" in result.evidence


def test_q1_fails_naming_the_people_outside_treatment():
    facts = CommuneFacts(population=5000, addicts=2, illegal_users=1, exempt_users=1)
    persons = (
        person(1, "Nông Văn A", "addict"),
        person(2, "Hoàng Văn B", "user"),
        person(3, "Lý Văn C", "addict", treatment_form="methadone"),
        person(4, "Vi Văn D", "addict", present=False),
    )

    result = evaluate("Q1_no_users_except_treatment", facts=facts, persons=persons)

    assert result.result == Outcome.FAIL
    assert result.evidence == (
        "2 người nghiện, sử dụng trái phép cư trú ngoài diện loại trừ (Điều 6.1): "
        "Nông Văn A, Hoàng Văn B"
    )
    assert result.causes == (
        Cause("person", 1, "Nông Văn A"),
        Cause("person", 2, "Hoàng Văn B"),
    )


def test_q1_decides_from_the_counts_even_without_details():
    facts = CommuneFacts(population=5000, addicts=1)

    result = evaluate("Q1_no_users_except_treatment", facts=facts, persons=None)

    assert result.result == Outcome.FAIL
    assert result.causes == ()


# --- Q2: no resident violators, no wanted offenders hiding (art. 6.2)


def test_q2_passes_and_names_the_period():
    result = evaluate("Q2_no_violations_no_fugitives")

    assert result.result == Outcome.PASS
    assert "15/12/2024–14/12/2025" in result.evidence
    assert "không có đối tượng truy nã" in result.evidence


def test_q2_fails_naming_offences_and_cultivation():
    facts = CommuneFacts(population=5000, resident_violators=3)
    offences = (
        OffenceDetail(7, "VA-07", "possession", offenders=2, resident_offenders=2),
        OffenceDetail(8, "VA-08", "trafficking", offenders=1, resident_offenders=0),
    )
    cultivation = (CultivationDetail(3, "TC-03", plants=120),)

    result = evaluate(
        "Q2_no_violations_no_fugitives", facts=facts, offences=offences, cultivation=cultivation
    )

    assert result.result == Outcome.FAIL
    assert result.evidence.startswith(
        "3 người cư trú vi phạm pháp luật về ma túy trong kỳ 15/12/2024–14/12/2025: "
        "VA-07, TC-03 (120 cây)"
    )
    assert [cause.kind for cause in result.causes] == ["offence", "cultivation"]


def test_q2_fails_on_a_wanted_offender_hiding():
    facts = CommuneFacts(population=5000, wanted_hiding=1)

    result = evaluate(
        "Q2_no_violations_no_fugitives", facts=facts, wanted=(WantedDetail(4, "TN-2025-04"),)
    )

    assert result.result == Outcome.FAIL
    assert "1 đối tượng truy nã lẩn trốn: TN-2025-04" in result.evidence
    assert result.causes == (Cause("wanted", 4, "TN-2025-04"),)


# --- Q3: no harbouring places (art. 6.3)


def test_q3_passes_without_harbouring_places():
    result = evaluate("Q3_no_harbouring_places")

    assert result.result == Outcome.PASS
    assert result.evidence.startswith("Không có điểm tổ chức, chứa chấp")


def test_q3_fails_naming_only_harbouring_places():
    facts = CommuneFacts(population=5000, harbouring_places=1, hotspots=1)
    hotspots = (
        HotspotDetail(1, "ĐTC-01", "harbouring", active_on_d=False),
        HotspotDetail(2, "BL-02", "retail"),
    )

    result = evaluate("Q3_no_harbouring_places", facts=facts, hotspots=hotspots)

    assert result.result == Outcome.FAIL
    assert result.evidence.endswith(": ĐTC-01 (điểm tổ chức, chứa chấp sử dụng)")
    assert result.causes == (Cause("hotspot", 1, "ĐTC-01 (điểm tổ chức, chứa chấp sử dụng)"),)


@pytest.mark.parametrize(
    "counts",
    [
        {},
        {"addicts": 3, "exempt_users": 3},
        {"addicts": 3, "exempt_users": 2},
        {"resident_violators": 1},
        {"wanted_hiding": 1},
        {"harbouring_places": 1},
        {"hotspots": 2, "arrested_offenders": 4},
        {"unfiled_users": 1},
        {"addicts": 2, "exempt_users": 2, "unfiled_users": 1},
    ],
)
def test_q1_to_q3_agree_with_the_drug_free_level(counts):
    facts = CommuneFacts(population=5000, **counts)

    results = evaluate_criteria(inputs(facts=facts), "qd28-2025")

    assert is_eligible(results) == (classify(facts).level is Level.DRUG_FREE)


# --- Household pledges: TV3, TH9 and the provincial PLEDGES_100


@pytest.mark.parametrize("code", ["TV3_household_pledges", "TH9_household_pledges", "PLEDGES_100"])
@pytest.mark.parametrize(
    "households, pledged, outcome, evidence",
    [
        (1000, 1000, Outcome.PASS, "Đã ký cam kết 1.000/1.000 hộ"),
        (1000, 1001, Outcome.PASS, "Đã ký cam kết 1.001/1.000 hộ"),
        (1000, 999, Outcome.FAIL, "Đã ký cam kết 999/1.000 hộ (99,9%), còn thiếu 1 hộ"),
        (1000, 0, Outcome.FAIL, "Đã ký cam kết 0/1.000 hộ (0%), còn thiếu 1.000 hộ"),
        (None, 500, Outcome.UNKNOWN, "Chưa có số hộ gia đình của xã"),
        (0, 0, Outcome.UNKNOWN, "Chưa có số hộ gia đình của xã"),
    ],
)
def test_household_pledges(code, households, pledged, outcome, evidence):
    result = evaluate(code, households=households, pledged_households=pledged)

    assert result.result == outcome
    assert result.evidence == evidence


# --- Prevention model: TV8, TH10 and the provincial MODEL_1


@pytest.mark.parametrize("code", ["TV8_prevention_model", "TH10_prevention_model", "MODEL_1"])
@pytest.mark.parametrize(
    "models, outcome, evidence",
    [
        (2, Outcome.PASS, "2 mô hình đang hoạt động ngày 01/12/2025"),
        (1, Outcome.PASS, "1 mô hình đang hoạt động ngày 01/12/2025"),
        (0, Outcome.FAIL, "Không có mô hình phòng, chống ma túy hoạt động ngày 01/12/2025"),
        (None, Outcome.UNKNOWN, "Chưa có dữ liệu mô hình phòng, chống ma túy"),
    ],
)
def test_prevention_model(code, models, outcome, evidence):
    result = evaluate(code, active_models=models)

    assert result.result == outcome
    assert result.evidence == evidence


# --- Not above the baseline: TV4, TH4


@pytest.mark.parametrize("code", ["TV4_not_above_baseline", "TH4_not_above_baseline"])
@pytest.mark.parametrize(
    "addicts, users, baseline, outcome",
    [(4, 2, 6, Outcome.PASS), (3, 2, 6, Outcome.PASS), (5, 2, 6, Outcome.FAIL)],
)
def test_not_above_baseline(code, addicts, users, baseline, outcome):
    facts = CommuneFacts(population=5000, addicts=addicts, illegal_users=users)

    result = evaluate(code, facts=facts, baseline=baseline)

    assert result.result == outcome
    assert result.evidence.startswith(
        f"Hiện có {addicts + users} người nghiện, sử dụng trái phép; khi đăng ký: 6"
    )


def test_not_above_baseline_names_people_listed_after_registration():
    facts = CommuneFacts(population=5000, addicts=3)
    persons = (
        person(1, "Nông Văn A", listed_on=date(2024, 5, 1)),
        person(2, "Hoàng Văn B", listed_on=date(2025, 3, 2)),
        person(3, "Lý Văn C", listed_on=date(2025, 6, 9)),
    )

    result = evaluate(
        "TV4_not_above_baseline",
        facts=facts,
        persons=persons,
        baseline=1,
        registered_on=date(2024, 12, 10),
    )

    assert result.result == Outcome.FAIL
    assert result.evidence == (
        "Hiện có 3 người nghiện, sử dụng trái phép; khi đăng ký: 1, tăng 2; "
        "lập danh sách sau ngày đăng ký: Hoàng Văn B, Lý Văn C"
    )
    assert [cause.id for cause in result.causes] == [2, 3]


@pytest.mark.parametrize("code", ["TV4_not_above_baseline", "TH4_not_above_baseline"])
def test_not_above_baseline_unknown_without_registration(code):
    result = evaluate(code, baseline=None)

    assert result.result == Outcome.UNKNOWN
    assert result.evidence == "Chưa có đăng ký xây dựng xã không ma túy năm 2025"


# --- Hotline boards: TV3


def test_hotline_boards_pass_when_every_hamlet_has_one():
    hamlets = (HamletDetail(1, "Thôn 1", True), HamletDetail(2, "Thôn 2", True))

    result = evaluate("TV3_hotline_boards", hamlets=hamlets)

    assert result.result == Outcome.PASS
    assert result.evidence.startswith("2/2 thôn")


def test_hotline_boards_fail_naming_the_hamlets():
    hamlets = (
        HamletDetail(1, "Ấp Chợ", True),
        HamletDetail(2, "Ấp Giồng", False),
        HamletDetail(3, "Khóm 3", False),
    )

    result = evaluate("TV3_hotline_boards", hamlets=hamlets)

    assert result.result == Outcome.FAIL
    assert result.evidence == (
        "2/3 thôn, ấp, khóm chưa có bảng niêm yết số điện thoại đường dây nóng: Ấp Giồng, Khóm 3"
    )
    assert result.causes == (Cause("hamlet", 2, "Ấp Giồng"), Cause("hamlet", 3, "Khóm 3"))


@pytest.mark.parametrize("hamlets", [None, ()])
def test_hotline_boards_unknown_without_hamlets(hamlets):
    result = evaluate("TV3_hotline_boards", hamlets=hamlets)

    assert result.result == Outcome.UNKNOWN


# --- Suspects tested: TV7, TH3


@pytest.mark.parametrize("code", ["TV7_suspects_tested", "TH3_suspects_tested"])
@pytest.mark.parametrize(
    "tests, outcome",
    [
        pytest.param(((date(2025, 6, 1), "negative"),), Outcome.PASS, id="on-the-day-listed"),
        pytest.param(((date(2025, 9, 1), "positive"),), Outcome.PASS, id="after-any-result"),
        pytest.param(((date(2025, 5, 31), "negative"),), Outcome.FAIL, id="before-listed"),
        pytest.param(((date(2025, 12, 2), "negative"),), Outcome.FAIL, id="after-d"),
        pytest.param((), Outcome.FAIL, id="never-tested"),
    ],
)
def test_suspects_tested(code, tests, outcome):
    suspect = person(5, "Lương Văn E", "suspect", listed_on=date(2025, 6, 1), tests=tests)

    result = evaluate(code, persons=(suspect,))

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence == (
            "1 người nghi sử dụng chưa được xét nghiệm từ khi lập danh sách: Lương Văn E"
        )
        assert result.causes == (Cause("person", 5, "Lương Văn E"),)


def test_suspects_tested_checks_absent_suspects_too():
    absent = person(5, "Lương Văn E", "suspect", present=False, listed_on=date(2025, 6, 1))

    result = evaluate("TH3_suspects_tested", persons=(absent,))

    assert result.result == Outcome.FAIL


@pytest.mark.parametrize("code", ["TV7_suspects_tested", "TH3_suspects_tested"])
def test_suspects_tested_unknown_without_persons(code):
    result = evaluate(code, persons=None)

    assert result.result == Outcome.UNKNOWN
    assert result.evidence == "Chưa có dữ liệu hồ sơ người liên quan đến ma túy"


# --- evaluate_criteria, is_eligible and the profiles


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_evaluate_criteria_follows_the_profile_order(code):
    results = evaluate_criteria(inputs(), code)

    assert tuple(result.code for result in results) == PROFILES[code].criteria
    assert all(isinstance(result, CriterionResult) for result in results)


@pytest.mark.parametrize("code", sorted(PROFILES))
def test_a_clean_commune_is_eligible_under_every_profile(code):
    results = evaluate_criteria(inputs(), code)

    assert is_eligible(results), [r for r in results if r.result != Outcome.PASS]


def test_evaluate_criteria_defaults_to_qd28():
    results = evaluate_criteria(inputs())

    assert [r.code for r in results] == list(QD28_2025.criteria)


def test_a_profile_with_an_unknown_criterion_is_refused():
    profile = dataclasses.replace(QD28_2025, criteria=("Q1_no_users_except_treatment", "X9"))

    with pytest.raises(ValueError, match="X9"):
        evaluate_criteria(inputs(), profile)


@pytest.mark.parametrize(
    "outcomes, eligible",
    [
        ([Outcome.PASS, Outcome.PASS], True),
        ([Outcome.PASS, Outcome.UNKNOWN], False),
        ([Outcome.FAIL, Outcome.PASS], False),
        ([], False),
    ],
)
def test_is_eligible(outcomes, eligible):
    results = [CriterionResult(f"C{i}", outcome, "") for i, outcome in enumerate(outcomes)]

    assert is_eligible(results) is eligible


def test_profile_criteria_are_the_contract_codes():
    assert PROFILES["qd28-2025"].criteria == (
        "Q1_no_users_except_treatment",
        "Q2_no_violations_no_fugitives",
        "Q3_no_harbouring_places",
    )
    assert len(PROFILES["tra-vinh-2025"].criteria) == 10
    assert PROFILES["thanh-hoa-2024"].criteria[-1] == "TH10_prevention_model"
    assert PROFILES["lang-son-2025"].criteria == (
        *QD28_2025.criteria,
        "LS_hamlet_pledges",
        "LS_model_per_hamlet",
    )
    assert "214/KH-UBND" in PROFILES["lang-son-2025"].legal_basis


def test_every_criterion_has_a_title_and_every_listed_criterion_exists():
    listed = {code for profile in PROFILES.values() for code in profile.criteria}

    assert listed <= set(CRITERIA)
    assert set(CRITERIA) == set(CRITERION_TITLES)


def test_results_carry_their_title_and_serialise_as_plain_strings():
    (result,) = evaluate_criteria(inputs(), dataclasses.replace(QD28_2025, criteria=("MODEL_1",)))

    assert result.title == "Ít nhất 01 mô hình phòng, chống ma túy"
    assert result.result == "pass"
    assert f"{result.result}" == "pass"


def test_period_can_be_given_by_the_caller():
    given = inputs(period_start=date(2025, 1, 1), period_end=date(2025, 11, 30))

    assert given.period == (date(2025, 1, 1), date(2025, 11, 30))
    assert inputs().period == (date(2024, 12, 15), date(2025, 12, 14))
    assert date(2025, 12, 1) == D


def test_period_needs_both_ends():
    with pytest.raises(ValueError, match="both"):
        inputs(period_start=date(2025, 1, 1))


# --- TV1: no hotspot active on D, no offence by a resident in the period


def test_tv1_passes_on_a_clean_commune():
    result = evaluate("TV1_no_hotspot_no_offence")

    assert result.result == Outcome.PASS
    assert result.evidence == (
        "Không có điểm, tụ điểm, ổ nhóm hoạt động ngày 01/12/2025; không có vụ phạm tội về "
        "ma túy do người cư trú gây ra trong kỳ 15/12/2024–14/12/2025"
    )


def test_tv1_fails_naming_the_hotspot_active_on_d():
    facts = CommuneFacts(population=5000, hotspots=1)
    hotspots = (
        HotspotDetail(1, "TĐ-01", "den", active_on_d=False),  # eradicated during the period
        HotspotDetail(2, "BL-02", "retail"),
    )

    result = evaluate("TV1_no_hotspot_no_offence", facts=facts, hotspots=hotspots)

    assert result.result == Outcome.FAIL
    assert result.evidence.startswith(
        "1 điểm, tụ điểm, ổ nhóm hoạt động ngày 01/12/2025: BL-02 (điểm bán lẻ)"
    )
    assert result.causes == (Cause("hotspot", 2, "BL-02 (điểm bán lẻ)"),)


def test_tv1_fails_naming_the_offence_by_a_resident():
    facts = CommuneFacts(population=5000, drug_offences=1)
    offences = (
        OffenceDetail(1, "VA-01", "trafficking", offenders=2, resident_offenders=0),
        OffenceDetail(2, "VA-02", "possession", offenders=1, resident_offenders=1),
    )

    result = evaluate("TV1_no_hotspot_no_offence", facts=facts, offences=offences)

    assert result.result == Outcome.FAIL
    assert result.evidence.endswith("do người cư trú gây ra trong kỳ 15/12/2024–14/12/2025: VA-02")
    assert result.causes == (Cause("offence", 2, "VA-02"),)


# --- TV2: addicts filed and in rehab; users and post-rehab persons filed and tested


@pytest.mark.parametrize(
    "addict, outcome, evidence",
    [
        pytest.param(
            person(treatment_form="home_community"),
            Outcome.PASS,
            "1 người nghiện, tất cả đạt yêu cầu",
            id="filed-in-rehab",
        ),
        pytest.param(
            person(has_file=False, treatment_form="methadone"),
            Outcome.FAIL,
            "1 người nghiện chưa có hồ sơ: Nông Văn A",
            id="no-file",
        ),
        pytest.param(
            person(),
            Outcome.FAIL,
            "1 người nghiện chưa được áp dụng hình thức cai nghiện, điều trị: Nông Văn A",
            id="no-rehab",
        ),
        pytest.param(
            person(present=False, has_file=False),
            Outcome.PASS,
            "0 người nghiện, tất cả đạt yêu cầu",
            id="absent-not-checked",
        ),
    ],
)
def test_tv2_addicts_filed_in_rehab(addict, outcome, evidence):
    result = evaluate("TV2_addicts_filed_in_rehab", persons=(addict,))

    assert result.result == outcome
    assert result.evidence == evidence


def test_tv2_addicts_groups_people_by_problem():
    persons = (
        person(1, "Nông Văn A", has_file=False),
        person(2, "Hoàng Văn B", has_file=False, treatment_form="voluntary_facility"),
        person(3, "Lý Văn C", treatment_form="methadone"),
    )

    result = evaluate("TV2_addicts_filed_in_rehab", persons=persons)

    assert result.evidence == (
        "2 người nghiện chưa có hồ sơ: Nông Văn A, Hoàng Văn B; "
        "1 người nghiện chưa được áp dụng hình thức cai nghiện, điều trị: Nông Văn A"
    )
    assert [cause.id for cause in result.causes] == [1, 2]  # each person once


@pytest.mark.parametrize(
    "category, has_file, tested_on, outcome",
    [
        pytest.param("user", True, date(2025, 3, 1), Outcome.PASS, id="user-tested"),
        pytest.param("post_rehab", True, date(2024, 12, 15), Outcome.PASS, id="first-day"),
        pytest.param("user", True, date(2024, 12, 14), Outcome.FAIL, id="before-the-period"),
        pytest.param("user", True, date(2025, 12, 2), Outcome.FAIL, id="after-d"),
        pytest.param("post_rehab", False, date(2025, 3, 1), Outcome.FAIL, id="no-file"),
    ],
)
def test_tv2_users_filed_tested(category, has_file, tested_on, outcome):
    """The periodic test moves across the period's bounds; the surprise test stays inside."""
    tests = (negative(tested_on, "periodic"), negative(date(2025, 6, 1), "surprise"))
    subject = person(category=category, has_file=has_file, tests=tests)

    result = evaluate("TV2_users_filed_tested", persons=(subject,))

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence.endswith(": Nông Văn A")
        assert result.evidence.startswith("1 người sử dụng trái phép, sau cai nghiện chưa")


@pytest.mark.parametrize(
    "code",
    ["TV2_addicts_filed_in_rehab", "TV2_users_filed_tested", "TH1_addicts_under_10_negative_30d",
     "TH2_users_negative_30d", "TH5_post_rehab_managed"],
)  # fmt: skip
def test_person_criteria_unknown_without_persons(code):
    result = evaluate(code, persons=None)

    assert result.result == Outcome.UNKNOWN
    assert result.evidence == "Chưa có dữ liệu hồ sơ người liên quan đến ma túy"


# --- TV5, TV6, TH8: offences by people under management, serious incidents


@pytest.mark.parametrize(
    "code, offence, outcome",
    [
        pytest.param("TV5_no_offence_by_managed", {"by_managed_person": True}, Outcome.FAIL,
                     id="tv5-by-managed"),
        pytest.param("TV5_no_offence_by_managed", {"serious": True}, Outcome.PASS,
                     id="tv5-by-someone-else"),
        pytest.param("TV6_no_serious_incident", {"serious": True, "by_managed_person": True},
                     Outcome.FAIL, id="tv6-serious-by-managed"),
        pytest.param("TV6_no_serious_incident", {"psychosis_incident": True}, Outcome.FAIL,
                     id="tv6-any-psychosis-incident"),
        pytest.param("TV6_no_serious_incident", {"serious": True}, Outcome.PASS,
                     id="tv6-serious-by-someone-else"),
        pytest.param("TV6_no_serious_incident", {"by_managed_person": True}, Outcome.PASS,
                     id="tv6-not-serious"),
        pytest.param("TH8_no_serious_incident", {"serious": True, "by_managed_person": True},
                     Outcome.FAIL, id="th8-serious-by-managed"),
        pytest.param("TH8_no_serious_incident", {"serious": True, "psychosis_incident": True},
                     Outcome.FAIL, id="th8-serious-psychosis"),
        pytest.param("TH8_no_serious_incident", {"psychosis_incident": True}, Outcome.PASS,
                     id="th8-psychosis-not-serious"),
        pytest.param("TH8_no_serious_incident", {"serious": True}, Outcome.PASS,
                     id="th8-serious-by-someone-else"),
    ],
)  # fmt: skip
def test_offence_criteria(code, offence, outcome):
    offences = (
        OffenceDetail(1, "VA-01", "possession", offenders=1),
        OffenceDetail(9, "VA-09", "other", offenders=1, **offence),
    )

    result = evaluate(code, offences=offences)

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence.startswith("1 vụ")
        assert result.evidence.endswith("trong kỳ 15/12/2024–14/12/2025: VA-09")
        assert result.causes == (Cause("offence", 9, "VA-09"),)
    else:
        assert result.evidence.startswith("Không có vụ")


@pytest.mark.parametrize(
    "code", ["TV5_no_offence_by_managed", "TV6_no_serious_incident", "TH8_no_serious_incident"]
)
def test_offence_criteria_unknown_without_offences(code):
    result = evaluate(code, offences=None)

    assert result.result == Outcome.UNKNOWN
    assert result.evidence == "Chưa có dữ liệu các vụ việc về ma túy trong kỳ"


# --- TH1: fewer than 10 addicts, filed, in treatment, negative within 30 days


def addict_in_treatment(*tests, id=1, name="Nông Văn A"):
    return person(id, name, "addict", treatment_form="home_community", tests=tests)


@pytest.mark.parametrize(
    "tests, outcome",
    [
        pytest.param((negative(D),), Outcome.PASS, id="negative-on-d"),
        pytest.param((negative(days_before(30)),), Outcome.PASS, id="negative-30-days-before"),
        pytest.param((negative(days_before(31)),), Outcome.FAIL, id="negative-31-days-before"),
        pytest.param(
            (negative(days_before(20)), positive(days_before(10))),
            Outcome.FAIL,
            id="positive-after-the-negative",
        ),
        pytest.param(
            (negative(days_before(10)), positive(days_before(10))),
            Outcome.FAIL,
            id="positive-on-the-same-day",
        ),
        pytest.param(
            (positive(days_before(20)), negative(days_before(10))),
            Outcome.PASS,
            id="positive-before-the-negative",
        ),
        pytest.param(
            (negative(days_before(25)), positive(days_before(15)), negative(days_before(5))),
            Outcome.PASS,
            id="negative-again-after-a-positive",
        ),
        pytest.param(
            (negative(days_before(10)), positive(D + timedelta(days=1))),
            Outcome.PASS,
            id="tests-after-d-ignored",
        ),
        pytest.param((positive(days_before(5)),), Outcome.FAIL, id="only-positive"),
        pytest.param((), Outcome.FAIL, id="never-tested"),
    ],
)
def test_th1_thirty_day_window(tests, outcome):
    result = evaluate("TH1_addicts_under_10_negative_30d", persons=(addict_in_treatment(*tests),))

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence == (
            "1 người nghiện không có kết quả âm tính từ 01/11/2025 hoặc dương tính sau đó: "
            "Nông Văn A"
        )
    else:
        assert result.evidence == "1 người nghiện ngoài cộng đồng, đều đạt yêu cầu"


@pytest.mark.parametrize("count, outcome", [(9, Outcome.PASS), (10, Outcome.FAIL)])
def test_th1_fewer_than_10_addicts(count, outcome):
    addicts = tuple(
        addict_in_treatment(negative(days_before(3)), id=i, name=f"Người {i}") for i in range(count)
    )

    result = evaluate("TH1_addicts_under_10_negative_30d", persons=addicts)

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence == "10 người nghiện ngoài cộng đồng (phải dưới 10)"


def test_th1_too_many_addicts_and_their_problems_are_both_told():
    addicts = tuple(person(i, f"Người {i}", treatment_form="methadone") for i in range(10))

    result = evaluate("TH1_addicts_under_10_negative_30d", persons=addicts)

    assert result.result == Outcome.FAIL
    assert result.evidence.startswith("10 người nghiện ngoài cộng đồng (phải dưới 10); 10 người")
    assert len(result.causes) == 10


def test_th1_counts_addicts_present_only():
    present = tuple(addict_in_treatment(negative(D), id=i, name=f"Người {i}") for i in range(9))
    absent = person(99, "Vắng Mặt", present=False)

    result = evaluate("TH1_addicts_under_10_negative_30d", persons=(*present, absent))

    assert result.result == Outcome.PASS


@pytest.mark.parametrize(
    "changes, problem",
    [
        ({"has_file": False}, "chưa có hồ sơ"),
        ({"treatment_form": ""}, "không đang cai nghiện, điều trị"),
    ],
)
def test_th1_needs_a_file_and_an_open_treatment(changes, problem):
    addict = dataclasses.replace(addict_in_treatment(negative(D)), **changes)

    result = evaluate("TH1_addicts_under_10_negative_30d", persons=(addict,))

    assert result.result == Outcome.FAIL
    assert result.evidence == f"1 người nghiện {problem}: Nông Văn A"


def test_th1_passes_without_addicts():
    result = evaluate("TH1_addicts_under_10_negative_30d", persons=())

    assert result.result == Outcome.PASS
    assert result.evidence.startswith("0 người nghiện")


# --- TH2: users and psychosis cases negative within 30 days


@pytest.mark.parametrize(
    "subject, outcome",
    [
        pytest.param(person(category="user", tests=(negative(days_before(30)),)), Outcome.PASS,
                     id="user-negative-30-days-before"),
        pytest.param(person(category="user", tests=(negative(days_before(31)),)), Outcome.FAIL,
                     id="user-negative-31-days-before"),
        pytest.param(person(category="user", tests=(positive(days_before(3)),)), Outcome.FAIL,
                     id="user-positive-only"),
        pytest.param(person(category="post_rehab", psychosis=True), Outcome.FAIL,
                     id="psychosis-flagged-untested"),
        pytest.param(person(category="post_rehab", psychosis=True, tests=(negative(D),)),
                     Outcome.PASS, id="psychosis-flagged-negative"),
        pytest.param(person(category="post_rehab"), Outcome.PASS, id="post-rehab-not-checked"),
        pytest.param(person(category="user", present=False), Outcome.PASS, id="absent-user"),
    ],
)  # fmt: skip
def test_th2_users_negative_30d(subject, outcome):
    result = evaluate("TH2_users_negative_30d", persons=(subject,))

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence == (
            "1 người sử dụng trái phép, có biểu hiện loạn thần không có kết quả âm tính "
            "từ 01/11/2025 đến 01/12/2025 hoặc dương tính sau đó: Nông Văn A"
        )


# --- TH5: post-rehab persons filed, tested and supported


@pytest.mark.parametrize(
    "changes, problem",
    [
        pytest.param({}, None, id="managed"),
        pytest.param({"has_file": False}, "chưa có hồ sơ", id="no-file"),
        pytest.param({"tests": (negative(date(2025, 7, 1), "periodic"),)},
                     "chưa được xét nghiệm đột xuất trong kỳ 15/12/2024–14/12/2025",
                     id="periodic-only"),
        pytest.param({"tests": (negative(date(2025, 7, 1), "surprise"),)},
                     "chưa được xét nghiệm định kỳ trong kỳ 15/12/2024–14/12/2025",
                     id="surprise-only"),
        pytest.param({"support_dates": (date(2024, 12, 1),)},
                     "chưa được tư vấn, hỗ trợ trong kỳ 15/12/2024–14/12/2025",
                     id="supported-before-the-period"),
    ],
)  # fmt: skip
def test_th5_post_rehab_managed(changes, problem):
    managed = person(
        category="post_rehab",
        tests=(negative(date(2025, 7, 1), "periodic"), negative(date(2025, 9, 3), "surprise")),
        support_dates=(date(2025, 4, 2),),
    )

    result = evaluate("TH5_post_rehab_managed", persons=(dataclasses.replace(managed, **changes),))

    if problem is None:
        assert result.result == Outcome.PASS
    else:
        assert result.result == Outcome.FAIL
        assert result.evidence == f"1 người sau cai nghiện {problem}: Nông Văn A"


# --- TH6: no hotspot, no cultivation, no production


def test_th6_passes_on_a_clean_commune():
    result = evaluate("TH6_no_hotspot_plant_production")

    assert result.result == Outcome.PASS
    assert "không phát hiện trồng cây" in result.evidence


@pytest.mark.parametrize(
    "details, cause",
    [
        pytest.param(
            {"facts": CommuneFacts(population=5000, hotspots=1),
             "hotspots": (HotspotDetail(4, "TĐ-04", "den"),)},
            Cause("hotspot", 4, "TĐ-04 (tụ điểm)"),
            id="hotspot",
        ),
        pytest.param(
            {"facts": CommuneFacts(population=5000, drug_plants=120),
             "cultivation": (CultivationDetail(6, "TC-06", plants=120),)},
            Cause("cultivation", 6, "TC-06 (120 cây)"),
            id="cultivation",
        ),
        pytest.param(
            {"cultivation": (CultivationDetail(7, "TC-07", area_m2=12.5),)},
            Cause("cultivation", 7, "TC-07 (12,5 m²)"),
            id="cultivation-by-area",
        ),
        pytest.param(
            {"offences": (OffenceDetail(8, "VA-08", "production", offenders=1),)},
            Cause("offence", 8, "VA-08"),
            id="production",
        ),
    ],
)  # fmt: skip
def test_th6_fails_naming_the_cause(details, cause):
    result = evaluate("TH6_no_hotspot_plant_production", **details)

    assert result.result == Outcome.FAIL
    assert result.causes == (cause,)
    assert cause.label in result.evidence


def test_th6_fails_on_plant_counts_without_details():
    facts = CommuneFacts(population=5000, plant_area_m2=3.0)

    result = evaluate("TH6_no_hotspot_plant_production", facts=facts, cultivation=None)

    assert result.result == Outcome.FAIL
    assert "1 vụ phát hiện trồng cây có chứa chất ma túy" in result.evidence


def test_th6_unknown_without_offences_unless_another_part_fails():
    unknown = evaluate("TH6_no_hotspot_plant_production", offences=None)
    failed = evaluate(
        "TH6_no_hotspot_plant_production",
        offences=None,
        facts=CommuneFacts(population=5000, hotspots=1),
    )

    assert unknown.result == Outcome.UNKNOWN
    assert unknown.evidence.endswith("; chưa có dữ liệu các vụ việc về ma túy trong kỳ")
    assert failed.result == Outcome.FAIL


# --- TH7: resident offenders and wanted offenders arrested


@pytest.mark.parametrize(
    "offence, outcome",
    [
        pytest.param({"kind": "trafficking", "offenders": 3, "resident_offenders": 2,
                      "offenders_arrested": 2}, Outcome.PASS, id="residents-arrested"),
        pytest.param({"kind": "trafficking", "offenders": 3, "resident_offenders": 2,
                      "offenders_arrested": 1}, Outcome.FAIL, id="a-resident-at-large"),
        pytest.param({"kind": "use_administrative", "offenders": 1, "resident_offenders": 1},
                     Outcome.PASS, id="administrative-use-is-handled-not-arrested"),
    ],
)  # fmt: skip
def test_th7_offenders_arrested(offence, outcome):
    offences = (OffenceDetail(3, "VA-03", **offence),)

    result = evaluate("TH7_offenders_arrested", offences=offences)

    assert result.result == outcome
    if outcome == Outcome.FAIL:
        assert result.evidence.startswith(
            "1 vụ còn người phạm tội cư trú trên địa bàn chưa bị bắt giữ trong kỳ"
        )
        assert result.causes == (Cause("offence", 3, "VA-03"),)


def test_th7_fails_on_a_wanted_offender_hiding_even_without_offences():
    facts = CommuneFacts(population=5000, wanted_hiding=2)
    wanted = (WantedDetail(1, "TN-01"), WantedDetail(2, "TN-02"))

    result = evaluate("TH7_offenders_arrested", facts=facts, wanted=wanted, offences=None)

    assert result.result == Outcome.FAIL
    assert result.evidence.endswith("2 đối tượng truy nã lẩn trốn: TN-01, TN-02")


def test_th7_unknown_without_offences():
    result = evaluate("TH7_offenders_arrested", offences=None)

    assert result.result == Outcome.UNKNOWN


def test_long_lists_of_names_are_cut_short_but_causes_are_complete():
    addicts = tuple(person(i, f"Người {i:02}") for i in range(12))

    result = evaluate("TV2_addicts_filed_in_rehab", persons=addicts)

    assert result.evidence.endswith("Người 09 và 2 trường hợp khác")
    assert len(result.causes) == 12
