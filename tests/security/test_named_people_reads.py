"""Every page that shows people's names writes a read entry for each of them, in one INSERT, and
every search that can match people goes to the security log with its words (issue 14, 4)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import SecurityEvent
from assessments import services as assessment_services
from assessments.models import Assessment, RecognitionCase
from casefiles import services
from casefiles.models import Person, RehabEpisode
from communes.models import Commune, Household
from tests import factories
from tests.factories import make_person

AS_OF = "30/06/2026"


def reads(via: str | None = None):
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    return entries.filter(additional_data__via=via) if via else entries


def read_names(via: str) -> list[str]:
    return sorted(reads(via).values_list("object_repr", flat=True))


def inserts_into_the_audit_log(captured) -> int:
    return sum(
        query["sql"].startswith('INSERT INTO "auditlog_logentry"')
        for query in captured.captured_queries
    )


def get_counting(client, url, data=None):
    """The response and the number of INSERTs into the audit log it made."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    return response, inserts_into_the_audit_log(captured)


@pytest.fixture
def addicts(commune):
    """Addicts present with a file: the first criterion of QĐ 28 names every one of them."""
    return [
        make_person(commune, full_name=name, category="addict", since=datetime.date(2026, 1, 2))
        for name in ("Nông Văn Một", "Hoàng Thị Hai", "Lộc Văn Ba")
    ]


# ---- the people pages ----------------------------------------------------------------------


def test_the_people_list_logs_each_name_on_the_page_in_one_insert(client, commune_officer, commune):
    for number in range(30):
        make_person(commune, full_name=f"Người Thử {number:02d}")
    client.force_login(commune_officer)
    response, inserts = get_counting(client, reverse("casefiles:list"))
    shown = [person.full_name for person in response.context["page"].object_list]
    assert len(shown) == 25
    assert read_names("list") == sorted(shown)
    assert inserts == 1
    assert {entry.actor for entry in reads()} == {commune_officer}
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PEOPLE_SEARCH).exists()


def test_a_search_by_citizen_id_logs_the_person_found_and_the_search_with_its_words(
    client, commune_officer, commune
):
    wanted = make_person(commune, full_name="Đinh Văn Tìm")
    make_person(commune, full_name="Đinh Văn Khác")
    client.force_login(commune_officer)
    response, inserts = get_counting(
        client, reverse("casefiles:list"), {"q": f" {wanted.citizen_id} "}
    )
    assert [person.pk for person in response.context["page"].object_list] == [wanted.pk]
    entry = reads("search").get()
    assert (entry.object_id, entry.actor, inserts) == (wanted.pk, commune_officer, 1)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH)
    assert (event.user, event.query, event.path) == (
        commune_officer,
        wanted.citizen_id,
        reverse("casefiles:list"),
    )


def test_a_search_finding_nobody_is_still_recorded(client, commune_officer, commune):
    client.force_login(commune_officer)
    client.get(reverse("casefiles:list"), {"q": "079090000001"})
    assert not reads().exists()
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH).query == "079090000001"


def test_the_export_logs_every_person_in_it_in_one_insert(client, commune_officer, commune):
    for number in range(40):
        make_person(commune, full_name=f"Người Xuất {number:02d}")
    client.force_login(commune_officer)
    response, inserts = get_counting(client, reverse("casefiles:export"), {"q": "xuat"})
    assert response.status_code == 200
    assert reads("export").count() == 40
    # SQLite takes at most 999 values per statement: 40 entries fit in one INSERT anywhere.
    assert inserts == 1
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH).query == "xuat"


def test_the_moved_out_list_logs_the_names_it_shows(
    client, commune_officer, commune, other_commune
):
    moved = [make_person(commune, full_name=name) for name in ("Vi Văn Đi", "Vi Thị Chuyển")]
    for person in moved:
        services.person_move(
            person=person,
            to_commune=other_commune,
            on=datetime.date(2026, 2, 1),
            reason="",
            by=commune_officer,
        )
    client.force_login(commune_officer)
    _response, inserts = get_counting(client, reverse("casefiles:moves_out"))
    assert read_names("moves_out") == sorted(person.full_name for person in moved)
    assert inserts == 1


@pytest.mark.parametrize(
    ("url_name", "via"),
    [
        ("casefiles:close", "close"),
        ("casefiles:move", "move"),
        ("casefiles:category", "category"),
        ("casefiles:presence", "presence"),
        ("casefiles:test_add", "test_add"),
        ("casefiles:rehab_add", "rehab_add"),
        ("casefiles:support_add", "support_add"),
        ("casefiles:edit", "edit"),
    ],
)
def test_the_step_pages_of_a_file_log_the_read(client, commune_officer, commune, url_name, via):
    person = make_person(commune, full_name="Lương Văn Bước")
    client.force_login(commune_officer)
    response = client.get(reverse(url_name, args=[person.pk]))
    assert "Lương Văn Bước" in response.content.decode()
    entry = reads(via).get()
    assert (entry.object_id, entry.actor) == (person.pk, commune_officer)


def test_a_step_page_shown_again_with_errors_logs_the_read_again(client, commune_officer, commune):
    person = make_person(commune, full_name="Lương Văn Lỗi")
    client.force_login(commune_officer)
    response = client.post(reverse("casefiles:close", args=[person.pk]), {"reason": ""})
    assert response.status_code == 200
    assert reads("close").get().object_id == person.pk
    assert not Person.objects.get(pk=person.pk).is_closed


def test_the_rehab_end_page_logs_the_read(client, commune_officer, commune):
    person = make_person(commune, full_name="Lương Văn Cai")
    episode = RehabEpisode.objects.create(
        person=person, form="methadone", started_on=datetime.date(2026, 1, 5)
    )
    client.force_login(commune_officer)
    client.get(reverse("casefiles:rehab_end", args=[episode.pk]))
    assert reads("rehab_end").get().object_id == person.pk


def test_a_refused_page_logs_no_read(client, leader, commune):
    make_person(commune)
    client.force_login(leader)
    assert client.get(reverse("casefiles:list"), {"q": "nong"}).status_code == 403
    assert not reads().exists()


# ---- scorecards, the commune profile, the admin's assessment and case pages ---------------


def test_the_scorecard_logs_the_people_its_evidence_names_in_one_insert(
    client, commune_officer, commune, other_commune, addicts
):
    make_person(other_commune, full_name="Người Xã Khác", category="addict")
    client.force_login(commune_officer)
    url = reverse("assessments:scorecard", args=[commune.pk])
    response, inserts = get_counting(client, url, {"as_of": AS_OF})
    assert "Hoàng Thị Hai" in response.content.decode()
    assert read_names("scorecard") == sorted(person.full_name for person in addicts)
    assert inserts == 1


def test_the_scorecard_logs_nothing_for_a_leader_who_sees_no_names(
    client, leader, commune, addicts
):
    client.force_login(leader)
    response = client.get(reverse("assessments:scorecard", args=[commune.pk]), {"as_of": AS_OF})
    assert "Hoàng Thị Hai" not in response.content.decode()
    assert not reads().exists()


def test_the_commune_profile_logs_the_people_it_names_in_one_insert(
    client, provincial_officer, commune, addicts
):
    client.force_login(provincial_officer)
    url = reverse("reports:commune_profile", args=[commune.pk])
    response, inserts = get_counting(client, url)
    assert response.status_code == 200
    assert read_names("commune_profile") == sorted(person.full_name for person in addicts)
    assert inserts == 1


def store_assessment(commune) -> Assessment:
    commune = Commune.objects.select_related("province").get(pk=commune.pk)
    assessment_services.assessments_store(
        assessment_services.assess_communes([commune], as_of=datetime.date(2026, 6, 30))
    )
    return Assessment.objects.get(commune=commune)


def test_the_admins_assessment_page_logs_the_people_its_stored_evidence_names(
    client, provincial_officer, commune, addicts
):
    assessment = store_assessment(commune)
    # Not named: the same first names, but not a name of the evidence as a whole.
    make_person(commune, full_name="Nông Văn Mộtmột", category="suspect")
    client.force_login(provincial_officer)
    url = reverse("admin:assessments_assessment_change", args=[assessment.pk])
    response, inserts = get_counting(client, url)
    assert response.status_code == 200
    assert "Lộc Văn Ba" in response.content.decode()
    assert read_names("admin_assessment") == sorted(person.full_name for person in addicts)
    assert inserts == 1


def test_the_admins_case_page_logs_the_people_both_scorecards_name(
    client, provincial_officer, commune_officer, commune, other_commune, addicts
):
    case = factories.registration_with_case(
        commune=commune,
        year=2026,
        registered_on=datetime.date(2026, 1, 1),
        profile="qd28-2025",
        by=commune_officer,
    )
    # A frozen scorecard naming someone whose file has since moved to another commune.
    gone = make_person(commune, full_name="Triệu Văn Đã Chuyển")
    services.person_move(
        person=gone,
        to_commune=other_commune,
        on=datetime.date(2026, 3, 1),
        reason="",
        by=commune_officer,
    )
    frozen = {
        "as_of": "2026-02-01",
        "level": "type_3",
        "eligible": False,
        "profile": "qd28-2025",
        "criteria": [
            {"code": "Q1", "result": "fail", "evidence": "1 người nghiện: Triệu Văn Đã Chuyển"}
        ],
    }
    RecognitionCase.objects.filter(pk=case.pk).update(submitted_scorecard=frozen)
    client.force_login(provincial_officer)
    url = reverse("admin:assessments_recognitioncase_change", args=[case.pk])
    response, inserts = get_counting(client, url)
    content = response.content.decode()
    assert "Triệu Văn Đã Chuyển" in content
    assert "Hoàng Thị Hai" in content
    named = sorted([*(person.full_name for person in addicts), gone.full_name])
    assert read_names("admin_recognition_case") == named
    assert inserts == 1


# ---- registers naming heads of household -----------------------------------------------------


@pytest.fixture
def households(commune):
    hamlet = factories.HamletFactory(commune=commune, name="Thôn Nà Hin")
    return [
        Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=f"H{number:02d}", head_name=name
        )
        for number, name in enumerate(("Hà Văn Chủ", "Hà Thị Hộ", "Bế Văn Nhà"))
    ]


def test_the_household_register_logs_the_heads_it_names_and_records_the_search(
    client, commune_officer, households
):
    client.force_login(commune_officer)
    url = reverse("communes:register_list", args=["households"])
    _response, inserts = get_counting(client, url)
    assert read_names("register_list") == sorted(str(household) for household in households)
    assert inserts == 1
    _response, inserts = get_counting(client, url, {"q": "Hà Thị"})
    assert inserts == 1
    assert reads("register_list").filter(object_repr="H01 — Hà Thị Hộ").count() == 2
    assert reads("register_list").count() == 4
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH).query == "Hà Thị"


def test_a_register_without_names_logs_no_read_and_no_people_search(
    client, commune_officer, commune
):
    client.force_login(commune_officer)
    client.get(reverse("communes:register_list", args=["hotspots"]), {"q": "D1"})
    assert not reads().exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PEOPLE_SEARCH).exists()


def test_the_pledge_page_logs_the_unsigned_heads_it_names(
    client, commune_officer, commune, households
):
    client.force_login(commune_officer)
    url = reverse("communes:pledges", args=[commune.pk])
    _response, inserts = get_counting(client, url)
    assert read_names("pledges") == sorted(str(household) for household in households)
    assert inserts == 1
    _response, inserts = get_counting(client, url, {"q": "chu"})
    assert reads("pledges").filter(object_repr="H00 — Hà Văn Chủ").count() == 2
    assert reads("pledges").count() == 4
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH).query == "chu"


# ---- the admin's audit log search, and the entries themselves ------------------------------


def test_a_search_of_the_audit_log_is_a_people_search(client, provincial_officer, commune):
    make_person(commune, full_name="Nông Văn Tra")
    client.force_login(provincial_officer)
    url = reverse("admin:auditlog_logentry_changelist")
    response = client.get(url, {"q": "Nông Văn Tra", "_facets": "1"})
    assert [entry.object_repr for entry in response.context["cl"].result_list] == ["Nông Văn Tra"]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PEOPLE_SEARCH)
    assert (event.user, event.query) == (provincial_officer, "Nông Văn Tra")


def test_bulk_entries_hold_what_auditlog_writes_for_one(client, commune_officer, commune):
    """The list's entry and the detail page's entry (auditlog's own log_create) of the same
    person differ only in their page and time."""
    person = make_person(commune, full_name="Nông Văn Giống")
    client.force_login(commune_officer)
    # The proxy's request id, which auditlog keeps as the correlation id.
    same = {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_CORRELATION_ID": "req-7"}
    client.get(reverse("casefiles:list"), **same)
    client.get(reverse("casefiles:detail", args=[person.pk]), **same)
    fields = [
        "content_type",
        "object_pk",
        "object_id",
        "object_repr",
        "serialized_data",
        "action",
        "changes",
        "actor",
        "actor_email",
        "remote_addr",
        "remote_port",
        "cid",
    ]
    bulk = reads("list").values(*fields, "additional_data").get()
    single = reads("page").values(*fields, "additional_data").get()
    assert {field: bulk[field] for field in fields} == {field: single[field] for field in fields}
    assert (bulk["remote_addr"], bulk["cid"]) == ("10.1.2.3", "req-7")
    assert {**bulk["additional_data"], "via": "page"} == single["additional_data"]


# ---- query counts of the pages that gained the read entries --------------------------------


def test_moved_out_query_count_is_constant(
    client, commune_officer, commune, other_commune, django_assert_num_queries
):
    def move(count):
        for number in range(count):
            person = make_person(commune, full_name=f"Người Đi {number}")
            services.person_move(
                person=person,
                to_commune=other_commune,
                on=datetime.date(2026, 2, 1),
                reason="",
                by=commune_officer,
            )

    move(2)
    client.force_login(commune_officer)
    url = reverse("casefiles:moves_out")
    # 1 session, 2 user, 3 count, 4 page of moves with the person and both communes, 5 read
    # entries of the names shown (one INSERT), 6-8 savepoint, session renewal, release
    with django_assert_num_queries(8):
        client.get(url)
    move(20)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 22


def test_household_register_query_count_is_constant(
    client, commune_officer, commune, households, django_assert_num_queries
):
    client.force_login(commune_officer)
    url = reverse("communes:register_list", args=["households"])
    # 1 session, 2 user, 3 count, 4 page of households with commune and hamlet, 5 read entries
    # of the heads named (one INSERT), 6 may the user add here, 7 which rows may the user change,
    # 8-10 savepoint, session renewal, release
    with django_assert_num_queries(10):
        client.get(url)
    hamlet = households[0].hamlet
    for number in range(10, 30):
        Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=f"H{number}", head_name="Chủ Hộ Thêm"
        )
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["table"]) == 23
