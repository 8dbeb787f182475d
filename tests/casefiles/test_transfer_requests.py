"""A person who moved in, whose citizen ID is on a file outside the officer's area.

The person form never tells the officer that such a file exists, nor where (contracts.md §3):
the create becomes a file transfer request to the police of the province holding the file,
logged and held to a daily limit; those police approve it (the file moves to the commune
through the move service) or reject it with a reason. Every person here is made up.
"""

import re
from urllib.parse import quote_plus

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import SecurityEvent
from casefiles import access, services
from casefiles.models import Person, PersonMove, TransferRequest, TransferState
from tests import factories
from tests.factories import make_person

from .test_person_pages import create_data, edit_data

TAKEN_HERE = "Đã có hồ sơ khác"
SENT = "gửi yêu cầu chuyển hồ sơ tới Công an tỉnh"
LIMIT = "giới hạn"


def lookups() -> list[tuple]:
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OUT_OF_AREA_LOOKUP)
    return list(events.order_by("pk").values_list("user__username", "query"))


def post_create(client, commune, **overrides):
    return client.post(
        reverse("casefiles:create", args=[commune.pk]), create_data(**overrides), follow=True
    )


@pytest.fixture
def elsewhere(other_commune):
    """A file in the neighbouring commune, outside a commune officer's area."""
    return make_person(other_commune, full_name="Triệu Văn Xa")


@pytest.fixture
def in_another_province(foreign_commune):
    return make_person(foreign_commune, full_name="Đinh Văn Viễn")


@pytest.mark.parametrize(
    ("who", "holder"),
    [("commune_officer", "elsewhere"), ("provincial_officer", "in_another_province")],
)
def test_a_number_held_outside_the_area_becomes_a_request_that_names_no_file(
    request, client, commune, who, holder
):
    officer = request.getfixturevalue(who)
    held = request.getfixturevalue(holder)
    client.force_login(officer)
    response = post_create(
        client, commune, citizen_id=held.citizen_id, transfer_note="Chuyển đến từ tháng 5"
    )
    assert response.redirect_chain == [(reverse("casefiles:transfers"), 302)]
    text = response.content.decode()
    assert SENT in text and held.citizen_id in text
    for telling in (TAKEN_HERE, held.full_name, held.commune.name, held.commune.province.name):
        assert telling not in text
    transfer = TransferRequest.objects.get()
    assert (transfer.person, transfer.to_commune, transfer.requested_by) == (held, commune, officer)
    assert (transfer.full_name, transfer.note) == ("Hà Văn Tùng", "Chuyển đến từ tháng 5")
    assert transfer.state == TransferState.PENDING
    assert list(Person.objects.all()) == [held]  # no second file
    assert lookups() == [(officer.username, held.citizen_id)]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.OUT_OF_AREA_LOOKUP)
    assert event.path == reverse("casefiles:create", args=[commune.pk])
    assert LogEntry.objects.get_for_object(transfer).get().action == LogEntry.Action.CREATE


def test_a_number_on_no_file_opens_the_file_and_is_not_logged(client, commune, commune_officer):
    client.force_login(commune_officer)
    response = post_create(client, commune)
    person = Person.objects.get(citizen_id="020090123456")
    assert response.redirect_chain == [(reverse("casefiles:detail", args=[person.pk]), 302)]
    assert not TransferRequest.objects.exists()
    assert lookups() == []


def test_a_number_held_in_the_area_is_said_to_be_taken(client, commune, commune_officer):
    mine = make_person(commune)
    client.force_login(commune_officer)
    response = post_create(client, commune, citizen_id=mine.citizen_id)
    assert TAKEN_HERE in " ".join(response.context["form"].errors["citizen_id"])
    assert not TransferRequest.objects.exists()
    assert lookups() == []


def test_sending_the_same_request_twice_keeps_one(client, commune, commune_officer, elsewhere):
    client.force_login(commune_officer)
    post_create(client, commune, citizen_id=elsewhere.citizen_id)
    post_create(client, commune, citizen_id=elsewhere.citizen_id)
    assert TransferRequest.objects.count() == 1
    assert len(lookups()) == 2  # each try is a lookup


def test_the_daily_limit_refuses_the_21st_number_and_still_logs_it(
    client, commune, other_commune, commune_officer, settings
):
    assert settings.PERSON_LOOKUP_DAILY_LIMIT == 20
    held = [make_person(other_commune).citizen_id for _ in range(21)]
    client.force_login(commune_officer)
    for number in held[:20]:
        assert post_create(client, commune, citizen_id=number).redirect_chain
    assert TransferRequest.objects.count() == 20
    response = post_create(client, commune, citizen_id=held[20])
    assert response.status_code == 200
    assert LIMIT in " ".join(response.context["form"].errors["citizen_id"])
    assert TransferRequest.objects.count() == 20
    assert [query for _user, query in lookups()] == held
    # Past the limit a number on no file is refused the same way: otherwise "refused" and
    # "opened" would answer the question again.
    response = post_create(client, commune)
    assert LIMIT in " ".join(response.context["form"].errors["citizen_id"])
    assert Person.objects.count() == 21
    # A number met already today answers as before (the request waits): nothing new learnt.
    assert post_create(client, commune, citizen_id=held[0]).redirect_chain
    assert TransferRequest.objects.count() == 20
    # Another officer has a limit of their own.
    colleague = factories.commune_officer(commune, username="canbo.xa2")
    client.force_login(colleague)
    assert post_create(client, commune, citizen_id=held[20]).redirect_chain
    assert TransferRequest.objects.count() == 21


def test_correcting_a_number_to_one_held_elsewhere_is_refused_without_saying_why(
    client, commune, commune_officer, elsewhere
):
    mine = make_person(commune, full_name="Hoàng Văn Nhà")
    client.force_login(commune_officer)
    url = reverse("casefiles:edit", args=[mine.pk])
    response = client.post(url, edit_data(mine, citizen_id=elsewhere.citizen_id))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["citizen_id"])
    assert "Không dùng được số CCCD này" in errors
    text = response.content.decode()
    for telling in (TAKEN_HERE, elsewhere.full_name, elsewhere.commune.name):
        assert telling not in text
    assert lookups() == [(commune_officer.username, elsewhere.citizen_id)]
    mine.refresh_from_db()
    assert mine.version == 1
    # A number on no file is taken as before.
    response = client.post(url, edit_data(mine, citizen_id="020090123456"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.citizen_id == "020090123456"


def test_search_finds_only_people_in_the_area(client, commune, commune_officer, elsewhere):
    """The list's search runs over the files the officer may see: a number held elsewhere
    gives the very page a number on no file gives."""
    client.force_login(commune_officer)

    def page_for(query: str) -> str:
        response = client.get(reverse("casefiles:list"), {"q": query})
        assert list(response.context["page"].object_list) == []
        text = response.content.decode().replace(query, "<q>").replace(quote_plus(query), "<q>")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    unknown = page_for("020090999999")
    assert page_for(elsewhere.citizen_id) == unknown
    assert page_for(elsewhere.citizen_id[-6:]) == page_for("999999")
    assert page_for("Triệu Văn Xa") == page_for("Triệu Văn Không")


# ---- deciding: the police of the province holding the file ---------------------------------


def send(by, holder, commune) -> TransferRequest:
    return services.transfer_request_send(
        person=holder, to_commune=commune, full_name="Hà Văn Tùng", note="", by=by
    )


def step_url(transfer, step):
    return reverse("admin:casefiles_transferrequest_step", args=[transfer.pk, step])


def test_approval_moves_the_file_through_the_move_service(
    client, commune, other_commune, commune_officer, provincial_officer, elsewhere
):
    transfer = send(commune_officer, elsewhere, commune)
    client.force_login(provincial_officer)
    page = client.get(reverse("admin:casefiles_transferrequest_change", args=[transfer.pk]))
    assert step_url(transfer, "approve") in page.content.decode()
    assert elsewhere.full_name in client.get(step_url(transfer, "approve")).content.decode()
    response = client.post(step_url(transfer, "approve"), {"on": "01/06/2025", "note": "Đúng"})
    assert response.status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.commune == commune
    move = PersonMove.objects.get(person=elsewhere)
    assert (move.from_commune, move.to_commune, move.recorded_by) == (
        other_commune,
        commune,
        provincial_officer,
    )
    transfer.refresh_from_db()
    assert (transfer.state, transfer.move, transfer.resolved_by) == (
        TransferState.APPROVED,
        move,
        provincial_officer,
    )
    # Audited as a move from the file's page is, and the request's change with it.
    assert LogEntry.objects.get_for_object(move).get().actor == provincial_officer
    person_change = LogEntry.objects.get_for_object(elsewhere).filter(action=LogEntry.Action.UPDATE)
    assert person_change.get().changes_dict["commune"] == [str(other_commune.pk), str(commune.pk)]
    assert LogEntry.objects.get_for_object(transfer).filter(action=LogEntry.Action.UPDATE).exists()
    # The requesting officer now sees the file, and the answer on their list.
    client.force_login(commune_officer)
    text = client.get(reverse("casefiles:transfers")).content.decode()
    assert reverse("casefiles:detail", args=[elsewhere.pk]) in text
    assert client.get(reverse("casefiles:detail", args=[elsewhere.pk])).status_code == 200
    # Decided once: the step is gone.
    client.force_login(provincial_officer)
    assert client.get(step_url(transfer, "reject")).status_code == 404


def test_rejection_keeps_the_file_and_gives_the_commune_the_reason(
    client, commune, other_commune, commune_officer, provincial_officer, elsewhere
):
    transfer = send(commune_officer, elsewhere, commune)
    client.force_login(provincial_officer)
    response = client.post(step_url(transfer, "reject"), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(step_url(transfer, "reject"), {"reason": "Không phải cùng một người"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.state, transfer.resolution_note) == (
        TransferState.REJECTED,
        "Không phải cùng một người",
    )
    elsewhere.refresh_from_db()
    assert elsewhere.commune == other_commune
    assert not PersonMove.objects.exists()
    client.force_login(commune_officer)
    text = client.get(reverse("casefiles:transfers")).content.decode()
    assert "Không phải cùng một người" in text
    assert reverse("casefiles:detail", args=[elsewhere.pk]) not in text


def test_a_closed_file_cannot_be_handed_over_and_the_request_waits(
    commune, commune_officer, provincial_officer, elsewhere
):
    transfer = send(commune_officer, elsewhere, commune)
    services.person_close(
        person=elsewhere, reason="moved_for_good", note="", on=elsewhere.listed_on
    )
    with pytest.raises(ValidationError):
        services.transfer_request_approve(
            transfer=transfer, on=elsewhere.listed_on, note="", by=provincial_officer
        )
    transfer.refresh_from_db()
    assert transfer.state == TransferState.PENDING


def test_a_commune_officer_cannot_decide(client, commune, commune_officer, elsewhere):
    transfer = send(commune_officer, elsewhere, commune)
    client.force_login(commune_officer)
    for step in ("approve", "reject"):
        response = client.post(step_url(transfer, step), {"on": "01/06/2025", "reason": "x"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert not access.changeable_transfer_requests(commune_officer).exists()
    transfer.refresh_from_db()
    assert transfer.state == TransferState.PENDING
    elsewhere.refresh_from_db()
    assert elsewhere.commune != commune


def test_only_the_province_holding_the_file_sees_the_request(
    client, commune, commune_officer, provincial_officer, in_another_province, foreign_commune
):
    """A file of another province: the requester's own provincial police neither see nor
    decide the request (they would learn where the file is); the file's province does."""
    transfer = send(commune_officer, in_another_province, commune)
    client.force_login(provincial_officer)
    changelist = client.get(reverse("admin:casefiles_transferrequest_changelist"))
    assert list(changelist.context["cl"].result_list) == []
    change = reverse("admin:casefiles_transferrequest_change", args=[transfer.pk])
    assert client.get(change).status_code == 404
    approve = client.post(step_url(transfer, "approve"), {"on": "01/06/2025"})
    assert approve.status_code == 404
    foreign_police = factories.provincial_officer(foreign_commune.province, username="tinh.khac")
    client.force_login(foreign_police)
    changelist = client.get(reverse("admin:casefiles_transferrequest_changelist"))
    assert list(changelist.context["cl"].result_list) == [transfer]
    assert client.post(step_url(transfer, "approve"), {"on": "01/06/2025"}).status_code == 302
    in_another_province.refresh_from_db()
    assert in_another_province.commune == commune


# ---- the requesting commune's list ----------------------------------------------------------


def test_the_list_is_paginated_and_shows_only_the_communes_own_side(
    client, django_assert_num_queries, commune, other_commune, commune_officer
):
    held = [make_person(other_commune, full_name="Triệu Văn Xa") for _ in range(26)]
    for person in held:
        send(commune_officer, person, commune)
    client.force_login(commune_officer)
    # session, user, count, the page's requests with their commune; then the session saved
    # (savepoint, update, release): the same for 1 request or 25
    with django_assert_num_queries(7):
        first = client.get(reverse("casefiles:transfers"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("casefiles:transfers"), {"page": 2})
    assert len(second.context["page"].object_list) == 1
    text = first.content.decode()
    assert "Triệu Văn Xa" not in text and other_commune.name not in text
    assert held[-1].citizen_id in text  # what the officer typed


def test_the_list_says_when_nothing_was_sent(client, other_commune, commune, commune_officer):
    neighbour = factories.commune_officer(other_commune, username="canbo.bên")
    send(commune_officer, make_person(other_commune), commune)
    client.force_login(neighbour)
    response = client.get(reverse("casefiles:transfers"))
    assert list(response.context["page"].object_list) == []
    assert "Chưa gửi yêu cầu chuyển hồ sơ nào" in response.content.decode()


# ---- reads of the names these pages show (issue 14, finding 4) ------------------------------


def reads(via: str) -> list[tuple]:
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__via=via)
    return list(entries.values_list("actor__username", "object_pk"))


def test_the_admin_pages_of_a_request_log_the_read_of_the_file_they_name(
    client, commune, commune_officer, provincial_officer, elsewhere
):
    transfer = send(commune_officer, elsewhere, commune)
    client.force_login(provincial_officer)
    page = client.get(reverse("admin:casefiles_transferrequest_change", args=[transfer.pk]))
    assert elsewhere.full_name in page.content.decode()
    assert reads("admin_transfer_request") == [(provincial_officer.username, str(elsewhere.pk))]
    assert client.get(step_url(transfer, "approve")).status_code == 200
    assert len(reads("admin_transfer_request")) == 2


def test_the_communes_list_logs_a_read_only_of_files_it_received(
    client, commune, other_commune, commune_officer, provincial_officer, elsewhere
):
    pending = send(commune_officer, make_person(other_commune), commune)
    approved = send(commune_officer, elsewhere, commune)
    services.transfer_request_approve(
        transfer=approved, on=elsewhere.listed_on, note="", by=provincial_officer
    )
    client.force_login(commune_officer)
    assert client.get(reverse("casefiles:transfers")).status_code == 200
    # The pending row shows only what the officer typed; the approved one links their file.
    assert reads("transfer_requests") == [(commune_officer.username, str(elsewhere.pk))]
    assert pending.person_id != elsewhere.pk


def test_the_admin_list_logs_its_rows_as_reads_and_its_search_as_a_people_search(
    client, commune, commune_officer, provincial_officer, elsewhere
):
    """The list shows each file's citizen ID and the commune that holds it (found by an
    attacker: shown with no read entry, searched with no security log)."""
    send(commune_officer, elsewhere, commune)
    client.force_login(provincial_officer)
    url = reverse("admin:casefiles_transferrequest_changelist")
    assert client.get(url, {"q": elsewhere.citizen_id}).status_code == 200
    assert reads("admin_transfer_requests") == [(provincial_officer.username, str(elsewhere.pk))]
    searches = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PEOPLE_SEARCH)
    assert list(searches.values_list("user__username", "query")) == [
        (provincial_officer.username, elsewhere.citizen_id)
    ]
