from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasefilesConfig(AppConfig):
    name = "casefiles"
    verbose_name = _("People under management")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Bookkeeping columns say nothing about the person; leave them out of the trail.
        auditlog.register(
            models.Person, exclude_fields=["search_text", "version", "created_at", "updated_at"]
        )
        for model in (
            models.CategoryPeriod,
            models.PresencePeriod,
            models.DrugTest,
            models.RehabEpisode,
            models.SupportAction,
            models.PersonMove,
        ):
            auditlog.register(model, exclude_fields=["recorded_at"])
        auditlog.register(models.TransferRequest, exclude_fields=["requested_at", "resolved_at"])
