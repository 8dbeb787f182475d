from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ProvincialProfile, RecognitionCase, Registration, RoadmapTarget

        for model in (Registration, RoadmapTarget, ProvincialProfile, RecognitionCase):
            auditlog.register(model)
