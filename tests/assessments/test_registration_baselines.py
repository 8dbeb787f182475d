"""A registration's baseline: one rule for the engine reading a blank baseline and for the
recognition case freezing it (contracts.md §3: blank = computed as of registered_on)."""

import datetime

from assessments import recognition, services
from assessments.models import Registration
from tests.factories import make_person

D = datetime.date
REGISTERED_ON = D(2025, 12, 10)


def registration(commune, **baselines) -> Registration:
    return Registration.objects.create(
        commune=commune, year=2026, registered_on=REGISTERED_ON, profile="qd28-2025", **baselines
    )


def test_a_recorded_number_stands_and_a_blank_one_is_counted_on_the_registration_day(
    commune, other_commune, django_assert_num_queries
):
    make_person(commune, full_name="Nông Văn Một", category="addict", since=D(2025, 11, 1))
    make_person(commune, full_name="Hoàng Văn Hai", category="user", since=D(2025, 11, 1))
    make_person(commune, full_name="Lý Văn Ba", category="user", since=D(2025, 12, 11))  # after
    make_person(other_commune, full_name="Hà Văn Bốn", category="addict", since=D(2025, 11, 1))
    make_person(  # absent on the day: not counted
        commune, full_name="Đàm Văn Năm", category="addict", presence="prison", since=D(2025, 11, 1)
    )
    blank, half, recorded = (
        registration(commune),
        registration(other_commune, baseline_users=4),
        Registration(
            commune=commune,
            year=2027,
            registered_on=REGISTERED_ON,
            baseline_addicts=9,
            baseline_users=8,
        ),
    )
    with django_assert_num_queries(1):  # one statement per registration day
        baselines = services.registration_baselines(registrations=[blank, half, recorded])
    assert [(b.addicts, b.users) for b in baselines] == [(1, 1), (1, 4), (9, 8)]


def test_opening_the_case_freezes_the_baseline_the_engine_was_reading(commune, provincial_officer):
    make_person(commune, full_name="Nông Văn Một", category="addict", since=D(2025, 11, 1))
    make_person(commune, full_name="Hoàng Văn Hai", category="user", since=D(2025, 11, 1))
    imported_with_one_blank = registration(commune, baseline_users=4)

    def engine_baseline():
        (result,) = services.assess_communes([commune], as_of=D(2026, 1, 15))
        return result.inputs.baseline

    assert engine_baseline() == 1 + 4  # the recorded 4 users count, the addicts are counted
    recognition.registration_open(registration=imported_with_one_blank, by=provincial_officer)
    imported_with_one_blank.refresh_from_db()
    assert (imported_with_one_blank.baseline_addicts, imported_with_one_blank.baseline_users) == (
        1,
        4,
    )
    assert engine_baseline() == 5
