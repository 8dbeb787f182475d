from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Places")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Province, models.Commune, models.Hamlet):
            auditlog.register(model, exclude_fields=["search_text"])
        for model in (
            models.Hotspot,
            models.CultivationFind,
            models.Offence,
            models.WantedPerson,
            models.Household,
            models.Pledge,
            models.HamletPledge,
            models.PreventionModel,
            models.OutreachActivity,
        ):
            auditlog.register(model, exclude_fields=["created_at", "updated_at"])
