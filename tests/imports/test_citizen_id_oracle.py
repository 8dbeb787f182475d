"""A workbook cannot tell an importer whether a citizen ID outside their area is on a register
(contracts.md §3): drug_tests and rehab rows answer such a number exactly as a number on no
file, through the browser and through the command's service alike; a persons row that would
open such a number is refused with a line that names no file; every such number goes to the
security log, in one insert per upload; and past the daily limit no new number is opened."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import SecurityEvent
from casefiles.models import DrugTest, Person, RehabEpisode
from imports.access import import_scope
from imports.models import ImportJob
from tests.factories import make_person
from tests.imports import errors_of, person_row, table, xlsx

UNKNOWN = "020090999999"  # on no file anywhere


@pytest.fixture(autouse=True)
def run_queued_tasks(monkeypatch):
    # Tasks are queued on commit; test transactions never commit, so run them at once.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda callback, *a, **k: callback())


def records_of(citizen_id: str) -> dict:
    """A drug_tests and a rehab row naming `citizen_id`."""
    return {
        "drug_tests": table(
            {
                "citizen_id": citizen_id,
                "tested_on": "2025-06-01",
                "kind": "periodic",
                "result": "negative",
            }
        ),
        "rehab": table({"citizen_id": citizen_id, "form": "methadone", "started_on": "2025-04-01"}),
    }


def through_the_browser(client, user, sheets) -> list[str]:
    client.force_login(user)
    content = xlsx(sheets).getvalue()
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("so.xlsx", content)})
    return ImportJob.objects.filter(created_by=user).latest("pk").errors


def through_the_command(client, user, sheets) -> list[str]:
    # The command's own service (workbook_preview) with the importer's scope, as
    # `import_workbook --as USERNAME` runs it.
    return errors_of(sheets, **import_scope(user))


def lookups() -> list[tuple]:
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OUT_OF_AREA_LOOKUP)
    return list(events.order_by("pk").values_list("user__username", "query"))


@pytest.fixture(params=["commune officer", "provincial officer"])
def importer_and_file_elsewhere(request, commune, other_commune, foreign_commune):
    """An importer and a file outside their area: for a commune officer, in the neighbouring
    commune; for a provincial officer, in another province."""
    if request.param == "commune officer":
        importer = request.getfixturevalue("commune_officer")
        where = other_commune
    else:
        importer = request.getfixturevalue("provincial_officer")
        where = foreign_commune
    return importer, make_person(where, full_name="Triệu Văn Xa")


@pytest.mark.parametrize("way_in", [through_the_browser, through_the_command])
def test_a_number_outside_the_area_reads_as_a_number_on_no_file(
    client, importer_and_file_elsewhere, way_in
):
    importer, elsewhere = importer_and_file_elsewhere
    number = elsewhere.citizen_id
    held = way_in(client, importer, records_of(number))
    unknown = way_in(client, importer, records_of(UNKNOWN))
    assert len(held) == 2  # one line per sheet
    assert [line.replace(number, "<CCCD>") for line in held] == [
        line.replace(UNKNOWN, "<CCCD>") for line in unknown
    ]
    assert held[0] == (
        f"drug_tests!2: citizen_id: không có hồ sơ mang số CCCD “{number}” trong địa bàn của "
        "bạn (trong hệ thống hoặc trang persons)"
    )
    text = " ".join(held)
    assert elsewhere.full_name not in text
    assert elsewhere.commune.name not in text
    assert not DrugTest.objects.exists()
    assert not RehabEpisode.objects.exists()
    # The number that matched a file is logged once for the upload (both sheets name it), with
    # the importer; the number on no file is not.
    assert lookups() == [(importer.username, number)]


def test_every_number_outside_the_area_is_logged_in_one_insert(
    client, commune, other_commune, commune_officer
):
    numbers = [make_person(other_commune).citizen_id for _ in range(30)]
    rows = [
        {"citizen_id": n, "tested_on": "2025-06-01", "kind": "periodic", "result": "negative"}
        for n in [*numbers, UNKNOWN]
    ]
    with CaptureQueriesContext(connection) as queries:
        errors = errors_of({"drug_tests": table(*rows)}, **import_scope(commune_officer))
    assert len(errors) == 31
    assert [query for _user, query in lookups()] == numbers
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "accounts_')]
    assert len(inserts) == 1


def test_a_persons_row_cannot_open_a_number_held_elsewhere_and_names_no_file(
    commune, other_commune, commune_officer
):
    elsewhere = make_person(other_commune, full_name="Triệu Văn Xa")
    errors = errors_of(
        {
            "persons": table(
                person_row(citizen_id=elsewhere.citizen_id),
                person_row(citizen_id="020090000102", full_name="Hà Văn Mới"),
            ),
            # A test of the same person is skipped, as for any persons row with an error.
            **records_of(elsewhere.citizen_id),
        },
        **import_scope(commune_officer),
    )
    assert errors == [
        f"persons!2: citizen_id: không lập được hồ sơ mới với số CCCD “{elsewhere.citizen_id}”; "
        "nếu người này chuyển đến từ nơi khác, hãy gửi yêu cầu chuyển hồ sơ tới Công an tỉnh "
        "từ trang thêm người"
    ]
    assert lookups() == [(commune_officer.username, elsewhere.citizen_id)]
    assert list(Person.objects.all()) == [elsewhere]
    elsewhere.refresh_from_db()
    assert elsewhere.commune == other_commune


LIMIT_LINE = (
    "citizen_id: hôm nay đã hết giới hạn 2 số CCCD trùng với hồ sơ ngoài địa bàn; "
    "không lập được hồ sơ mới cho tới ngày mai"
)


def test_past_the_daily_limit_no_new_number_is_opened(
    settings, client, commune, other_commune, commune_officer
):
    settings.PERSON_LOOKUP_DAILY_LIMIT = 2
    held = [make_person(other_commune).citizen_id for _ in range(3)]
    rows = [person_row(citizen_id=number) for number in held]
    rows.append(person_row(citizen_id="020090000102"))  # on no file
    errors = errors_of({"persons": table(*rows)}, **import_scope(commune_officer))
    assert [line.split(": ", 1) for line in errors[:2]] == [
        ["persons!2", f"citizen_id: không lập được hồ sơ mới với số CCCD “{held[0]}”; "
         "nếu người này chuyển đến từ nơi khác, hãy gửi yêu cầu chuyển hồ sơ tới Công an tỉnh "
         "từ trang thêm người"],
        ["persons!3", f"citizen_id: không lập được hồ sơ mới với số CCCD “{held[1]}”; "
         "nếu người này chuyển đến từ nơi khác, hãy gửi yêu cầu chuyển hồ sơ tới Công an tỉnh "
         "từ trang thêm người"],
    ]  # fmt: skip
    # The third number held elsewhere, and the number on no file after it, get the same line.
    assert errors[2:] == [f"persons!4: {LIMIT_LINE}", f"persons!5: {LIMIT_LINE}"]
    # Refused or not, each number that matched a file is logged.
    assert [query for _user, query in lookups()] == held
    # The next upload, even of a number on no file alone, is refused until tomorrow, in the
    # browser too.
    only_new = {"persons": table(person_row(citizen_id="020090000103"))}
    assert errors_of(only_new, **import_scope(commune_officer)) == [f"persons!2: {LIMIT_LINE}"]
    assert through_the_browser(client, commune_officer, only_new) == [f"persons!2: {LIMIT_LINE}"]
    assert list(Person.objects.values_list("citizen_id", flat=True).order_by("pk")) == held


def test_the_limit_counts_distinct_numbers_and_spares_numbers_in_the_area(
    settings, commune, other_commune, commune_officer
):
    settings.PERSON_LOOKUP_DAILY_LIMIT = 1
    held = make_person(other_commune).citizen_id
    mine = make_person(commune, full_name="Hoàng Văn Nhà")
    for _ in range(3):  # the same sheet uploaded again: one number met, not three
        errors_of(records_of(held), **import_scope(commune_officer))
    assert len(lookups()) == 3
    errors = errors_of(
        {
            "persons": table(
                person_row(
                    citizen_id=mine.citizen_id,
                    full_name=mine.full_name,
                    category_since="2025-03-01",
                    listed_on="2025-03-01",
                    file_opened_on="2025-03-01",
                )
            ),
            **records_of(mine.citizen_id),
        },
        **import_scope(commune_officer),
    )
    assert errors == []  # the limit is reached, but the file in the area is updated as ever


def test_an_uploads_lookups_are_logged_with_its_address_and_job(
    client, commune, other_commune, commune_officer
):
    """So that "who looked up this CCCD, from where" has an answer for a browser upload as for
    a page (found by an attacker run: logged without an address)."""
    number = make_person(other_commune).citizen_id
    through_the_browser(client, commune_officer, records_of(number))
    job = ImportJob.objects.get()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OUT_OF_AREA_LOOKUP)
    assert (event.query, event.ip_address) == (number, "127.0.0.1")
    assert event.path == f"import job {job.pk}: so.xlsx"
