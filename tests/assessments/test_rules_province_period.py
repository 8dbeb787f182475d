"""Province status (QĐ 28/2025 art. 5) and the assessment period (art. 7). No database."""

from datetime import date

import pytest

from assessments.rules import (
    PROVINCE_CRITERIA,
    ProvinceFacts,
    assessment_period,
    assessment_year,
    classify_province,
)

# With 1,000,000 residents 2,000 people are 0.2% and 500 are 0.05%; 3 of 100 communes are 3%.
POPULATION = 1_000_000


def province(**counts) -> ProvinceFacts:
    return ProvinceFacts(population=POPULATION, communes=100, **counts)


@pytest.mark.parametrize(
    "counts, criterion, met",
    [
        ({"addicts": 2000}, "users_ratio", True),
        ({"addicts": 1500, "illegal_users": 500}, "users_ratio", True),
        ({"addicts": 1999}, "users_ratio", False),
        ({"addicts": 2001}, "users_ratio", True),
        ({"harbouring_places": 5}, "harbouring_places", True),
        ({"harbouring_places": 4}, "harbouring_places", False),
        ({"harbouring_places": 6}, "harbouring_places", True),
        ({"arrested_offenders": 500}, "arrests_ratio", True),
        ({"arrested_offenders": 499}, "arrests_ratio", False),
        ({"arrested_offenders": 501}, "arrests_ratio", True),
        ({"type_1_2_communes": 3}, "key_communes_ratio", True),
        ({"type_1_2_communes": 2}, "key_communes_ratio", False),
        ({"type_1_2_communes": 4}, "key_communes_ratio", True),
        ({"drug_plants": 8000}, "plants", True),
        ({"drug_plants": 7999}, "plants", False),
        ({"drug_plants": 8001}, "plants", True),
        ({"plant_area_m2": 2000.0}, "plants", True),
        ({"plant_area_m2": 1999.9}, "plants", False),
        ({"drug_plants": 7999, "plant_area_m2": 2000.0}, "plants", True),
        ({"on_interprovincial_route": True}, "interprovincial_route", True),
        ({"on_interprovincial_route": False}, "interprovincial_route", False),
    ],
)
def test_province_criterion_boundaries(counts, criterion, met):
    result = classify_province(province(**counts))

    assert result.met == ((criterion,) if met else ())
    assert result.key_area is False


def test_province_with_3_criteria_is_not_a_key_area():
    facts = province(addicts=2000, harbouring_places=5, on_interprovincial_route=True)

    result = classify_province(facts)

    assert result.met == ("users_ratio", "harbouring_places", "interprovincial_route")
    assert result.key_area is False


def test_province_with_4_criteria_is_a_key_area():
    facts = province(
        addicts=2000, harbouring_places=5, type_1_2_communes=3, on_interprovincial_route=True
    )

    result = classify_province(facts)

    assert result.met == (
        "users_ratio",
        "harbouring_places",
        "key_communes_ratio",
        "interprovincial_route",
    )
    assert result.key_area is True


def test_province_meeting_all_six_lists_them_in_order():
    facts = province(
        addicts=5000,
        harbouring_places=9,
        arrested_offenders=900,
        type_1_2_communes=10,
        drug_plants=10_000,
        on_interprovincial_route=True,
    )

    assert classify_province(facts).met == PROVINCE_CRITERIA


def test_province_without_population_or_communes_skips_the_ratios():
    facts = ProvinceFacts(population=0, addicts=10, arrested_offenders=10, type_1_2_communes=2)

    assert classify_province(facts).met == ()


@pytest.mark.parametrize(
    "day, start, end, year",
    [
        (date(2025, 12, 14), date(2024, 12, 15), date(2025, 12, 14), 2025),
        (date(2025, 12, 15), date(2025, 12, 15), date(2026, 12, 14), 2026),
        (date(2025, 12, 31), date(2025, 12, 15), date(2026, 12, 14), 2026),
        (date(2026, 1, 1), date(2025, 12, 15), date(2026, 12, 14), 2026),
        (date(2024, 12, 15), date(2024, 12, 15), date(2025, 12, 14), 2025),
        (date(2024, 2, 29), date(2023, 12, 15), date(2024, 12, 14), 2024),
        (date(2025, 8, 24), date(2024, 12, 15), date(2025, 12, 14), 2025),
    ],
)
def test_assessment_period(day, start, end, year):
    assert assessment_period(day) == (start, end)
    assert assessment_year(day) == year
