"""Hostile query strings on every list page and admin changelist answer anything but a 500.

Every page that reads its query string (lists, filters, searches, the as-of day) is requested
by each signed-in role with parameters of the names the pages read, given hostile values: huge
and negative numbers, Unicode digits, NUL and control characters, very long strings, repeated
parameters, impossible dates. Hypothesis draws the values; a request that raises or answers 5xx
fails the test with the request that did it.
"""

import os

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from communes.registers import REGISTERS

from .conftest import COVERAGE
from .test_authz_matrix import ARGUMENT, url_patterns

ROLES = ("own_officer", "provincial", "leader", "admin")
# Drawn per page, besides the WORST ones; each asked by the 4 roles. FUZZ_EXAMPLES=200 for a
# longer search.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

# Pages with a query string of their own that are not lists: sign-in steps take only `next`
# (tests/accounts/test_two_factor.py), the language switch is POST, the health check and the
# workbook template read nothing; the commune profile PDF reads nothing and takes a second to
# build with WeasyPrint. Pages taking a row's id are not lists.
NOT_LISTS = {
    "login",
    "logout",
    "two_factor_verify",
    "two_factor_setup",
    "set_language",
    "healthz",
    "imports:template",
    "reports:commune_profile",
}
# What the portal's own pages read from the query string (views and forms).
PORTAL_PARAMETERS = (
    "q",
    "commune",
    "hamlet",
    "category",
    "present",
    "no_file",
    "no_recent_test",
    "closed",
    "page",
    "status",
    "voided",
    "kind",
    "as_of",
    "level",
    "eligible",
    "sort",
    "year",
    "next",
)
# What every changelist reads besides its filters: search, ordering, page, show all, facets,
# the error flag, popups, and lookups the admin must refuse.
ADMIN_PARAMETERS = ("q", "o", "p", "all", "e", "_facets", "_popup", "_to_field", "pk", "id__gte")

# Always tried on every page, each given to all of the page's parameters at once.
WORST = (
    "9" * 30,
    "-" + "9" * 30,
    "\x00",
    "²",
    "99/99/99999999999999999999",
    "ồ" * 3000,
    str(2**63),
)
# Changelist parameters that stop the admin before it reads the others (a 400 for a lookup it
# refuses, the error page, a popup): left out when every parameter is set at once.
MASKING = {"_to_field", "_popup", "e", "pk", "id__gte"}
FIXED = st.sampled_from(
    [
        "9" * 30,
        "-" + "9" * 30,
        str(2**63),
        str(2**63 - 1),
        str(-(2**63) - 1),
        "0",
        "-1",
        "1e309",
        "NaN",
        "inf",
        "²",  # a digit to str.isdigit(), not to int()
        "٣",  # an Arabic-Indic three, a digit to int()
        "𝟗" * 25,
        "1_000",
        " 7 ",
        "\x00",
        "1\x00",
        "a\x00b",
        "\r\n",
        "' OR 1=1 --",
        '"><script>alert(1)</script>',
        "%00",
        "../../etc/passwd",
        "31/02/2025",
        "00/00/0000",
        "1/1/1",
        "31/12/9999",
        "1/1/10000",
        "99/99/99999999999999999999",
        "2025-13-45",
        "-1/-1/-1",
    ]
)
HOSTILE = st.one_of(
    FIXED,
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(max_size=30),  # any code point, NUL and control characters included
    st.integers(min_value=1_000, max_value=5_000).map(lambda length: "9" * length),
    st.integers(min_value=500, max_value=3_000).map(lambda length: "ồ" * length),
    st.tuples(
        st.integers(min_value=-99, max_value=99),
        st.integers(min_value=-99, max_value=99),
        st.integers(min_value=-(10**12), max_value=10**12),
    ).map(lambda day: "/".join(map(str, day))),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
)


def list_pages(world) -> list[tuple[str, str]]:
    """(name, path) of every page that takes no row: from the URLconf, so a new list page is
    fuzzed without being named here; commune pages on the world's commune, registers each."""
    pages = []
    for url_id, route in url_patterns():
        if url_id in NOT_LISTS or route.startswith("admin/"):
            continue
        arguments = {a or b for a, b in ARGUMENT.findall(route)}
        if arguments - {"commune_pk", "slug"}:
            continue
        slugs = REGISTERS if "slug" in arguments else [None]
        for slug in slugs:
            kwargs = {"commune_pk": world["commune"].pk, "slug": slug}
            path = reverse(url_id, kwargs={name: kwargs[name] for name in arguments})
            pages.append((url_id, path))
    return pages


def changelists() -> list[str]:
    """The URL name of every model's changelist in the admin."""
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]


def admin_parameters(client, url: str) -> tuple[str, ...]:
    """The parameters a changelist reads: its filters' and its date hierarchy's, as the
    changelist itself names them."""
    changelist = client.get(url).context["cl"]
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if changelist.date_hierarchy:
        names += [f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return (*ADMIN_PARAMETERS, *names)


@pytest.fixture
def targets(client, world):
    """(name, path, parameter names) of every list page and admin changelist."""
    client.force_login(world["users"]["admin"])
    portal = [(name, path, PORTAL_PARAMETERS) for name, path in list_pages(world)]
    admin_pages = [
        (name, reverse(name), admin_parameters(client, reverse(name))) for name in changelists()
    ]
    return portal + admin_pages


@pytest.fixture
def clients(world):
    """A signed-in client per role (the code step passed, for the roles that need it)."""
    signed_in = {}
    for role in ROLES:
        signed_in[role] = Client()
        signed_in[role].force_login(world["users"][role])
    return signed_in


def test_the_fuzzed_pages_include_every_list_and_changelist(targets):
    names = {name for name, _path, _parameters in targets}
    assert {"casefiles:list", "communes:register_list", "communes:list"} <= names
    assert {"admin:auditlog_logentry_changelist", "admin:accounts_securityevent_changelist"} <= (
        names
    )


def shorter(parameters: dict) -> str:
    """The request's parameters for the failure message, long values cut."""
    return repr({name: [value[:40] for value in values] for name, values in parameters.items()})


def query_strings(parameters) -> st.SearchStrategy:
    """Some of the page's parameters, each given one to three hostile values."""
    return st.dictionaries(
        st.sampled_from(parameters),
        st.lists(HOSTILE, min_size=1, max_size=3),
        min_size=1,
        max_size=4,
    )


def get_each_role(clients, path: str, query: dict, counts: dict) -> list[str]:
    """The page asked by every role; what went wrong, if anything."""
    failures = []
    for role in ROLES:
        counts["requests"] += 1
        try:
            # A savepoint per request: a database error must not spoil the ones after it.
            with transaction.atomic():
                status = clients[role].get(path, query).status_code
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 — reported with the request
            failures.append(f"{role} GET {path} {shorter(query)}: {type(error).__name__}: {error}")
            continue
        if status >= 500:
            failures.append(f"{role} GET {path} {shorter(query)}: {status}")
    counts["server_errors"] += len(failures)
    return failures


def fuzz_page(clients, path: str, parameters: tuple[str, ...], counts: dict) -> None:
    """Hypothesis on one page: EXAMPLES drawn query strings, then every parameter at once given
    each of the WORST values."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    @given(query=query_strings(parameters))
    def fuzz(query):
        counts["examples"] += 1
        failures = get_each_role(clients, path, query, counts)
        assert not failures, "\n".join(failures)

    reading = [name for name in parameters if name not in MASKING]
    for value in WORST:
        fuzz = example(query={name: [value] for name in reading})(fuzz)
    fuzz()


def test_hostile_query_strings_never_give_a_server_error(clients, targets):
    """Hypothesis runs once per page, so each page gets its share of examples, inside this
    test, which holds the world and the signed-in clients (built once: the requests change no
    row, each being rolled back)."""
    counts = {"requests": 0, "server_errors": 0, "examples": 0}
    for _name, path, parameters in targets:
        fuzz_page(clients, path, parameters, counts)
    assert counts["server_errors"] == 0
    assert counts["requests"] == counts["examples"] * len(ROLES)
    assert counts["examples"] >= len(targets) * len(WORST)
    COVERAGE.append(
        f"query-string fuzz: {len(targets)} pages, {counts['examples']} query strings "
        f"({len(WORST)} fixed + up to {EXAMPLES} drawn per page) × {len(ROLES)} roles = "
        f"{counts['requests']} requests, {counts['server_errors']} server errors"
    )


HUGE = "9" * 30


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/people/", {"commune": HUGE}),
        ("/people/", {"hamlet": HUGE}),
        ("/people/", {"commune": "-" + HUGE, "hamlet": "²"}),
        ("/people/export.xlsx", {"commune": HUGE}),
        ("/communes/registers/hotspots/", {"commune": HUGE}),
        ("/communes/registers/households/", {"commune": "-" + HUGE}),
        ("/admin/auditlog/logentry/", {"person": HUGE}),
        ("/admin/auditlog/logentry/", {"actor": HUGE}),
        ("/admin/auditlog/logentry/", {"actor": "²"}),
    ],
)
def test_an_id_no_row_can_have_is_ignored(client, world, url, query):
    """The finding's requests: the filter is dropped, the page answers as without it."""
    client.force_login(world["users"]["provincial"])
    plain = client.get(url)
    filtered = client.get(url, query)
    assert filtered.status_code == plain.status_code == 200
    if filtered.context is not None:  # a page, not the export
        rows = filtered.context.get("cl").result_list if "cl" in filtered.context else None
        page = rows if rows is not None else filtered.context["page"].object_list
        plain_rows = plain.context["cl"].result_list if rows is not None else plain.context["page"]
        assert [row.pk for row in page] == [row.pk for row in plain_rows]


def test_the_audit_filters_count_their_facets(client, world):
    # With facets on, Django's admin hands each choice's value (an int id) to the filter.
    client.force_login(world["users"]["provincial"])
    response = client.get(
        "/admin/auditlog/logentry/", {"actor": world["officer"].pk, "_facets": "1"}
    )
    assert response.status_code == 200


def test_a_year_no_date_can_have_gives_the_admins_invalid_parameters_answer(client, world):
    client.force_login(world["users"]["admin"])
    url = reverse("admin:accounts_securityevent_changelist")
    response = client.get(url, {"at__year": HUGE})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize("query", [{"q": "0201\x00"}, {"commune\x00": "1"}])
def test_a_nul_character_in_the_query_string_is_refused_with_a_clear_message(client, world, query):
    client.force_login(world["users"]["provincial"])
    for url in ("/people/", "/communes/", reverse("admin:auth_group_changelist")):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "không được phép" in response.content.decode()
