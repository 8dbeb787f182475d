"""One rule, every way in: the same change made on a page (or in the admin) and by a workbook
writes the same rows (the import calls the apps' own rule functions; it only writes their
result in bulk)."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Registration
from assessments.recognition import registration_open
from assessments.services import assess_communes
from casefiles.models import CategoryPeriod, Person, PresencePeriod
from communes.models import Hotspot, Offence
from tests.factories import HamletFactory, make_person
from tests.imports import TODAY, errors_of, imported, person_row, table

D = datetime.date


def periods(person, model) -> list[tuple]:
    """A person's periods as the rows say them, without keys and timestamps."""
    value = "category" if model is CategoryPeriod else "status"
    return list(
        model.objects.filter(person=person)
        .order_by("started_on", "pk")
        .values_list(value, "started_on", "ended_on", "recorded_by")
    )


def row_of(person: Person, **values) -> dict:
    """The persons row that says exactly what is stored about `person`, changed by `values`."""
    stored = {
        "citizen_id": person.citizen_id,
        "full_name": person.full_name,
        "birth_date": person.birth_date.isoformat(),
        "listed_on": person.listed_on.isoformat(),
        "file_opened_on": person.file_opened_on.isoformat(),
        "category_since": person.listed_on.isoformat(),
    }
    return person_row(**{**stored, **values})


@pytest.fixture
def twins(commune):
    """Two people with the same history: one changed on the page, one by a workbook."""
    return (
        make_person(commune, full_name="Nông Văn Một", since=D(2025, 3, 1)),
        make_person(commune, full_name="Nông Văn Hai", since=D(2025, 3, 1)),
    )


def test_a_category_change_writes_the_same_periods_from_the_page_and_a_workbook(
    client, commune_officer, twins
):
    on_page, in_workbook = twins
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:category", args=[on_page.pk]), {"value": "user", "on": "01/09/2025"}
    )
    assert response.status_code == 302
    imported(
        {"persons": table(row_of(in_workbook, category="user", category_since="2025-09-01"))},
        by=commune_officer,
    )
    expected = [
        ("addict", D(2025, 3, 1), D(2025, 9, 1), None),
        ("user", D(2025, 9, 1), None, commune_officer.pk),
    ]
    assert periods(on_page, CategoryPeriod) == periods(in_workbook, CategoryPeriod) == expected


def test_a_presence_change_writes_the_same_periods_from_the_page_and_a_workbook(
    client, commune_officer, twins
):
    on_page, in_workbook = twins
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:presence", args=[on_page.pk]),
        {"value": "prison", "on": TODAY.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    # The sheet has no date for presence: a change starts on the day of the import.
    imported(
        {"persons": table(row_of(in_workbook, present="không", absence_reason="prison"))},
        by=commune_officer,
        today=TODAY,
    )
    expected = [
        ("present", D(2025, 3, 1), TODAY, None),
        ("prison", TODAY, None, commune_officer.pk),
    ]
    assert periods(on_page, PresencePeriod) == periods(in_workbook, PresencePeriod) == expected


def test_a_category_dated_before_the_current_one_is_refused_both_ways(
    client, commune_officer, twins
):
    on_page, in_workbook = twins
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:category", args=[on_page.pk]), {"value": "user", "on": "01/02/2025"}
    )
    assert response.status_code == 200
    assert "01/03/2025" in " ".join(response.context["form"].non_field_errors())
    errors = errors_of(
        {"persons": table(row_of(in_workbook, category="user", category_since="2025-02-01"))}
    )
    assert errors == [
        "persons!2: category_since: ngày 2025-02-01 trước ngày bắt đầu diện hiện tại "
        "(người nghiện ma túy, từ 2025-03-01)"
    ]
    assert CategoryPeriod.objects.count() == 2  # one each, as made


def test_the_same_category_again_is_no_change_either_way(client, commune_officer, twins):
    on_page, in_workbook = twins
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:category", args=[on_page.pk]), {"value": "addict", "on": "01/09/2025"}
    )
    assert response.status_code == 200  # the page says it is the current state already
    result = imported(
        {"persons": table(row_of(in_workbook, category="addict", category_since="2025-09-01"))}
    )
    assert result.counts["persons"] == {"create": 0, "update": 0, "unchanged": 1}
    assert periods(on_page, CategoryPeriod) == periods(in_workbook, CategoryPeriod)


def test_a_new_file_opens_with_the_same_periods_from_the_page_and_a_workbook(
    client, commune_officer, commune
):
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]),
        {
            "full_name": "Hoàng Văn Trang",
            "birth_date": "17/05/1990",
            "sex": "M",
            "citizen_id": "020090000102",
            "listed_on": "01/03/2025",
            "file_opened_on": "05/03/2025",
            "category": "user",
            "category_since": "15/02/2025",
            "presence": "unknown",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    imported(
        {
            "persons": table(
                person_row(
                    category="user",
                    category_since="2025-02-15",
                    present="không",
                    absence_reason="unknown",
                )
            )
        },
        by=commune_officer,
    )
    on_page = Person.objects.get(citizen_id="020090000102")
    in_workbook = Person.objects.get(citizen_id="020090000101")
    for model in (CategoryPeriod, PresencePeriod):
        assert periods(on_page, model) == periods(in_workbook, model)
    assert periods(in_workbook, CategoryPeriod) == [
        ("user", D(2025, 2, 15), None, commune_officer.pk)
    ]
    assert periods(in_workbook, PresencePeriod) == [
        ("unknown", D(2025, 3, 1), None, commune_officer.pk)
    ]


@pytest.fixture
def eradicated(commune):
    """A hamlet with two eradicated hotspots: one with no location, one at the river bank."""
    hamlet = HamletFactory(commune=commune, name="Thôn Bó Rọ")
    unplaced = Hotspot.objects.create(
        commune=commune,
        ref="ĐĐ-00",
        kind="den",
        hamlet=hamlet,
        detected_on=D(2024, 3, 1),
        eradicated_on=D(2024, 6, 1),
    )
    Hotspot.objects.create(
        commune=commune,
        ref="ĐĐ-SONG",
        kind="den",
        hamlet=hamlet,
        location="Bãi sông",
        detected_on=D(2024, 3, 1),
        eradicated_on=D(2024, 8, 1),  # later, but another place within the hamlet
    )
    return hamlet, unplaced


def test_a_re_emerged_hotspot_is_linked_the_same_way_from_the_page_and_a_workbook(
    client, commune_officer, commune, eradicated
):
    hamlet, unplaced = eradicated
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:register_create", args=["hotspots", commune.pk]),
        {"ref": "ĐĐ-F", "kind": "retail", "hamlet": hamlet.pk, "detected_on": "01/09/2025"},
    )
    assert response.status_code == 302
    imported(
        {
            "hotspots": table(
                {
                    "commune_code": commune.code,
                    "ref": "ĐĐ-W",
                    "kind": "retail",
                    "hamlet": hamlet.name,
                    "detected_on": "2025-09-01",
                }
            )
        }
    )
    on_page, in_workbook = Hotspot.objects.get(ref="ĐĐ-F"), Hotspot.objects.get(ref="ĐĐ-W")
    assert on_page.re_emerged_from == in_workbook.re_emerged_from == unplaced


def test_offence_counts_over_the_offenders_are_refused_both_ways(client, commune_officer, commune):
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:register_create", args=["offences", commune.pk]),
        {
            "ref": "VV-F",
            "occurred_on": "10/02/2025",
            "kind": "possession",
            "offenders": 1,
            "offenders_arrested": 2,
            "resident_offenders": 1,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["offenders_arrested"]
    errors = errors_of(
        {
            "offences": table(
                {
                    "commune_code": commune.code,
                    "ref": "VV-W",
                    "occurred_on": "2025-02-10",
                    "kind": "possession",
                    "offenders": 1,
                    "offenders_arrested": 2,
                    "resident_offenders": 1,
                }
            )
        }
    )
    assert errors == ["offences!2: offenders_arrested: không được lớn hơn số đối tượng (1)"]
    assert not Offence.objects.exists()


def test_a_registration_has_the_same_baseline_from_the_admin_and_a_workbook(
    client, provincial_officer, commune, other_commune
):
    for place in (commune, other_commune):
        make_person(place, full_name="Nông Văn Một", category="addict", since=D(2025, 11, 1))
        make_person(place, full_name="Hoàng Văn Hai", category="user", since=D(2025, 11, 1))
    client.force_login(provincial_officer)
    response = client.post(
        reverse("admin:assessments_registration_add"),
        {
            "commune": commune.pk,
            "year": 2026,
            "registered_on": "2025-11-20",
            "profile": "qd28-2025",
            "baseline_users": 4,
        },
    )
    assert response.status_code == 302
    imported(
        {
            "registrations": table(
                {
                    "commune_code": other_commune.code,
                    "year": 2026,
                    "registered_on": "2025-11-20",
                    "baseline_users": 4,
                }
            )
        }
    )
    in_admin = Registration.objects.get(commune=commune)
    in_workbook = Registration.objects.get(commune=other_commune)
    # The workbook keeps the blank (contracts.md §3); the engine counts it by the same rule
    # the admin froze it with, and opening the case freezes that same number.
    assert (in_workbook.baseline_addicts, in_workbook.baseline_users) == (None, 4)
    results = assess_communes([commune, other_commune], as_of=D(2026, 1, 15))
    assert [result.inputs.baseline for result in results] == [1 + 4, 1 + 4]
    registration_open(registration=in_workbook, by=provincial_officer)
    in_workbook.refresh_from_db()
    assert (
        (in_workbook.baseline_addicts, in_workbook.baseline_users)
        == (
            in_admin.baseline_addicts,
            in_admin.baseline_users,
        )
        == (1, 4)
    )
