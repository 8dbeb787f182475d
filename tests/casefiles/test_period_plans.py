"""The rule of a category or presence change, on its own (no database): what the file's page
saves and what the workbook import writes in bulk."""

import datetime

import pytest

from casefiles.models import CategoryPeriod, Person, PresencePeriod
from casefiles.services import (
    PeriodStartsTooEarly,
    category_change_plan,
    person_opening_periods,
    presence_change_plan,
)

D = datetime.date


def test_a_new_category_ends_the_current_period_where_it_starts():
    person = Person(full_name="Nông Văn Thử")
    current = CategoryPeriod(person=person, category="addict", started_on=D(2025, 3, 1))
    change = category_change_plan(person=person, current=current, category="user", on=D(2025, 9, 1))
    assert change.ending is current
    assert change.on == D(2025, 9, 1)
    assert (change.opening.person, change.opening.category, change.opening.started_on) == (
        person,
        "user",
        D(2025, 9, 1),
    )
    assert current.ended_on is None  # a plan: the caller writes it


def test_the_current_category_again_is_no_change():
    person = Person()
    current = CategoryPeriod(person=person, category="addict", started_on=D(2025, 3, 1))
    assert (
        category_change_plan(person=person, current=current, category="addict", on=D(2025, 9, 1))
        is None
    )


def test_a_change_dated_before_the_current_period_is_refused():
    person = Person()
    current = PresencePeriod(person=person, status="present", started_on=D(2025, 3, 1))
    with pytest.raises(PeriodStartsTooEarly) as refusal:
        presence_change_plan(person=person, current=current, status="prison", on=D(2025, 2, 1))
    assert refusal.value.current is current


def test_without_a_current_period_the_change_only_opens_one():
    change = presence_change_plan(person=Person(), current=None, status="prison", on=D(2025, 2, 1))
    assert change.ending is None
    assert (change.opening.status, change.opening.started_on) == ("prison", D(2025, 2, 1))


def test_a_new_file_opens_a_category_and_a_presence_period():
    person = Person()
    category, presence = person_opening_periods(
        person=person,
        category="user",
        category_since=D(2025, 2, 15),
        presence="present",
        presence_since=D(2025, 3, 1),
    )
    assert (category.person, category.category, category.started_on) == (
        person,
        "user",
        D(2025, 2, 15),
    )
    assert (presence.person, presence.status, presence.started_on) == (
        person,
        "present",
        D(2025, 3, 1),
    )
