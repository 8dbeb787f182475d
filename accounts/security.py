"""The security log: failed sign-ins, lockouts, failed one-time codes and denied pages.

Changes to registers and reads of a person's file go to the audit log (django-auditlog); this
log holds what is refused. Both are append-only (see the migration that guards them).
"""

import datetime
import logging
import time
from collections.abc import Iterable
from contextvars import ContextVar

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from .models import SecurityEvent

logger = logging.getLogger("portal.security")

# The request being served, set by DeniedAccessLogMiddleware, so that code deep in a view
# (communes.access.get_or_404) can log a refusal with who asked and from where.
current_request: ContextVar = ContextVar("current_request", default=None)
SIGNED_IN_AT = "signed_in_at"  # session key: when the password was accepted (epoch seconds)


def client_ip(request) -> str | None:
    """The client's address. Behind PROXY_COUNT reverse proxies, the address the outermost
    proxy saw, taken from the right of X-Forwarded-For: entries to its left come from the
    client and can be forged."""
    if request is None:
        return None
    proxies = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def record(
    kind: str, request=None, *, username: str = "", user=None, query: str = ""
) -> SecurityEvent:
    """Store one refused or watched action. Never pass passwords or codes: only who, where,
    when and, for the watched lookups, what was looked up (`query`)."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request),
        # The path only: a query string may carry a searched citizen ID or name.
        path=(request.path if request is not None else "")[:500],
        method=(request.method if request is not None else "")[:10],
        query=query[:500],
    )
    # The application log gets the kind and the path only, never the form's contents.
    logger.warning("%s user=%s ip=%s path=%s", kind, event.username, event.ip_address, event.path)
    return event


def record_people_search(request, words: str) -> None:
    """A search that can match people goes to the security log with its words, so that "who
    looked up this citizen ID" has an answer. An empty search is no lookup."""
    words = words.strip()
    if words:
        record(SecurityEvent.Kind.PEOPLE_SEARCH, request, query=words)


def record_many(
    kind: str, *, user, queries: Iterable[str], path: str = "", ip_address: str | None = None
) -> int:
    """Store one watched lookup per query in one insert, for work done with no request (a
    workbook checked by a background task): who, when, what was looked up, `path` to say
    where and `ip_address` where the work came from (the upload's address). Returns how many
    were stored."""
    events = [
        SecurityEvent(
            kind=kind,
            user=user,
            username=user.get_username()[:150],
            path=path[:500],
            query=query[:500],
            ip_address=ip_address,
        )
        for query in queries
    ]
    SecurityEvent.objects.bulk_create(events)
    if events:
        # The count only: the looked-up values stay out of the application log.
        logger.warning("%s user=%s count=%d path=%s", kind, user.get_username(), len(events), path)
    return len(events)


def queries_today(user, kind: str) -> set[str]:
    """The distinct values the user looked up today (local time) in watched lookups of `kind`:
    what a daily limit counts."""
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    events = SecurityEvent.objects.filter(kind=kind, user=user, at__gte=midnight)
    return set(events.values_list("query", flat=True).distinct())


@receiver(user_logged_in)
def _remember_sign_in_time(sender, request=None, user=None, **kwargs):
    # Read by SessionLifetimeMiddleware: the session ends SESSION_MAX_HOURS after this.
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django replaces the password in `credentials` with asterisks; we keep the username only.
    record(SecurityEvent.Kind.SIGN_IN_FAILED, request, username=credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(SecurityEvent.Kind.LOCKED_OUT, request, username=username or "")


def record_out_of_scope(model, lookup: dict) -> None:
    """A 404 for a row that exists but is outside the user's area is an access denied, not a
    typo: log it (one extra query, on 404s only)."""
    request = current_request.get()
    if request is None or not request.user.is_authenticated:
        return
    if model._base_manager.filter(**lookup).exists():
        record(SecurityEvent.Kind.ACCESS_DENIED, request)
