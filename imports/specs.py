"""One spec per sheet of the import workbook (contracts.md §3): its columns and how each is
parsed, its upsert key, its row checks, its planner, and the example row of the template.

`SHEET_LIST` is the order the sheets are read, planned and written in: a sheet may refer to
rows of the sheets before it (a person in a hamlet the same file creates)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from assessments.models import ProfileCode
from casefiles.models import Category, RehabForm, TestKind, TestResult
from communes.models import CommuneKind, HotspotKind, OffenceKind, PreventionModelKind

from .cells import (
    Parser,
    area_m2,
    choice,
    citizen_id,
    day,
    integer,
    official_code,
    text,
    yes_no,
)
from .parsing import ABSENCES, ends_after_starts, offence_counts_check, person_checks
from .planners.people import plan_drug_test, plan_person, plan_rehab
from .planners.places import plan_commune, plan_hamlet
from .planners.programme import plan_registration, plan_roadmap
from .planners.registers import (
    link_re_emerged_hotspots,
    plan_cultivation,
    plan_hamlet_pledge,
    plan_hotspot,
    plan_model,
    plan_offence,
    plan_pledge,
    plan_wanted,
)


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False  # the column must be there and no cell may be blank
    blank: object = None  # what a blank cell means in an optional column


def required(name: str, parse: Parser) -> Column:
    return Column(name, parse, required=True)


def optional(name: str, parse: Parser, blank=None) -> Column:
    return Column(name, parse, blank=blank)


def flag(name: str) -> Column:
    return Column(name, yes_no, blank=False)


def count(name: str) -> Column:
    return Column(name, integer(), blank=0)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    plan_row: Callable
    example: dict
    row_checks: Callable[[dict], list[tuple[str, str]]] = lambda values: []
    finish: Callable | None = None  # runs after every row of the sheet is planned

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


YEARS = integer(2024, 2030)


def _values(choices) -> list[str]:
    return [item.value for item in choices]


SHEET_LIST = [
    SheetSpec(
        name="communes",
        columns=(
            required("province_code", official_code),
            required("province_name", text(100)),
            required("code", official_code),
            required("name", text(100)),
            required("kind", choice(_values(CommuneKind))),
            optional("population", integer(), blank=0),
            optional("households", integer()),
            flag("on_key_route"),
            flag("border"),
        ),
        key=("code",),
        plan_row=plan_commune,
        example={
            "province_code": "99",
            "province_name": "Tỉnh Mẫu",
            "code": "99001",
            "name": "Xã Mẫu",
            "kind": "xa",
            "population": 8500,
            "households": 2100,
            "on_key_route": "không",
            "border": "không",
        },
    ),
    SheetSpec(
        name="hamlets",
        columns=(
            required("commune_code", official_code),
            required("name", text(100)),
            optional("households", integer()),
            flag("hotline_board"),
            flag("mailbox"),
        ),
        key=("commune_code", "name"),
        plan_row=plan_hamlet,
        example={
            "commune_code": "99001",
            "name": "Thôn Mẫu",
            "households": 120,
            "hotline_board": "có",
            "mailbox": "có",
        },
    ),
    SheetSpec(
        name="persons",
        columns=(
            required("citizen_id", citizen_id),
            required("full_name", text(150)),
            required("birth_date", day),
            required("sex", choice(["M", "F"], aliases={"nam": "M", "nữ": "F", "nu": "F"})),
            required("commune_code", official_code),
            optional("hamlet", text(100)),
            required("category", choice(_values(Category))),
            required("category_since", day),
            required("listed_on", day),
            required("present", yes_no),
            optional("absence_reason", choice(ABSENCES), blank=""),
            flag("psychosis"),
            optional("file_opened_on", day),
        ),
        key=("citizen_id",),
        plan_row=plan_person,
        row_checks=person_checks,
        example={
            "citizen_id": "096090000001",
            "full_name": "Nguyễn Văn Mẫu",
            "birth_date": datetime.date(1990, 5, 17),
            "sex": "M",
            "commune_code": "99001",
            "hamlet": "Thôn Mẫu",
            "category": "addict",
            "category_since": datetime.date(2025, 3, 1),
            "listed_on": datetime.date(2025, 3, 1),
            "present": "có",
            "absence_reason": None,
            "psychosis": "không",
            "file_opened_on": datetime.date(2025, 3, 5),
        },
    ),
    SheetSpec(
        name="drug_tests",
        columns=(
            required("citizen_id", citizen_id),
            required("tested_on", day),
            required("kind", choice(_values(TestKind))),
            required("result", choice(_values(TestResult))),
            optional("substance", text(100), blank=""),
        ),
        key=("citizen_id", "tested_on", "kind"),
        plan_row=plan_drug_test,
        example={
            "citizen_id": "096090000001",
            "tested_on": datetime.date(2025, 6, 1),
            "kind": "periodic",
            "result": "negative",
            "substance": None,
        },
    ),
    SheetSpec(
        name="rehab",
        columns=(
            required("citizen_id", citizen_id),
            required("form", choice(_values(RehabForm))),
            required("started_on", day),
            optional("ended_on", day),
        ),
        key=("citizen_id", "form", "started_on"),
        plan_row=plan_rehab,
        row_checks=ends_after_starts("started_on", "ended_on"),
        example={
            "citizen_id": "096090000001",
            "form": "home_community",
            "started_on": datetime.date(2025, 3, 10),
            "ended_on": None,
        },
    ),
    SheetSpec(
        name="hotspots",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("kind", choice(_values(HotspotKind))),
            optional("hamlet", text(100)),
            required("detected_on", day),
            optional("eradicated_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_hotspot,
        finish=link_re_emerged_hotspots,
        row_checks=ends_after_starts("detected_on", "eradicated_on"),
        example={
            "commune_code": "99001",
            "ref": "ĐĐ-01",
            "kind": "retail",
            "hamlet": "Thôn Mẫu",
            "detected_on": datetime.date(2025, 1, 15),
            "eradicated_on": datetime.date(2025, 4, 30),
        },
    ),
    SheetSpec(
        name="cultivation",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("found_on", day),
            count("plants"),
            optional("area_m2", area_m2, blank=Decimal("0")),
            optional("destroyed_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_cultivation,
        row_checks=ends_after_starts("found_on", "destroyed_on"),
        example={
            "commune_code": "99001",
            "ref": "TC-01",
            "found_on": datetime.date(2025, 2, 20),
            "plants": 150,
            "area_m2": 20.5,
            "destroyed_on": datetime.date(2025, 2, 21),
        },
    ),
    SheetSpec(
        name="offences",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("occurred_on", day),
            required("kind", choice(_values(OffenceKind))),
            count("offenders"),
            count("offenders_arrested"),
            count("resident_offenders"),
            flag("serious"),
            flag("by_managed_person"),
            flag("psychosis_incident"),
            # Blank: the value of by_managed_person (the planner reads it).
            optional("by_drug_user", yes_no),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_offence,
        row_checks=offence_counts_check,
        example={
            "commune_code": "99001",
            "ref": "VV-01",
            "occurred_on": datetime.date(2025, 2, 10),
            "kind": "possession",
            "offenders": 2,
            "offenders_arrested": 2,
            "resident_offenders": 1,
            "serious": "không",
            "by_managed_person": "không",
            "psychosis_incident": "không",
            "by_drug_user": "không",
        },
    ),
    SheetSpec(
        name="wanted",
        columns=(
            required("commune_code", official_code),
            required("ref", text(50)),
            required("hiding_since", day),
            optional("arrested_on", day),
        ),
        key=("commune_code", "ref"),
        plan_row=plan_wanted,
        row_checks=ends_after_starts("hiding_since", "arrested_on"),
        example={
            "commune_code": "99001",
            "ref": "TN-01",
            "hiding_since": datetime.date(2024, 11, 1),
            "arrested_on": datetime.date(2025, 5, 12),
        },
    ),
    SheetSpec(
        name="pledges",
        columns=(
            required("commune_code", official_code),
            required("hamlet", text(100)),
            required("household_code", text(50)),
            required("head_name", text(150)),
            optional("signed_on", day),
        ),
        key=("commune_code", "household_code"),
        plan_row=plan_pledge,
        example={
            "commune_code": "99001",
            "hamlet": "Thôn Mẫu",
            "household_code": "HM-001",
            "head_name": "Trần Văn Mẫu",
            "signed_on": datetime.date(2025, 3, 15),
        },
    ),
    SheetSpec(
        name="hamlet_pledges",
        columns=(
            required("commune_code", official_code),
            required("hamlet", text(100)),
            required("signed_on", day),
            required("signed_by", text(200)),
        ),
        key=("commune_code", "hamlet"),
        plan_row=plan_hamlet_pledge,
        example={
            "commune_code": "99001",
            "hamlet": "Thôn Mẫu",
            "signed_on": datetime.date(2025, 3, 20),
            "signed_by": "Trưởng thôn Hoàng Văn Mẫu",
        },
    ),
    SheetSpec(
        name="models",
        columns=(
            required("commune_code", official_code),
            required("name", text(200)),
            required("started_on", day),
            optional("ended_on", day),
            # Added after the contract's first four: a model of one hamlet (blank: of the whole
            # commune) and its kind (blank: not stated).
            optional("hamlet", text(100)),
            optional("kind", choice(_values(PreventionModelKind)), blank=""),
        ),
        key=("commune_code", "name"),
        plan_row=plan_model,
        row_checks=ends_after_starts("started_on", "ended_on"),
        example={
            "commune_code": "99001",
            "name": "Thôn Mẫu nói không với ma túy",
            "started_on": datetime.date(2025, 1, 1),
            "ended_on": None,
            "hamlet": "Thôn Mẫu",
            "kind": "self_managed",
        },
    ),
    SheetSpec(
        name="registrations",
        columns=(
            required("commune_code", official_code),
            required("year", YEARS),
            required("registered_on", day),
            optional("profile", choice(_values(ProfileCode)), blank=ProfileCode.QD28_2025.value),
            optional("baseline_addicts", integer()),
            optional("baseline_users", integer()),
        ),
        key=("commune_code", "year"),
        plan_row=plan_registration,
        example={
            "commune_code": "99001",
            "year": 2025,
            "registered_on": datetime.date(2025, 1, 10),
            "profile": "qd28-2025",
            "baseline_addicts": None,
            "baseline_users": None,
        },
    ),
    SheetSpec(
        name="roadmap",
        columns=(
            required("province_code", official_code),
            required("year", YEARS),
            required("target_communes", integer()),
        ),
        key=("province_code", "year"),
        plan_row=plan_roadmap,
        example={"province_code": "99", "year": 2026, "target_communes": 5},
    ),
]
SHEETS = {spec.name: spec for spec in SHEET_LIST}
