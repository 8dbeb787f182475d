"""Re-importing a file changes nothing; every row written leaves an audit entry, as a save()
would; the number of queries does not grow with the number of rows."""

import datetime

from auditlog.context import set_actor
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casefiles.models import CategoryPeriod, Person, PresencePeriod
from communes.models import Commune, Hamlet
from imports.apply import WRITE_ORDER, created_changes
from imports.workbook import workbook_apply
from tests.factories import HamletFactory
from tests.imports import imported, person_row, preview, table

D = datetime.date


def every_sheet() -> dict[str, list[list]]:
    """One or two rows on every sheet, referring to each other and to the stored commune."""
    return {
        "communes": table(
            {
                "province_code": "20",
                "province_name": "Lạng Sơn",
                "code": "20001",
                "name": "Công Sơn",
                "kind": "xa",
                "population": 8500,
                "households": 2100,
                "on_key_route": "không",
                "border": "không",
            },
            {
                "province_code": "99",
                "province_name": "Tỉnh Mẫu",
                "code": "99001",
                "name": "Xã Mẫu",
                "kind": "phuong",
                "population": 1200,
                "households": None,
                "on_key_route": "có",
                "border": "có",
            },
        ),
        "hamlets": table(
            {"commune_code": "20001", "name": "Thôn Nà Pe", "households": 90, "mailbox": "có"}
        ),
        "persons": table(
            person_row(hamlet="Thôn Nà Pe"),
            person_row(
                citizen_id="020195000202",
                full_name="Lương Thị Mẫu",
                birth_date=D(1995, 1, 2),
                sex="F",
                category="post_rehab",
                present="không",
                absence_reason="moved_away",
                psychosis="có",
                file_opened_on=None,
            ),
        ),
        "drug_tests": table(
            {
                "citizen_id": "020090000101",
                "tested_on": D(2025, 6, 1),
                "kind": "surprise",
                "result": "positive",
                "substance": "heroin",
            }
        ),
        "rehab": table(
            {"citizen_id": "020090000101", "form": "methadone", "started_on": "2025-06-02"}
        ),
        "hotspots": table(
            {
                "commune_code": "20001",
                "ref": "ĐĐ-01",
                "kind": "harbouring",
                "hamlet": "Thôn Nà Pe",
                "detected_on": "2025-01-15",
                "eradicated_on": "2025-04-30",
            },
            {
                "commune_code": "20001",
                "ref": "ĐĐ-02",
                "kind": "retail",
                "hamlet": "Thôn Nà Pe",
                "detected_on": "2025-09-01",
            },
        ),
        "cultivation": table(
            {
                "commune_code": "20001",
                "ref": "TC-01",
                "found_on": "2025-02-20",
                "plants": 150,
                "area_m2": 20.25,
            }
        ),
        "offences": table(
            {
                "commune_code": "20001",
                "ref": "VV-01",
                "occurred_on": "2025-02-10",
                "kind": "trafficking",
                "offenders": 2,
                "offenders_arrested": 1,
                "serious": "có",
            }
        ),
        "wanted": table({"commune_code": "20001", "ref": "TN-01", "hiding_since": "2024-11-01"}),
        "pledges": table(
            {
                "commune_code": "20001",
                "hamlet": "Thôn Nà Pe",
                "household_code": "HM-001",
                "head_name": "Trần Văn Mẫu",
                "signed_on": "2025-03-15",
            }
        ),
        "hamlet_pledges": table(
            {
                "commune_code": "20001",
                "hamlet": "Thôn Nà Pe",
                "signed_on": "2025-03-20",
                "signed_by": "Trưởng thôn Hoàng Văn Mẫu",
            }
        ),
        "models": table(
            {
                "commune_code": "20001",
                "name": "Dòng họ không ma túy",
                "started_on": "2025-01-01",
                "hamlet": "Thôn Nà Pe",
                "kind": "clan",
            }
        ),
        "registrations": table(
            {"commune_code": "20001", "year": 2025, "registered_on": "2025-01-10"}
        ),
        "roadmap": table({"province_code": "20", "year": 2026, "target_communes": 20}),
    }


def test_importing_the_same_file_again_changes_nothing(commune):
    first = imported(every_sheet())
    assert first.counts["communes"] == {"create": 1, "update": 0, "unchanged": 1}
    assert all(counts["create"] for sheet, counts in first.counts.items() if sheet != "communes")
    entries = LogEntry.objects.count()
    rows = {model: model.objects.count() for model in (Person, CategoryPeriod, PresencePeriod)}
    again = imported(every_sheet())
    assert {
        sheet: counts["create"] + counts["update"] for sheet, counts in again.counts.items()
    } == (dict.fromkeys(first.counts, 0))
    assert sum(counts["unchanged"] for counts in again.counts.values()) == 17
    assert not any(again.plan.creates.values())
    assert not again.plan.updates
    assert LogEntry.objects.count() == entries
    assert {model: model.objects.count() for model in rows} == rows


def test_every_row_written_has_an_audit_entry(commune, provincial_officer):
    entries_before = LogEntry.objects.count()
    result = imported(every_sheet(), by=provincial_officer)
    created = sum(len(instances) for instances in result.plan.creates.values())
    new_entries = LogEntry.objects.order_by("id")[entries_before:]
    assert len(new_entries) == created  # Commune 20001 was unchanged: no entry
    assert {entry.actor for entry in new_entries} == {provincial_officer}
    assert all(entry.additional_data["via"] == "import" for entry in new_entries)
    person = Person.objects.get(citizen_id="020090000101")
    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.object_repr == "Hoàng Văn Thử"
    assert entry.object_pk == str(person.pk)
    assert entry.changes["full_name"] == ["None", "Hoàng Văn Thử"]
    assert "search_text" not in entry.changes  # excluded from the trail, as for save()
    assert entry.additional_data == {
        "person_id": person.pk,
        "commune_id": commune.pk,
        "province_id": commune.province_id,
        "via": "import",
    }


def test_created_rows_are_logged_exactly_as_auditlog_would_log_them(commune):
    """The import works out a new row's changes once per model instead of once per row; the
    result must be auditlog's own, for every model the import creates."""
    plan = preview(every_sheet()).plan
    checked = set()
    for model, instances in plan.creates.items():
        own_fields = [f.name for f in model._meta.concrete_fields]
        for instance in instances:
            expected = model_instance_diff(None, instance, fields_to_check=own_fields)
            assert created_changes(model)(instance) == expected, model
            checked.add(model)
    # Every model of the write order but the places updated here (the commune exists).
    assert set(WRITE_ORDER) - checked <= {Commune}


def test_a_changed_row_is_logged_with_its_old_and_new_values(commune):
    hamlet = HamletFactory(commune=commune, name="Thôn Nà Pe", households=90, mailbox=True)
    result = imported(
        {
            "hamlets": table(
                {"commune_code": "20001", "name": "Thôn Nà Pe", "households": 95, "mailbox": "có"}
            )
        }
    )
    assert result.counts["hamlets"] == {"create": 0, "update": 1, "unchanged": 0}
    entry = LogEntry.objects.get_for_object(hamlet).latest()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor is None  # the command line
    assert entry.changes == {"households": ["90", "95"]}
    assert entry.content_type == ContentType.objects.get_for_model(Hamlet)


def test_inside_a_request_the_address_and_user_come_from_auditlog_middleware(
    commune, provincial_officer
):
    sheets = {"hamlets": table({"commune_code": "20001", "name": "Thôn Nà Pe"})}
    with set_actor(provincial_officer, remote_addr="10.20.30.40"):
        imported(sheets)
    entry = LogEntry.objects.get_for_model(Hamlet).get()
    assert (entry.actor, entry.remote_addr) == (provincial_officer, "10.20.30.40")
    # Once the request is over, its user is not the actor of later imports.
    imported({"hamlets": table({"commune_code": "20001", "name": "Thôn Khác"})})
    later = LogEntry.objects.get_for_model(Hamlet).latest("id")
    assert (later.actor, later.remote_addr) == (None, None)


def test_a_dry_preview_writes_nothing(commune):
    entries = LogEntry.objects.count()
    result = preview(every_sheet())
    assert not result.errors
    assert not Person.objects.exists()
    assert LogEntry.objects.count() == entries


def persons_sheet(numbers: range) -> dict[str, list[list]]:
    rows = [person_row(citizen_id=f"020090{number:06d}", hamlet="Thôn Nà Pe") for number in numbers]
    tests = [
        {
            "citizen_id": row["citizen_id"],
            "tested_on": "2025-06-01",
            "kind": "periodic",
            "result": "negative",
        }
        for row in rows
    ]
    return {"persons": table(*rows), "drug_tests": table(*tests)}


def queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def import_queries(sheets) -> tuple[int, int]:
    """Queries to validate the sheets, and to write them."""
    ContentType.objects.clear_cache()
    validating = queries(lambda: preview(sheets))
    result = preview(sheets)
    return validating, queries(lambda: workbook_apply(result))


def test_queries_do_not_grow_with_the_rows(commune):
    HamletFactory(commune=commune, name="Thôn Nà Pe")
    # Validating: communes, hamlets, people (then their open periods and tests: none here).
    # Writing: savepoint, one INSERT per model, a content type per model, the audit entries,
    # release. (Batches split only past SQLite's 999 parameters, or 500 rows.)
    assert import_queries(persons_sheet(range(1, 3))) == import_queries(
        persons_sheet(range(101, 111))
    )
