"""The audit page in the admin: scoped to the province, filterable by person, user and date."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests import factories
from tests.factories import make_person


@pytest.fixture
def trail(client, commune, foreign_commune, commune_officer):
    own = make_person(commune, full_name="Hoàng Văn Mật")
    other = make_person(commune, full_name="Lương Văn Khác")
    foreign = make_person(foreign_commune, full_name="Đinh Văn Xa")
    client.force_login(commune_officer)
    client.get(reverse("casefiles:detail", args=[own.pk]))
    client.get(reverse("casefiles:detail", args=[other.pk]))
    foreign_officer = factories.commune_officer(foreign_commune)
    client.force_login(foreign_officer)
    client.get(reverse("casefiles:detail", args=[foreign.pk]))
    client.logout()
    return {"own": own, "other": other, "foreign": foreign}


def listed(response):
    return list(response.context["cl"].result_list)


def test_provincial_officer_sees_only_the_province(client, trail, provincial_officer):
    client.force_login(provincial_officer)
    response = client.get(reverse("admin:auditlog_logentry_changelist"))
    assert response.status_code == 200
    reprs = {entry.object_repr for entry in listed(response)}
    assert {"Hoàng Văn Mật", "Lương Văn Khác"} <= reprs
    assert "Đinh Văn Xa" not in reprs


def test_filter_by_person_user_and_date(client, trail, provincial_officer, commune_officer):
    client.force_login(provincial_officer)
    url = reverse("admin:auditlog_logentry_changelist")
    by_person = listed(client.get(url, {"person": trail["own"].pk}))
    assert by_person
    assert {entry.additional_data["person_id"] for entry in by_person} == {trail["own"].pk}
    by_actor = listed(client.get(url, {"actor": commune_officer.pk, "action__exact": 3}))
    assert {entry.object_repr for entry in by_actor} == {"Hoàng Văn Mật", "Lương Văn Khác"}
    entry = by_actor[0]
    day = entry.timestamp
    by_date = listed(client.get(url, {"timestamp__year": day.year, "timestamp__month": day.month}))
    assert entry in by_date


def test_the_trail_cannot_be_changed_or_deleted(client, trail, portal_admin):
    client.force_login(portal_admin)
    entry = LogEntry.objects.first()
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # view only
    assert client.post(change_url, {"action": 0}).status_code == 403
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", ["commune_officer", "leader"])
def test_other_roles_cannot_open_the_trail(client, trail, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:auditlog_logentry_changelist"), follow=True)
    assert response.status_code == 403
