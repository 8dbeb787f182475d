"""Reads in the audit log: the rows a page showed, written as one INSERT however many.

`LogEntry.objects.log_create` writes one row per call; a list of 25 names, a scorecard naming
80 people or an export of 2,000 files would cost one INSERT per person. `reads_log` builds the
same entries log_create would (content type, primary key, representation, the model's
`get_additional_data()`, the correlation id, the actor and the address) and writes them in
bulk.
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.db.models import Model
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


def reads_log(*, user, rows: Iterable[Model], via: str) -> list[LogEntry]:
    """Record that `user` was shown `rows` (each once, however often it appears), on the page
    or in the file named by `via`. Each row's related objects that its `get_additional_data()`
    reads must be loaded already (select_related), or each costs a query."""
    unique = {(type(row), row.pk): row for row in rows}
    if not unique:
        return []
    actor = user if user is not None and user.is_authenticated else None
    cid = get_cid()
    entries = [
        LogEntry(
            content_type=ContentType.objects.get_for_model(model),
            object_pk=str(row.pk),
            object_id=row.pk if isinstance(row.pk, int) else None,
            object_repr=smart_str(row),
            action=LogEntry.Action.ACCESS,
            actor=actor,
            actor_email=getattr(actor, "email", None),
            cid=cid,
            additional_data={**_additional_data(row), "via": via},
        )
        for (model, _pk), row in unique.items()
    ]
    _add_request_context(entries)
    return LogEntry.objects.bulk_create(entries)


def _additional_data(row: Model) -> dict:
    get_additional_data = getattr(row, "get_additional_data", None)
    if not callable(get_additional_data):
        return {}
    return get_additional_data() or {}


def _add_request_context(entries: list[LogEntry]) -> None:
    """The client's address (and port), as auditlog fills them in on save(): its middleware
    listens to LogEntry's pre_save while a request is served; bulk_create sends no signal, so
    send it. (Its context variable outlives the request, so reading it directly could give the
    previous request's address; imports/apply.py does the same for the same reason.)"""
    using = router.db_for_write(LogEntry)
    for entry in entries:
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=using, update_fields=None)
