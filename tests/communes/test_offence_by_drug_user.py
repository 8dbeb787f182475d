"""Issue 15, item 7: an offence says whether a drug user or addict caused it, managed or not
(seed 001 §3, TV6; seed 003 §II, TH8: "Không để sót, lọt các đối tượng sử dụng trái phép chất
ma túy, nghiện ma túy gây ra các vụ việc, vụ án rất nghiêm trọng, đặc biệt nghiêm trọng"): the
form, the register list and the migration that keeps the offences recorded before."""

import datetime
import importlib

from django.apps import apps
from django.urls import reverse

from communes.models import Offence

OFFENCE = {
    "ref": "V1",
    "kind": "other",
    "occurred_on": "01/05/2025",
    "offenders": "1",
    "offenders_arrested": "1",
    "resident_offenders": "1",
    "serious": "on",
}


def test_the_form_records_a_serious_case_by_an_unmanaged_drug_user(
    client, commune_officer, commune
):
    client.force_login(commune_officer)

    response = client.post(
        reverse("communes:register_create", args=["offences", commune.pk]),
        {**OFFENCE, "by_drug_user": "on"},
    )

    assert response.status_code == 302
    offence = Offence.objects.get(commune=commune, ref="V1")
    assert (offence.by_drug_user, offence.by_managed_person, offence.serious) == (True, False, True)


def test_a_new_offence_is_not_by_a_drug_user_unless_said(client, commune_officer, commune):
    client.force_login(commune_officer)
    form = client.get(reverse("communes:register_create", args=["offences", commune.pk]))
    assert "by_drug_user" in form.context["form"].fields

    client.post(reverse("communes:register_create", args=["offences", commune.pk]), OFFENCE)

    assert Offence.objects.get(commune=commune, ref="V1").by_drug_user is False


def test_the_list_filters_offences_by_a_drug_user(client, commune_officer, commune):
    day = datetime.date(2025, 5, 1)
    for ref, by_drug_user in (("V1", True), ("V2", False)):
        Offence.objects.create(
            commune=commune, ref=ref, kind="other", occurred_on=day, by_drug_user=by_drug_user
        )
    client.force_login(commune_officer)

    listed = client.get(
        reverse("communes:register_list", args=["offences"]), {"status": "by_drug_user"}
    )

    assert [row.ref for row, _cells in listed.context["table"]] == ["V1"]


def test_the_migration_keeps_the_reading_of_earlier_offences(commune):
    """Before the field, TV6/TH8 read `by_managed_person`: the offences recorded then keep it.
    Re-runnable, and it never clears a flag set since."""
    migration = importlib.import_module("communes.migrations.0008_offence_by_drug_user")
    day = datetime.date(2025, 5, 1)
    managed = Offence.objects.create(
        commune=commune, ref="V1", kind="other", occurred_on=day, by_managed_person=True
    )
    other = Offence.objects.create(commune=commune, ref="V2", kind="other", occurred_on=day)
    said = Offence.objects.create(
        commune=commune, ref="V3", kind="other", occurred_on=day, by_drug_user=True
    )

    for _run in range(2):
        migration.by_managed_person_is_by_drug_user(apps, None)

    flags = dict(Offence.objects.values_list("ref", "by_drug_user"))
    assert flags == {managed.ref: True, other.ref: False, said.ref: True}
