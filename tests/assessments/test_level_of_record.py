"""Issue 15, item 5: from 24/08/2025 the level of record is QĐ 28's, whatever the profile.

QĐ 28/2025/QĐ-TTg art. 8: "Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành" (signed
24/08/2025). Art. 6.3 names harbouring places only: "Không có điểm tổ chức, chứa chấp sử dụng trái
phép chất ma túy." Art. 5.4 counts "xã, phường, đặc khu trọng điểm phức tạp về ma túy loại I, II".
Contracts §4: a provincial profile "adds its recognition criteria and, where it has levels of its
own (tra-vinh-2025), puts them in an extra key `profile_level`".
"""

import dataclasses
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import rules, services
from assessments.models import Assessment, ProvincialProfile
from communes.models import Commune, Hotspot
from tests import factories
from tests.imports.test_import_pages import workbook_bytes

day = datetime.date
FIVE_RETAIL_POINTS = rules.CommuneFacts(population=8500, hotspots=5)


# ---- the rules API -------------------------------------------------------------------------


def test_five_retail_points_are_drug_free_under_qd28_and_type_1_under_tra_vinh():
    """Trà Vinh's appendix: "≥ 5 hotspots → Type I"; QĐ 28 art. 6.3 reads harbouring places."""
    levels = rules.classification_of_record(FIVE_RETAIL_POINTS, "tra-vinh-2025", day(2026, 6, 30))
    assert levels.record.level == rules.Level.DRUG_FREE
    assert levels.record.profile == "qd28-2025"
    assert levels.own.level == rules.Level.TYPE_1
    assert levels.own.reasons == ("hotspots_type_1",)
    # The contract's classify() still answers each profile's own table.
    assert rules.classify(FIVE_RETAIL_POINTS, "tra-vinh-2025").level == rules.Level.TYPE_1


@pytest.mark.parametrize(
    ("as_of", "record"),
    [
        (day(2025, 8, 23), rules.Level.TYPE_1),  # before art. 8: the province's table
        (day(2025, 8, 24), rules.Level.DRUG_FREE),  # QĐ 28 in force on signing
        (day(2025, 8, 25), rules.Level.DRUG_FREE),
    ],
)
def test_the_level_of_record_is_qd28s_from_24_august_2025(as_of, record):
    """Art. 8: in force "kể từ ngày ký ban hành", 24/08/2025."""
    levels = rules.classification_of_record(FIVE_RETAIL_POINTS, "tra-vinh-2025", as_of)
    assert levels.record.level == record
    assert levels.own.level == rules.Level.TYPE_1


def test_a_profile_classifying_as_qd28_has_no_level_of_its_own():
    for code in ("qd28-2025", "thanh-hoa-2024", "lang-son-2025"):
        levels = rules.classification_of_record(FIVE_RETAIL_POINTS, code, day(2026, 6, 30))
        assert levels.own is None
        assert levels.record.level == rules.Level.DRUG_FREE


def test_a_profile_out_of_force_shows_no_level_of_its_own():
    """Profiles carry validity dates: Trà Vinh's plan is dated 17/02/2025, and a profile
    closed on a day no longer classifies after it."""
    before = rules.classification_of_record(FIVE_RETAIL_POINTS, "tra-vinh-2025", day(2025, 2, 16))
    assert before.own is None and before.record.profile == "qd28-2025"
    closed = dataclasses.replace(rules.TRA_VINH_2025, valid_until=day(2025, 12, 31))
    assert rules.classification_of_record(FIVE_RETAIL_POINTS, closed, day(2025, 12, 31)).own
    assert rules.classification_of_record(FIVE_RETAIL_POINTS, closed, day(2026, 1, 1)).own is None


# ---- the engine, through the import and assess --json --------------------------------------

WORKBOOK = {
    "communes": [
        ["province_code", "province_name", "code", "name", "kind", "population", "households",
         "on_key_route", "border"],
        ["98", "Tỉnh Ghi Nhận", "98001", "Xã Năm Điểm", "xa", 8500, 2, "no", "no"],
    ],
    "hamlets": [
        ["commune_code", "name", "households", "hotline_board", "mailbox"],
        ["98001", "Ấp Một", 2, "yes", "yes"],
    ],
    "hotspots": [
        ["commune_code", "ref", "kind", "hamlet", "detected_on", "eradicated_on"],
        *[["98001", f"BL{n}", "retail", "Ấp Một", "2025-01-05", None] for n in range(1, 6)],
    ],
    "registrations": [
        ["commune_code", "year", "registered_on", "profile", "baseline_addicts",
         "baseline_users"],
        ["98001", 2025, "2024-12-10", "tra-vinh-2025", 0, 0],
        ["98001", 2026, "2025-12-10", "tra-vinh-2025", 0, 0],
    ],
}  # fmt: skip


@pytest.fixture
def imported(db, tmp_path):
    path = tmp_path / "ghi-nhan.xlsx"
    path.write_bytes(workbook_bytes(WORKBOOK))
    call_command("import_workbook", str(path), stdout=io.StringIO())


def assess(as_of: str, *extra: str) -> dict:
    out = io.StringIO()
    call_command("assess", "--province", "98", "--as-of", as_of, "--json", *extra, stdout=out)
    (commune,) = json.loads(out.getvalue())["communes"]
    return commune


def test_a_2026_tra_vinh_registration_with_5_retail_points_is_stored_drug_free(imported):
    """Issue 15 item 5: "A 2026 registration under the Trà Vinh profile with 5 retail points is
    stored as Type I and counts in the province's Type I/II share (art. 5.4), though under QĐ 28
    it is drug-free." The level of record is QĐ 28's; Trà Vinh's shows beside it."""
    commune = assess("2026-06-30")
    assert commune["profile"] == "tra-vinh-2025"
    assert commune["level"] == "drug_free"
    assert commune["reasons"] == ["drug_free"]
    assert commune["profile_level"] == "type_1"
    # Trà Vinh's recognition criteria still apply on top: TV1 reads every hotspot.
    results = {item["code"]: item["result"] for item in commune["criteria"]}
    assert results["TV1_no_hotspot_no_offence"] == "fail"
    stored = Assessment.objects.get()
    assert (stored.level, stored.profile_level) == ("drug_free", "type_1")
    status = services.stored_province_status([stored], on_interprovincial_route=False)
    assert "key_communes_ratio" not in status.met


@pytest.mark.parametrize(
    ("as_of", "level"), [("2025-08-23", "type_1"), ("2025-08-24", "drug_free")]
)
def test_assess_json_on_each_side_of_24_august_2025(imported, as_of, level):
    """Art. 8: QĐ 28 is the level of record from the day it was signed."""
    commune = assess(as_of, "--dry-run")
    assert commune["level"] == level
    assert commune["profile_level"] == "type_1"


def test_a_qd28_profile_puts_no_profile_level_in_the_json(imported):
    commune = assess("2026-06-30", "--dry-run", "--profile", "qd28-2025")
    assert "profile_level" not in commune
    assert commune["level"] == "drug_free"
    assert Assessment.objects.count() == 0


def test_a_province_default_profile_out_of_force_is_not_used(imported):
    """A province's own profile carries validity dates; the engine reads them."""
    commune = Commune.objects.get(code="98001")
    commune.registrations.all().delete()
    ProvincialProfile.objects.create(
        province=commune.province, code="ghi-nhan-2025", title="Tỉnh Ghi Nhận 2025",
        legal_basis="Kế hoạch thử", valid_from=day(2025, 1, 1), valid_until=day(2025, 12, 31),
        base="tra-vinh-2025", is_default=True,
    )  # fmt: skip
    in_force = assess("2025-12-31", "--dry-run")
    assert (in_force["profile"], in_force["profile_level"]) == ("ghi-nhan-2025", "type_1")
    after = assess("2026-01-01", "--dry-run")
    assert after["profile"] == "qd28-2025" and "profile_level" not in after


def test_stored_levels_are_brought_to_the_level_of_record_by_the_migration(imported):
    """Assessments stored before this change kept Trà Vinh's level as their level."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "assessments.migrations.0007_level_of_record_and_relapse_facts"
    )
    assess("2026-06-30")
    Assessment.objects.update(level="type_1", profile_level="", reasons=["hotspots_type_1"])
    migration.stored_levels_of_record(apps, None)
    migration.stored_levels_of_record(apps, None)  # re-runnable
    stored = Assessment.objects.get()
    assert (stored.level, stored.profile_level, stored.reasons) == (
        "drug_free",
        "type_1",
        ["drug_free"],
    )


# ---- what people see -----------------------------------------------------------------------


@pytest.fixture
def retail_commune(commune, other_commune, provincial_officer):
    factories.HamletFactory(commune=commune)
    for n in range(1, 6):
        Hotspot.objects.create(
            commune=commune, ref=f"BL{n}", kind="retail", detected_on=day(2026, 1, 5)
        )
    case = factories.registration_with_case(
        commune=commune,
        year=2026,
        registered_on=day(2025, 12, 10),
        profile="tra-vinh-2025",
        by=provincial_officer,
    )
    communes = Commune.objects.filter(province=commune.province).select_related("province")
    services.assessments_store(services.assess_communes(communes, as_of=day(2026, 6, 30)))
    return case


def test_the_scorecard_shows_both_levels(client, commune_officer, commune, retail_commune):
    client.force_login(commune_officer)
    response = client.get(
        reverse("assessments:scorecard", args=[commune.pk]), {"as_of": "30/06/2026"}
    )
    body = response.content.decode()
    assert response.context["result"].classification.level == rules.Level.DRUG_FREE
    assert response.context["profile_level_label"] == "Trọng điểm loại I"
    assert 'data-testid="profile-level"' in body and "Trà Vinh 2025" in body
    assert "Không ma túy" in body


def test_the_province_table_shows_both_levels_and_counts_the_record(
    client, provincial_officer, retail_commune
):
    client.force_login(provincial_officer)
    response = client.get(reverse("assessments:province"), {"as_of": "30/06/2026"})
    row = next(r for r in response.context["rows"] if r["commune"].code == "20001")
    assert (row["level"], row["profile_level"]) == ("drug_free", "type_1")
    assert 'data-testid="profile-level"' in response.content.decode()
    by_level = dict(response.context["by_level"])
    assert by_level["Trọng điểm loại I"] == 0
    assert "key_communes_ratio" not in response.context["status"].met


def test_the_admin_case_page_shows_both_levels(client, provincial_officer, retail_commune):
    client.force_login(provincial_officer)
    response = client.get(
        reverse("admin:assessments_recognitioncase_change", args=[retail_commune.pk])
    )
    body = response.content.decode()
    assert "<strong>Không ma túy</strong>" in body
    assert "Trọng điểm loại I" in body


def test_the_report_counts_the_record_and_shows_the_profile_levels(province, retail_commune):
    from reports import builders, rendering

    report = builders.province_report(province, rules.annual_period(2026))
    assert report.levels["drug_free"] == 2 and report.levels["type_1"] == 0
    assert report.profile_levels == {
        "Trà Vinh 2025": {"type_1": 1, "type_2": 0, "type_3": 0, "less_complex": 0, "drug_free": 0}
    }
    (registered,) = rendering.registered_rows(report)
    assert registered["level"] == "drug_free" and registered["profile_level"] == "type_1"
    own_tables = [title for title in rendering.report_sections(report) if "Trà Vinh 2025" in title]
    assert len(own_tables) == 1


def test_the_dashboard_shows_the_profile_level_of_a_registered_commune(
    client, leader, province, retail_commune
):
    from assessments import runs
    from assessments.models import ProvinceRun

    run = ProvinceRun.objects.create(province=province, as_of=day(2026, 6, 30))
    runs.province_run_build(run.pk)
    client.force_login(leader)
    response = client.get(reverse("reports:overview"))
    body = response.content.decode()
    (board,) = response.context["dashboards"]
    assert board["report"].levels["drug_free"] == 2
    assert board["registered"][0]["level_text"] == (
        "Không ma túy (theo Trà Vinh 2025: Trọng điểm loại I)"
    )
    assert "Không ma túy (theo Trà Vinh 2025: Trọng điểm loại I)" in body
    assert "Phân loại xã theo Trà Vinh 2025 (để so sánh)" in body


def test_a_province_profile_carries_its_validity_dates_from_the_admin(
    client, provincial_officer, province
):
    data = {
        "province": province.pk, "code": "lang-son-2024", "title": "Lạng Sơn 2024",
        "legal_basis": "Kế hoạch 2024", "valid_from": "2024-01-01", "valid_until": "2025-08-23",
        "base": "qd28-2025",
    }  # fmt: skip
    client.force_login(provincial_officer)
    url = reverse("admin:assessments_provincialprofile_add")
    assert client.post(url, {**data, "valid_until": "2023-12-31"}).status_code == 200
    assert not ProvincialProfile.objects.exists()
    assert client.post(url, data).status_code == 302
    profile = ProvincialProfile.objects.get().as_rules_profile()
    assert profile.in_force_on(day(2025, 8, 23)) and not profile.in_force_on(day(2025, 8, 24))
