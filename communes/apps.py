from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = _("Places")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Commune, Hamlet, Province

        for model in (Province, Commune, Hamlet):
            auditlog.register(model, exclude_fields=["search_text"])
