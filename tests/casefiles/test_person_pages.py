import datetime
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.models import DrugTest, Person, PersonMove, RehabEpisode
from core.excel import neutralise
from tests import factories
from tests.factories import make_person


def names(response):
    return [person.full_name for person in response.context["page"].object_list]


@pytest.fixture
def hamlet(commune):
    return factories.HamletFactory(commune=commune, name="Thôn Nà Hin")


@pytest.fixture
def people(commune, hamlet):
    today = timezone.localdate()
    tested = make_person(commune, full_name="Hoàng Văn Đức", category="addict", hamlet=hamlet)
    DrugTest.objects.create(
        person=tested,
        tested_on=today - datetime.timedelta(days=3),
        kind="periodic",
        result="negative",
    )
    return {
        "tested": tested,
        "user": make_person(commune, full_name="Nông Thị Lan", category="user", sex="F"),
        "absent": make_person(commune, full_name="Vi Văn Sơn", presence="prison"),
        "no_file": make_person(commune, full_name="Lộc Văn Bình", file_opened=False),
    }


def test_search_by_name_without_diacritics_and_by_citizen_id(client, commune_officer, people):
    client.force_login(commune_officer)
    assert names(client.get(reverse("casefiles:list"), {"q": "hoang van duc"})) == ["Hoàng Văn Đức"]
    assert names(client.get(reverse("casefiles:list"), {"q": "ĐỨC"})) == ["Hoàng Văn Đức"]
    citizen_id = people["user"].citizen_id
    spaced = f"{citizen_id[:3]} {citizen_id[3:6]} {citizen_id[6:]}"
    assert names(client.get(reverse("casefiles:list"), {"q": spaced})) == ["Nông Thị Lan"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "user"}, ["Nông Thị Lan"]),
        ({"present": "no"}, ["Vi Văn Sơn"]),
        ({"present": "yes"}, ["Hoàng Văn Đức", "Lộc Văn Bình", "Nông Thị Lan"]),
        ({"no_file": "1"}, ["Lộc Văn Bình"]),
        ({"no_recent_test": "1"}, ["Lộc Văn Bình", "Nông Thị Lan", "Vi Văn Sơn"]),
        ({"category": "nonsense"}, ["Hoàng Văn Đức", "Lộc Văn Bình", "Nông Thị Lan", "Vi Văn Sơn"]),
    ],
)
def test_filters(client, commune_officer, people, params, expected):
    client.force_login(commune_officer)
    assert names(client.get(reverse("casefiles:list"), params)) == expected


def test_filter_by_hamlet(client, commune_officer, people, hamlet):
    client.force_login(commune_officer)
    assert names(client.get(reverse("casefiles:list"), {"hamlet": hamlet.pk})) == ["Hoàng Văn Đức"]


def test_provincial_officer_sees_the_whole_province(
    client, provincial_officer, people, other_commune
):
    make_person(other_commune, full_name="Triệu Văn Nam")
    client.force_login(provincial_officer)
    response = client.get(reverse("casefiles:list"))
    assert "Triệu Văn Nam" in names(response)
    assert len(names(response)) == 5
    assert names(client.get(reverse("casefiles:list"), {"commune": other_commune.pk})) == [
        "Triệu Văn Nam"
    ]


def create_data(**overrides):
    data = {
        "full_name": "Hà Văn Tùng",
        "birth_date": "17/05/1990",
        "sex": "M",
        "citizen_id": "020 090 123 456",
        "listed_on": "01/03/2025",
        "file_opened_on": "05/03/2025",
        "category": "user",
        "category_since": "01/03/2025",
        "presence": "present",
    }
    return {**data, **overrides}


def test_commune_officer_creates_a_file(client, commune_officer, commune, hamlet):
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]), create_data(hamlet=hamlet.pk)
    )
    person = Person.objects.get(citizen_id="020090123456")
    assert response.status_code == 302
    assert response.url == reverse("casefiles:detail", args=[person.pk])
    assert person.commune == commune
    assert person.hamlet == hamlet
    assert list(person.categories.values_list("category", "started_on", "ended_on")) == [
        ("user", datetime.date(2025, 3, 1), None)
    ]
    assert list(person.presences.values_list("status", flat=True)) == ["present"]
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.actor == commune_officer
    assert entry.additional_data["commune_id"] == commune.pk


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "đúng 12 chữ số"),
        ({"citizen_id": "020190123456"}, "citizen_id", "giới tính"),
        ({"citizen_id": "020091123456"}, "citizen_id", "năm sinh 1991"),
        ({"full_name": "Tùng"}, "full_name", "họ và tên"),
        ({"birth_date": TOMORROW}, "birth_date", "tương lai"),
        ({"birth_date": "31/02/1990"}, "birth_date", "ngày/tháng/năm"),
        ({"listed_on": "01/01/1980"}, "listed_on", "trước ngày sinh"),
        ({"category_since": "01/01/1980"}, "category_since", "trước ngày sinh"),
        ({"file_opened_on": TOMORROW}, "file_opened_on", "tương lai"),
    ],
)
def test_bad_person_input_is_refused_and_writes_nothing(
    client, commune_officer, commune, overrides, field, message
):
    client.force_login(commune_officer)
    response = client.post(reverse("casefiles:create", args=[commune.pk]), create_data(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Person.objects.exists()


def test_duplicate_citizen_id_is_refused(client, commune_officer, commune, people):
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]),
        create_data(citizen_id=people["tested"].citizen_id),
    )
    assert "Đã có hồ sơ khác mang số CCCD này." in response.context["form"].errors["citizen_id"]
    assert Person.objects.count() == 4


def test_hamlet_of_another_commune_is_refused(client, commune_officer, commune, other_commune):
    foreign_hamlet = factories.HamletFactory(commune=other_commune)
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:create", args=[commune.pk]), create_data(hamlet=foreign_hamlet.pk)
    )
    assert "hamlet" in response.context["form"].errors
    assert not Person.objects.exists()


def edit_data(person, **overrides):
    data = {
        "full_name": person.full_name,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "sex": person.sex,
        "citizen_id": person.citizen_id,
        "listed_on": person.listed_on.strftime("%d/%m/%Y"),
        "file_opened_on": person.file_opened_on.strftime("%d/%m/%Y"),
        "address": person.address,
        "responsible": person.responsible,
        "hamlet": person.hamlet_id or "",
        "version": person.version,
    }
    return {**data, **overrides}


def test_edit_is_audited_with_old_and_new_values(client, commune_officer, people):
    person = people["tested"]
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:edit", args=[person.pk]), edit_data(person, address="Số 5, Thôn Nà Hin")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.address == "Số 5, Thôn Nà Hin"
    assert person.version == 2
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict == {"address": ["", "Số 5, Thôn Nà Hin"]}
    assert entry.actor == commune_officer


def test_concurrent_edit_is_refused_and_keeps_the_first_save(
    client, commune_officer, provincial_officer, people
):
    person = people["tested"]
    opened_version = person.version
    # The provincial officer saves first, from a form opened at the same version.
    client.force_login(provincial_officer)
    first = client.post(
        reverse("casefiles:edit", args=[person.pk]),
        edit_data(person, address="Địa chỉ mới của tỉnh", version=opened_version),
    )
    assert first.status_code == 302
    client.force_login(commune_officer)
    second = client.post(
        reverse("casefiles:edit", args=[person.pk]),
        edit_data(person, responsible="Tổ công tác xã", version=opened_version),
        follow=True,
    )
    assert "Người khác vừa lưu hồ sơ này" in second.content.decode()
    person.refresh_from_db()
    assert person.address == "Địa chỉ mới của tỉnh"
    assert person.responsible == ""
    assert person.version == opened_version + 1


def test_service_refuses_a_stale_version(people):
    person = people["tested"]
    services.person_update(person=person, changes={"address": "A"}, expected_version=1)
    with pytest.raises(services.ConcurrentEditError):
        services.person_update(person=person, changes={"address": "B"}, expected_version=1)
    person.refresh_from_db()
    assert person.address == "A"


def test_detail_view_is_audited(client, commune_officer, people):
    person = people["tested"]
    client.force_login(commune_officer)
    client.get(reverse("casefiles:detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == commune_officer
    assert entry.remote_addr == "10.1.2.3"
    assert entry.additional_data == {
        "person_id": person.pk,
        "commune_id": person.commune_id,
        "province_id": person.commune.province_id,
        "via": "page",
    }


def test_export_contains_the_list_neutralised_and_is_audited(
    client, commune_officer, commune, people
):
    make_person(commune, full_name='=HYPERLINK("http://x") Văn Ác', address="+84 hack")
    client.force_login(commune_officer)
    response = client.get(reverse("casefiles:export"), {"category": "addict"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD")
    exported = {row[0] for row in rows[1:]}
    assert "Hoàng Văn Đức" in exported
    assert '\'=HYPERLINK("http://x") Văn Ác' in exported
    assert all(
        not str(value).startswith(("=", "+", "-", "@")) for row in rows for value in row if value
    )
    accessed = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__via="export")
    assert accessed.count() == len(rows) - 1
    assert set(accessed.values_list("actor_id", flat=True)) == {commune_officer.pk}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+84", "'+84"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("Nguyễn", "Nguyễn"), (12, 12), (None, None)],
)  # fmt: skip
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_quick_add_test_and_rehab_show_on_the_timeline(client, commune_officer, people):
    person = people["user"]
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:test_add", args=[person.pk]),
        {"test-tested_on": "10/11/2025", "test-kind": "surprise", "test-result": "negative"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("casefiles:rehab_add", args=[person.pk]),
        {"rehab-form": "home_community", "rehab-started_on": "12/11/2025"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("casefiles:detail", args=[person.pk]))
    kinds = [event.kind for event in detail.context["timeline"]]
    assert kinds[:2] == ["rehab", "test"]
    assert DrugTest.objects.get(person=person).recorded_by == commune_officer


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"test-tested_on": TOMORROW, "test-kind": "periodic", "test-result": "negative"},
            "tested_on",
        ),
        (
            {"test-tested_on": "01/01/1985", "test-kind": "periodic", "test-result": "negative"},
            "tested_on",
        ),
        (
            {"test-tested_on": "01/06/2025", "test-kind": "periodic", "test-result": "maybe"},
            "result",
        ),
    ],
)
def test_bad_test_input_is_refused(client, commune_officer, people, data, field):
    client.force_login(commune_officer)
    response = client.post(reverse("casefiles:test_add", args=[people["user"].pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not people["user"].tests.exists()


def test_same_test_twice_is_refused(client, commune_officer, people):
    client.force_login(commune_officer)
    data = {"test-tested_on": "01/06/2025", "test-kind": "periodic", "test-result": "negative"}
    client.post(reverse("casefiles:test_add", args=[people["user"].pk]), data)
    response = client.post(reverse("casefiles:test_add", args=[people["user"].pk]), data)
    assert "đã được ghi" in " ".join(response.context["form"].errors["tested_on"])
    assert people["user"].tests.count() == 1


def test_rehab_end_before_start_is_refused(client, commune_officer, people):
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:rehab_add", args=[people["user"].pk]),
        {
            "rehab-form": "methadone",
            "rehab-started_on": "10/06/2025",
            "rehab-ended_on": "01/06/2025",
        },
    )
    assert "ended_on" in response.context["form"].errors
    assert not RehabEpisode.objects.exists()


def test_move_keeps_history_and_hides_the_file_from_the_old_commune(
    client, commune_officer, people, other_commune
):
    person = people["tested"]
    client.force_login(commune_officer)
    response = client.post(
        reverse("casefiles:move", args=[person.pk]),
        {"to_commune": other_commune.pk, "on": "01/11/2026", "reason": "Chuyển nơi cư trú"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.commune == other_commune
    assert person.hamlet is None
    assert person.tests.count() == 1  # history travels with the file
    assert client.get(reverse("casefiles:detail", args=[person.pk])).status_code == 404
    moved = client.get(reverse("casefiles:moves_out"))
    assert [move.person.full_name for move in moved.context["page"].object_list] == [
        "Hoàng Văn Đức"
    ]
    new_officer = factories.commune_officer(other_commune)
    client.force_login(new_officer)
    detail = client.get(reverse("casefiles:detail", args=[person.pk]))
    assert detail.status_code == 200
    assert "move" in [event.kind for event in detail.context["timeline"]]
    assert PersonMove.objects.get().from_commune == commune_officer.commune


def test_close_needs_a_reason_and_never_deletes(client, commune_officer, people):
    person = people["absent"]
    client.force_login(commune_officer)
    response = client.post(reverse("casefiles:close", args=[person.pk]), {"on": "01/11/2026"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.closed_on is None
    response = client.post(
        reverse("casefiles:close", args=[person.pk]), {"reason": "died", "on": "01/11/2026"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.closed_on, person.close_reason) == (datetime.date(2026, 11, 1), "died")
    assert names(client.get(reverse("casefiles:list"))) == [
        "Hoàng Văn Đức",
        "Lộc Văn Bình",
        "Nông Thị Lan",
    ]
    assert names(client.get(reverse("casefiles:list"), {"closed": "1"})) == ["Vi Văn Sơn"]
    # A closed file is read-only.
    assert client.get(reverse("casefiles:edit", args=[person.pk])).status_code == 404


def _add_rows(commune, count):
    for number in range(count):
        person = make_person(commune, full_name=f"Người Thêm {number}")
        DrugTest.objects.create(
            person=person, tested_on=datetime.date(2025, 6, 1), kind="periodic", result="negative"
        )


def test_list_query_count_is_constant(
    client, commune_officer, commune, people, django_assert_num_queries
):
    client.force_login(commune_officer)
    # 1 session, 2 user with area, 3 count, 4 page of people with current state,
    # 5 read entries of the names shown (one INSERT), 6 hamlets for the filter, 7 may the user
    # add here, 8 any moves out, 9-11 savepoint, session renewal, release
    with django_assert_num_queries(11):
        client.get(reverse("casefiles:list"))
    _add_rows(commune, 15)
    with django_assert_num_queries(11):
        response = client.get(reverse("casefiles:list"))
    assert len(names(response)) == 19


def test_detail_query_count_is_constant(client, commune_officer, people, django_assert_num_queries):
    person = people["tested"]
    client.force_login(commune_officer)
    # 1 session, 2 user, 3 person with commune/province/hamlet, 4-9 categories, presences, tests,
    # rehab, support, moves, 10 audit entry of the read, 11 may the user change it,
    # 12-14 savepoint, session renewal, release
    with django_assert_num_queries(14):
        client.get(reverse("casefiles:detail", args=[person.pk]))
    for day in range(1, 11):
        DrugTest.objects.create(
            person=person, tested_on=datetime.date(2025, 1, day), kind="surprise", result="negative"
        )
        RehabEpisode.objects.create(
            person=person, form="methadone", started_on=datetime.date(2024, 1, day)
        )
    with django_assert_num_queries(14):
        response = client.get(reverse("casefiles:detail", args=[person.pk]))
    assert len([e for e in response.context["timeline"] if e.kind == "test"]) == 11


def test_opening_the_edit_form_is_a_logged_read(client, commune_officer, people):
    person = people["tested"]
    client.force_login(commune_officer)
    client.get(reverse("casefiles:edit", args=[person.pk]))
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.ACCESS)
    assert entry.additional_data["via"] == "edit"


def test_provincial_officer_reaches_the_person_audit_trail(client, provincial_officer, people):
    person = people["tested"]
    client.force_login(provincial_officer)
    detail = client.get(reverse("casefiles:detail", args=[person.pk]))
    link = f"{reverse('admin:auditlog_logentry_changelist')}?person={person.pk}"
    assert link in detail.content.decode()
    entries = client.get(link).context["cl"].result_list
    # The person's own entries and those of records on their file (the test of the fixture).
    assert {entry.additional_data["person_id"] for entry in entries} == {person.pk}
    assert LogEntry.Action.ACCESS in {entry.action for entry in entries}
    assert "Hoàng Văn Đức" in {entry.object_repr for entry in entries}
