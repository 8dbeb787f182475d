import datetime

from django.db import transaction

from .models import Hamlet


@transaction.atomic
def hamlet_archive(*, hamlet: Hamlet, reason: str, on: datetime.date) -> Hamlet:
    """Take a hamlet out of use without deleting it: its registers keep pointing at it."""
    hamlet = Hamlet.objects.select_for_update().get(pk=hamlet.pk)
    if hamlet.archived_on is None:
        hamlet.archived_on = on
        hamlet.archive_reason = reason
        hamlet.save(update_fields=["archived_on", "archive_reason"])
    return hamlet
