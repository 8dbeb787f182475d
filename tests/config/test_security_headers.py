"""Security headers, the Content Security Policy, and production's cookie and HTTPS settings.

The policy allows scripts and styles from our own origin only, without 'unsafe-inline'; a page
that carried an inline script, an on…= handler, a javascript: URL or a style attribute would
break in the browser. The crawl below renders every kind of page as each role sees it and
looks for them.
"""

import datetime
import io
import json
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from accounts.models import User
from reports.models import ReportRun
from tests.config.test_settings import run_clean

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-key-with-many-characters-0123456789",
    "ALLOWED_HOSTS": "ma-tuy.example.gov.vn",
}


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# --- Headers on a page -------------------------------------------------------------------


def test_pages_carry_a_policy_without_inline_scripts_or_styles(client, commune_officer):
    client.force_login(commune_officer)
    directives = csp_directives(client.get(reverse("casefiles:list")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


def test_pages_forbid_framing_sniffing_and_cross_site_referrers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


# --- Production settings -----------------------------------------------------------------

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in %r}))
"""
COOKIE_AND_HTTPS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER",
    "DEBUG",
]


def test_production_cookies_are_secure_httponly_and_same_site():
    result = run_clean(["-c", PROBE % COOKIE_AND_HTTPS], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["SESSION_COOKIE_HTTPONLY"] is True
    assert loaded["SESSION_COOKIE_SAMESITE"] == "Strict"
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_HTTPONLY"] is True
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert loaded["DEBUG"] is False


def test_the_release_gate_finds_a_deployment_warning():
    """The gate's first step fails when production drops a protection, e.g. HSTS."""
    result = run_clean(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        SECURE_HSTS_SECONDS="0",
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout


# --- No inline code on any page ----------------------------------------------------------


class PageScan(HTMLParser):
    """Collects what the policy would block, and the same-site links to follow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A JSON data block (json_script) is never executed, so the policy allows it.
        is_data = attributes.get("type") == "application/json"
        if tag == "script" and not attributes.get("src") and not is_data:
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attributes.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"<{tag} style=…> at line {self.getpos()[0]}")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


# Files and JSON are not pages; PDFs are also slow to build.
NOT_PAGES = (".xlsx", ".pdf", ".json")


def crawl(client, start: list[str], *, per_route: int = 2, limit: int = 200) -> dict[str, list]:
    """Follow links from `start`, rendering at most `per_route` URLs of each URL pattern.

    Returns {url: problems} for every HTML page rendered.
    """
    pages, seen, visits = {}, set(), Counter()
    queue = deque(start)
    while queue and len(pages) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if url in seen or path.endswith(NOT_PAGES):
            continue
        seen.add(url)
        try:
            route = resolve(path).route
        except Resolver404:
            continue
        if visits[route] >= per_route:
            continue
        visits[route] += 1
        response = client.get(url)
        if response.status_code in (301, 302):  # the home page sends each role elsewhere
            queue.append(urljoin(url, response["Location"]))
            continue
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        scan = PageScan()
        scan.feed(response.content.decode())
        pages[url] = scan.problems
        for href in scan.links:
            target = urljoin(url, href.split("#")[0])
            if target.startswith("/") and target not in seen:
                queue.append(target)
    return pages


@pytest.fixture
def demo_province(db):
    call_command("seed_demo", password="demo-password-for-tests", stdout=io.StringIO())
    province_user = User.objects.get(username="canbo.tinh")
    # A report still being built shows a progress bar.
    ReportRun.objects.create(
        province=province_user.province,
        kind="annual",
        period_start=datetime.date(2025, 12, 11),
        period_end=datetime.date(2026, 12, 10),
        requested_by=province_user,
        progress=40,
    )


# Who signs in, where the crawl starts, and how many pages it must at least reach (so that a
# crawl stopped short by a redirect or an error cannot pass unnoticed).
CRAWLS = [
    (None, ["/accounts/login/"], 1),
    ("canbo.xa", ["/"], 15),
    ("canbo.tinh", ["/", "/reports/runs/"], 25),
    ("lanhdao", ["/"], 5),
    ("quantri", ["/", "/admin/"], 40),
]


def test_no_page_carries_inline_script_handlers_or_styles(client, demo_province):
    """One test for every role, so that the demo province is built only once."""
    reached, blocked = {}, {}
    for username, start, _at_least in CRAWLS:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        pages = crawl(client, start)
        reached[username] = len(pages)
        blocked.update({url: problems for url, problems in pages.items() if problems})
    assert blocked == {}
    assert reached == {
        username: max(count, at_least)
        for (username, _start, at_least), count in zip(CRAWLS, reached.values(), strict=True)
    }


def test_templates_carry_no_inline_script_handlers_or_styles():
    """Pages the crawl does not reach (an import in progress, the PDF's HTML aside) too."""
    problems = {}
    for template in sorted((PROJECT / "templates").rglob("*.html")):
        if "pdf" in template.parts:  # rendered by WeasyPrint into a PDF, never served
            continue
        scan = PageScan()
        scan.feed(template.read_text())
        if scan.problems:
            problems[str(template.relative_to(PROJECT))] = scan.problems
    assert problems == {}
