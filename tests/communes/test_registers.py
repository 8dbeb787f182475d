import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from communes import urls as communes_urls
from communes.models import CultivationFind, Hotspot, Household, Offence, Pledge
from communes.registers import REGISTERS
from communes.selectors import pledge_coverage
from imports import urls as imports_urls
from imports.models import ImportJob
from tests import factories


@pytest.fixture
def hamlet(commune):
    return factories.HamletFactory(commune=commune, name="Thôn Nà Hin", households=4)


def hotspot(commune, ref="D1", **fields):
    values = {"kind": "harbouring", "detected_on": datetime.date(2025, 3, 1), **fields}
    return Hotspot.objects.create(commune=commune, ref=ref, **values)


@pytest.mark.parametrize("slug", sorted(REGISTERS))
def test_every_register_lists_only_the_users_area(
    client, commune_officer, commune, other_commune, slug
):
    client.force_login(commune_officer)
    response = client.get(reverse("communes:register_list", args=[slug]))
    assert response.status_code == 200
    assert response.context["create_commune"] == commune


@pytest.mark.parametrize("slug", sorted(REGISTERS))
def test_leaders_get_no_register_page(client, leader, slug):
    client.force_login(leader)
    assert client.get(reverse("communes:register_list", args=[slug])).status_code == 403


def test_unknown_register_is_404(client, commune_officer):
    client.force_login(commune_officer)
    assert client.get(reverse("communes:register_list", args=["nothing"])).status_code == 404


def test_other_communes_rows_are_invisible_and_unchangeable(client, commune_officer, other_commune):
    foreign = hotspot(other_commune, ref="X9")
    client.force_login(commune_officer)
    listed = client.get(reverse("communes:register_list", args=["hotspots"]))
    assert [row for row, _cells in listed.context["table"]] == []
    for name in ("register_edit", "register_void"):
        assert (
            client.get(reverse(f"communes:{name}", args=["hotspots", foreign.pk])).status_code
            == 404
        )
    assert (
        client.post(
            reverse("communes:hotspot_eradicate", args=[foreign.pk]),
            {"eradicated_on": "01/06/2025"},
        ).status_code
        == 404
    )
    response = client.post(
        reverse("communes:register_create", args=["hotspots", other_commune.pk]),
        {"ref": "X10", "kind": "retail", "detected_on": "01/06/2025"},
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.eradicated_on is None
    assert Hotspot.objects.count() == 1


def test_add_a_hotspot_and_mark_it_eradicated(client, commune_officer, commune, hamlet):
    client.force_login(commune_officer)
    response = client.post(
        reverse("communes:register_create", args=["hotspots", commune.pk]),
        {
            "ref": "D1",
            "kind": "harbouring",
            "hamlet": hamlet.pk,
            "location": "Nhà hoang cuối thôn",
            "detected_on": "01/03/2025",
        },
    )
    assert response.status_code == 302
    spot = Hotspot.objects.get()
    assert (spot.commune, spot.recorded_by, spot.re_emerged) == (commune, commune_officer, False)
    response = client.post(
        reverse("communes:hotspot_eradicate", args=[spot.pk]), {"eradicated_on": "01/02/2025"}
    )
    assert "trước khi được phát hiện" in " ".join(response.context["form"].errors["eradicated_on"])
    client.post(
        reverse("communes:hotspot_eradicate", args=[spot.pk]), {"eradicated_on": "20/05/2025"}
    )
    spot.refresh_from_db()
    assert spot.eradicated_on == datetime.date(2025, 5, 20)
    entry = LogEntry.objects.get_for_object(spot).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["eradicated_on"] == ["None", "2025-05-20"]


def test_hotspot_at_an_eradicated_place_is_flagged_re_emerged(
    client, commune_officer, commune, hamlet
):
    old = hotspot(
        commune,
        ref="D1",
        hamlet=hamlet,
        location="Bãi sông",
        eradicated_on=datetime.date(2025, 4, 1),
    )
    hotspot(
        commune, ref="D2", hamlet=hamlet, location="Chợ", eradicated_on=datetime.date(2025, 4, 1)
    )
    client.force_login(commune_officer)
    client.post(
        reverse("communes:register_create", args=["hotspots", commune.pk]),
        {
            "ref": "D3",
            "kind": "retail",
            "hamlet": hamlet.pk,
            "location": "bai song",
            "detected_on": "01/09/2025",
        },
    )
    assert Hotspot.objects.get(ref="D3").re_emerged_from == old
    listed = client.get(
        reverse("communes:register_list", args=["hotspots"]), {"status": "re_emerged"}
    )
    assert [row.ref for row, _cells in listed.context["table"]] == ["D3"]


@pytest.mark.parametrize(
    ("slug", "data", "field"),
    [
        ("hotspots", {"ref": "D1", "kind": "retail", "detected_on": "01/01/2099"}, "detected_on"),
        ("hotspots", {"ref": "D1", "kind": "nope", "detected_on": "01/01/2025"}, "kind"),
        ("hotspots", {"ref": "EXIST", "kind": "retail", "detected_on": "01/01/2025"}, "ref"),
        (
            "cultivation",
            {
                "ref": "C1",
                "plant_kind": "cannabis",
                "found_on": "01/01/2025",
                "plants": "-5",
                "area_m2": "0",
            },
            "plants",
        ),
        (
            "cultivation",
            {
                "ref": "C1",
                "plant_kind": "cannabis",
                "found_on": "01/05/2025",
                "plants": "5",
                "area_m2": "-1",
                "destroyed_on": "01/06/2025",
            },
            "area_m2",
        ),
        (
            "cultivation",
            {
                "ref": "C1",
                "plant_kind": "cannabis",
                "found_on": "01/05/2025",
                "plants": "5",
                "area_m2": "3",
                "destroyed_on": "01/04/2025",
            },
            "destroyed_on",
        ),
        (
            "offences",
            {
                "ref": "V1",
                "kind": "trafficking",
                "occurred_on": "01/01/2025",
                "offenders": "2",
                "offenders_arrested": "3",
                "resident_offenders": "0",
            },
            "offenders_arrested",
        ),
        (
            "offences",
            {
                "ref": "V1",
                "kind": "trafficking",
                "occurred_on": "01/01/2025",
                "offenders": "nhiều",
                "offenders_arrested": "0",
                "resident_offenders": "0",
            },
            "offenders",
        ),
        (
            "models",
            {"name": "Mô hình A", "started_on": "01/06/2025", "ended_on": "01/01/2025"},
            "ended_on",
        ),
    ],
)
def test_bad_register_input_is_refused_and_writes_nothing(
    client, commune_officer, commune, slug, data, field
):
    hotspot(commune, ref="EXIST")
    model = REGISTERS[slug].model
    before = model.objects.count()
    client.force_login(commune_officer)
    response = client.post(reverse("communes:register_create", args=[slug, commune.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert model.objects.count() == before


def test_void_needs_a_reason_and_keeps_the_row(client, commune_officer, commune):
    row = Offence.objects.create(
        commune=commune,
        ref="V1",
        kind="possession",
        occurred_on=datetime.date(2025, 2, 1),
        offenders=1,
    )
    client.force_login(commune_officer)
    url = reverse("communes:register_void", args=["offences", row.pk])
    assert client.post(url, {"reason": " "}).status_code == 200
    assert client.post(url, {"reason": "Nhập trùng"}).status_code == 302
    row.refresh_from_db()
    assert (row.void_reason, row.voided_on is not None) == ("Nhập trùng", True)
    assert Offence.objects.current().count() == 0
    listed = client.get(reverse("communes:register_list", args=["offences"]))
    assert listed.context["table"] == []
    listed = client.get(reverse("communes:register_list", args=["offences"]), {"voided": "1"})
    assert [r.ref for r, _ in listed.context["table"]] == ["V1"]


def test_register_list_query_count_is_constant(
    client, commune_officer, commune, django_assert_num_queries
):
    client.force_login(commune_officer)
    for number in range(3):
        CultivationFind.objects.create(
            commune=commune, ref=f"C{number}", found_on=datetime.date(2025, 1, 1), plants=10
        )
    # 1 session, 2 user, 3 count, 4 page, 5 may add here, 6 which rows may change,
    # 7-9 savepoint, session renewal, release
    with django_assert_num_queries(9):
        client.get(reverse("communes:register_list", args=["cultivation"]))
    for number in range(3, 20):
        CultivationFind.objects.create(
            commune=commune, ref=f"C{number}", found_on=datetime.date(2025, 1, 1), plants=10
        )
    with django_assert_num_queries(9):
        client.get(reverse("communes:register_list", args=["cultivation"]))


def test_pledge_coverage_on_a_known_fixture(commune):
    commune.households = 10
    commune.save()
    nà_hin = factories.HamletFactory(commune=commune, name="Thôn Nà Hin", households=4)
    bó_đông = factories.HamletFactory(commune=commune, name="Thôn Bó Đông", households=None)
    for code, hamlet, signed in [
        ("H1", nà_hin, True),
        ("H2", nà_hin, True),
        ("H3", nà_hin, False),
        ("H4", bó_đông, True),
        ("H5", bó_đông, False),
        ("H6", bó_đông, False),
    ]:
        household = Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=code, head_name=f"Chủ hộ {code}"
        )
        if signed:
            Pledge.objects.create(household=household, signed_on=datetime.date(2025, 5, 1))
    voided = Household.objects.create(
        commune=commune,
        hamlet=nà_hin,
        household_code="H7",
        head_name="Nhập nhầm",
        voided_on=datetime.date(2025, 6, 1),
        void_reason="nhầm",
    )
    Pledge.objects.create(household=voided, signed_on=datetime.date(2025, 5, 1))
    rows, total = pledge_coverage(commune)
    by_name = {row.hamlet.name: row for row in rows}
    nh, bd = by_name["Thôn Nà Hin"], by_name["Thôn Bó Đông"]
    assert (nh.households, nh.registered, nh.signed, nh.missing, nh.percent) == (4, 3, 2, 2, 50.0)
    # Without an official count, the registered households stand in.
    assert (bd.households, bd.registered, bd.signed, bd.missing, bd.percent) == (3, 3, 1, 2, 33.3)
    assert (total.households, total.signed, total.missing, total.percent) == (10, 3, 7, 30.0)


def test_pledge_page_lists_unsigned_and_records_a_signature(
    client, commune_officer, commune, hamlet
):
    household = Household.objects.create(
        commune=commune, hamlet=hamlet, household_code="H1", head_name="Nông Văn Hộ"
    )
    client.force_login(commune_officer)
    page = client.get(reverse("communes:pledges", args=[commune.pk]))
    assert [h.household_code for h in page.context["page"].object_list] == ["H1"]
    response = client.post(
        reverse("communes:pledge_sign", args=[household.pk]), {"signed_on": "01/01/2099"}
    )
    assert not Pledge.objects.exists()
    response = client.post(
        reverse("communes:pledge_sign", args=[household.pk]), {"signed_on": "02/05/2025"}
    )
    assert response.status_code == 302
    assert Pledge.objects.get().signed_on == datetime.date(2025, 5, 2)
    page = client.get(reverse("communes:pledges", args=[commune.pk]))
    assert page.context["total"].signed == 1
    assert list(page.context["page"].object_list) == []


# url name -> expected GET status for: own officer, other commune's officer, provincial officer,
# leader, anonymous. The rows belong to the own officer's commune.
COMMUNES_MATRIX = {
    "communes:list": (200, 200, 200, 200, 302),
    "communes:detail": (200, 404, 200, 200, 302),
    "communes:hamlet_create": (200, 404, 200, 404, 302),
    "communes:hamlet_edit": (200, 404, 200, 404, 302),
    "communes:hamlet_archive": (200, 404, 200, 404, 302),
    "communes:pledges": (200, 404, 200, 403, 302),
    "communes:pledge_sign": (405, 405, 405, 405, 302),
    "communes:hotspot_eradicate": (200, 404, 200, 404, 302),
    "communes:register_list": (200, 200, 200, 403, 302),
    "communes:register_create": (200, 404, 200, 404, 302),
    "communes:register_edit": (200, 404, 200, 404, 302),
    "communes:register_void": (200, 404, 200, 404, 302),
    "imports:upload": (200, 200, 200, 403, 302),
    "imports:template": (200, 200, 200, 403, 302),
    # An import job is visible to its uploader only (the own officer here).
    "imports:job": (200, 404, 404, 404, 302),
    "imports:confirm": (405, 405, 405, 405, 302),
    "imports:retry": (405, 405, 405, 405, 302),
}


@pytest.fixture
def communes_world(commune, other_commune, province, hamlet):
    spot = hotspot(commune, ref="D1", hamlet=hamlet)
    household = Household.objects.create(
        commune=commune, hamlet=hamlet, household_code="H1", head_name="Nông Văn Hộ"
    )
    users = [
        factories.commune_officer(commune),
        factories.commune_officer(other_commune),
        factories.provincial_officer(province),
        factories.leader(province),
        None,
    ]
    job = ImportJob.objects.create(
        created_by=users[0], file=ContentFile(b"", name="so.xlsx"), original_name="so.xlsx"
    )
    args = {
        "imports:upload": [],
        "imports:template": [],
        "imports:job": [job.token],
        "imports:confirm": [job.token],
        "imports:retry": [job.token],
        "communes:list": [],
        "communes:detail": [commune.pk],
        "communes:hamlet_create": [commune.pk],
        "communes:hamlet_edit": [hamlet.pk],
        "communes:hamlet_archive": [hamlet.pk],
        "communes:pledges": [commune.pk],
        "communes:pledge_sign": [household.pk],
        "communes:hotspot_eradicate": [spot.pk],
        "communes:register_list": ["hotspots"],
        "communes:register_create": ["hotspots", commune.pk],
        "communes:register_edit": ["hotspots", spot.pk],
        "communes:register_void": ["hotspots", spot.pk],
    }
    return args, users, household


def test_communes_matrix_covers_every_url():
    names = {
        f"{module.app_name}:{p.name}"
        for module in (communes_urls, imports_urls)
        for p in module.urlpatterns
        if isinstance(p, URLPattern)
    }
    assert names == set(COMMUNES_MATRIX)


@pytest.mark.parametrize("name", sorted(COMMUNES_MATRIX))
def test_communes_access_matrix(client, communes_world, name):
    args, users, _household = communes_world
    url = reverse(name, args=args[name])
    for user, expected in zip(users, COMMUNES_MATRIX[name], strict=True):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == expected, (name, user and user.role)


@pytest.mark.parametrize("role_index", [1, 3])
def test_pledge_sign_from_outside_changes_nothing(client, communes_world, role_index):
    _args, users, household = communes_world
    client.force_login(users[role_index])
    response = client.post(
        reverse("communes:pledge_sign", args=[household.pk]), {"signed_on": "02/05/2025"}
    )
    assert response.status_code == 404
    assert not Pledge.objects.exists()


def test_pledge_page_query_count_is_constant(
    client, commune_officer, commune, hamlet, django_assert_num_queries
):
    def add_households(first, last):
        for number in range(first, last):
            household = Household.objects.create(
                commune=commune, hamlet=hamlet, household_code=f"H{number}", head_name="Chủ hộ"
            )
            if number % 2:
                Pledge.objects.create(household=household, signed_on=datetime.date(2025, 5, 1))

    add_households(0, 4)
    client.force_login(commune_officer)
    # 1 session, 2 user, 3 commune, 4 hamlets with counts, 5 count of unsigned, 6 page of
    # unsigned, 7 read entries of the heads named (one INSERT), 8 may the user change,
    # 9-11 savepoint, session renewal, release
    with django_assert_num_queries(11):
        client.get(reverse("communes:pledges", args=[commune.pk]))
    factories.HamletFactory(commune=commune, name="Thôn Bó Đông")
    add_households(4, 40)
    with django_assert_num_queries(11):
        response = client.get(reverse("communes:pledges", args=[commune.pk]))
    assert response.context["total"].registered == 40


def test_household_list_filtered_to_not_signed_shows_only_those_without_a_pledge(
    client, commune_officer, commune, hamlet
):
    signed, unsigned = (
        Household.objects.create(
            commune=commune, hamlet=hamlet, household_code=code, head_name="Nông Văn Hộ"
        )
        for code in ("H1", "H2")
    )
    Pledge.objects.create(household=signed, signed_on=datetime.date(2025, 5, 2))
    client.force_login(commune_officer)
    url = reverse("communes:register_list", args=["households"])
    every = client.get(url).context["page"].object_list
    assert sorted(h.household_code for h in every) == ["H1", "H2"]
    not_signed = client.get(url, {"status": "not_signed"}).context["page"].object_list
    assert [h.household_code for h in not_signed] == [unsigned.household_code]
