"""Classification of a commune (contracts.md §1): every threshold at, just below and just above
its boundary, for both built-in classification profiles. Pure functions, no database."""

import dataclasses
from decimal import Decimal

import pytest

from assessments.rules import (
    QD28_2025,
    QD28_THRESHOLDS,
    TRA_VINH_2025,
    CommuneFacts,
    Level,
    Scale,
    UnknownProfile,
    classify,
)

# With 100,000 residents 100 people are 0.1% and 50 are 0.05%.
POPULATION = 100_000


def qd28(**counts):
    return classify(CommuneFacts(population=POPULATION, **counts))


def tra_vinh(**counts):
    return classify(CommuneFacts(population=POPULATION, **counts), profile="tra-vinh-2025")


def test_contract_example():
    facts = CommuneFacts(
        population=8500,
        addicts=23,
        illegal_users=3,
        exempt_users=5,
        arrested_offenders=4,
        drug_offences=2,
        resident_violators=2,
    )

    result = classify(facts)

    assert result.level is Level.TYPE_3
    assert result.level.value == "type_3"
    assert result.reasons == ("users_type_3", "arrests_type_3")
    assert result.profile == "qd28-2025"


def test_commune_facts_fields_and_defaults_are_the_contract():
    fields = dataclasses.fields(CommuneFacts)

    assert [field.name for field in fields] == [
        "population",
        "addicts",
        "illegal_users",
        "unfiled_users",
        "exempt_users",
        "hotspots",
        "harbouring_places",
        "drug_plants",
        "plant_area_m2",
        "arrested_offenders",
        "drug_offences",
        "resident_violators",
        "wanted_hiding",
        "on_key_route",
    ]
    assert fields[0].default is dataclasses.MISSING
    defaults = CommuneFacts(population=1)
    assert defaults.plant_area_m2 == 0.0
    assert defaults.on_key_route is False
    assert all(getattr(defaults, field.name) == 0 for field in fields[1:])


def test_commune_facts_is_frozen_and_needs_population():
    facts = CommuneFacts(population=10)

    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.addicts = 3
    with pytest.raises(TypeError):
        CommuneFacts()


@pytest.mark.parametrize(
    "counts, message",
    [
        ({"addicts": -1}, "negative"),
        ({"addicts": 2, "illegal_users": 1, "exempt_users": 4}, "exempt_users"),
    ],
)
def test_commune_facts_rejects_impossible_counts(counts, message):
    with pytest.raises(ValueError, match=message):
        CommuneFacts(population=100, **counts)


def test_level_values():
    assert [level.value for level in Level] == [
        "type_1",
        "type_2",
        "type_3",
        "less_complex",
        "drug_free",
    ]


def test_result_is_frozen():
    result = qd28(addicts=1)

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = Level.TYPE_1


# --- QĐ 28: the Type I thresholds. Two companions sit at Type I, so the third criterion
# decides between Type I and Type II (where the companions count again, one type lower).

TYPE_1_BOUNDARIES = [
    # users = (addicts + illegal_users) / population ≥ 0.5%
    pytest.param({"addicts": 500}, "users", True, id="users-at-0.5%"),
    pytest.param({"addicts": 300, "illegal_users": 200}, "users", True, id="users-sum-at-0.5%"),
    pytest.param({"addicts": 499}, "users", False, id="users-below-0.5%"),
    pytest.param({"addicts": 501}, "users", True, id="users-above-0.5%"),
    # harbouring places ≥ 2
    pytest.param({"harbouring_places": 2}, "places", True, id="places-at-2"),
    pytest.param({"harbouring_places": 1}, "places", False, id="places-below-2"),
    pytest.param({"harbouring_places": 3}, "places", True, id="places-above-2"),
    # arrests / population ≥ 0.1%
    pytest.param({"arrested_offenders": 100}, "arrests", True, id="arrests-at-0.1%"),
    pytest.param({"arrested_offenders": 99}, "arrests", False, id="arrests-below-0.1%"),
    pytest.param({"arrested_offenders": 101}, "arrests", True, id="arrests-above-0.1%"),
    # plants ≥ 3,000 or area ≥ 750 m²
    pytest.param({"drug_plants": 3000}, "plants", True, id="plants-at-3000"),
    pytest.param({"drug_plants": 2999}, "plants", False, id="plants-below-3000"),
    pytest.param({"drug_plants": 3001}, "plants", True, id="plants-above-3000"),
    pytest.param({"plant_area_m2": 750.0}, "plants", True, id="area-at-750"),
    pytest.param({"plant_area_m2": 749.9}, "plants", False, id="area-below-750"),
    pytest.param({"plant_area_m2": 750.1}, "plants", True, id="area-above-750"),
    pytest.param({"drug_plants": 2999, "plant_area_m2": 750}, "plants", True, id="area-or-plants"),
]
TYPE_1_COMPANIONS = {
    "users": {"addicts": 500},
    "places": {"harbouring_places": 2},
    "arrests": {"arrested_offenders": 100},
    "plants": {"drug_plants": 3000},
}
ORDER = ["users", "places", "arrests", "plants"]


def _with_two_companions(tested: str, companions: dict[str, dict], counts: dict):
    others = [name for name in ORDER if name != tested][:2]
    facts = dict(counts)
    for name in others:
        facts.update(companions[name])
    names = [name for name in ORDER if name in (tested, *others)]
    return facts, names


@pytest.mark.parametrize("counts, tested, at_type_1", TYPE_1_BOUNDARIES)
def test_qd28_type_1_thresholds(counts, tested, at_type_1):
    facts, names = _with_two_companions(tested, TYPE_1_COMPANIONS, counts)

    result = qd28(**facts)

    type_ = 1 if at_type_1 else 2
    assert result.level is (Level.TYPE_1 if at_type_1 else Level.TYPE_2)
    assert result.reasons == tuple(f"{name}_type_{type_}" for name in names)


# --- QĐ 28: the Type II thresholds. Two companions sit at Type II; below the threshold the
# commune falls to Type III, named by users, arrests and plants only.

TYPE_2_BOUNDARIES = [
    pytest.param({"addicts": 100}, "users", True, id="users-at-0.1%"),
    pytest.param({"addicts": 99}, "users", False, id="users-below-0.1%"),
    pytest.param({"addicts": 101}, "users", True, id="users-above-0.1%"),
    pytest.param({"harbouring_places": 1}, "places", True, id="places-at-1"),
    pytest.param({"harbouring_places": 0}, "places", False, id="places-below-1"),
    pytest.param({"arrested_offenders": 50}, "arrests", True, id="arrests-at-0.05%"),
    pytest.param({"arrested_offenders": 49}, "arrests", False, id="arrests-below-0.05%"),
    pytest.param({"arrested_offenders": 51}, "arrests", True, id="arrests-above-0.05%"),
    pytest.param({"drug_plants": 500}, "plants", True, id="plants-at-500"),
    pytest.param({"drug_plants": 499}, "plants", False, id="plants-below-500"),
    pytest.param({"drug_plants": 501}, "plants", True, id="plants-above-500"),
    pytest.param({"plant_area_m2": 125.0}, "plants", True, id="area-at-125"),
    pytest.param({"plant_area_m2": 124.9}, "plants", False, id="area-below-125"),
    pytest.param({"plant_area_m2": 125.1}, "plants", True, id="area-above-125"),
]
TYPE_2_COMPANIONS = {
    "users": {"addicts": 100},
    "places": {"harbouring_places": 1},
    "arrests": {"arrested_offenders": 50},
    "plants": {"drug_plants": 500},
}


@pytest.mark.parametrize("counts, tested, at_type_2", TYPE_2_BOUNDARIES)
def test_qd28_type_2_thresholds(counts, tested, at_type_2):
    facts, names = _with_two_companions(tested, TYPE_2_COMPANIONS, counts)

    result = qd28(**facts)

    if at_type_2:
        assert result.level is Level.TYPE_2
        assert result.reasons == tuple(f"{name}_type_2" for name in names)
    else:
        assert result.level is Level.TYPE_3
        # Places have no Type III criterion.
        type_3_names = [name for name in names if name != "places"]
        assert result.reasons == tuple(f"{name}_type_3" for name in type_3_names)


# --- QĐ 28: Type III, any one of users, arrests, plants above zero.


@pytest.mark.parametrize(
    "counts, level, reasons",
    [
        pytest.param({"addicts": 1}, Level.TYPE_3, ("users_type_3",), id="one-user"),
        pytest.param({"illegal_users": 1}, Level.TYPE_3, ("users_type_3",), id="one-illegal-user"),
        pytest.param({"arrested_offenders": 1}, Level.TYPE_3, ("arrests_type_3",), id="one-arrest"),
        pytest.param({"drug_plants": 1}, Level.TYPE_3, ("plants_type_3",), id="one-plant"),
        pytest.param({"plant_area_m2": 0.5}, Level.TYPE_3, ("plants_type_3",), id="some-area"),
        pytest.param({}, Level.LESS_COMPLEX, ("less_complex",), id="nothing-above-zero"),
        # Places have no Type III criterion: one place alone is neither Type III nor drug-free.
        pytest.param({"harbouring_places": 1}, Level.LESS_COMPLEX, ("less_complex",), id="place"),
    ],
)
def test_qd28_type_3_any_one_criterion(counts, level, reasons):
    # A resident violator keeps the commune from being drug-free without reaching any type.
    result = qd28(resident_violators=1, **counts)

    assert result.level is level
    assert result.reasons == reasons


@pytest.mark.parametrize(
    "population, addicts, arrested, level",
    [
        (17_000, 85, 17, Level.TYPE_1),  # exactly 0.5% users and exactly 0.1% arrests
        (17_000, 84, 17, Level.TYPE_2),
        (7_000, 35, 7, Level.TYPE_1),
        (7_000, 35, 6, Level.TYPE_2),
    ],
)
def test_qd28_ratios_compare_exactly(population, addicts, arrested, level):
    # With two places, Type I needs both ratios at Type I: only exact arithmetic decides.
    facts = CommuneFacts(
        population=population, addicts=addicts, arrested_offenders=arrested, harbouring_places=2
    )

    assert classify(facts).level is level


# --- QĐ 28: a criterion met at a higher type counts for the lower types.


@pytest.mark.parametrize(
    "counts, level, reasons",
    [
        pytest.param(
            {"addicts": 600, "arrested_offenders": 1},
            Level.TYPE_3,
            ("users_type_3", "arrests_type_3"),
            id="users-0.6%-in-type-3",
        ),
        pytest.param({"addicts": 600}, Level.TYPE_3, ("users_type_3",), id="users-0.6%-alone"),
        pytest.param(
            {"addicts": 600, "harbouring_places": 1, "arrested_offenders": 50},
            Level.TYPE_2,
            ("users_type_2", "places_type_2", "arrests_type_2"),
            id="type-1-users-count-for-type-2",
        ),
        pytest.param(
            {"harbouring_places": 5, "drug_plants": 10_000, "plant_area_m2": 9000.0},
            Level.TYPE_3,
            ("plants_type_3",),
            id="places-never-name-type-3",
        ),
        pytest.param(
            {
                "addicts": 500,
                "harbouring_places": 2,
                "arrested_offenders": 100,
                "drug_plants": 3000,
            },
            Level.TYPE_1,
            ("users_type_1", "places_type_1", "arrests_type_1", "plants_type_1"),
            id="all-four-at-type-1",
        ),
    ],
)
def test_qd28_higher_type_counts_for_lower(counts, level, reasons):
    result = qd28(**counts)

    assert result.level is level
    assert result.reasons == reasons


# --- QĐ 28: the key-route criterion counts as one of the "at least 3".


@pytest.mark.parametrize(
    "counts, on_key_route, level, reasons",
    [
        pytest.param(
            {"addicts": 500, "harbouring_places": 2, "arrested_offenders": 1},
            True,
            Level.TYPE_1,
            ("users_type_1", "places_type_1", "key_route_type_1"),
            id="two-type-1-plus-key-route",
        ),
        pytest.param(
            {"addicts": 500, "harbouring_places": 2, "arrested_offenders": 1},
            False,
            Level.TYPE_3,
            ("users_type_3", "arrests_type_3"),
            id="same-without-key-route",
        ),
        pytest.param(
            {"addicts": 500, "arrested_offenders": 100, "drug_plants": 500},
            True,
            Level.TYPE_1,
            ("users_type_1", "arrests_type_1", "key_route_type_1"),
            id="key-route-type-1-counts-type-2-criteria",
        ),
        pytest.param(
            {"addicts": 100, "harbouring_places": 1, "arrested_offenders": 1},
            True,
            Level.TYPE_2,
            ("users_type_2", "places_type_2", "key_route_type_2"),
            id="two-type-2-plus-key-route",
        ),
        pytest.param(
            {"addicts": 100, "harbouring_places": 1, "arrested_offenders": 1},
            False,
            Level.TYPE_3,
            ("users_type_3", "arrests_type_3"),
            id="same-without-key-route-type-2",
        ),
        pytest.param(
            {"addicts": 100, "arrested_offenders": 1},
            True,
            Level.TYPE_3,
            ("users_type_3", "arrests_type_3"),
            id="key-route-is-one-criterion-not-two",
        ),
        pytest.param(
            {"addicts": 500},
            True,
            Level.TYPE_3,
            ("users_type_3",),
            id="key-route-needs-two-criteria",
        ),
        pytest.param(
            {"addicts": 500, "harbouring_places": 2, "arrested_offenders": 100, "drug_plants": 1},
            True,
            Level.TYPE_1,
            ("users_type_1", "places_type_1", "arrests_type_1", "key_route_type_1"),
            id="key-route-named-last",
        ),
    ],
)
def test_qd28_key_route(counts, on_key_route, level, reasons):
    result = qd28(on_key_route=on_key_route, **counts)

    assert result.level is level
    assert result.reasons == reasons


# --- QĐ 28 art. 6: drug-free is decided first.


@pytest.mark.parametrize(
    "counts, level",
    [
        pytest.param({}, Level.DRUG_FREE, id="nothing"),
        pytest.param({"addicts": 5, "exempt_users": 5}, Level.DRUG_FREE, id="all-exempt"),
        pytest.param(
            {"addicts": 5, "illegal_users": 2, "exempt_users": 7}, Level.DRUG_FREE, id="sum-exempt"
        ),
        pytest.param(
            {"addicts": 600, "exempt_users": 600, "arrested_offenders": 200},
            Level.DRUG_FREE,
            id="exempt-and-transit-arrests-beat-type-ratios",
        ),
        pytest.param({"addicts": 5, "exempt_users": 4}, Level.TYPE_3, id="one-not-exempt"),
        pytest.param({"resident_violators": 1}, Level.LESS_COMPLEX, id="violator"),
        pytest.param({"wanted_hiding": 1}, Level.LESS_COMPLEX, id="wanted"),
        pytest.param({"harbouring_places": 1}, Level.LESS_COMPLEX, id="harbouring-place"),
        pytest.param({"hotspots": 3, "drug_offences": 1}, Level.DRUG_FREE, id="not-art-6"),
    ],
)
def test_qd28_drug_free_first(counts, level):
    result = qd28(**counts)

    assert result.level is level
    if level is Level.DRUG_FREE:
        assert result.reasons == ("drug_free",)


@pytest.mark.parametrize(
    "counts, level, reasons",
    [
        ({"addicts": 10, "arrested_offenders": 10}, Level.LESS_COMPLEX, ("less_complex",)),
        ({"addicts": 10, "drug_plants": 1}, Level.TYPE_3, ("plants_type_3",)),
        ({}, Level.DRUG_FREE, ("drug_free",)),
    ],
)
def test_qd28_population_zero_skips_ratios(counts, level, reasons):
    result = classify(CommuneFacts(population=0, **counts))

    assert result.level is level
    assert result.reasons == reasons


# --- Trà Vinh 2025: any one criterion gives the type.

TRA_VINH_BOUNDARIES = [
    # addicts: ≥ 100 → I, 60–99 → II, 20–59 → III
    ({"addicts": 100}, 1, "addicts"),
    ({"addicts": 101}, 1, "addicts"),
    ({"addicts": 99}, 2, "addicts"),
    ({"addicts": 60}, 2, "addicts"),
    ({"addicts": 61}, 2, "addicts"),
    ({"addicts": 59}, 3, "addicts"),
    ({"addicts": 20}, 3, "addicts"),
    ({"addicts": 21}, 3, "addicts"),
    ({"addicts": 19}, None, "addicts"),
    # hotspots: ≥ 5 → I, 3–4 → II, 1–2 → III
    ({"hotspots": 5}, 1, "hotspots"),
    ({"hotspots": 6}, 1, "hotspots"),
    ({"hotspots": 4}, 2, "hotspots"),
    ({"hotspots": 3}, 2, "hotspots"),
    ({"hotspots": 2}, 3, "hotspots"),
    ({"hotspots": 1}, 3, "hotspots"),
    # plants: ≥ 3,000 → I, 500–2,999 → II, 1–499 → III
    ({"drug_plants": 3000}, 1, "plants"),
    ({"drug_plants": 3001}, 1, "plants"),
    ({"drug_plants": 2999}, 2, "plants"),
    ({"drug_plants": 500}, 2, "plants"),
    ({"drug_plants": 501}, 2, "plants"),
    ({"drug_plants": 499}, 3, "plants"),
    ({"drug_plants": 1}, 3, "plants"),
    # area: ≥ 2,000 → I, ≥ 1,000 → II, > 0 → III
    ({"plant_area_m2": 2000.0}, 1, "area"),
    ({"plant_area_m2": 2000.5}, 1, "area"),
    ({"plant_area_m2": 1999.9}, 2, "area"),
    ({"plant_area_m2": 1000.0}, 2, "area"),
    ({"plant_area_m2": 1000.1}, 2, "area"),
    ({"plant_area_m2": 999.9}, 3, "area"),
    ({"plant_area_m2": 0.1}, 3, "area"),
    # arrested offenders / population: ≥ 0.5% → I, ≥ 0.3% → II, ≥ 0.1% → III
    ({"arrested_offenders": 500}, 1, "offender_ratio"),
    ({"arrested_offenders": 501}, 1, "offender_ratio"),
    ({"arrested_offenders": 499}, 2, "offender_ratio"),
    ({"arrested_offenders": 300}, 2, "offender_ratio"),
    ({"arrested_offenders": 301}, 2, "offender_ratio"),
    ({"arrested_offenders": 299}, 3, "offender_ratio"),
    ({"arrested_offenders": 100}, 3, "offender_ratio"),
    ({"arrested_offenders": 101}, 3, "offender_ratio"),
    ({"arrested_offenders": 99}, None, "offender_ratio"),
]


@pytest.mark.parametrize("counts, type_, name", TRA_VINH_BOUNDARIES)
def test_tra_vinh_thresholds(counts, type_, name):
    result = tra_vinh(**counts)

    if type_ is None:
        assert result.level is Level.LESS_COMPLEX
        assert result.reasons == ("less_complex",)
    else:
        assert result.level.value == f"type_{type_}"
        assert result.reasons == (f"{name}_type_{type_}",)


@pytest.mark.parametrize(
    "counts, level, reasons",
    [
        pytest.param(
            {"addicts": 120, "hotspots": 5, "drug_plants": 3000, "plant_area_m2": 2000.0,
             "arrested_offenders": 500},
            Level.TYPE_1,
            ("addicts_type_1", "hotspots_type_1", "plants_type_1", "area_type_1",
             "offender_ratio_type_1"),
            id="reasons-in-contract-order",
        ),
        pytest.param(
            {"addicts": 120, "hotspots": 3},
            Level.TYPE_1,
            ("addicts_type_1",),
            id="only-criteria-of-the-returned-type",
        ),
        pytest.param(
            {"addicts": 70, "hotspots": 1},
            Level.TYPE_2,
            ("addicts_type_2",),
            id="best-criterion-wins",
        ),
    ],
)  # fmt: skip
def test_tra_vinh_reasons(counts, level, reasons):
    result = tra_vinh(**counts)

    assert result.level is level
    assert result.reasons == reasons


@pytest.mark.parametrize(
    "counts, level, reasons",
    [
        pytest.param({"addicts": 70}, Level.TYPE_1, ("key_route_type_1",), id="II-lifted-to-I"),
        pytest.param({"addicts": 30}, Level.TYPE_2, ("key_route_type_2",), id="III-lifted-to-II"),
        pytest.param({"hotspots": 1}, Level.TYPE_2, ("key_route_type_2",), id="never-two-levels"),
        pytest.param(
            {"addicts": 70, "hotspots": 1},
            Level.TYPE_1,
            ("key_route_type_1",),
            id="lift-from-the-best-criterion",
        ),
        pytest.param({"addicts": 120}, Level.TYPE_1, ("addicts_type_1",), id="type-1-stays"),
        pytest.param(
            {"addicts": 120, "hotspots": 3},
            Level.TYPE_1,
            ("addicts_type_1", "key_route_type_1"),
            id="type-1-with-a-type-2-criterion",
        ),
        pytest.param(
            {"addicts": 19, "illegal_users": 5},
            Level.LESS_COMPLEX,
            ("less_complex",),
            id="key-route-lifts-numeric-criteria-only",
        ),
    ],
)
def test_tra_vinh_key_route_lifts_one_level(counts, level, reasons):
    result = tra_vinh(on_key_route=True, **counts)

    assert result.level is level
    assert result.reasons == reasons


@pytest.mark.parametrize(
    "counts, level",
    [
        pytest.param({}, Level.DRUG_FREE, id="nothing"),
        # Trà Vinh's own rule does not look at violators or the wanted.
        pytest.param({"resident_violators": 2, "wanted_hiding": 1}, Level.DRUG_FREE, id="own-rule"),
        pytest.param({"illegal_users": 1}, Level.LESS_COMPLEX, id="one-user"),
        pytest.param({"addicts": 1, "exempt_users": 1}, Level.LESS_COMPLEX, id="no-exemption"),
        pytest.param({"drug_offences": 1}, Level.LESS_COMPLEX, id="offence"),
        pytest.param({"arrested_offenders": 1}, Level.LESS_COMPLEX, id="arrest"),
        pytest.param({"hotspots": 1}, Level.TYPE_3, id="hotspot"),
        pytest.param({"drug_plants": 1}, Level.TYPE_3, id="plant"),
        pytest.param({"plant_area_m2": 0.1}, Level.TYPE_3, id="area"),
    ],
)
def test_tra_vinh_drug_free(counts, level):
    assert tra_vinh(**counts).level is level


def test_tra_vinh_population_zero_skips_the_offender_ratio():
    facts = CommuneFacts(population=0, arrested_offenders=50)

    result = classify(facts, profile="tra-vinh-2025")

    assert result.level is Level.LESS_COMPLEX
    assert result.profile == "tra-vinh-2025"


# --- Profiles as data.


def test_classify_accepts_a_profile_object():
    facts = CommuneFacts(population=POPULATION, addicts=70)

    assert classify(facts, profile=TRA_VINH_2025) == classify(facts, profile="tra-vinh-2025")


def test_custom_count_of_criteria_profile():
    stricter_users = dataclasses.replace(
        QD28_THRESHOLDS,
        users_percent=Scale(Decimal("1"), Decimal("0.2"), 0),
        type_1_min_criteria=2,
        type_2_min_criteria=2,
    )
    province = dataclasses.replace(QD28_2025, code="ha-giang-2026", thresholds=stricter_users)
    facts = CommuneFacts(population=POPULATION, addicts=600, harbouring_places=2)

    national = classify(facts)
    custom = classify(facts, profile=province)

    assert (national.level, national.reasons) == (Level.TYPE_3, ("users_type_3",))
    assert custom.level is Level.TYPE_2
    assert custom.reasons == ("users_type_2", "places_type_2")
    assert custom.profile == "ha-giang-2026"


def test_custom_any_criterion_profile_with_float_thresholds():
    lower = dataclasses.replace(
        TRA_VINH_2025.thresholds,
        addicts=Scale(50, 30, 10),
        offenders_percent=Scale(0.05, 0.03, 0.01),
    )
    province = dataclasses.replace(TRA_VINH_2025, code="custom", thresholds=lower)

    assert classify(CommuneFacts(population=POPULATION, addicts=55), province).level is (
        Level.TYPE_1
    )
    # 50 of 100,000 is exactly the float 0.05%: a float threshold means its decimal value.
    offenders = CommuneFacts(population=POPULATION, arrested_offenders=50)
    assert classify(offenders, province).reasons == ("offender_ratio_type_1",)


def test_unknown_profile_code():
    with pytest.raises(UnknownProfile, match="nowhere"):
        classify(CommuneFacts(population=1), profile="nowhere")


@pytest.mark.parametrize("code", ["thanh-hoa-2024", "lang-son-2025"])
def test_provincial_criteria_profiles_classify_by_the_national_rule(code):
    facts = CommuneFacts(population=POPULATION, addicts=600, arrested_offenders=1)

    result = classify(facts, profile=code)

    assert result.reasons == classify(facts).reasons == ("users_type_3", "arrests_type_3")
    assert result.profile == code
