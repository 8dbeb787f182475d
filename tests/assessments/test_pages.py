import datetime

import pytest
from django.urls import reverse

from communes.models import Hotspot
from tests import factories
from tests.factories import make_person


@pytest.fixture
def situation(commune, other_commune):
    make_person(
        commune, full_name="Nông Văn Một", category="addict", since=datetime.date(2026, 1, 2)
    )
    Hotspot.objects.create(
        commune=other_commune, ref="D1", kind="harbouring", detected_on=datetime.date(2026, 1, 5)
    )


def store_assessments(province, as_of=datetime.date(2026, 6, 30)):
    """Assess and store the province's communes, as the nightly province run does."""
    from assessments import services
    from communes.models import Commune

    communes = Commune.objects.filter(province=province).select_related("province")
    services.assessments_store(services.assess_communes(communes, as_of=as_of))


@pytest.fixture
def assessed(situation, province):
    store_assessments(province)


def test_scorecard_shows_level_criteria_and_linked_causes(
    client, commune_officer, commune, situation
):
    client.force_login(commune_officer)
    response = client.get(
        reverse("assessments:scorecard", args=[commune.pk]), {"as_of": "30/06/2026"}
    )
    assert response.status_code == 200
    assert response.context["result"].classification.level.value == "type_3"
    q1 = response.context["criteria"][0]
    assert (q1["code"], q1["result"]) == ("Q1_no_users_except_treatment", "fail")
    person = commune.persons.get()
    assert ("Nông Văn Một", reverse("casefiles:detail", args=[person.pk])) in q1["causes"]
    assert "Trọng điểm loại III" in response.content.decode()


def test_scorecard_follows_the_registers_at_once(client, commune_officer, commune, situation):
    client.force_login(commune_officer)
    url = reverse("assessments:scorecard", args=[commune.pk])
    person = commune.persons.get()
    from casefiles.models import RehabEpisode

    RehabEpisode.objects.create(
        person=person, form="methadone", started_on=datetime.date(2026, 2, 1)
    )
    response = client.get(url, {"as_of": "30/06/2026"})
    assert response.context["result"].classification.level.value == "drug_free"


def test_bad_as_of_date_falls_back_to_today_with_a_message(client, commune_officer, commune):
    client.force_login(commune_officer)
    response = client.get(
        reverse("assessments:scorecard", args=[commune.pk]), {"as_of": "31/02/2026"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]


def test_scorecard_of_another_commune_is_404(client, commune_officer, other_commune):
    client.force_login(commune_officer)
    assert client.get(reverse("assessments:scorecard", args=[other_commune.pk])).status_code == 404


def test_leader_sees_results_but_no_names(client, leader, commune, assessed):
    client.force_login(leader)
    response = client.get(
        reverse("assessments:scorecard", args=[commune.pk]), {"as_of": "30/06/2026"}
    )
    assert response.status_code == 200
    assert "Nông Văn Một" not in response.content.decode()
    assert all(
        row["evidence"] == "" and row["causes"] == [] for row in response.context["criteria"]
    )
    table = client.get(reverse("assessments:province"), {"as_of": "30/06/2026"})
    assert "Nông Văn Một" not in table.content.decode()


def test_province_table_filters_and_sorts(
    client, provincial_officer, commune, other_commune, assessed
):
    client.force_login(provincial_officer)
    url = reverse("assessments:province")
    response = client.get(url, {"as_of": "30/06/2026"})
    assert response.context["total"] == 2
    assert response.context["status"] is not None
    levels = {row["commune"].name: row["level"] for row in response.context["rows"]}
    assert levels == {"Công Sơn": "type_3", "Lợi Bác": "less_complex"}
    only = client.get(url, {"as_of": "30/06/2026", "level": "type_3"})
    assert [row["commune"].name for row in only.context["rows"]] == ["Công Sơn"]
    by_users = client.get(url, {"as_of": "30/06/2026", "sort": "users"})
    assert by_users.context["rows"][0]["commune"].name == "Công Sơn"


def test_commune_officer_province_table_has_only_own_commune(client, commune_officer, assessed):
    client.force_login(commune_officer)
    response = client.get(reverse("assessments:province"))
    assert [row["commune"].name for row in response.context["rows"]] == ["Công Sơn"]


def test_province_table_query_count_is_constant(
    client, provincial_officer, province, assessed, django_assert_num_queries
):
    """Stored assessments, not assessed live: the same queries for 2 communes or 32, and for a
    long history. Queries: session, user, the user's two-factor device (django-otp), latest
    assessment per commune (one statement, with the communes), previous period's level per
    commune, the user's provinces, and the session saved again (savepoint, update, release: the
    idle timeout)."""
    client.force_login(provincial_officer)
    url = reverse("assessments:province")
    with django_assert_num_queries(9):
        client.get(url)
    for commune in factories.CommuneFactory.create_batch(30, province=province):
        make_person(commune, full_name="Người Thêm", category="user")
    store_assessments(province, as_of=datetime.date(2025, 6, 30))  # history
    store_assessments(province)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["total"] == 32
    assert response.context["figures_as_of"] == datetime.date(2026, 6, 30)


def test_province_table_without_stored_assessments_says_so(client, provincial_officer, situation):
    client.force_login(provincial_officer)
    response = client.get(reverse("assessments:province"))
    assert response.context["total"] == 0
    assert response.context["status"] is None
    assert 'data-testid="no-stored-assessment"' in response.content.decode()


def test_province_table_shows_the_latest_stored_assessment_on_or_before_a_day(
    client, provincial_officer, province, commune, situation
):
    store_assessments(province, as_of=datetime.date(2026, 6, 30))
    person = commune.persons.get()
    from casefiles.models import RehabEpisode

    RehabEpisode.objects.create(
        person=person, form="methadone", started_on=datetime.date(2026, 7, 1)
    )
    store_assessments(province, as_of=datetime.date(2026, 7, 31))
    client.force_login(provincial_officer)
    url = reverse("assessments:province")

    def level_of_commune(**query):
        response = client.get(url, query)
        return {row["commune"].pk: row["level"] for row in response.context["rows"]}[commune.pk]

    assert level_of_commune() == "drug_free"
    assert level_of_commune(as_of="15/07/2026") == "type_3"


def test_provincial_officer_creates_a_profile_in_the_admin(
    client, provincial_officer, province, other_province
):
    from assessments.models import ProvincialProfile

    client.force_login(provincial_officer)
    data = {
        "province": province.pk, "code": "lang-son-2026", "title": "Lạng Sơn 2026",
        "legal_basis": "Kế hoạch 2026", "valid_from": "2026-01-01", "version": 1,
        "base": "qd28-2025", "extra_criteria": ["PLEDGES_100", "MODEL_1"], "is_default": "on",
    }  # fmt: skip
    response = client.post(reverse("admin:assessments_provincialprofile_add"), data)
    assert response.status_code == 302
    profile = ProvincialProfile.objects.get(code="lang-son-2026").as_rules_profile()
    assert profile.criteria[-2:] == ("PLEDGES_100", "MODEL_1")
    # Another province is not among the choices.
    response = client.post(
        reverse("admin:assessments_provincialprofile_add"),
        {**data, "code": "khac", "province": other_province.pk, "is_default": ""},
    )
    assert response.status_code == 200
    assert not ProvincialProfile.objects.filter(code="khac").exists()


def test_names_on_the_scorecard_are_logged_as_reads(client, commune_officer, commune, situation):
    from auditlog.models import LogEntry

    client.force_login(commune_officer)
    client.get(reverse("assessments:scorecard", args=[commune.pk]), {"as_of": "30/06/2026"})
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__via="scorecard")
    assert entry.object_repr == "Nông Văn Một"
    assert entry.actor == commune_officer


def test_a_province_cannot_take_a_built_in_profile_code(client, provincial_officer, province):
    from assessments.models import ProvincialProfile

    client.force_login(provincial_officer)
    response = client.post(
        reverse("admin:assessments_provincialprofile_add"),
        {
            "province": province.pk,
            "code": "qd28-2025",
            "title": "Chiếm mã",
            "legal_basis": "x",
            "valid_from": "2026-01-01",
            "base": "qd28-2025",
            "extra_criteria": ["PLEDGES_100"],
        },
    )
    assert response.status_code == 200
    assert not ProvincialProfile.objects.exists()


def test_changing_a_profile_gives_it_a_new_version(client, provincial_officer, province):
    from assessments.models import ProvincialProfile

    profile = ProvincialProfile.objects.create(
        province=province,
        code="tinh-2026",
        title="Tỉnh",
        legal_basis="KH",
        valid_from=datetime.date(2026, 1, 1),
        base="qd28-2025",
    )
    client.force_login(provincial_officer)
    client.post(
        reverse("admin:assessments_provincialprofile_change", args=[profile.pk]),
        {
            "province": province.pk,
            "code": "tinh-2026",
            "title": "Tỉnh",
            "legal_basis": "KH",
            "valid_from": "2026-01-01",
            "base": "qd28-2025",
            "extra_criteria": ["MODEL_1"],
        },
    )
    profile.refresh_from_db()
    assert (profile.version, profile.extra_criteria) == (2, ["MODEL_1"])


def test_commune_officers_see_no_province_status(client, commune_officer, assessed):
    client.force_login(commune_officer)
    assert client.get(reverse("assessments:province")).context["status"] is None
