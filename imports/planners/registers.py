"""The sheets of a commune's area registers: `hotspots`, `cultivation`, `offences`, `wanted`,
`pledges` (households and their pledge), `hamlet_pledges` and `models`."""

from django.core.exceptions import ObjectDoesNotExist

from communes.models import (
    CultivationFind,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    Pledge,
    PreventionModel,
    WantedPerson,
)
from communes.services import hotspots_re_emergence_plan

from ..cells import name_key
from ..parsing import ParsedRow, key_part, offence_count_problems
from ..state import State
from .common import (
    also_changed,
    commune_of,
    hamlet_of,
    plan_counted,
    plan_register,
    present,
    upsert,
    voided_since,
)


def plan_hotspot(state: State, row: ParsedRow) -> None:
    commune = commune_of(state, row)
    extra = {"hamlet": hamlet_of(state, row, commune)} if "hamlet" in row.values else {}
    fields = ("kind", "detected_on", "eradicated_on")
    hotspot, action = plan_register(state, row, commune, Hotspot, "ref", fields, **extra)
    state.count(row, action)
    if action == "create":
        state.new_hotspots.append(hotspot)


def link_re_emerged_hotspots(state: State) -> None:
    """Mark the new hotspots that re-emerged where one had been eradicated, by the rule of the
    hotspot form (communes.services). The earlier hotspot may be stored or come from the same
    file; the sheet has no location column, so its hotspots are placed by hamlet alone."""
    stored = state.existing["hotspots"].values()
    for hotspot, source in hotspots_re_emergence_plan(new=state.new_hotspots, stored=stored):
        if source.pk:
            hotspot.re_emerged_from = source
        else:
            state.plan.link(hotspot, "re_emerged_from", source)


def plan_cultivation(state: State, row: ParsedRow) -> None:
    fields = ("found_on", "plants", "area_m2", "destroyed_on")
    plan_counted(state, row, CultivationFind, "ref", fields)


OFFENCE_FIELDS = (
    "occurred_on",
    "kind",
    "offenders",
    "offenders_arrested",
    "resident_offenders",
    "serious",
    "by_managed_person",
    "psychosis_incident",
)


def plan_offence(state: State, row: ParsedRow) -> None:
    commune = commune_of(state, row)
    stored = state.existing[row.sheet].get((commune.code, key_part(row.values["ref"])))
    extra = _by_drug_user(row, stored)
    offence, action = plan_register(state, row, commune, Offence, "ref", OFFENCE_FIELDS, **extra)
    state.count(row, action)
    # With a count column left out, the stored count takes part in the rule.
    problems = offence_count_problems(
        offenders=offence.offenders,
        offenders_arrested=offence.offenders_arrested,
        resident_offenders=offence.resident_offenders,
    )
    if problems:
        state.fail(row, *problems[0])


def _by_drug_user(row: ParsedRow, stored: Offence | None) -> dict:
    """`by_drug_user` as the row gives it; a blank cell, or no such column on a new offence,
    is the value of `by_managed_person` (contracts.md §3: a person under management who caused
    it is a drug user). Without the column a stored offence keeps its own."""
    value = row.values.get("by_drug_user")
    if value is not None:
        return {"by_drug_user": value}
    if "by_drug_user" not in row.values and stored is not None:
        return {}
    if "by_managed_person" in row.values:
        return {"by_drug_user": row.values["by_managed_person"]}
    return {"by_drug_user": stored.by_managed_person if stored is not None else False}


def plan_wanted(state: State, row: ParsedRow) -> None:
    plan_counted(state, row, WantedPerson, "ref", ("hiding_since", "arrested_on"))


def plan_model(state: State, row: ParsedRow) -> None:
    """A prevention model; with the optional `hamlet` column, of one hamlet of its commune, not
    archived (a blank cell: of the whole commune), as the form offers."""
    commune = commune_of(state, row)
    extra = {}
    if "hamlet" in row.values:
        extra["hamlet"] = hamlet_of(state, row, commune)
    fields = ("started_on", "ended_on", "kind")
    _model, action = plan_register(state, row, commune, PreventionModel, "name", fields, **extra)
    state.count(row, action)


def plan_hamlet_pledge(state: State, row: ParsedRow) -> None:
    """A hamlet's collective pledge, keyed by commune + hamlet: a row for a hamlet whose pledge
    is recorded brings that pledge to the row's day and signer."""
    commune = commune_of(state, row)
    hamlet = hamlet_of(state, row, commune)  # required: never None
    stored = state.existing["hamlet_pledges"].get((commune.code, name_key(hamlet.name)))
    values = present(row, ("signed_on", "signed_by"))
    _pledge, action = upsert(
        state, stored, values, lambda: HamletPledge(commune=commune, hamlet=hamlet, **values)
    )
    state.count(row, action)


def plan_pledge(state: State, row: ParsedRow) -> None:
    """A household, and its pledge when signed_on is filled. A blank signed_on never withdraws
    a stored pledge: nothing in the registers is deleted."""
    commune = commune_of(state, row)
    hamlet = hamlet_of(state, row, commune)
    household, action = plan_register(
        state, row, commune, Household, "household_code", ("head_name",), hamlet=hamlet
    )
    state.count(row, also_changed(action, _plan_signature(state, household, row)))


def _plan_signature(state: State, household: Household, row: ParsedRow) -> bool:
    """Record the household's pledge as the row says; True if that changes anything."""
    signed_on = row.values.get("signed_on")
    if not signed_on:
        return False
    pledge = _pledge_of(household)
    if household.is_voided and (pledge is None or pledge.signed_on != signed_on):
        frozen = voided_since(household.voided_on)
        state.fail(row, "signed_on", f"hộ “{household.household_code}” {frozen}")
    if pledge is None:
        state.plan.create(Pledge(household=household, signed_on=signed_on))
        return True
    return state.plan.change(pledge, {"signed_on": signed_on})


def _pledge_of(household: Household) -> Pledge | None:
    # Stored households come with their pledge (select_related), new ones have none:
    # neither case queries.
    try:
        return household.pledge
    except ObjectDoesNotExist:
        return None
