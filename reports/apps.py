from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from assessments.runs import province_run_assessed

        from . import services

        # A province run's results also make the dashboard's figures (assessments/runs.py).
        province_run_assessed.connect(
            services.province_dashboard_fill, dispatch_uid="reports.province_dashboard_fill"
        )
