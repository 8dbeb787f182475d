"""Every URL of the portal × every role × GET and POST, against authz_matrix.yaml.

The walk goes over all URL patterns Django knows, the admin's included, so a new URL without an
entry in the data file fails here until someone decides who may open it. Denied requests must
leave the database as it was: no row added, changed or removed, no audit entry written.
"""

import copy
import itertools
import re
from fnmatch import fnmatchcase
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.urls import URLResolver, get_resolver, resolve, reverse

from accounts.models import SecurityEvent
from communes.registers import REGISTERS

from .conftest import COVERAGE
from .world import ROLES

MATRIX = yaml.safe_load((Path(__file__).parent / "authz_matrix.yaml").read_text())
DENIED = {"login", "403", "404", "405"}
# <int:pk>, <pk>, and the admin's regular expressions (?P<url>.*)
ARGUMENT = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<([^>]+)>[^)]*\)")


def url_patterns(patterns=None, prefix="", namespace=""):
    """(id, route) of every URL pattern: the id is the namespaced name, or the route if unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), route
        else:
            yield route, route


def entry_for(url_id: str):
    """The data file's entry for a URL: its own, or the one wildcard entry that covers it."""
    urls = MATRIX["urls"]
    if url_id in urls:
        return urls[url_id]
    covering = [key for key in urls if "*" in key and fnmatchcase(url_id, key)]
    assert len(covering) <= 1, f"{url_id} is covered by several wildcard entries: {covering}"
    return urls[covering[0]] if covering else None


def admin_model_key(route: str) -> str | None:
    """The world row an admin page of a model is opened on: admin/<app>/<model>/… → <model>."""
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    return match.group(2) if match else None


def resolved_kwargs(route: str, entry: dict, world: dict) -> list[dict]:
    """Each set of URL arguments to try: "@name" is a row of the world, anything else literal."""
    alternatives = entry.get("kwargs") or [{}]
    if isinstance(alternatives, dict):
        alternatives = [alternatives]
    model_key = admin_model_key(route)
    result = []
    for given in alternatives:
        kwargs = {}
        for name, value in given.items():
            if isinstance(value, str) and value.startswith("@"):
                row = world[value[1:]]
                value = row.token if name == "token" else getattr(row, "pk", row)
            kwargs[name] = value
        for name in ("object_id", "id"):
            if name in url_arguments(route) and name not in kwargs:
                kwargs[name] = world[model_key].pk
        result.append(kwargs)
    return result


def url_arguments(route: str) -> list[str]:
    return [a or b for a, b in ARGUMENT.findall(route)]


def filled(route: str, kwargs: dict) -> str:
    path = "/" + ARGUMENT.sub(lambda m: str(kwargs[m.group(1) or m.group(2)]), route)
    return path.replace("$", "")


def outcome(response) -> str:
    if response.status_code in (301, 302):
        target = urlsplit(response["Location"]).path
        return "login" if target in (reverse("login"), reverse("admin:login")) else "302"
    return str(response.status_code)


def row_counts() -> dict[str, int]:
    """Rows in every table but the sessions', in one query: run around each refused request."""
    # Sessions change with any request; the security log and django-axes' tables grow on
    # every refusal by design (refusals are logged: tests/accounts/test_security_log.py).
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if model is not Session and model._meta.app_label != "axes" and model is not SecurityEvent
    ]
    # Table names come from the models, never from a request.
    query = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def world_rows(world: dict) -> dict:
    """The values of the world's rows: a refused POST must not change them."""
    return {
        key: type(row)._default_manager.filter(pk=row.pk).values().first()
        for key, row in world.items()
        if hasattr(row, "_meta")
    }


def expectations(entry: dict) -> list[tuple[str, list[str]]]:
    found = []
    for method in ("GET", "POST"):
        if method in entry:
            statuses = entry[method].split()
            assert len(statuses) == len(ROLES), f"{method} {entry}: one status per role"
            found.append((method, statuses))
    return found


def test_the_data_file_names_the_roles_in_the_worlds_order():
    assert tuple(MATRIX["roles"]) == ROLES


def test_every_url_has_an_entry_and_every_entry_a_url():
    patterns = list(url_patterns())
    ids = {url_id for url_id, _route in patterns}
    missing = sorted(
        url_id for url_id in ids if url_id not in MATRIX["excluded"] and entry_for(url_id) is None
    )
    assert missing == [], "URLs missing from authz_matrix.yaml"
    stale = sorted(
        key
        for key in [*MATRIX["urls"], *MATRIX["excluded"]]
        if not any(fnmatchcase(url_id, key) for url_id in ids)
    )
    assert stale == [], "entries of authz_matrix.yaml that match no URL"
    for url_id in MATRIX["excluded"]:
        assert MATRIX["excluded"][url_id].strip(), f"{url_id} is excluded without a reason"


def test_the_register_urls_are_tried_on_every_register():
    for name in ("communes:register_list", "communes:register_create"):
        slugs = {kwargs["slug"] for kwargs in MATRIX["urls"][name]["kwargs"]}
        assert slugs == set(REGISTERS), name
    for name in ("communes:register_edit", "communes:register_void"):
        pairs = {(kwargs["slug"], kwargs["pk"]) for kwargs in MATRIX["urls"][name]["kwargs"]}
        assert pairs == {(slug, f"@{slug}") for slug in REGISTERS}, name


def planned_requests(world):
    """(url id, method, path, role, expected) for every URL, argument set, method and role."""
    for url_id, route in url_patterns():
        if url_id in MATRIX["excluded"]:
            continue
        entry = entry_for(url_id)
        for kwargs in resolved_kwargs(route, entry, world):
            path = filled(route, kwargs)
            assert resolve(path).route == route, f"{path} does not lead to {route}"
            for method, statuses in expectations(entry):
                for role, expected in zip(ROLES, statuses, strict=True):
                    yield url_id, method, path, role, expected


def test_every_url_answers_every_role_as_the_matrix_says(client, world):
    plan = sorted(planned_requests(world), key=lambda request: ROLES.index(request[3]))
    mismatches, changed = [], []
    for role, requests in itertools.groupby(plan, key=lambda request: request[3]):
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        signed_in = copy.deepcopy(client.cookies)
        for url_id, method, path, _role, expected in requests:
            got, difference = send(client, method, path, world, check_unchanged=expected in DENIED)
            client.cookies = copy.deepcopy(signed_in)  # sign-out pages end the session
            if got != expected:
                mismatches.append(
                    f"{method} {path} [{url_id}] as {role}: {got}, expected {expected}"
                )
            if difference:
                changed.append(f"{method} {path} as {role} changed {difference}")
    urls = {request[0] for request in plan}
    COVERAGE.append(
        f"authorization matrix: {len(urls)} URL patterns, "
        f"{len({request[2] for request in plan})} URLs with arguments filled, "
        f"× {len(ROLES)} roles × GET/POST = {len(plan)} requests checked"
    )
    assert not mismatches + changed, "\n".join(mismatches + changed)


def send(client, method: str, path: str, world: dict, *, check_unchanged: bool):
    """One request in a savepoint rolled back afterwards, so every request meets the same world.

    Returns the outcome and, for a request that should have been refused, what it changed: rows
    added or removed anywhere (audit entries and access logs included) and, for a POST, any
    change to the world's rows.
    """
    read_rows = check_unchanged and method == "POST"
    try:
        with transaction.atomic():
            counts = row_counts() if check_unchanged else None
            rows = world_rows(world) if read_rows else None
            response = client.get(path) if method == "GET" else client.post(path, {})
            difference = []
            if check_unchanged and row_counts() != counts:
                difference.append("row counts")
            if read_rows:
                after = world_rows(world)
                difference += [key for key in rows if rows[key] != after[key]]
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 — a crash is a result to report, not to stop at
        return f"raised {type(error).__name__}: {error}", None
    return outcome(response), difference
