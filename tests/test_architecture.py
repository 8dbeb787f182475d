"""The layers are physical: which rows a user may see or change is decided in the row's app's
`access.py` (built on `communes/access.py`), nowhere else.

A view, admin class, form, task or import that narrows rows by who is asking (their province,
their commune, their files, their uploads) has taken a decision that belongs to an access
module, and the next page copied from it forgets a condition. This test reads the source of
every app and fails naming the file and line of each such filter.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "core",
    "accounts",
    "communes",
    "casefiles",
    "assessments",
    "reports",
    "imports",
    "demo",
    "config",
]

# Calls that narrow rows by their keyword arguments.
FILTERING_CALLS = {"filter", "exclude", "get", "Q", "get_object_or_404", "get_list_or_404"}
# Lookups that say whose rows these are: an area (`commune__in`, `registration__commune`,
# `province_id`, `additional_data__province_id`) or an owner.
AREA_LOOKUP = re.compile(
    r"(^|__)((from_|to_)?commune|province)(_id)?(__in)?$|(^|__)(created_by|requested_by)(_id)?$"
)
# The user's own area, read off the user.
USER_AREA = {"commune", "commune_id", "province", "province_id"}
# What access modules hand out.
SCOPING_FUNCTIONS = ("visible_", "changeable_")


def _app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "access.py" or "migrations" in path.parts:
                continue
            yield path


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _is_user(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id == "user") or (
        isinstance(node, ast.Attribute) and node.attr == "user"
    )


def _reads_the_user(node: ast.AST, tainted: set[str] = frozenset()) -> bool:
    """The expression is the requesting user or comes from them: `user`, `request.user`,
    `access.visible_communes(user)`, or a variable set from the user's area. What the user
    typed (`request.GET`) is not: narrowing visible rows by a chosen filter is fine."""
    return any(
        _is_user(child) or (isinstance(child, ast.Name) and child.id in tainted)
        for child in ast.walk(node)
    )


def _reads_the_users_area(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Attribute) and child.attr in USER_AREA and _is_user(child.value)
        for child in ast.walk(node)
    )


def _is_scoping_call(node: ast.AST) -> bool:
    """`access.visible_communes(user)`, `changeable_persons(user)`: a module's function."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id.startswith(SCOPING_FUNCTIONS)
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.attr.startswith(SCOPING_FUNCTIONS)
    )


class _Finder(ast.NodeVisitor):
    def __init__(self):
        self.problems: list[tuple[int, str]] = []
        self.tainted: set[str] = set()
        self.under_role_test = 0  # inside `if request.user.is_portal_admin:` and the like

    def visit_If(self, node):
        if _reads_the_user(node.test, self.tainted):
            self.under_role_test += 1
            self.generic_visit(node)
            self.under_role_test -= 1
        else:
            self.generic_visit(node)

    def visit_FunctionDef(self, node):
        outer = self.tainted
        # Variables holding the user's area: `area = request.user.commune_id or ...`.
        self.tainted = outer | {
            target.id
            for child in ast.walk(node)
            if isinstance(child, ast.Assign) and _reads_the_users_area(child.value)
            for target in child.targets
            if isinstance(target, ast.Name)
        }
        self.generic_visit(node)
        self.tainted = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        if _called_name(node) in FILTERING_CALLS:
            for keyword in node.keywords:
                self._check_lookup(node, keyword)
        self._check_membership_question(node)
        self.generic_visit(node)

    def _check_lookup(self, node, keyword):
        lookup = keyword.arg
        if lookup is None:
            return
        if AREA_LOOKUP.search(lookup) and _reads_the_user(keyword.value, self.tainted):
            self.problems.append((node.lineno, f"rows narrowed by who asks ({lookup}=…)"))
        elif AREA_LOOKUP.search(lookup) and self.under_role_test:
            self.problems.append((node.lineno, f"an area rule by role ({lookup}=…)"))
        elif lookup.endswith("__in") and any(map(_is_scoping_call, ast.walk(keyword.value))):
            self.problems.append((node.lineno, f"rows scoped by hand through a set ({lookup}=…)"))

    def _check_membership_question(self, node):
        # access.changeable_communes(user).filter(pk=person.commune_id).exists()
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "exists"):
            return
        narrowed = func.value
        if not (isinstance(narrowed, ast.Call) and _called_name(narrowed) == "filter"):
            return
        if not any(keyword.arg == "pk" for keyword in narrowed.keywords):
            return
        if any(_is_scoping_call(child) for child in ast.walk(narrowed.func)):
            self.problems.append(
                (node.lineno, "'may they see or change this row?' answered by hand")
            )


def area_filters_outside_access_modules() -> list[str]:
    found = []
    for path in _app_sources():
        finder = _Finder()
        finder.visit(ast.parse(path.read_text(), filename=str(path)))
        relative = path.relative_to(ROOT)
        found += [f"{relative}:{line}: {what}" for line, what in sorted(set(finder.problems))]
    return found


def test_rows_are_scoped_in_access_modules_only():
    found = area_filters_outside_access_modules()
    assert not found, (
        "Scope rows in the row's app's access.py (built on communes/access.py), not here:\n"
        + "\n".join(found)
    )


def test_admin_rows_and_choices_come_from_access_modules():
    """No lambda or helper in an admin.py decides an admin page's rows or choices."""
    from django.contrib import admin

    from accounts.admin_mixins import AreaScopedAdmin

    found = []
    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, AreaScopedAdmin):
            continue
        scoped = type(model_admin)
        functions = {
            "visible_rows": scoped.visible_rows,
            "changeable_rows": scoped.changeable_rows,
            **{f"scoped_choices[{name!r}]": f for name, f in scoped.scoped_choices.items()},
        }
        found += [
            f"{scoped.__name__}.{attribute} = {function.__module__}.{function.__qualname__}"
            for attribute, function in functions.items()
            if not function.__module__.endswith(".access") or function.__name__ == "<lambda>"
        ]
    assert not found, "Admin rows must come from access modules:\n" + "\n".join(found)


def test_every_views_module_is_a_leaf_for_import_linter():
    """import-linter forbids importing the views modules it names; a new `*views.py` it does not
    name would slip through the "nothing imports a views module but urls" contract."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (views_contract,) = [c for c in config["contracts"] if "views" in c["name"]]
    covered = {pattern.removeprefix("**.") for pattern in views_contract["forbidden_modules"]}
    views_modules = {
        path.stem
        for path in _app_sources()
        if path.stem.endswith("views") and "management" not in path.parts
    }
    assert views_modules <= covered, f"Add to the views contract: {views_modules - covered}"
