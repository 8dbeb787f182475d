"""facts.gather on a commune built through the registers: numbers equal hand counts."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import facts, rules, services
from casefiles import services as casefile_services
from casefiles.models import DrugTest, RehabEpisode
from communes.models import (
    CultivationFind,
    Hotspot,
    Household,
    Offence,
    Pledge,
    PreventionModel,
    WantedPerson,
)
from tests import factories
from tests.factories import make_person

AS_OF = datetime.date(2026, 6, 30)  # period 15/12/2025 – 14/12/2026
BEFORE_PERIOD = datetime.date(2025, 11, 1)
IN_PERIOD = datetime.date(2026, 3, 1)


@pytest.fixture
def built(commune, commune_officer):
    commune.population = 10_000
    commune.households = 3
    commune.on_key_route = True
    commune.save()
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Nà Hin", hotline_board=False)
    # People: counted are addicts and users with a file, present on D.
    addict = make_person(commune, full_name="Nông Văn Một", category="addict", since=BEFORE_PERIOD)
    RehabEpisode.objects.create(person=addict, form="methadone", started_on=BEFORE_PERIOD)
    make_person(commune, full_name="Hoàng Văn Hai", category="user", since=BEFORE_PERIOD)
    make_person(
        commune, full_name="Vi Văn Ba", category="addict", presence="prison", since=BEFORE_PERIOD
    )
    make_person(
        commune, full_name="Lộc Văn Bốn", category="user", file_opened=False, since=BEFORE_PERIOD
    )
    make_person(commune, full_name="Hà Thị Năm", category="suspect", sex="F", since=BEFORE_PERIOD)
    make_person(
        commune, full_name="Triệu Văn Sáu", category="user", since=datetime.date(2026, 7, 15)
    )
    changed = make_person(
        commune, full_name="Lương Văn Bảy", category="suspect", since=BEFORE_PERIOD
    )
    casefile_services.person_change_category(
        person=changed, category="addict", on=datetime.date(2026, 5, 1), by=commune_officer
    )
    DrugTest.objects.create(
        person=addict, tested_on=datetime.date(2026, 6, 10), kind="periodic", result="negative"
    )
    # Hotspots: one harbouring place active on D, one eradicated inside the period (still a
    # harbouring place of the period), one eradicated before it, one voided.
    Hotspot.objects.create(
        commune=commune, ref="H1", kind="harbouring", detected_on=IN_PERIOD, hamlet=hamlet
    )
    Hotspot.objects.create(
        commune=commune,
        ref="H2",
        kind="harbouring",
        detected_on=BEFORE_PERIOD,
        eradicated_on=datetime.date(2026, 1, 10),
    )
    Hotspot.objects.create(
        commune=commune,
        ref="H3",
        kind="retail",
        detected_on=datetime.date(2024, 1, 1),
        eradicated_on=datetime.date(2024, 6, 1),
    )
    Hotspot.objects.create(
        commune=commune,
        ref="H4",
        kind="retail",
        detected_on=IN_PERIOD,
        voided_on=IN_PERIOD,
        void_reason="nhập trùng",
    )
    Offence.objects.create(
        commune=commune,
        ref="V1",
        kind="trafficking",
        occurred_on=IN_PERIOD,
        offenders=3,
        offenders_arrested=3,
        resident_offenders=2,
    )
    Offence.objects.create(
        commune=commune,
        ref="V2",
        kind="possession",
        occurred_on=BEFORE_PERIOD,
        offenders=5,
        offenders_arrested=5,
        resident_offenders=5,
    )
    Offence.objects.create(
        commune=commune,
        ref="V3",
        kind="possession",
        occurred_on=datetime.date(2026, 7, 2),
        offenders=1,
        offenders_arrested=1,
        resident_offenders=1,
    )
    CultivationFind.objects.create(
        commune=commune, ref="C1", found_on=IN_PERIOD, plants=600, area_m2=150
    )
    CultivationFind.objects.create(
        commune=commune, ref="C2", found_on=IN_PERIOD, plants=20, area_m2=5
    )
    WantedPerson.objects.create(commune=commune, ref="W1", hiding_since=IN_PERIOD)
    WantedPerson.objects.create(
        commune=commune, ref="W2", hiding_since=IN_PERIOD, arrested_on=datetime.date(2026, 4, 1)
    )
    PreventionModel.objects.create(commune=commune, name="Mô hình A", started_on=BEFORE_PERIOD)
    for code, signed in (("H-1", True), ("H-2", True), ("H-3", False)):
        household = Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=code, head_name="Chủ hộ"
        )
        if signed:
            Pledge.objects.create(household=household, signed_on=IN_PERIOD)
    return commune


def test_facts_equal_hand_counts(built):
    inputs = facts.gather([built], as_of=AS_OF)[built.pk]
    counted = inputs.facts
    assert counted.population == 10_000
    assert counted.addicts == 2  # Nông Văn Một, Lương Văn Bảy (addict since 1/5); Vi Văn Ba absent
    assert counted.illegal_users == 1  # Hoàng Văn Hai; Lộc Văn Bốn has no file; Sáu listed later
    assert counted.exempt_users == 1  # methadone
    assert counted.hotspots == 1
    assert counted.harbouring_places == 2
    assert counted.drug_plants == 620
    assert counted.plant_area_m2 == 155.0
    assert counted.arrested_offenders == 3  # V2 is before the period, V3 after D
    assert counted.drug_offences == 1
    assert counted.resident_violators == 2 + 2  # V1's residents + one per cultivation find
    assert counted.wanted_hiding == 1
    assert counted.on_key_route is True
    assert (inputs.households, inputs.pledged_households, inputs.active_models) == (3, 2, 1)
    assert [hamlet.hotline_board for hamlet in inputs.hamlets] == [False]
    names = {person.name: person for person in inputs.persons}
    assert "Triệu Văn Sáu" not in names
    assert names["Lương Văn Bảy"].category == "addict"
    assert names["Nông Văn Một"].treatment_form == "methadone"
    assert [test.result for test in names["Nông Văn Một"].tests] == ["negative"]


def test_category_on_a_past_date_is_used(built):
    earlier = facts.gather([built], as_of=datetime.date(2026, 4, 30))[built.pk]
    assert earlier.facts.addicts == 1  # Lương Văn Bảy was still a suspect


def test_query_count_does_not_grow_with_communes(province, built):
    def count_queries(communes):
        with CaptureQueriesContext(connection) as queries:
            facts.gather(communes, as_of=AS_OF)
        return len(queries)

    few = [built, *factories.CommuneFactory.create_batch(2, province=province)]
    many = few + factories.CommuneFactory.create_batch(57, province=province)
    for commune in many[3:]:
        make_person(commune, full_name="Người Thêm", category="user")
        Hotspot.objects.create(commune=commune, ref="X", kind="retail", detected_on=IN_PERIOD)
    assert count_queries(few) == count_queries(many)


def test_assessment_uses_registration_profile_and_stores_history(built, province):
    from assessments.models import Assessment, ProvincialProfile, Registration

    ProvincialProfile.objects.create(
        province=province,
        code="tinh-thu-2026",
        title="Tỉnh thử",
        legal_basis="Kế hoạch thử",
        valid_from=datetime.date(2026, 1, 1),
        base="qd28-2025",
        extra_criteria=["PLEDGES_100"],
        is_default=True,
    )
    other = factories.CommuneFactory(province=province)
    Registration.objects.create(
        commune=other, year=2026, registered_on=datetime.date(2025, 12, 10), profile="tra-vinh-2025"
    )
    results = {r.commune.pk: r for r in services.assess_communes([built, other], as_of=AS_OF)}
    assert results[built.pk].profile.code == "tinh-thu-2026"
    assert [c.code for c in results[built.pk].criteria][-1] == "PLEDGES_100"
    assert results[other.pk].profile.code == "tra-vinh-2025"
    services.assessments_store(list(results.values()))
    stored = Assessment.objects.get(commune=built)
    assert (stored.profile_code, stored.profile_version, stored.eligible) == (
        "tinh-thu-2026",
        1,
        False,
    )
    assert stored.facts["arrested_offenders"] == 3


def test_a_suspect_tested_before_the_period_counts_as_tested(commune):
    suspect = make_person(
        commune,
        full_name="Hà Thị Nghi",
        category="suspect",
        sex="F",
        since=datetime.date(2025, 5, 1),
    )
    DrugTest.objects.create(
        person=suspect, tested_on=datetime.date(2025, 6, 1), kind="surprise", result="negative"
    )
    inputs = facts.gather([commune], as_of=AS_OF)[commune.pk]
    (person,) = inputs.persons
    assert [test.tested_on for test in person.tests] == [datetime.date(2025, 6, 1)]
    results = {r.code: r.result for r in rules.evaluate_criteria(inputs, "tra-vinh-2025")}
    assert results["TV7_suspects_tested"] == "pass"


def test_tests_are_loaded_only_for_criteria_that_read_them():
    """Every criterion whose result changes when tests are missing must be listed in
    rules.CRITERIA_READING_TESTS, or the loader would skip tests it needs."""
    listed = datetime.date(2026, 1, 5)
    tests = (rules.DrugTest(AS_OF - datetime.timedelta(days=3), "negative"),)
    people = tuple(
        rules.PersonDetail(
            id=n,
            name=f"P{n}",
            category=category,
            present=True,
            has_file=True,
            listed_on=listed,
            psychosis=True,
            treatment_form="methadone",
            tests=tests,
            support_dates=(listed,),
        )
        for n, category in enumerate(["addict", "user", "suspect", "post_rehab"])
    )

    def inputs(persons):
        return rules.CriteriaInputs(
            as_of=AS_OF,
            facts=rules.CommuneFacts(population=1000),
            persons=persons,
            hotspots=(),
            offences=(),
            cultivation=(),
            wanted=(),
            hamlets=(),
            households=1,
            pledged_households=1,
            active_models=1,
            baseline=5,
        )

    without = tuple(dataclasses.replace(person, tests=()) for person in people)
    differing = set()
    for code in rules.CRITERIA:
        profile = dataclasses.replace(rules.QD28_2025, criteria=(code,))
        (with_tests,) = rules.evaluate_criteria(inputs(people), profile)
        (no_tests,) = rules.evaluate_criteria(inputs(without), profile)
        if with_tests.result != no_tests.result:
            differing.add(code)
    assert differing  # the fixture does exercise the tests
    assert differing <= rules.CRITERIA_READING_TESTS


def _inputs_reading_everything(persons, *, pledged=0):
    """Criteria inputs whose counts agree with `persons`, so every criterion reads the details."""
    counted = [p for p in persons if p.present and p.has_file and p.category in ("addict", "user")]
    return rules.CriteriaInputs(
        as_of=AS_OF,
        facts=rules.CommuneFacts(
            population=1000,
            addicts=sum(p.category == "addict" for p in counted),
            illegal_users=sum(p.category == "user" for p in counted),
            exempt_users=sum(p.exempt_under_art_6_1 for p in counted),
        ),
        persons=tuple(persons),
        hotspots=(),
        offences=(),
        cultivation=(),
        wanted=(),
        hamlets=(),
        households=10,
        pledged_households=pledged,
        active_models=1,
        baseline=0,  # below the current count: the baseline criteria name people
        registered_on=datetime.date(2026, 1, 1),
    )


def _everyone():
    """One person of each kind the criteria tell apart."""
    recent = (rules.DrugTest(AS_OF - datetime.timedelta(days=3), "negative"),)
    return tuple(
        rules.PersonDetail(
            id=n,
            name=f"P{n}",
            category=category,
            present=present,
            has_file=has_file,
            listed_on=datetime.date(2026, 2, 1),
            psychosis=psychosis,
            treatment_form=form,
            tests=tests,
            support_dates=(datetime.date(2026, 3, 1),),
        )
        for n, (category, present, has_file, psychosis, form, tests) in enumerate(
            (category, present, has_file, psychosis, form, tests)
            for category in ["addict", "user", "suspect", "post_rehab"]
            for present in (True, False)
            for has_file in (True, False)
            for psychosis in (True, False)
            for form in ("", "methadone", "compulsory_facility")
            for tests in ((), recent)
        )
    )


def _single(code):
    return dataclasses.replace(rules.QD28_2025, criteria=(code,))


def test_only_listed_criteria_read_people_other_than_present_addicts_and_users():
    """The loader keeps only present addicts and users unless a criterion in
    rules.CRITERIA_READING_OTHER_PERSONS is in use: every other criterion must give the same
    result, evidence and causes from that subset."""
    everyone = _everyone()
    subset = tuple(p for p in everyone if p.present and p.category in facts.USER_CATEGORIES)
    differing = set()
    for code in rules.CRITERIA:
        (full,) = rules.evaluate_criteria(_inputs_reading_everything(everyone), _single(code))
        (part,) = rules.evaluate_criteria(_inputs_reading_everything(subset), _single(code))
        if full != part:
            differing.add(code)
    assert differing  # the fixture does exercise people outside the subset
    assert differing <= rules.CRITERIA_READING_OTHER_PERSONS


def test_only_listed_criteria_read_support_actions_or_pledges():
    everyone = _everyone()
    unsupported = tuple(dataclasses.replace(p, support_dates=()) for p in everyone)
    reading_support, reading_pledges = set(), set()
    for code in rules.CRITERIA:
        (full,) = rules.evaluate_criteria(_inputs_reading_everything(everyone), _single(code))
        (bare,) = rules.evaluate_criteria(_inputs_reading_everything(unsupported), _single(code))
        if full != bare:
            reading_support.add(code)
        (pledged,) = rules.evaluate_criteria(
            _inputs_reading_everything(everyone, pledged=10), _single(code)
        )
        if full != pledged:
            reading_pledges.add(code)
    assert reading_support and reading_pledges
    assert reading_support <= rules.CRITERIA_READING_SUPPORT
    assert reading_pledges <= rules.CRITERIA_READING_PLEDGES


def test_loading_only_what_the_profile_reads_gives_the_same_assessment(built):
    """QĐ 28 reads neither tests, support, pledges nor people other than present addicts and
    users; the assessment is the same as with everything loaded."""
    lean = services.assess_communes([built], as_of=AS_OF, profile="qd28-2025")[0]
    full = facts.gather([built], as_of=AS_OF)[built.pk]
    assert lean.inputs.facts == full.facts
    assert lean.criteria == rules.evaluate_criteria(full, "qd28-2025")
    assert {p.category for p in lean.inputs.persons} == {"addict", "user"}
    assert len(lean.inputs.persons) < len(full.persons)
