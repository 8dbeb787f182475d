"""The area registers the pages share: what each lists, searches and edits.

Every register page is the same flow (list with search and filters, add, edit, void), so one set
of views serves them all from these descriptions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import register_forms as forms
from .models import (
    CultivationFind,
    HamletPledge,
    Hotspot,
    Household,
    Offence,
    OutreachActivity,
    PreventionModel,
    WantedPerson,
    has_pledge,
)


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _yes(value):
    return _("yes") if value else ""


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable


@dataclass(frozen=True)
class StatusFilter:
    """A choice in the list's status filter: a label and the queryset filter it applies."""

    label: str
    lookup: dict | Q  # keyword lookups, or a Q for what keywords cannot say


@dataclass(frozen=True)
class Register:
    slug: str
    model: type
    form_class: type
    title: str
    add_label: str
    columns: tuple[Column, ...]
    search_fields: tuple[str, ...]
    status_filters: dict[str, StatusFilter] = field(default_factory=dict)
    select_related: tuple[str, ...] = ("commune",)
    ordering: tuple[str, ...] = ()
    annotations: dict = field(default_factory=dict)
    # Its rows name people (a household's head): a page listing them is a read of those rows
    # in the audit log, and a search of it a people search in the security log.
    names_people: bool = False


HOTSPOTS = Register(
    slug="hotspots",
    model=Hotspot,
    form_class=forms.HotspotForm,
    title=_("Drug hotspots"),
    add_label=_("Add a hotspot"),
    columns=(
        Column(_("Reference"), lambda row: row.ref),
        Column(_("Kind"), lambda row: row.get_kind_display()),
        Column(_("Hamlet"), lambda row: row.hamlet.name if row.hamlet else "—"),
        Column(_("Detected on"), lambda row: _date(row.detected_on)),
        Column(_("Eradicated on"), lambda row: _date(row.eradicated_on)),
        Column(_("Re-emerged"), lambda row: _yes(row.re_emerged)),
    ),
    search_fields=("ref", "location", "note"),
    status_filters={
        "active": StatusFilter(_("Active"), {"eradicated_on__isnull": True}),
        "eradicated": StatusFilter(_("Eradicated"), {"eradicated_on__isnull": False}),
        "re_emerged": StatusFilter(_("Re-emerged"), {"re_emerged_from__isnull": False}),
    },
    select_related=("commune", "hamlet"),
)
CULTIVATION = Register(
    slug="cultivation",
    model=CultivationFind,
    form_class=forms.CultivationFindForm,
    title=_("Drug-plant finds"),
    add_label=_("Add a find"),
    columns=(
        Column(_("Reference"), lambda row: row.ref),
        Column(_("Plant"), lambda row: row.get_plant_kind_display()),
        Column(_("Found on"), lambda row: _date(row.found_on)),
        Column(_("Plants"), lambda row: row.plants),
        Column(_("Area (m²)"), lambda row: row.area_m2),
        Column(_("Destroyed on"), lambda row: _date(row.destroyed_on)),
    ),
    search_fields=("ref",),
    status_filters={
        "not_destroyed": StatusFilter(_("Not destroyed yet"), {"destroyed_on__isnull": True}),
    },
)
OFFENCES = Register(
    slug="offences",
    model=Offence,
    form_class=forms.OffenceForm,
    title=_("Drug offences and incidents"),
    add_label=_("Add an offence"),
    columns=(
        Column(_("Reference"), lambda row: row.ref),
        Column(_("Occurred on"), lambda row: _date(row.occurred_on)),
        Column(_("Kind"), lambda row: row.get_kind_display()),
        Column(_("Offenders"), lambda row: row.offenders),
        Column(_("Arrested"), lambda row: row.offenders_arrested),
        Column(_("Serious"), lambda row: _yes(row.serious)),
    ),
    search_fields=("ref", "note"),
    status_filters={
        "serious": StatusFilter(_("Serious"), {"serious": True}),
        "by_managed": StatusFilter(_("By a person under management"), {"by_managed_person": True}),
        "by_drug_user": StatusFilter(_("By a drug user or addict"), {"by_drug_user": True}),
    },
)
WANTED = Register(
    slug="wanted",
    model=WantedPerson,
    form_class=forms.WantedPersonForm,
    title=_("Wanted persons hiding"),
    add_label=_("Add a wanted person"),
    columns=(
        Column(_("Reference"), lambda row: row.ref),
        Column(_("Hiding since"), lambda row: _date(row.hiding_since)),
        Column(_("Arrested on"), lambda row: _date(row.arrested_on)),
    ),
    search_fields=("ref",),
    status_filters={"hiding": StatusFilter(_("Still hiding"), {"arrested_on__isnull": True})},
)
HOUSEHOLDS = Register(
    slug="households",
    model=Household,
    form_class=forms.HouseholdForm,
    title=_("Households and pledges"),
    add_label=_("Add a household"),
    columns=(
        Column(_("Household code"), lambda row: row.household_code),
        Column(_("Head of household"), lambda row: row.head_name),
        Column(_("Hamlet"), lambda row: row.hamlet.name),
        Column(_("Pledge signed on"), lambda row: _date(getattr(row, "signed_on", None))),
    ),
    search_fields=("household_code", "head_name"),
    status_filters={
        "not_signed": StatusFilter(
            _("Not signed yet"),
            ~Q(has_pledge()),
        )
    },
    select_related=("commune", "hamlet"),
    ordering=("hamlet__name", "household_code"),
    annotations={"signed_on": F("pledge__signed_on")},
    names_people=True,
)
HAMLET_PLEDGES = Register(
    slug="hamlet_pledges",
    model=HamletPledge,
    form_class=forms.HamletPledgeForm,
    title=_("Hamlet pledges"),
    add_label=_("Add a hamlet pledge"),
    columns=(
        Column(_("Hamlet"), lambda row: row.hamlet.name),
        Column(_("Signed on"), lambda row: _date(row.signed_on)),
        Column(_("Signed by"), lambda row: row.signed_by),
    ),
    search_fields=("hamlet__name", "signed_by", "note"),
    select_related=("commune", "hamlet"),
)
MODELS = Register(
    slug="models",
    model=PreventionModel,
    form_class=forms.PreventionModelForm,
    title=_("Prevention models"),
    add_label=_("Add a model"),
    columns=(
        Column(_("Name"), lambda row: row.name),
        Column(_("Kind"), lambda row: row.get_kind_display() or "—"),
        Column(_("Hamlet"), lambda row: row.hamlet.name if row.hamlet else "—"),
        Column(_("Started on"), lambda row: _date(row.started_on)),
        Column(_("Ended on"), lambda row: _date(row.ended_on)),
    ),
    search_fields=("name", "description"),
    status_filters={
        "active": StatusFilter(_("Active"), {"ended_on__isnull": True}),
        "whole_commune": StatusFilter(_("Of the whole commune"), {"hamlet__isnull": True}),
    },
    select_related=("commune", "hamlet"),
)
OUTREACH = Register(
    slug="outreach",
    model=OutreachActivity,
    form_class=forms.OutreachActivityForm,
    title=_("Outreach"),
    add_label=_("Add an activity"),
    columns=(
        Column(_("Held on"), lambda row: _date(row.held_on)),
        Column(_("Kind"), lambda row: row.get_kind_display()),
        Column(_("Hamlet"), lambda row: row.hamlet.name if row.hamlet else "—"),
        Column(_("Topic"), lambda row: row.topic),
        Column(_("Audience"), lambda row: row.audience),
    ),
    search_fields=("topic",),
    status_filters={"forum": StatusFilter(_("Quarterly forums"), {"kind": "forum"})},
    select_related=("commune", "hamlet"),
)

REGISTERS = {
    register.slug: register
    for register in (
        HOTSPOTS,
        CULTIVATION,
        OFFENCES,
        WANTED,
        HOUSEHOLDS,
        HAMLET_PLEDGES,
        MODELS,
        OUTREACH,
    )
}
