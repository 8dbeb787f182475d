"""The re-emergence rule on its own (no database): which earlier hotspot a new one re-emerged
from. The hotspot form asks it for one hotspot, the workbook import for many."""

import datetime

from communes.models import Commune, Hamlet, Hotspot
from communes.services import hotspot_place, hotspot_re_emerged_from, hotspots_re_emergence_plan

D = datetime.date
COMMUNE = Commune(code="20001", name="Công Sơn")
HAMLET = Hamlet(commune=COMMUNE, name="Thôn Nà Hin")


def spot(ref, detected_on, eradicated_on=None, *, hamlet=HAMLET, location="", **fields):
    return Hotspot(
        commune=COMMUNE,
        ref=ref,
        kind="den",
        hamlet=hamlet,
        location=location,
        detected_on=detected_on,
        eradicated_on=eradicated_on,
        **fields,
    )


def test_the_place_is_commune_hamlet_and_location_ignoring_case_and_diacritics():
    assert hotspot_place(spot("A", D(2025, 1, 1), location="Bãi Sông")) == hotspot_place(
        spot("B", D(2025, 1, 1), location="bai song")
    )
    assert hotspot_place(spot("A", D(2025, 1, 1), location="Chợ")) != hotspot_place(
        spot("B", D(2025, 1, 1), location="Bãi sông")
    )
    # Neither hamlet nor location: nowhere to compare.
    assert hotspot_place(spot("A", D(2025, 1, 1), hamlet=None)) is None
    assert hotspot_place(spot("A", D(2025, 1, 1), hamlet=None, location="Chợ")) is not None


def test_the_latest_eradicated_at_the_place_on_or_before_detection_wins():
    older = spot("A", D(2024, 1, 1), D(2024, 3, 1))
    latest = spot("B", D(2024, 5, 1), D(2024, 9, 1))
    after = spot("C", D(2024, 5, 1), D(2025, 9, 2))  # eradicated after the new one was found
    elsewhere = spot("D", D(2024, 5, 1), D(2024, 12, 1), location="Chợ")
    voided = spot("E", D(2024, 5, 1), D(2024, 11, 1), voided_on=D(2025, 1, 1))
    active = spot("F", D(2024, 5, 1))
    new = spot("N", D(2025, 9, 1))
    others = [older, latest, after, elsewhere, voided, active, new]
    assert hotspot_re_emerged_from(hotspot=new, others=others) is latest


def test_two_hotspots_of_the_same_day_do_not_re_emerge_from_each_other():
    first = spot("A", D(2025, 1, 1), D(2025, 1, 1))
    second = spot("B", D(2025, 1, 1), D(2025, 1, 1))
    assert hotspot_re_emerged_from(hotspot=second, others=[first]) is None
    assert hotspot_re_emerged_from(hotspot=first, others=[second]) is None


def test_many_new_hotspots_link_to_stored_ones_and_to_each_other():
    stored = spot("A", D(2024, 1, 1), D(2024, 6, 1), pk=7)
    first_new = spot("B", D(2025, 1, 15), D(2025, 4, 30))
    second_new = spot("C", D(2025, 9, 1))
    unplaced = spot("D", D(2025, 10, 1), hamlet=None)
    links = hotspots_re_emergence_plan(new=[second_new, first_new, unplaced], stored=[stored])
    assert links == [(second_new, first_new), (first_new, stored)]
