"""Every recognition criterion in one table: its code, title, function and what it reads.

Adding a criterion is one entry here and one function in `criteria/`; a profile (profiles.py)
then lists its code. The old names CRITERIA, CRITERION_TITLES and CRITERIA_READING_* are
derived from this table, never written by hand.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from .criteria import lang_son, qd28, shared, thanh_hoa, tra_vinh
from .criteria.inputs import CriteriaInputs
from .criteria.verdicts import Cause, Outcome, Verdict
from .profiles import DEFAULT_PROFILE, Profile, get_profile

CriterionFunction = Callable[[CriteriaInputs], Verdict]


class Reads(StrEnum):
    """Inputs that the facts loader skips unless a criterion in use reads them (each is a large
    register or a count over one)."""

    # People's drug tests, the largest register.
    TESTS = "tests"
    # People other than the addicts and illegal users present on D: suspects, people after
    # rehab, anyone with psychosis, people absent.
    OTHER_PERSONS = "other_persons"
    # The count of pledged households: a count over every household of the communes.
    PLEDGES = "pledges"
    # Support actions given (counselling, job, training, loan).
    SUPPORT = "support"


@dataclass(frozen=True)
class Criterion:
    code: str  # contracts.md §2
    title: str  # Vietnamese, as the scorecard, the PDFs and the admin show it
    check: CriterionFunction
    reads: frozenset[Reads] = frozenset()
    # A province may add it on top of a built-in profile (the 2025 provincial plans' extras).
    extra: bool = False


def _criterion(code, title, check, *reads: Reads, extra: bool = False) -> Criterion:
    return Criterion(code, title, check, frozenset(reads), extra)


REGISTRY: dict[str, Criterion] = {
    criterion.code: criterion
    for criterion in (
        # QĐ 28/2025 art. 6
        _criterion(
            "Q1_no_users_except_treatment",
            "Không có người nghiện, người sử dụng trái phép cư trú, trừ người điều trị thay thế, "
            "cai nghiện tại gia đình, cộng đồng hoặc quản lý sau cai",
            qd28.no_users_except_treatment,
        ),
        _criterion(
            "Q2_no_violations_no_fugitives",
            "Không có người cư trú vi phạm pháp luật về ma túy, "
            "không có đối tượng truy nã lẩn trốn",
            qd28.no_violations_no_fugitives,
        ),
        _criterion(
            "Q3_no_harbouring_places",
            "Không có điểm tổ chức, chứa chấp sử dụng trái phép chất ma túy",
            qd28.no_harbouring_places,
        ),
        # Trà Vinh 2025 (seed 001, section 3)
        _criterion(
            "TV1_no_hotspot_no_offence",
            "Không có tụ điểm, điểm, ổ nhóm, đường dây; "
            "không có vụ phạm tội do người cư trú gây ra",
            tra_vinh.no_hotspot_no_resident_offence,
        ),
        _criterion(
            "TV2_addicts_filed_in_rehab",
            "100% người nghiện có hồ sơ và được áp dụng hình thức cai nghiện",
            tra_vinh.addicts_filed_in_rehab,
        ),
        _criterion(
            "TV2_users_filed_tested",
            "100% người sử dụng trái phép, người sau cai có hồ sơ và được xét nghiệm",
            tra_vinh.users_filed_tested,
            Reads.TESTS,
            Reads.OTHER_PERSONS,
        ),
        _criterion(
            "TV3_household_pledges",
            "100% hộ gia đình ký cam kết",
            shared.household_pledges,
            Reads.PLEDGES,
        ),
        _criterion(
            "TV3_hotline_boards",
            "100% ấp, khóm có bảng niêm yết số điện thoại đường dây nóng",
            shared.hotline_boards,
        ),
        _criterion(
            "TV4_not_above_baseline",
            "Số người nghiện, sử dụng trái phép không tăng so với khi đăng ký",
            shared.not_above_baseline,
        ),
        _criterion(
            "TV5_no_offence_by_managed",
            "Không có vụ phạm tội do người sử dụng, người sau cai tái sử dụng gây ra",
            tra_vinh.no_offence_by_managed,
        ),
        _criterion(
            "TV6_no_serious_incident",
            "Không có vụ rất nghiêm trọng, đặc biệt nghiêm trọng hoặc vụ “ngáo đá”",
            tra_vinh.no_serious_incident_tra_vinh,
        ),
        _criterion(
            "TV7_suspects_tested",
            "Toàn bộ người có căn cứ nghi sử dụng được xét nghiệm",
            shared.suspects_tested,
            Reads.TESTS,
            Reads.OTHER_PERSONS,
        ),
        _criterion(
            "TV8_prevention_model",
            "Duy trì ít nhất 01 mô hình phòng, chống ma túy",
            shared.prevention_model,
        ),
        # Thanh Hóa 2024–2025 (seed 003, section II)
        _criterion(
            "TH1_addicts_under_10_negative_30d",
            "Dưới 10 người nghiện, có hồ sơ, đang cai nghiện/điều trị, âm tính trong 30 ngày",
            thanh_hoa.addicts_under_10_negative_30d,
            Reads.TESTS,
        ),
        _criterion(
            "TH2_users_negative_30d",
            "100% người sử dụng trái phép, người có biểu hiện loạn thần âm tính trong 30 ngày",
            thanh_hoa.users_negative_30d,
            Reads.TESTS,
            Reads.OTHER_PERSONS,
        ),
        _criterion(
            "TH3_suspects_tested",
            "100% người có căn cứ nghi sử dụng được lập danh sách và xét nghiệm",
            shared.suspects_tested,
            Reads.TESTS,
            Reads.OTHER_PERSONS,
        ),
        _criterion(
            "TH4_not_above_baseline",
            "Số người nghiện, sử dụng trái phép không tăng so với khi đăng ký",
            shared.not_above_baseline,
        ),
        _criterion(
            "TH5_post_rehab_managed",
            "100% người sau cai có hồ sơ, được xét nghiệm và được tư vấn, hỗ trợ",
            thanh_hoa.post_rehab_managed,
            Reads.TESTS,
            Reads.OTHER_PERSONS,
            Reads.SUPPORT,
        ),
        _criterion(
            "TH6_no_hotspot_plant_production",
            "Không có điểm, tụ điểm, ổ nhóm; không trồng cây có chứa chất ma túy, không sản xuất",
            thanh_hoa.no_hotspot_plant_production,
        ),
        _criterion(
            "TH7_offenders_arrested",
            "Bắt giữ 100% người phạm tội cư trú trên địa bàn và 100% đối tượng truy nã lẩn trốn",
            thanh_hoa.offenders_arrested,
        ),
        _criterion(
            "TH8_no_serious_incident",
            "Không có vụ rất nghiêm trọng, đặc biệt nghiêm trọng do người nghiện, sử dụng, "
            "loạn thần gây ra",
            thanh_hoa.no_serious_incident_thanh_hoa,
        ),
        _criterion(
            "TH9_household_pledges",
            "100% đại diện hộ gia đình ký cam kết",
            shared.household_pledges,
            Reads.PLEDGES,
        ),
        _criterion(
            "TH10_prevention_model",
            "Xây dựng và duy trì ít nhất 01 mô hình phòng, chống ma túy",
            shared.prevention_model,
        ),
        # Lạng Sơn 2025 (seed 004, section II.1): per hamlet, never per household
        _criterion(
            "LS_hamlet_pledges",
            "100% thôn, xóm, bản, làng, khu dân cư ký cam kết không tham gia phạm tội, "
            "tệ nạn ma túy",
            lang_son.hamlet_pledges,
            extra=True,
        ),
        _criterion(
            "LS_model_per_hamlet",
            "Duy trì ít nhất 01 mô hình phòng, chống ma túy ở mỗi tổ, xóm",
            lang_son.model_per_hamlet,
            extra=True,
        ),
        # Provincial additions on top of QĐ 28 that a province may pick (household pledges are
        # Trà Vinh's and Thanh Hóa's reading; Lạng Sơn's is per hamlet, above)
        _criterion(
            "PLEDGES_100",
            "100% hộ gia đình ký cam kết",
            shared.household_pledges,
            Reads.PLEDGES,
            extra=True,
        ),
        _criterion(
            "MODEL_1",
            "Ít nhất 01 mô hình phòng, chống ma túy",
            shared.prevention_model,
            extra=True,
        ),
    )
}


# --- Derived from REGISTRY --------------------------------------------------------------------

CRITERIA: dict[str, CriterionFunction] = {code: c.check for code, c in REGISTRY.items()}
CRITERION_TITLES: dict[str, str] = {code: c.title for code, c in REGISTRY.items()}
EXTRA_CRITERIA: tuple[str, ...] = tuple(code for code, c in REGISTRY.items() if c.extra)


def criteria_reading(what: Reads) -> frozenset[str]:
    """The codes of the criteria that read `what`."""
    return frozenset(code for code, c in REGISTRY.items() if what in c.reads)


CRITERIA_READING_TESTS = criteria_reading(Reads.TESTS)
CRITERIA_READING_OTHER_PERSONS = criteria_reading(Reads.OTHER_PERSONS)
CRITERIA_READING_PLEDGES = criteria_reading(Reads.PLEDGES)
CRITERIA_READING_SUPPORT = criteria_reading(Reads.SUPPORT)


def inputs_read_by(codes: Iterable[str]) -> frozenset[Reads]:
    """What the criteria of `codes` read, together (unknown codes read nothing)."""
    return frozenset(what for code in codes if code in REGISTRY for what in REGISTRY[code].reads)


# --- Evaluating a profile's criteria ----------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    code: str
    result: Outcome
    evidence: str  # Vietnamese, with the counts and the names of the causes
    causes: tuple[Cause, ...] = ()

    @property
    def title(self) -> str:
        return CRITERION_TITLES.get(self.code, self.code)


def evaluate_criteria(
    inputs: CriteriaInputs, profile: str | Profile = DEFAULT_PROFILE
) -> tuple[CriterionResult, ...]:
    chosen = get_profile(profile)
    missing = [code for code in chosen.criteria if code not in REGISTRY]
    if missing:
        raise ValueError(f"Profile {chosen.code!r} lists unknown criteria: {', '.join(missing)}")
    return tuple(_evaluate(code, inputs) for code in chosen.criteria)


def _evaluate(code: str, inputs: CriteriaInputs) -> CriterionResult:
    verdict = REGISTRY[code].check(inputs)
    return CriterionResult(code, verdict.result, verdict.evidence, verdict.causes)


def is_eligible(results: Iterable[CriterionResult]) -> bool:
    """Eligible for recognition: every criterion passes (and there is at least one)."""
    outcomes = [result.result for result in results]
    return bool(outcomes) and all(outcome == Outcome.PASS for outcome in outcomes)
