"""The pledge criterion counts what the pledge page counts: hamlets not archived on the day, and
no more households in a hamlet than it has. An attacker with a commune officer's account lifted
the commune to 100 % through an archived hamlet's households and surplus rows in another."""

import datetime

from assessments.facts import gather
from communes.models import Hamlet, Household, Pledge
from communes.selectors import pledge_coverage

D = datetime.date


def signed(hamlet, count: int, *, prefix: str) -> None:
    for number in range(count):
        household = Household.objects.create(
            commune=hamlet.commune,
            hamlet=hamlet,
            household_code=f"{prefix}-{number}",
            head_name=f"Chủ hộ {number}",
        )
        Pledge.objects.create(household=household, signed_on=D(2025, 3, 1))


def pledged_on(commune, day) -> int:
    return gather([commune], as_of=day)[commune.pk].pledged_households


def test_an_archived_hamlet_and_surplus_rows_do_not_count(commune):
    full = Hamlet.objects.create(commune=commune, name="Thôn Đủ", households=3)
    short = Hamlet.objects.create(commune=commune, name="Thôn Thiếu", households=4)
    gone = Hamlet.objects.create(commune=commune, name="Thôn Cũ", households=5)
    signed(full, 5, prefix="D")  # two more rows than households
    signed(short, 2, prefix="T")
    signed(gone, 5, prefix="C")
    gone.archived_on, gone.archive_reason = D(2025, 10, 1), "sáp nhập"
    gone.save()
    assert pledged_on(commune, D(2025, 12, 1)) == 3 + 2
    # Before it was archived the old hamlet counted, as it stood then.
    assert pledged_on(commune, D(2025, 9, 1)) == 3 + 2 + 5
    _rows, total = pledge_coverage(commune)
    assert total.signed == 3 + 2
