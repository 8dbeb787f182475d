"""Issue 15, items 1, 2, 7 and 9, where they depend on data: a province loaded with
`import_workbook`, read back with `assess --json` (contracts.md §3, §4). Each test quotes the
clause it reads."""

import io
import json

import pytest
from django.core.management import call_command

from communes.models import Offence
from tests.imports.test_import_pages import workbook_bytes

PERSON_HEADER = [
    "citizen_id", "full_name", "birth_date", "sex", "commune_code", "hamlet", "category",
    "category_since", "listed_on", "present", "absence_reason", "psychosis", "file_opened_on",
]  # fmt: skip
OFFENCE_HEADER = [
    "commune_code", "ref", "occurred_on", "kind", "offenders", "offenders_arrested",
    "resident_offenders", "serious", "by_managed_person", "psychosis_incident",
]  # fmt: skip


def man(number: int) -> str:
    """A synthetic citizen ID of a man born in 1990 (province 020)."""
    return f"0200900{number:05d}"


WORKBOOK = {
    "communes": [
        ["province_code", "province_name", "code", "name", "kind", "population", "households",
         "on_key_route", "border"],
        ["95", "Tỉnh Thử", "95001", "Xã Chưa Hồ Sơ", "xa", 5000, 10, "no", "no"],
        ["95", "Tỉnh Thử", "95002", "Xã Hành Chính", "xa", 4000, 10, "no", "no"],
        ["95", "Tỉnh Thử", "95003", "Xã Thiếu Dân Số", "xa", None, 10, "no", "no"],
        ["95", "Tỉnh Thử", "95004", "Xã Xét Nghiệm", "xa", 6000, 10, "no", "no"],
    ],
    "hamlets": [
        ["commune_code", "name", "households", "hotline_board", "mailbox"],
        ["95001", "Thôn Một", 10, "yes", "yes"],
        ["95002", "Thôn Hai", 10, "yes", "yes"],
        ["95003", "Thôn Ba", 10, "yes", "yes"],
        ["95004", "Thôn Bốn", 10, "yes", "yes"],
    ],
    "persons": [
        PERSON_HEADER,
        # 95001: present, no file (counted by art. 6.1); no file but on methadone (exempt);
        # no file and absent in compulsory rehab (not residing).
        [man(1), "Nông Văn Chưa", "1990-05-17", "M", "95001", "Thôn Một", "addict",
         "2025-03-01", "2025-03-01", "yes", None, "no", None],
        [man(2), "Hoàng Văn Thay", "1990-05-17", "M", "95001", "Thôn Một", "addict",
         "2025-03-01", "2025-03-01", "yes", None, "no", None],
        [man(3), "Lý Văn Vắng", "1990-05-17", "M", "95001", "Thôn Một", "user",
         "2025-03-01", "2025-03-01", "no", "compulsory_rehab", "no", None],
        # 95003: one filed addict, no population.
        [man(4), "Vi Văn Ba", "1990-05-17", "M", "95003", "Thôn Ba", "addict",
         "2025-03-01", "2025-03-01", "yes", None, "no", "2025-03-02"],
        # 95004: two filed users, one tested both ways, one only periodically.
        [man(5), "Đàm Văn Đủ", "1990-05-17", "M", "95004", "Thôn Bốn", "user",
         "2025-01-05", "2025-01-05", "yes", None, "no", "2025-01-06"],
        [man(6), "Triệu Văn Thiếu", "1990-05-17", "M", "95004", "Thôn Bốn", "user",
         "2025-01-05", "2025-01-05", "yes", None, "no", "2025-01-06"],
    ],
    "rehab": [
        ["citizen_id", "form", "started_on", "ended_on"],
        [man(2), "methadone", "2025-03-05", None],
    ],
    "drug_tests": [
        ["citizen_id", "tested_on", "kind", "result", "substance"],
        [man(5), "2025-04-01", "periodic", "negative", None],
        [man(5), "2025-09-10", "surprise", "negative", None],
        [man(6), "2025-04-01", "periodic", "negative", None],
        [man(6), "2025-09-10", "periodic", "negative", None],
    ],
    "offences": [
        OFFENCE_HEADER,
        # 95002: a resident fined for use, the "arrest" of an administrative case.
        ["95002", "XP-01", "2025-06-01", "use_administrative", 1, 1, 1, "no", "yes", "no"],
    ],
}  # fmt: skip


@pytest.fixture
def imported(db, tmp_path):
    path = tmp_path / "tinh-thu.xlsx"
    path.write_bytes(workbook_bytes(WORKBOOK))
    call_command("import_workbook", str(path), stdout=io.StringIO())


def assess(as_of: str, *profile: str) -> dict:
    out = io.StringIO()
    call_command(
        "assess", "--province", "95", "--as-of", as_of, "--json", "--dry-run", *profile, stdout=out
    )
    return {commune["code"]: commune for commune in json.loads(out.getvalue())["communes"]}


def criterion(commune: dict, code: str) -> dict:
    (found,) = (item for item in commune["criteria"] if item["code"] == code)
    return found


def test_a_resident_addict_without_a_file_fails_art_6_1(imported):
    """QĐ 28 art. 6.1: "Không có người hiện đang cư trú trên địa bàn nghiện ma túy, sử dụng
    trái phép chất ma túy, trừ người đang tham gia điều trị nghiện ma túy bằng thuốc thay thế
    …": every resident, with a file or not (art. 4.1 a's "có hồ sơ quản lý" is not there)."""
    commune = assess("2025-11-30")["95001"]

    facts = commune["facts"]
    # Art. 4 counts filed people only: no ratio, no Type III.
    assert (facts["addicts"], facts["illegal_users"], facts["unfiled_users"]) == (0, 0, 1)
    assert commune["level"] == "less_complex"
    q1 = criterion(commune, "Q1_no_users_except_treatment")
    assert q1["result"] == "fail"
    assert "Nông Văn Chưa" in q1["evidence"]
    # On methadone (exempt by art. 6.1) and absent in compulsory rehab (not residing): not named.
    assert "Hoàng Văn Thay" not in q1["evidence"]
    assert "Lý Văn Vắng" not in q1["evidence"]
    assert commune["eligible"] is False


def test_an_unfiled_user_stops_counting_once_the_file_is_opened(imported, tmp_path):
    """Art. 4.3 a counts people "có hồ sơ quản lý": once the file is opened the person moves
    from unfiled_users to addicts (a ratio, Type III), and art. 6.1 still fails."""
    rows = [PERSON_HEADER, [*WORKBOOK["persons"][1][:-1], "2025-10-01"]]
    path = tmp_path / "file-opened.xlsx"
    path.write_bytes(workbook_bytes({"persons": rows}))
    call_command("import_workbook", str(path), stdout=io.StringIO())

    before, after = assess("2025-09-30")["95001"], assess("2025-11-30")["95001"]

    assert (before["facts"]["addicts"], before["facts"]["unfiled_users"]) == (0, 1)
    assert (after["facts"]["addicts"], after["facts"]["unfiled_users"]) == (1, 0)
    assert (before["level"], after["level"]) == ("less_complex", "type_3")
    assert criterion(after, "Q1_no_users_except_treatment")["result"] == "fail"


def test_administrative_use_is_a_violation_never_a_crime_or_an_arrest(imported):
    """QĐ 28 art. 4.1 c counts "đối tượng phạm tội về ma túy bị bắt giữ"; art. 6.2 "vi phạm
    pháp luật về ma túy". contracts.md §3: use_administrative "makes its resident offenders
    violators (art. 6.2) but is never a crime, an arrest or a drug_offences count"."""
    commune = assess("2025-11-30")["95002"]

    facts = commune["facts"]
    assert facts["arrested_offenders"] == 0
    assert facts["drug_offences"] == 0
    assert facts["resident_violators"] == 1
    assert commune["level"] == "less_complex"  # not drug-free (6.2), no arrests ratio (4.3 b)
    assert criterion(commune, "Q2_no_violations_no_fugitives")["result"] == "fail"

    tra_vinh = assess("2025-11-30", "--profile", "tra-vinh-2025")["95002"]
    assert criterion(tra_vinh, "TV1_no_hotspot_no_offence")["result"] == "pass"
    assert criterion(tra_vinh, "TV5_no_offence_by_managed")["result"] == "pass"


@pytest.mark.parametrize(
    "as_of, arrests, violators",
    [
        pytest.param("2025-12-14", 2, 3, id="14/12: period 2025 reads both"),
        pytest.param("2025-12-15", 0, 0, id="15/12: a new period reads neither"),
    ],
)
def test_a_crime_and_a_use_on_14_12_in_their_period(imported, tmp_path, as_of, arrests, violators):
    """QĐ 28 art. 7.1 "từ ngày 15 tháng 12 năm trước đến ngày 14 tháng 12 năm sau": on 14/12
    the crime's arrests count (art. 4.1 c) and the use does not; both residents are violators
    (art. 6.2). From 15/12 neither is in the period."""
    rows = [
        OFFENCE_HEADER,
        ["95004", "VA-1412", "2025-12-14", "trafficking", 2, 2, 2, "no", "no", "no"],
        ["95004", "XP-1412", "2025-12-14", "use_administrative", 1, 1, 1, "no", "no", "no"],
    ]
    path = tmp_path / "14-12.xlsx"
    path.write_bytes(workbook_bytes({"offences": rows}))
    call_command("import_workbook", str(path), stdout=io.StringIO())

    facts = assess(as_of)["95004"]["facts"]

    assert facts["arrested_offenders"] == arrests
    assert facts["drug_offences"] == (1 if arrests else 0)
    assert facts["resident_violators"] == violators


@pytest.mark.parametrize(
    "as_of, outcome",
    [
        pytest.param("2025-12-14", "fail", id="14/12: only periodic tests in 2025"),
        pytest.param("2025-09-09", "fail", id="before the surprise test"),
    ],
)
def test_tv2_needs_periodic_and_surprise_tests(imported, as_of, outcome):
    """Seed 001 §3 (TV2): "100% người sử dụng trái phép ma túy, người sau cai nghiện được lập
    hồ sơ quản lý, theo dõi chặt chẽ, định kỳ và đột xuất phải được xét nghiệm": Triệu Văn
    Thiếu was tested twice, both periodically, and fails; Đàm Văn Đủ passes from the day of
    his surprise test."""
    commune = assess(as_of, "--profile", "tra-vinh-2025")["95004"]

    tv2 = criterion(commune, "TV2_users_filed_tested")
    assert tv2["result"] == outcome
    assert "chưa được xét nghiệm đột xuất" in tv2["evidence"]
    assert "Triệu Văn Thiếu" in tv2["evidence"]
    assert ("Đàm Văn Đủ" in tv2["evidence"]) is (as_of == "2025-09-09")


def test_tv2_passes_once_each_user_has_both_kinds(imported, tmp_path):
    """Seed 001 §3 (TV2), as above: a surprise test for the other user makes it pass."""
    rows = [
        ["citizen_id", "tested_on", "kind", "result", "substance"],
        [man(6), "2025-10-01", "surprise", "negative", None],
    ]
    path = tmp_path / "surprise.xlsx"
    path.write_bytes(workbook_bytes({"drug_tests": rows}))
    call_command("import_workbook", str(path), stdout=io.StringIO())

    commune = assess("2025-11-30", "--profile", "tra-vinh-2025")["95004"]

    assert criterion(commune, "TV2_users_filed_tested")["result"] == "pass"


def test_a_serious_case_by_an_unmanaged_drug_user_fails_tv6_and_th8(imported, tmp_path):
    """Seed 001 §3 (TV6) and seed 003 §II (TH8): "Không để sót, lọt các đối tượng sử dụng trái
    phép chất ma túy, nghiện ma túy gây ra các vụ việc, vụ án rất nghiêm trọng, đặc biệt nghiêm
    trọng": any user or addict, managed or not (the `by_drug_user` column)."""
    rows = [
        [*OFFENCE_HEADER, "by_drug_user"],
        ["95004", "VA-NT", "2025-07-01", "other", 1, 1, 0, "yes", "no", "no", "có"],
    ]
    path = tmp_path / "serious.xlsx"
    path.write_bytes(workbook_bytes({"offences": rows}))
    call_command("import_workbook", str(path), stdout=io.StringIO())

    tra_vinh = assess("2025-11-30", "--profile", "tra-vinh-2025")["95004"]
    thanh_hoa = assess("2025-11-30", "--profile", "thanh-hoa-2024")["95004"]

    for commune, code in (
        (tra_vinh, "TV6_no_serious_incident"),
        (thanh_hoa, "TH8_no_serious_incident"),
    ):
        result = criterion(commune, code)
        assert result["result"] == "fail"
        assert "VA-NT" in result["evidence"]
    # Not a person under management: TV5 does not read it.
    assert criterion(tra_vinh, "TV5_no_offence_by_managed")["result"] == "pass"


def test_a_missing_population_is_told_in_data_gaps(imported):
    """contracts.md §4: "A commune whose population is missing (0) carries "data_gaps":
    ["population"] and its ratio criteria are unknown, never silently skipped; data_gaps is []
    otherwise"."""
    communes = assess("2025-11-30")

    missing = communes["95003"]
    assert missing["facts"]["population"] == 0
    assert missing["data_gaps"] == ["population"]
    assert missing["level"] == "less_complex"  # the least severe it may be: see data_gaps
    assert all(communes[code]["data_gaps"] == [] for code in ("95001", "95002", "95004"))


# --- The by_drug_user column (contracts.md §3: "blank = the value of by_managed_person")


def offence_rows(*rows, column=True):
    header = [*OFFENCE_HEADER, "by_drug_user"] if column else OFFENCE_HEADER
    return {"offences": [header, *rows]}


def run_import(tmp_path, sheets, name="offences.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(workbook_bytes(sheets))
    out = io.StringIO()
    call_command("import_workbook", str(path), stdout=out)
    return out.getvalue()


def flags() -> dict[str, bool]:
    return dict(Offence.objects.filter(commune__code="95004").values_list("ref", "by_drug_user"))


def test_by_drug_user_blank_is_by_managed_person(imported, tmp_path):
    """contracts.md §3: "`by_drug_user` (optional; blank = the value of `by_managed_person`)"."""
    sheets = offence_rows(
        ["95004", "V-BLANK-YES", "2025-05-01", "possession", 1, 1, 1, "no", "yes", "no", None],
        ["95004", "V-BLANK-NO", "2025-05-01", "possession", 1, 1, 1, "no", "no", "no", None],
        ["95004", "V-SAID-YES", "2025-05-01", "possession", 1, 1, 1, "no", "no", "no", "có"],
        ["95004", "V-SAID-NO", "2025-05-01", "possession", 1, 1, 1, "no", "yes", "no", "không"],
    )

    run_import(tmp_path, sheets)

    assert flags() == {
        "V-BLANK-YES": True, "V-BLANK-NO": False, "V-SAID-YES": True, "V-SAID-NO": False,
    }  # fmt: skip
    # The same file again changes nothing.
    assert "unchanged" in run_import(tmp_path, sheets, name="again.xlsx")
    assert flags()["V-SAID-NO"] is False


def test_a_sheet_without_the_column_still_imports(imported, tmp_path):
    """contracts.md §3 lists `by_drug_user` as optional: an older sheet without it gives new
    offences the value of `by_managed_person` and leaves stored ones as they are."""
    run_import(
        tmp_path,
        offence_rows(
            ["95004", "V-OLD", "2025-05-01", "possession", 1, 1, 1, "no", "no", "no", "có"]
        ),
    )

    run_import(
        tmp_path,
        offence_rows(
            ["95004", "V-OLD", "2025-05-01", "possession", 1, 1, 1, "no", "no", "no"],
            ["95004", "V-NEW", "2025-05-02", "possession", 1, 1, 1, "no", "yes", "no"],
            column=False,
        ),
        name="older.xlsx",
    )

    assert flags() == {"V-OLD": True, "V-NEW": True}


@pytest.mark.parametrize("profile", ["tra-vinh-2025", "thanh-hoa-2024"])
def test_a_provincial_profile_adds_to_art_6_never_replaces_it(imported, profile):
    """QĐ 28 art. 8 "có hiệu lực thi hành kể từ ngày ký ban hành" (24/08/2025): from then art.
    6 is the minimum of a drug-free commune in every province, and a plan's criteria come on
    top (found by a lawyer's review: under the Trà Vinh profile a commune with a resident's
    violation was eligible, submitted and approved)."""
    commune = assess("2025-11-30", "--profile", profile)["95002"]
    codes = [item["code"] for item in commune["criteria"]]
    assert codes[:3] == [
        "Q1_no_users_except_treatment",
        "Q2_no_violations_no_fugitives",
        "Q3_no_harbouring_places",
    ]
    assert criterion(commune, "Q2_no_violations_no_fugitives")["result"] == "fail"
    assert commune["eligible"] is False
    # Before art. 8 the plan's own criteria were the whole list.
    before = assess("2025-08-23", "--profile", profile)["95002"]
    assert not any(item["code"].startswith("Q") for item in before["criteria"])
