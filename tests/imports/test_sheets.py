"""Each sheet's valid rows land in the database as contracts.md §3 describes."""

import datetime
from decimal import Decimal

from assessments.models import Registration, RoadmapTarget
from casefiles.models import CategoryPeriod, DrugTest, Person, PresencePeriod, RehabEpisode
from communes.models import (
    Commune,
    CultivationFind,
    Hamlet,
    Hotspot,
    Household,
    Offence,
    Pledge,
    PreventionModel,
    Province,
    WantedPerson,
)
from tests.factories import HamletFactory, make_person
from tests.imports import TODAY, errors_of, imported, person_row, table

D = datetime.date


def test_communes_sheet_creates_provinces_and_updates_communes(commune):
    result = imported(
        {
            "communes": table(
                {
                    "province_code": "99",
                    "province_name": "Tỉnh Mẫu",
                    "code": "99001",
                    "name": "Xã Đồng Mẫu",
                    "kind": "xa",
                    "population": 4200,
                    "households": 1000,
                    "on_key_route": "có",
                    "border": "không",
                },
                {
                    "province_code": "20",
                    "province_name": "Lạng Sơn",
                    "code": "20001",
                    "name": "Công Sơn",
                    "kind": "xa",
                    "population": 9100,
                    "households": 2100,
                    "on_key_route": "no",
                    "border": "yes",
                },
            )
        }
    )
    assert result.counts["communes"] == {"create": 1, "update": 1, "unchanged": 0}
    created = Commune.objects.get(code="99001")
    assert created.province == Province.objects.get(code="99", name="Tỉnh Mẫu")
    assert (created.population, created.households, created.on_key_route) == (4200, 1000, True)
    assert created.search_text == "xa dong mau 99001"  # kept by save(); bulk writes set it too
    commune.refresh_from_db()
    assert (commune.population, commune.border) == (9100, True)


def test_hamlets_sheet_creates_and_updates_hamlets(commune):
    HamletFactory(commune=commune, name="Thôn Nà Cạn", households=100, mailbox=False)
    result = imported(
        {
            "hamlets": table(
                {
                    "commune_code": "20001",
                    "name": "Thôn Nà Cạn",
                    "households": 130,
                    "hotline_board": "có",
                    "mailbox": "có",
                },
                {"commune_code": "20001", "name": "Thôn Khau Mạ", "households": None},
            )
        }
    )
    assert result.counts["hamlets"] == {"create": 1, "update": 1, "unchanged": 0}
    assert Hamlet.objects.get(name="Thôn Nà Cạn").households == 130
    assert Hamlet.objects.get(name="Thôn Nà Cạn").mailbox is True
    new = Hamlet.objects.get(name="Thôn Khau Mạ")
    assert (new.commune, new.households, new.hotline_board) == (commune, None, False)


def test_persons_sheet_creates_the_file_with_its_category_and_presence(commune):
    hamlet = HamletFactory(commune=commune, name="Thôn Pác Sla")
    imported(
        {
            "persons": table(
                person_row(hamlet="Thôn Pác Sla", category_since="2025-02-01"),
                person_row(
                    citizen_id="020195000202",
                    full_name="Lương Thị Mẫu",
                    birth_date="1995-01-02",
                    sex="F",
                    category="user",
                    present="không",
                    absence_reason="prison",
                    file_opened_on=None,
                ),
            )
        }
    )
    man = Person.objects.get(citizen_id="020090000101")
    assert (man.full_name, man.commune, man.hamlet) == ("Hoàng Văn Thử", commune, hamlet)
    assert (man.birth_date, man.sex, man.file_opened_on) == (D(1990, 5, 17), "M", D(2025, 3, 5))
    assert man.search_text == "hoang van thu 020090000101"
    assert list(man.categories.values_list("category", "started_on", "ended_on")) == [
        ("addict", D(2025, 2, 1), None)
    ]
    assert list(man.presences.values_list("status", "started_on")) == [("present", D(2025, 3, 1))]
    woman = Person.objects.get(citizen_id="020195000202")
    assert woman.file_opened_on is None
    assert woman.presences.get().status == "prison"


def test_a_new_category_ends_the_current_period_on_category_since(commune):
    person = make_person(commune, category="suspect", since=D(2025, 1, 10))
    result = imported(
        {
            "persons": table(
                person_row(
                    citizen_id=person.citizen_id,
                    full_name=person.full_name,
                    category="user",
                    category_since="2025-06-01",
                    listed_on="2025-01-10",
                    file_opened_on="2025-01-10",
                )
            )
        }
    )
    assert result.counts["persons"] == {"create": 0, "update": 1, "unchanged": 0}
    assert list(person.categories.values_list("category", "started_on", "ended_on")) == [
        ("suspect", D(2025, 1, 10), D(2025, 6, 1)),
        ("user", D(2025, 6, 1), None),
    ]
    assert person.presences.count() == 1  # presence did not change


def test_a_category_change_before_the_current_period_is_refused(commune):
    person = make_person(commune, category="suspect", since=D(2025, 4, 1))
    errors = errors_of(
        {
            "persons": table(
                person_row(
                    citizen_id=person.citizen_id,
                    category="addict",
                    category_since="2025-03-01",
                )
            )
        },
        today=TODAY,
    )
    assert len(errors) == 1
    assert errors[0].startswith("persons!2: category_since: ngày 2025-03-01 trước ngày bắt đầu")
    assert person.categories.count() == 1


def test_a_new_presence_starts_on_the_day_of_the_import(commune):
    person = make_person(commune, since=D(2025, 3, 1))
    imported(
        {
            "persons": table(
                person_row(
                    citizen_id=person.citizen_id,
                    full_name=person.full_name,
                    present="không",
                    absence_reason="compulsory_rehab",
                )
            )
        }
    )
    assert list(person.presences.values_list("status", "started_on", "ended_on")) == [
        ("present", D(2025, 3, 1), TODAY),
        ("compulsory_rehab", TODAY, None),
    ]


def test_identity_changes_bump_the_version_for_open_edit_forms(commune):
    person = make_person(commune, full_name="Tên Cũ", since=D(2025, 3, 1))
    imported({"persons": table(person_row(citizen_id=person.citizen_id, full_name="Tên Mới"))})
    person.refresh_from_db()
    assert (person.full_name, person.version) == ("Tên Mới", 2)
    assert person.search_text == f"ten moi {person.citizen_id}"


def test_a_person_of_another_commune_is_not_moved_by_an_import(commune, other_commune):
    person = make_person(other_commune)
    errors = errors_of({"persons": table(person_row(citizen_id=person.citizen_id))})
    assert errors == [
        "persons!2: commune_code: người này đang được quản lý ở xã Lợi Bác (20002); "
        "chuyển hồ sơ trên trang hồ sơ"
    ]


def test_drug_tests_refer_to_stored_people_and_people_of_the_same_file(commune):
    stored = make_person(commune, since=D(2025, 1, 1))
    imported(
        {
            "persons": table(person_row()),
            "drug_tests": table(
                {
                    "citizen_id": stored.citizen_id,
                    "tested_on": "2025-06-01",
                    "kind": "periodic",
                    "result": "positive",
                    "substance": "methamphetamine",
                },
                {
                    "citizen_id": "020090000101",
                    "tested_on": D(2025, 6, 2),
                    "kind": "surprise",
                    "result": "negative",
                },
            ),
        }
    )
    assert list(stored.tests.values_list("tested_on", "kind", "result", "substance")) == [
        (D(2025, 6, 1), "periodic", "positive", "methamphetamine")
    ]
    new = Person.objects.get(citizen_id="020090000101")
    assert list(new.tests.values_list("kind", "result")) == [("surprise", "negative")]


def test_rehab_sheet_creates_and_ends_episodes(commune):
    person = make_person(commune, since=D(2025, 1, 1))
    row = {
        "citizen_id": person.citizen_id,
        "form": "methadone",
        "started_on": "2025-02-01",
        "ended_on": None,
    }
    imported({"rehab": table(row)})
    assert RehabEpisode.objects.get(person=person).ended_on is None
    result = imported({"rehab": table({**row, "ended_on": "2025-08-01"})})
    assert result.counts["rehab"] == {"create": 0, "update": 1, "unchanged": 0}
    assert RehabEpisode.objects.get(person=person).ended_on == D(2025, 8, 1)


def hotspot_row(**values) -> dict:
    return {
        "commune_code": "20001",
        "ref": "ĐĐ-01",
        "kind": "retail",
        "hamlet": "Thôn Bó Rọ",
        "detected_on": "2025-01-15",
        "eradicated_on": None,
        **values,
    }


def test_hotspots_sheet_creates_hotspots(commune):
    hamlet = HamletFactory(commune=commune, name="Thôn Bó Rọ")
    imported({"hotspots": table(hotspot_row(), hotspot_row(ref="ĐĐ-02", hamlet=None))})
    first = Hotspot.objects.get(ref="ĐĐ-01")
    assert (first.commune, first.hamlet, first.kind, first.detected_on) == (
        commune,
        hamlet,
        "retail",
        D(2025, 1, 15),
    )
    assert first.re_emerged_from is None
    assert Hotspot.objects.get(ref="ĐĐ-02").hamlet is None


def test_a_new_hotspot_where_one_was_eradicated_re_emerged_from_it(commune):
    hamlet = HamletFactory(commune=commune, name="Thôn Bó Rọ")
    stored = Hotspot.objects.create(
        commune=commune,
        ref="ĐĐ-00",
        kind="den",
        hamlet=hamlet,
        detected_on=D(2024, 3, 1),
        eradicated_on=D(2024, 6, 1),
    )
    imported(
        {
            "hotspots": table(
                hotspot_row(ref="ĐĐ-02", detected_on="2025-09-01"),
                # Listed after the one that re-emerged from it: order in the file does not matter.
                hotspot_row(ref="ĐĐ-01", detected_on="2025-01-15", eradicated_on="2025-04-30"),
                hotspot_row(ref="ĐĐ-03", hamlet=None, detected_on="2025-10-01"),
            )
        }
    )
    first = Hotspot.objects.get(ref="ĐĐ-01")
    assert first.re_emerged_from == stored
    assert Hotspot.objects.get(ref="ĐĐ-02").re_emerged_from == first
    assert Hotspot.objects.get(ref="ĐĐ-03").re_emerged_from is None  # no place to compare


def test_cultivation_sheet_creates_finds(commune):
    imported(
        {
            "cultivation": table(
                {
                    "commune_code": "20001",
                    "ref": "TC-01",
                    "found_on": "2025-02-20",
                    "plants": 150,
                    "area_m2": "20,5",
                    "destroyed_on": "2025-02-21",
                },
                {"commune_code": "20001", "ref": "TC-02", "found_on": "2025-03-01"},
            )
        }
    )
    find = CultivationFind.objects.get(ref="TC-01")
    assert (find.plants, find.area_m2, find.destroyed_on) == (150, Decimal("20.5"), D(2025, 2, 21))
    blank = CultivationFind.objects.get(ref="TC-02")
    assert (blank.plants, blank.area_m2, blank.destroyed_on) == (0, Decimal("0"), None)


def offence_row(**values) -> dict:
    return {
        "commune_code": "20001",
        "ref": "VV-01",
        "occurred_on": "2025-02-10",
        "kind": "possession",
        "offenders": 3,
        "offenders_arrested": 2,
        "resident_offenders": 1,
        "serious": "không",
        "by_managed_person": "Có",
        "psychosis_incident": 0,
        **values,
    }


def test_offences_sheet_creates_offences(commune):
    imported({"offences": table(offence_row())})
    offence = Offence.objects.get(ref="VV-01")
    assert (offence.kind, offence.offenders, offence.offenders_arrested) == ("possession", 3, 2)
    assert (offence.serious, offence.by_managed_person, offence.psychosis_incident) == (
        False,
        True,
        False,
    )


def test_more_arrested_than_offenders_is_refused(commune):
    errors = errors_of({"offences": table(offence_row(offenders=1, offenders_arrested=2))})
    assert errors == ["offences!2: offenders_arrested: không được lớn hơn số đối tượng (1)"]


def test_wanted_sheet_creates_wanted_persons(commune):
    imported(
        {
            "wanted": table(
                {"commune_code": "20001", "ref": "TN-01", "hiding_since": "2024-11-01"},
            )
        }
    )
    wanted = WantedPerson.objects.get(ref="TN-01")
    assert (wanted.commune, wanted.hiding_since, wanted.arrested_on) == (
        commune,
        D(2024, 11, 1),
        None,
    )


def test_pledges_sheet_creates_households_and_their_pledges(commune):
    hamlet = HamletFactory(commune=commune, name="Thôn Còn Mò")
    row = {
        "commune_code": "20001",
        "hamlet": "thôn còn mò",  # hamlet names match whatever the case
        "household_code": "HM-001",
        "head_name": "Trần Văn Mẫu",
        "signed_on": None,
    }
    imported(
        {"pledges": table(row, {**row, "household_code": "HM-002", "signed_on": "2025-03-15"})}
    )
    assert Household.objects.get(household_code="HM-001").hamlet == hamlet
    assert not Pledge.objects.filter(household__household_code="HM-001").exists()
    assert Pledge.objects.get(household__household_code="HM-002").signed_on == D(2025, 3, 15)
    result = imported({"pledges": table({**row, "signed_on": "2025-04-01"})})
    assert result.counts["pledges"] == {"create": 0, "update": 1, "unchanged": 0}
    assert Pledge.objects.get(household__household_code="HM-001").signed_on == D(2025, 4, 1)


def test_models_sheet_creates_prevention_models(commune):
    imported(
        {
            "models": table(
                {
                    "commune_code": "20001",
                    "name": "Dòng họ không ma túy",
                    "started_on": "2025-01-01",
                    "ended_on": None,
                }
            )
        }
    )
    model = PreventionModel.objects.get()
    assert (model.commune, model.name, model.started_on) == (
        commune,
        "Dòng họ không ma túy",
        D(2025, 1, 1),
    )


def test_registrations_sheet_keeps_blank_baselines_empty(commune):
    imported(
        {
            "registrations": table(
                {
                    "commune_code": "20001",
                    "year": 2025,
                    "registered_on": "2025-01-10",
                    "profile": None,
                    "baseline_addicts": None,
                    "baseline_users": 4,
                }
            )
        }
    )
    registration = Registration.objects.get()
    assert (registration.year, registration.profile) == (2025, "qd28-2025")
    assert (registration.baseline_addicts, registration.baseline_users) == (None, 4)


def test_roadmap_sheet_sets_targets(province):
    imported(
        {
            "roadmap": table(
                {"province_code": "20", "year": 2026, "target_communes": 20},
                {"province_code": "20", "year": 2027, "target_communes": 45},
            )
        }
    )
    assert list(
        RoadmapTarget.objects.order_by("year").values_list("province", "year", "target_communes")
    ) == [(province.pk, 2026, 20), (province.pk, 2027, 45)]


def test_rows_may_refer_to_rows_of_the_same_file(db):
    imported(
        {
            "communes": table(
                {
                    "province_code": "99",
                    "province_name": "Tỉnh Mẫu",
                    "code": "99001",
                    "name": "Xã Mẫu",
                    "kind": "phuong",
                }
            ),
            "hamlets": table({"commune_code": "99001", "name": "Khối 1"}),
            "persons": table(
                person_row(commune_code="99001", citizen_id="096090000001", hamlet="Khối 1")
            ),
            "drug_tests": table(
                {
                    "citizen_id": "096090000001",
                    "tested_on": "2025-06-01",
                    "kind": "periodic",
                    "result": "negative",
                }
            ),
            "roadmap": table({"province_code": "99", "year": 2026, "target_communes": 1}),
        }
    )
    person = Person.objects.select_related("hamlet__commune__province").get()
    assert person.hamlet.name == "Khối 1"
    assert person.hamlet.commune.code == "99001"
    assert person.hamlet.commune.province.code == "99"
    assert DrugTest.objects.get().person == person
    assert CategoryPeriod.objects.get().person == person
    assert PresencePeriod.objects.get().person == person
    assert RoadmapTarget.objects.get().province.code == "99"
