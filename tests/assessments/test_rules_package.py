"""The rules package keeps each rule in one place: no Django inside, one period computation,
one registry of criteria, and labels translated where they are shown."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from assessments import labels, rules

ROOT = Path(__file__).resolve().parents[2]


def test_the_rules_import_no_django():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, assessments.rules; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_levels_are_ordered_from_the_most_severe():
    assert [level.value for level in rules.Level] == [
        "type_1",
        "type_2",
        "type_3",
        "less_complex",
        "drug_free",
    ]
    assert [level.rank for level in rules.Level] == [0, 1, 2, 3, 4]
    assert rules.Level("type_2") is rules.Level.TYPE_2


@pytest.mark.parametrize(
    "language, expected",
    [("vi", "Trọng điểm loại I"), ("en", "Type I key area")],
)
def test_a_level_label_is_translated_when_it_is_shown(language, expected):
    with translation.override(language):
        assert labels.level_label(rules.Level.TYPE_1) == expected
        assert labels.level_label("type_1") == expected
        assert str(dict(labels.LEVEL_CHOICES)["type_1"]) == expected


def test_no_level_has_no_label():
    assert labels.level_label(None) == ""
    assert labels.level_label("") == ""


def test_the_registry_is_the_only_table_of_criteria():
    listed = {code for profile in rules.PROFILES.values() for code in profile.criteria}

    assert listed | set(rules.EXTRA_CRITERIA) == set(rules.REGISTRY)
    functions = {code: c.check for code, c in rules.REGISTRY.items()}
    titles = {code: c.title for code, c in rules.REGISTRY.items()}
    assert functions == rules.CRITERIA
    assert titles == rules.CRITERION_TITLES
    assert all(titles.values())
    assert {"TH5_post_rehab_managed"} == rules.CRITERIA_READING_SUPPORT
    assert labels.criterion_title("MODEL_1") == "Ít nhất 01 mô hình phòng, chống ma túy"
    assert labels.criterion_title("NOT_A_CODE") == "NOT_A_CODE"


def test_what_criteria_read_is_the_union_of_their_entries():
    assert rules.inputs_read_by(rules.QD28_2025.criteria) == frozenset()
    assert rules.inputs_read_by(["TH5_post_rehab_managed", "PLEDGES_100"]) == {
        rules.Reads.TESTS,
        rules.Reads.OTHER_PERSONS,
        rules.Reads.SUPPORT,
        rules.Reads.PLEDGES,
    }


def test_the_assessment_period_is_the_programme_year_closing_on_14_december():
    day = date(2024, 12, 1)
    while day < date(2027, 1, 31):
        assert rules.assessment_period(day) == rules.programme_period(day, 12, 14)
        day += timedelta(days=1)
    assert rules.assessment_period(date(2025, 12, 14)) == (date(2024, 12, 15), date(2025, 12, 14))
    assert rules.assessment_period(date(2025, 12, 15)) == (date(2025, 12, 15), date(2026, 12, 14))
    assert rules.assessment_year(date(2025, 12, 15)) == 2026


def test_report_periods_close_on_the_province_cut_offs():
    """Domain §9: report periods are per province. By default the QĐ 28 report (art. 7.1:
    "từ ngày 15 tháng 12 năm trước đến ngày 14 tháng 12 năm sau"); Lạng Sơn's plan (seed 004):
    "báo cáo năm tính từ ngày 10/12 năm trước đến ngày 10/12 năm báo cáo", each period starting
    the day after the previous one ends."""
    assert rules.year_to_date(date(2026, 12, 14)) == rules.Period(
        "year_to_date", date(2025, 12, 15), date(2026, 12, 14)
    )
    assert rules.year_to_date(date(2026, 12, 15)).start == date(2026, 12, 15)
    lang_son = rules.LANG_SON_CALENDAR
    assert rules.year_to_date(date(2026, 12, 10), lang_son) == rules.Period(
        "year_to_date", date(2025, 12, 11), date(2026, 12, 10)
    )
    assert rules.year_to_date(date(2026, 12, 11), lang_son).start == date(2026, 12, 11)
    assert rules.recent_window(date(2026, 3, 31)) == (date(2026, 3, 1), date(2026, 3, 31))
