"""Denied accesses, reads and changes are logged with who and from where; the logs cannot be
rewritten; and the application log never carries a citizen ID, a test result or a password."""

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.models import SecurityEvent
from tests import factories
from tests.factories import make_person


def test_a_leader_refused_a_register_is_logged(client, leader):
    client.force_login(leader)
    response = client.get(reverse("casefiles:list"), REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert (event.user, event.ip_address, event.path) == (leader, "10.20.30.40", "/people/")


def test_a_foreign_file_opened_by_id_is_logged_as_denied(client, commune, other_commune):
    person = make_person(commune)
    outsider = factories.commune_officer(other_commune)
    client.force_login(outsider)
    response = client.get(reverse("casefiles:detail", args=[person.pk]))
    assert response.status_code == 404  # the same answer as for a file that does not exist
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert event.user == outsider
    assert event.path == reverse("casefiles:detail", args=[person.pk])
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_a_missing_file_is_not_a_denied_access(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("casefiles:detail", args=[987654])).status_code == 404
    assert not SecurityEvent.objects.exists()


def test_reading_and_changing_a_file_records_who_and_from_where(client, commune, commune_officer):
    person = make_person(commune)
    client.force_login(commune_officer)
    client.get(reverse("casefiles:detail", args=[person.pk]), REMOTE_ADDR="10.1.2.3")
    client.post(
        reverse("casefiles:test_add", args=[person.pk]),
        {"test-tested_on": "10/11/2025", "test-kind": "surprise", "test-result": "negative"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="8.8.8.8",  # forged: no proxy is configured
    )
    read = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    created = LogEntry.objects.get(action=LogEntry.Action.CREATE, content_type__model="drugtest")
    for entry in (read, created):
        assert entry.actor == commune_officer
        assert entry.remote_addr == "10.1.2.3"
        assert entry.timestamp is not None


def test_audit_log_cannot_be_changed_or_deleted_from_the_admin(client, commune, portal_admin):
    make_person(commune)
    entry = LogEntry.objects.first()
    client.force_login(portal_admin)
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(change, {"action": 2}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_security_log_cannot_be_changed_or_deleted_from_the_admin(client, portal_admin):
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="x")
    client.force_login(portal_admin)
    assert client.get(reverse("admin:accounts_securityevent_changelist")).status_code == 200
    delete = reverse("admin:accounts_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)
@pytest.mark.parametrize("table", ["auditlog", "security"])
def test_the_database_refuses_to_rewrite_the_logs(commune, table):
    make_person(commune)
    if table == "auditlog":
        rows = LogEntry.objects.all()
        change = {"changes_text": "rewritten"}
    else:
        SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN_FAILED, username="x")
        rows = SecurityEvent.objects.all()
        change = {"username": "someone else"}
    count = rows.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.delete()
    assert rows.count() == count


def test_application_log_never_shows_citizen_ids_results_or_passwords(
    client, commune, commune_officer, leader, caplog
):
    caplog.set_level("DEBUG")
    citizen_id = "001089012345"
    person = make_person(commune, full_name="Hà Thị Kín", citizen_id=citizen_id)
    client.post(reverse("login"), {"username": commune_officer.username, "password": "Sai-Pass-9x"})
    client.force_login(commune_officer)
    client.get(reverse("casefiles:list"), {"q": citizen_id})
    client.get(reverse("casefiles:detail", args=[person.pk]))
    client.get(reverse("casefiles:export"))
    client.post(
        reverse("casefiles:test_add", args=[person.pk]),
        {"test-tested_on": "10/11/2025", "test-kind": "surprise", "test-result": "positive"},
    )
    client.post(  # a refused form: the error path must not echo the data either
        reverse("casefiles:test_add", args=[person.pk]),
        {"test-tested_on": "99/99/2025", "test-kind": "surprise", "test-result": "positive"},
    )
    # A refused page and a foreign id: both logged, without the query string's contents.
    client.get(reverse("casefiles:detail", args=[person.pk + 1000]), {"q": citizen_id})
    client.force_login(leader)
    assert client.get(reverse("casefiles:list"), {"q": citizen_id}).status_code == 403
    assert caplog.records, "the flows above log something (sign-in failure at least)"
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert citizen_id not in text
    assert "Sai-Pass-9x" not in text
    assert "positive" not in text and "dương tính" not in text
    assert "Hà Thị Kín" not in text
