"""The assessment rules: pure functions over counts and details, no database, no Django.

Where each thing lives (contracts.md §1–2):
- `levels.py`: `Level` (codes, order, source labels);
- `period.py`: every period: the assessment period, a province's programme year, report
  periods, the 30-day test window;
- `classification.py`: `CommuneFacts`, `classify` (QĐ 28 art. 4 and 6, Trà Vinh's appendix),
  `classification_of_record` (QĐ 28's level from 24/08/2025, a profile's own level beside it);
- `province.py`: `classify_province` (QĐ 28 art. 5);
- `profiles.py`: thresholds and built-in profiles, as data;
- `criteria/`: the recognition criteria, their inputs and verdicts;
- `registry.py`: each criterion's code, title, function and inputs; `evaluate_criteria`;
- `relapse.py`: the adverse facts the relapse watch reads.

Every name below imports from `assessments.rules`.
"""

from .classification import (
    Classification,
    CommuneFacts,
    RecordedClassification,
    classification_of_record,
    classify,
    level_undetermined,
)
from .criteria.inputs import (
    ADMINISTRATIVE_OFFENCE_KINDS,
    EXEMPT_TREATMENT_FORMS,
    CriteriaInputs,
    CultivationDetail,
    DrugTest,
    HamletDetail,
    HotspotDetail,
    OffenceDetail,
    PersonDetail,
    WantedDetail,
)
from .criteria.verdicts import Cause, Outcome, Verdict
from .levels import LEVEL_BY_TYPE, Level
from .period import (
    LANG_SON_CALENDAR,
    QD28_CALENDAR,
    RECENT_TEST_DAYS,
    Period,
    ReportCalendar,
    annual_period,
    assessment_period,
    assessment_year,
    case_as_of,
    programme_period,
    programme_year_period,
    recent_window,
    report_deadline,
    report_year,
    six_month_period,
    year_to_date,
)
from .profiles import (
    DEFAULT_PROFILE,
    LANG_SON_2025,
    NATIONAL_PROFILE,
    PROFILES,
    QD28_2025,
    QD28_CRITERIA,
    QD28_PROVINCE,
    QD28_THRESHOLDS,
    THANH_HOA_2024,
    TRA_VINH_2025,
    AnyCriterionThresholds,
    CountOfCriteriaThresholds,
    Profile,
    ProvinceThresholds,
    Scale,
    Threshold,
    UnknownProfile,
    get_profile,
    in_force_on,
)
from .province import PROVINCE_CRITERIA, ProvinceFacts, ProvinceResult, classify_province
from .registry import (
    CRITERIA,
    CRITERIA_READING_OTHER_PERSONS,
    CRITERIA_READING_PLEDGES,
    CRITERIA_READING_SUPPORT,
    CRITERIA_READING_TESTS,
    CRITERION_TITLES,
    EXTRA_CRITERIA,
    REGISTRY,
    Criterion,
    CriterionFunction,
    CriterionResult,
    Reads,
    criteria_reading,
    evaluate_criteria,
    inputs_read_by,
    is_eligible,
)
from .relapse import (
    RELAPSE_READINGS,
    AdverseFact,
    adverse_facts,
    fact_key,
    new_adverse_facts,
    relapse_reason,
)

__all__ = [
    # levels
    "LEVEL_BY_TYPE",
    "Level",
    # period
    "LANG_SON_CALENDAR",
    "QD28_CALENDAR",
    "RECENT_TEST_DAYS",
    "Period",
    "ReportCalendar",
    "annual_period",
    "assessment_period",
    "assessment_year",
    "case_as_of",
    "programme_period",
    "programme_year_period",
    "recent_window",
    "report_deadline",
    "report_year",
    "six_month_period",
    "year_to_date",
    # classification
    "Classification",
    "CommuneFacts",
    "RecordedClassification",
    "classification_of_record",
    "classify",
    "level_undetermined",
    # province
    "PROVINCE_CRITERIA",
    "ProvinceFacts",
    "ProvinceResult",
    "classify_province",
    # profiles
    "DEFAULT_PROFILE",
    "LANG_SON_2025",
    "NATIONAL_PROFILE",
    "PROFILES",
    "QD28_2025",
    "QD28_CRITERIA",
    "QD28_PROVINCE",
    "QD28_THRESHOLDS",
    "THANH_HOA_2024",
    "TRA_VINH_2025",
    "AnyCriterionThresholds",
    "CountOfCriteriaThresholds",
    "Profile",
    "ProvinceThresholds",
    "Scale",
    "Threshold",
    "UnknownProfile",
    "get_profile",
    "in_force_on",
    # criteria: inputs and verdicts
    "ADMINISTRATIVE_OFFENCE_KINDS",
    "EXEMPT_TREATMENT_FORMS",
    "CriteriaInputs",
    "CultivationDetail",
    "DrugTest",
    "HamletDetail",
    "HotspotDetail",
    "OffenceDetail",
    "PersonDetail",
    "WantedDetail",
    "Cause",
    "Outcome",
    "Verdict",
    # registry
    "CRITERIA",
    "CRITERIA_READING_OTHER_PERSONS",
    "CRITERIA_READING_PLEDGES",
    "CRITERIA_READING_SUPPORT",
    "CRITERIA_READING_TESTS",
    "CRITERION_TITLES",
    "EXTRA_CRITERIA",
    "REGISTRY",
    "Criterion",
    "CriterionFunction",
    "CriterionResult",
    "Reads",
    "criteria_reading",
    "evaluate_criteria",
    "inputs_read_by",
    "is_eligible",
    # relapse
    "RELAPSE_READINGS",
    "AdverseFact",
    "adverse_facts",
    "fact_key",
    "new_adverse_facts",
    "relapse_reason",
]
