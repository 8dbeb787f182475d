"""Session lifetime, the two-factor gate, denied-page logging and the audit log's client address."""

import time

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import escape_leading_slashes, urlencode
from django.utils.translation import gettext as _

from . import security
from .models import SecurityEvent
from .two_factor import confirmed_device, requires_two_factor


class SessionLifetimeMiddleware:
    """Signs out a session SESSION_MAX_HOURS after sign-in, however active it has been.

    The idle limit needs no code: the cookie's age (SESSION_COOKIE_AGE) is renewed on every
    request and lapses after SESSION_IDLE_MINUTES without one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.setdefault(security.SIGNED_IN_AT, time.time())
            if time.time() - started > settings.SESSION_MAX_HOURS * 3600:
                security.record(SecurityEvent.Kind.SESSION_EXPIRED, request)
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class ConfirmForeignNavigationMiddleware:
    """A signed-in officer's browser asked for a page on behalf of another site: answer with a
    confirmation page instead of the page.

    The session cookie is SameSite=Strict, so a truly cross-site request arrives signed out.
    "Site" is the registrable domain, though: a page on another port or another subdomain of
    the same domain is same-site and gets the cookie, and a link, redirect or <img> there
    would open a person's file, and log a read, in the officer's name (found by an attacker
    run). Browsers say where a request comes from in Sec-Fetch-Site; a navigation from another
    origin gets one click on our own page ("Open this page?"), anything else from another
    origin (an image, a frame, a script's fetch) is refused. Browsers without the header
    (before 2020) keep the SameSite protection only.
    """

    FOREIGN = ("same-site", "cross-site")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Sec-Fetch-Site", "")
        if origin not in self.FOREIGN or not request.user.is_authenticated:
            return self.get_response(request)
        navigation = request.headers.get("Sec-Fetch-Mode") == "navigate"
        if navigation and request.method in ("GET", "HEAD"):
            response = render(
                request,
                "foreign_navigation.html",
                # "//host/x" as a link would leave the site: escape_leading_slashes keeps it ours.
                {"target": escape_leading_slashes(request.get_full_path())},
            )
            response["Cache-Control"] = "no-store"
            return response
        return HttpResponseForbidden()


class RequireTwoFactorMiddleware:
    """Until the one-time code step is passed, a user who needs it reaches only that step.

    This guards every page and the admin site at once, so no view can forget it.
    """

    # Pages a half-signed-in user may open: the code steps, sign-out, language, health check.
    OPEN_URL_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if requires_two_factor(user) and not user.is_verified() and not self._is_open(request):
            step = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        # Static files never get here: runserver and WhiteNoise serve them before middleware.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.OPEN_URL_NAMES


class DeniedAccessLogMiddleware:
    """Every page refused with 403 goes to the security log, with who asked and from where;
    so does a 404 for another area's row (communes.access.get_or_404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = security.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            security.current_request.reset(token)
        if response.status_code == 403:
            security.record(SecurityEvent.Kind.ACCESS_DENIED, request)
        return response


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware with our reading of the client's address.

    Its own takes the first X-Forwarded-For entry, which any client can write; ours trusts
    only what our proxies appended (accounts.security.client_ip).
    """

    @staticmethod
    def _get_remote_addr(request):
        return security.client_ip(request)
