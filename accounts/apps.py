from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog

        from . import security  # noqa: F401  (connects the sign-in signal receivers)
        from .models import User

        # Password hashes and sign-in times are not worth keeping in the audit trail.
        auditlog.register(User, exclude_fields=["password", "last_login"])
