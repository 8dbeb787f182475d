"""Issue 15, item 6: the relapse watch flags a recognised commune only on new adverse facts.

Contracts §2: "a commune is flagged only by new adverse facts — a resident addict or user not
exempt, a filed or unfiled one; a resident violation; a wanted person hiding; a harbouring place
or active hotspot; a cultivation find. An `unknown` result, a criterion tied to the submission day
(TH1/TH2's 30 days) or to the registration (TV4/TH4) never flags."
QĐ 28 art. 6: "1. Không có người hiện đang cư trú trên địa bàn nghiện ma túy, sử dụng trái phép
chất ma túy, trừ người đang tham gia điều trị nghiện ma túy bằng thuốc thay thế, người đang cai
nghiện tại gia đình, cộng đồng và người đang bị quản lý sau cai nghiện ma túy. 2. Không có người
hiện đang cư trú trên địa bàn vi phạm pháp luật về ma túy trên địa bàn, không có đối tượng bị truy
nã do phạm tội về ma túy lẩn trốn trên địa bàn. 3. Không có điểm tổ chức, chứa chấp sử dụng trái
phép chất ma túy."
"""

import datetime

import pytest
from django.urls import reverse

from assessments import recognition, rules
from assessments.models import CaseState, RecognitionCase
from casefiles.models import DrugTest, RehabEpisode
from communes.models import CultivationFind, Hotspot, Offence, PreventionModel, WantedPerson
from tests import factories
from tests.factories import make_person

day = datetime.date
SUBMITTED = day(2026, 6, 30)


def approve(case, by):
    recognition.recognition_appraise(case=case, by=by, appraisal="Đạt")
    return recognition.recognition_approve(
        case=case, by=by, number="9/QĐ-UBND", date=day(2026, 7, 1), signer="Chủ tịch UBND tỉnh"
    )


@pytest.fixture
def recognised(commune, provincial_officer):
    """A QĐ 28 commune recognised through the service: an addict in methadone treatment and a
    person after rehab (both exempt, art. 6.1), a retail point active since January (art. 6.3
    names harbouring places only), an offence and a harbouring place of the previous period."""
    factories.HamletFactory(commune=commune)
    PreventionModel.objects.create(commune=commune, name="Tổ tự quản", started_on=day(2025, 1, 1))
    treated = make_person(commune, full_name="Lộc Văn Thuốc", since=day(2025, 3, 1))
    RehabEpisode.objects.create(person=treated, form="methadone", started_on=day(2025, 3, 2))
    make_person(commune, full_name="Vi Thị Sau", category="post_rehab", sex="F")
    Hotspot.objects.create(commune=commune, ref="BL1", kind="retail", detected_on=day(2026, 1, 5))
    Hotspot.objects.create(
        commune=commune, ref="D0", kind="harbouring", detected_on=day(2025, 2, 1),
        eradicated_on=day(2025, 9, 1),
    )  # fmt: skip
    Offence.objects.create(
        commune=commune, ref="V0", occurred_on=day(2025, 5, 1), kind="trafficking", offenders=1,
        offenders_arrested=1, resident_offenders=1,
    )  # fmt: skip
    case = factories.registration_with_case(
        commune=commune, year=2026, registered_on=day(2025, 12, 10), profile="qd28-2025",
        by=provincial_officer,
    )  # fmt: skip
    recognition.recognition_submit(case=case, by=None, on=SUBMITTED)
    return approve(case, provincial_officer)


def recorded_as_approved(commune, profile: str) -> RecognitionCase:
    """A case recognised before the watch kept what it knew (no relapse_known yet)."""
    registration = factories.registration_with_case(
        commune=commune, year=2026, registered_on=day(2025, 12, 10), profile=profile, by=None
    )
    RecognitionCase.objects.filter(pk=registration.pk).update(
        state=CaseState.APPROVED, submitted_on=SUBMITTED, decision_date=day(2026, 7, 1),
        decision_number="10/QĐ-UBND", relapse_known=None,
    )  # fmt: skip
    registration.refresh_from_db()
    return registration


@pytest.fixture
def tra_vinh_commune(province):
    """Trà Vinh profile: no household count (TV3 unknown), a user filed and present in facility
    rehab, known when judged; TV4 reads the next year's registration from 15/12 (none)."""
    commune = factories.CommuneFactory(province=province, households=0)
    user = make_person(commune, full_name="Thạch Văn Dùng", category="user", since=day(2026, 2, 1))
    RehabEpisode.objects.create(person=user, form="voluntary_facility", started_on=day(2026, 2, 1))
    return recorded_as_approved(commune, "tra-vinh-2025")


@pytest.fixture
def thanh_hoa_commune(province):
    """Thanh Hóa profile: an addict in treatment whose negative test (TH1: 30 days before the
    request) is from June; it lapses in July and is never renewed."""
    commune = factories.CommuneFactory(province=province)
    addict = make_person(commune, full_name="Lê Văn Nghiện", since=day(2026, 1, 10))
    RehabEpisode.objects.create(
        person=addict, form="voluntary_facility", started_on=day(2026, 1, 10)
    )
    DrugTest.objects.create(person=addict, tested_on=day(2026, 6, 15), kind="periodic",
                            result="negative")  # fmt: skip
    return recorded_as_approved(commune, "thanh-hoa-2024")


def test_a_year_of_unchanged_data_flags_nothing(recognised, tra_vinh_commune, thanh_hoa_commune):
    """Contracts §2 ("Tests that must exist"): the relapse watch run over a year of unchanged
    data flags nothing — across 14/12, 15/12 (a new period, TV4's next registration), 20/12, and
    TH1's 30 days lapsing."""
    watched = day(2026, 7, 1)
    while watched <= day(2027, 7, 1):
        assert recognition.relapse_watch(on=watched) == [], watched
        watched += datetime.timedelta(days=1)
    states = set(RecognitionCase.objects.values_list("state", flat=True))
    assert states == {CaseState.APPROVED}


def test_the_old_rule_would_have_flagged_those_communes(tra_vinh_commune, thanh_hoa_commune):
    """Not a test that cannot fail: on 15/12/2026 the Trà Vinh commune has an unknown (TV3) and
    no 2027 registration (TV4), the Thanh Hóa one a lapsed 30-day test (TH1)."""
    from assessments import services

    for case in (tra_vinh_commune, thanh_hoa_commune):
        (result,) = services.assess_communes(
            [case.registration.commune],
            as_of=day(2026, 12, 15),
            profile=services.profile_for_code(case.registration.profile),
        )
        assert not result.eligible


NEW_FACTS = {
    "unfiled user": lambda commune: make_person(
        commune, full_name="Nông Văn Mới", category="user", since=day(2026, 8, 1),
        file_opened=False,
    ),
    "filed addict": lambda commune: make_person(
        commune, full_name="Hoàng Văn Lại", category="addict", since=day(2026, 8, 1)
    ),
    "administrative use": lambda commune: Offence.objects.create(
        commune=commune, ref="HC-1", occurred_on=day(2026, 8, 1), kind="use_administrative",
        offenders=1, resident_offenders=1,
    ),
    "wanted person": lambda commune: WantedPerson.objects.create(
        commune=commune, ref="TN-1", hiding_since=day(2026, 8, 1)
    ),
    "harbouring place": lambda commune: Hotspot.objects.create(
        commune=commune, ref="D9", kind="harbouring", detected_on=day(2026, 8, 1)
    ),
    "active hotspot": lambda commune: Hotspot.objects.create(
        commune=commune, ref="BL9", kind="retail", detected_on=day(2026, 8, 1)
    ),
    "cultivation": lambda commune: CultivationFind.objects.create(
        commune=commune, ref="C-1", found_on=day(2026, 8, 1), plants=12
    ),
}  # fmt: skip
READING = {
    "unfiled user": "resident_user",
    "filed addict": "resident_user",
    "administrative use": "resident_violation",
    "wanted person": "wanted_hiding",
    "harbouring place": "harbouring_place",
    "active hotspot": "active_hotspot",
    "cultivation": "cultivation",
}


@pytest.mark.parametrize("what", list(NEW_FACTS))
def test_each_new_adverse_fact_flags_the_commune_and_is_named_with_a_link(
    client, provincial_officer, recognised, what
):
    """Each kind of new adverse fact (contracts §2) flags; the reason counts it by the clause of
    art. 6 without a name, and the case page names its row with a link."""
    assert recognition.relapse_watch(on=day(2026, 7, 31)) == []
    row = NEW_FACTS[what](recognised.registration.commune)
    flagged = recognition.relapse_watch(on=day(2026, 8, 2))
    assert [case.pk for case in flagged] == [recognised.pk]
    recognised.refresh_from_db()
    assert recognised.state == CaseState.UNDER_REVIEW
    (fact,) = recognised.relapse_facts
    assert (fact["reading"], fact["id"]) == (READING[what], row.pk)
    assert rules.RELAPSE_READINGS[READING[what]] in recognised.review_reason
    client.force_login(provincial_officer)
    page = client.get(reverse("admin:assessments_recognitioncase_change", args=[recognised.pk]))
    body = page.content.decode()
    assert fact["label"] in body
    registers = {"offence": "offences", "hotspot": "hotspots", "wanted": "wanted",
                 "cultivation": "cultivation"}  # fmt: skip
    link = (
        reverse("casefiles:detail", args=[row.pk])
        if fact["kind"] == "person"
        else reverse("communes:register_edit", args=[registers[fact["kind"]], row.pk])
    )
    assert f'href="{link}"' in body


@pytest.mark.parametrize("category", ["post_rehab", "suspect"])
def test_people_art_6_1_exempts_or_does_not_name_never_flag(recognised, category):
    make_person(recognised.registration.commune, full_name="Triệu Văn Khác", category=category,
                since=day(2026, 8, 1))  # fmt: skip
    exempt = make_person(recognised.registration.commune, full_name="Hà Văn Điều Trị",
                         since=day(2026, 8, 1))  # fmt: skip
    RehabEpisode.objects.create(person=exempt, form="home_community", started_on=day(2026, 8, 1))
    assert recognition.relapse_watch(on=day(2026, 8, 2)) == []


def test_a_kept_recognition_is_flagged_again_only_by_newer_facts(provincial_officer, recognised):
    commune = recognised.registration.commune
    make_person(commune, full_name="Nông Văn Mới", category="user", since=day(2026, 8, 1))
    (case,) = recognition.relapse_watch(on=day(2026, 8, 2))
    recognition.recognition_confirm(case=case, by=provincial_officer, note="Đã đưa đi cai")
    for watched in (day(2026, 8, 3), day(2026, 12, 15), day(2027, 3, 1)):
        assert recognition.relapse_watch(on=watched) == []
    WantedPerson.objects.create(commune=commune, ref="TN-2", hiding_since=day(2027, 3, 5))
    (again,) = recognition.relapse_watch(on=day(2027, 3, 6))
    assert [fact["reading"] for fact in again.relapse_facts] == ["wanted_hiding"]


def test_a_fact_of_before_the_judged_day_but_unknown_then_is_read_once(province):
    """A case recognised before the watch kept what it knew: the facts of its judged day are
    read once from the registers and kept, so an old user present is not a relapse."""
    commune = factories.CommuneFactory(province=province)
    make_person(commune, full_name="Thạch Thị Cũ", category="user", sex="F", since=day(2026, 2, 1))
    case = recorded_as_approved(commune, "tra-vinh-2025")
    assert recognition.relapse_watch(on=day(2026, 7, 2)) == []
    case.refresh_from_db()
    assert [kind for kind, _id in case.relapse_known] == ["person"]


def test_the_watch_reads_every_case_judged_on_the_same_day_together(
    province, provincial_officer, django_assert_max_num_queries
):
    cases = [
        recorded_as_approved(factories.CommuneFactory(province=province), "qd28-2025")
        for _ in range(2)
    ]
    recognition.relapse_watch(on=day(2026, 7, 2))  # reads what each case knew, once
    with django_assert_max_num_queries(20) as few:
        recognition.relapse_watch(on=day(2026, 7, 3))
    cases += [
        recorded_as_approved(factories.CommuneFactory(province=province), "qd28-2025")
        for _ in range(4)
    ]
    recognition.relapse_watch(on=day(2026, 7, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        recognition.relapse_watch(on=day(2026, 7, 3))


def test_a_recognition_kept_after_a_flag_of_the_old_watch_is_read_from_its_judged_day(
    province, provincial_officer
):
    """A case the old watch flagged (by a criterion) and a review kept: what was known on its
    judged day is still read once, so the user present then is not a relapse."""
    commune = factories.CommuneFactory(province=province)
    make_person(commune, full_name="Thạch Thị Cũ", category="user", sex="F", since=day(2026, 2, 1))
    case = recorded_as_approved(commune, "tra-vinh-2025")
    recognition.recognition_flag(case=case, reason="TV3_household_pledges (không đủ dữ liệu)")
    recognition.recognition_confirm(case=case, by=provincial_officer, note="Không tái phức tạp")
    case.refresh_from_db()
    assert case.relapse_known is None
    assert recognition.relapse_watch(on=day(2026, 7, 2)) == []
