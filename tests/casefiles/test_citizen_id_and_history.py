import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casefiles import services
from casefiles.citizen_id import (
    citizen_id_mismatch,
    normalise_citizen_id,
    validate_citizen_id_format,
)
from casefiles.models import CategoryPeriod, Person
from tests.factories import make_person


@pytest.mark.parametrize(
    "value", ["02009000012", "0200900001234", "02009000012a", "000090000123", "097090000123"]
)
def test_bad_citizen_ids_are_refused(value):
    with pytest.raises(ValidationError):
        validate_citizen_id_format(value)


def test_good_citizen_id_passes_and_spaces_are_stripped():
    assert normalise_citizen_id("020 090 000 123") == "020090000123"
    validate_citizen_id_format("020090000123")


def test_citizen_id_must_match_sex_and_birth_year():
    born_1990 = datetime.date(1990, 5, 17)
    assert citizen_id_mismatch("020090000123", sex="M", birth_date=born_1990) is None
    assert citizen_id_mismatch("020190000123", sex="F", birth_date=born_1990) is None
    assert citizen_id_mismatch("020190000123", sex="M", birth_date=born_1990)
    assert citizen_id_mismatch("020091000123", sex="M", birth_date=born_1990)
    born_2004 = datetime.date(2004, 1, 2)
    assert citizen_id_mismatch("020204000123", sex="M", birth_date=born_2004) is None
    assert citizen_id_mismatch("020004000123", sex="M", birth_date=born_2004)


def test_citizen_id_is_unique_in_the_database(commune):
    make_person(commune, citizen_id="020090000123")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_person(commune, full_name="Người Khác", citizen_id="020090000123")


def category_on(person: Person, day: datetime.date) -> str | None:
    """The person's category on `day`, from their history; None if they were not listed."""
    for period in person.categories.all():
        if period.covers(day):
            return period.category
    return None


def test_category_on_any_past_date(commune, commune_officer):
    person = make_person(commune, category="suspect", since=datetime.date(2024, 1, 10))
    services.person_change_category(
        person=person, category="user", on=datetime.date(2024, 6, 1), by=commune_officer
    )
    services.person_change_category(
        person=person, category="addict", on=datetime.date(2025, 2, 15), by=commune_officer
    )
    person = Person.objects.prefetch_related("categories").get(pk=person.pk)
    assert category_on(person, datetime.date(2024, 1, 9)) is None
    assert category_on(person, datetime.date(2024, 1, 10)) == "suspect"
    assert category_on(person, datetime.date(2024, 5, 31)) == "suspect"
    assert category_on(person, datetime.date(2024, 6, 1)) == "user"
    assert category_on(person, datetime.date(2025, 2, 14)) == "user"
    assert category_on(person, datetime.date(2025, 2, 15)) == "addict"
    assert category_on(person, datetime.date(2030, 1, 1)) == "addict"
    assert CategoryPeriod.objects.filter(person=person, ended_on__isnull=True).count() == 1


def test_category_change_refuses_a_date_before_the_current_period(commune, commune_officer):
    person = make_person(commune, category="user", since=datetime.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.person_change_category(
            person=person, category="addict", on=datetime.date(2025, 2, 1), by=commune_officer
        )
    with pytest.raises(ValidationError):
        services.person_change_category(
            person=person, category="user", on=datetime.date(2025, 4, 1), by=commune_officer
        )
    assert list(person.categories.values_list("category", "ended_on")) == [("user", None)]


def test_only_one_open_period_in_the_database(commune):
    person = make_person(commune)
    with pytest.raises(IntegrityError), transaction.atomic():
        CategoryPeriod.objects.create(
            person=person, category="user", started_on=datetime.date(2025, 5, 1)
        )
