"""The built-in assessment profiles, as data.

A profile says how a commune is classified (the thresholds of one of two rule shapes) and which
recognition criteria it must pass (codes of `registry.py`). The rules read these objects and
never hard-code a number, so a province can build its own profile from the same parts:

    my_profile = dataclasses.replace(QD28_2025, code="x-2026", criteria=(...))

Percentages are written as the legal texts write them (0.5 means 0.5%) and as Decimal strings,
so that a boundary such as 85 people in 17,000 residents compares exactly.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

Threshold = int | float | Decimal | Fraction


@dataclass(frozen=True)
class Scale:
    """Thresholds of one criterion by type. A value reaches a type when it is positive and at
    least the threshold, so a threshold of 0 reads "more than zero"; None means the type has no
    such criterion (QĐ 28 has no Type III criterion for harbouring places)."""

    type_1: Threshold | None
    type_2: Threshold | None
    type_3: Threshold | None


@dataclass(frozen=True)
class CountOfCriteriaThresholds:
    """The national shape (QĐ 28/2025 art. 4): a type needs a number of its criteria."""

    users_percent: Scale  # addicts + illegal users with a file, % of residents
    harbouring_places: Scale
    arrests_percent: Scale  # arrested drug offenders, % of residents
    plants: Scale  # plants found and destroyed; with plant_area_m2 one criterion (either)
    plant_area_m2: Scale
    type_1_min_criteria: int = 3
    type_2_min_criteria: int = 3
    type_3_min_criteria: int = 1
    # The key-route criterion of a type needs this many criteria one type lower or higher.
    key_route_min_criteria: int = 2


@dataclass(frozen=True)
class AnyCriterionThresholds:
    """The older provincial shape (Trà Vinh 2025 appendix): any one criterion gives the type,
    and a key route lifts a commune one type."""

    addicts: Scale
    hotspots: Scale
    plants: Scale
    plant_area_m2: Scale
    offenders_percent: Scale  # arrested drug offenders, % of residents


@dataclass(frozen=True)
class Profile:
    """A versioned set of rules; an assessment records the code and version it used.

    `valid_from` / `valid_until` (both included; None = open) say when its text is in force.
    The engine reads them: the classification of record is the national profile's from its
    `valid_from` (QĐ 28 art. 8: 24/08/2025), and a province's own levels are shown beside it
    only while the province's text is in force (classification.classification_of_record)."""

    code: str
    title: str
    legal_basis: str
    valid_from: date
    version: int
    thresholds: CountOfCriteriaThresholds | AnyCriterionThresholds
    criteria: tuple[str, ...]  # recognition criteria codes, in the order they are shown
    valid_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def has_own_levels(self) -> bool:
        """Classifies by a table of its own (Trà Vinh's appendix), not by QĐ 28 art. 4."""
        return self.thresholds != QD28_THRESHOLDS


@dataclass(frozen=True)
class ProvinceThresholds:
    """QĐ 28/2025 art. 5: a province is a key area when it meets `min_criteria` of these."""

    users_percent: Threshold
    harbouring_places: int
    arrests_percent: Threshold
    key_communes_percent: Threshold  # Type I + II communes, % of all communes
    plants: int
    plant_area_m2: Threshold
    min_criteria: int


QD28_THRESHOLDS = CountOfCriteriaThresholds(
    users_percent=Scale(Decimal("0.5"), Decimal("0.1"), 0),
    harbouring_places=Scale(2, 1, None),
    arrests_percent=Scale(Decimal("0.1"), Decimal("0.05"), 0),
    plants=Scale(3000, 500, 0),
    plant_area_m2=Scale(750, 125, 0),
)

QD28_PROVINCE = ProvinceThresholds(
    users_percent=Decimal("0.2"),
    harbouring_places=5,
    arrests_percent=Decimal("0.05"),
    key_communes_percent=3,
    plants=8000,
    plant_area_m2=2000,
    min_criteria=4,
)

QD28_CRITERIA = (
    "Q1_no_users_except_treatment",
    "Q2_no_violations_no_fugitives",
    "Q3_no_harbouring_places",
)

QD28_2025 = Profile(
    code="qd28-2025",
    title="Quyết định 28/2025/QĐ-TTg (tiêu chí toàn quốc)",
    legal_basis="Quyết định số 28/2025/QĐ-TTg ngày 24/8/2025 của Thủ tướng Chính phủ, Điều 4, 6",
    valid_from=date(2025, 8, 24),
    version=1,
    thresholds=QD28_THRESHOLDS,
    criteria=QD28_CRITERIA,
)

TRA_VINH_2025 = Profile(
    code="tra-vinh-2025",
    title="Trà Vinh 2025",
    legal_basis="Kế hoạch số 16/KH-UBND ngày 17/02/2025 của UBND tỉnh Trà Vinh, mục 3 và Phụ lục",
    valid_from=date(2025, 2, 17),
    version=1,
    thresholds=AnyCriterionThresholds(
        addicts=Scale(100, 60, 20),
        hotspots=Scale(5, 3, 1),
        plants=Scale(3000, 500, 1),
        plant_area_m2=Scale(2000, 1000, 0),
        offenders_percent=Scale(Decimal("0.5"), Decimal("0.3"), Decimal("0.1")),
    ),
    criteria=(
        "TV1_no_hotspot_no_offence",
        "TV2_addicts_filed_in_rehab",
        "TV2_users_filed_tested",
        "TV3_household_pledges",
        "TV3_hotline_boards",
        "TV4_not_above_baseline",
        "TV5_no_offence_by_managed",
        "TV6_no_serious_incident",
        "TV7_suspects_tested",
        "TV8_prevention_model",
    ),
)

THANH_HOA_2024 = Profile(
    code="thanh-hoa-2024",
    title="Thanh Hóa 2024–2025",
    legal_basis=(
        "Đề án ban hành kèm Quyết định số 3822/QĐ-CAT-PV01 ngày 18/9/2024 của Giám đốc Công an "
        "tỉnh Thanh Hóa; Kế hoạch của UBND xã Hoằng Phong, mục II"
    ),
    valid_from=date(2024, 9, 18),
    version=1,
    # The Thanh Hóa plan sets recognition criteria only; communes are classified by the
    # national rule.
    thresholds=QD28_THRESHOLDS,
    criteria=(
        "TH1_addicts_under_10_negative_30d",
        "TH2_users_negative_30d",
        "TH3_suspects_tested",
        "TH4_not_above_baseline",
        "TH5_post_rehab_managed",
        "TH6_no_hotspot_plant_production",
        "TH7_offenders_arrested",
        "TH8_no_serious_incident",
        "TH9_household_pledges",
        "TH10_prevention_model",
    ),
)

LANG_SON_2025 = Profile(
    code="lang-son-2025",
    title="Lạng Sơn 2025 (QĐ 28 và tiêu chí của tỉnh)",
    legal_basis=(
        "Quyết định số 28/2025/QĐ-TTg; Kế hoạch số 214/KH-UBND ngày 15/8/2025 của UBND tỉnh "
        "Lạng Sơn"
    ),
    # The plan is dated 15/8 but builds on QĐ 28, which took effect on 24/8.
    valid_from=date(2025, 8, 24),
    # 2: the plan's pledges and models read per hamlet (II.1), not per household (version 1).
    version=2,
    thresholds=QD28_THRESHOLDS,
    criteria=(*QD28_CRITERIA, "LS_hamlet_pledges", "LS_model_per_hamlet"),
)

DEFAULT_PROFILE = QD28_2025.code
# The classification of record (contracts.md §4): QĐ 28 arts. 4 and 6, from its entry into force.
NATIONAL_PROFILE = QD28_2025

PROFILES: dict[str, Profile] = {
    profile.code: profile for profile in (QD28_2025, TRA_VINH_2025, THANH_HOA_2024, LANG_SON_2025)
}


def in_force_on(profile: Profile, day: date) -> Profile:
    """`profile` as it applies on `day`: from QĐ 28's entry into force (art. 8: 24/08/2025)
    its art. 6 is the national minimum of a drug-free commune whatever the province's plan, so
    a provincial profile adds its criteria on top of Q1–Q3, never instead of them (domain §6).
    Before that day a plan's own criteria are the whole list."""
    if not NATIONAL_PROFILE.in_force_on(day):
        return profile
    national = tuple(code for code in NATIONAL_PROFILE.criteria if code not in profile.criteria)
    if not national:
        return profile
    return replace(profile, criteria=(*national, *profile.criteria))


class UnknownProfile(LookupError):
    pass


def get_profile(profile: str | Profile) -> Profile:
    """The profile object for a code; a profile object is returned as it is."""
    if isinstance(profile, Profile):
        return profile
    try:
        return PROFILES[profile]
    except KeyError:
        raise UnknownProfile(f"Unknown profile {profile!r}; known: {sorted(PROFILES)}") from None
