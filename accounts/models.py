from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune police officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial police officer")
    LEADER = "leader", _("Leadership")
    ADMIN = "admin", _("System administrator")


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A portal user: a role and the area it covers.

    Commune officers cover one commune (and its province); provincial officers and leaders cover
    a province; administrators cover everything. What each role may see or change is decided
    in the access.py of each row's app, built on communes/access.py for the area.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    province = models.ForeignKey(
        "communes.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A commune officer without a commune would see nothing, or everything by mistake.
            models.CheckConstraint(
                name="commune_officer_has_commune",
                condition=~Q(role="commune_officer") | Q(commune__isnull=False),
            ),
            models.CheckConstraint(
                name="provincial_roles_have_province",
                condition=~Q(role__in=["commune_officer", "provincial_officer", "leader"])
                | Q(province__isnull=False),
            ),
            models.CheckConstraint(
                name="role_is_known",
                condition=Q(role__in=[role.value for role in Role]),
            ),
        ]

    def clean(self):
        super().clean()
        if self.role == Role.COMMUNE_OFFICER:
            if not self.commune_id:
                raise ValidationError({"commune": _("A commune officer needs a commune.")})
            # The province of a commune officer is always the commune's own.
            self.province_id = self.commune.province_id
        elif self.role in (Role.PROVINCIAL_OFFICER, Role.LEADER):
            if not self.province_id:
                raise ValidationError({"province": _("This role needs a province.")})
            if self.commune_id:
                raise ValidationError({"commune": _("Only commune officers have a commune.")})

    def __str__(self):
        return self.get_full_name() or self.username

    def get_additional_data(self):
        # Stored with each audit entry so the audit page can be scoped to a province.
        return {"province_id": self.province_id, "commune_id": self.commune_id}

    @property
    def is_commune_officer(self) -> bool:
        return self.role == Role.COMMUNE_OFFICER

    @property
    def is_provincial_officer(self) -> bool:
        return self.role == Role.PROVINCIAL_OFFICER

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def may_use_admin(self) -> bool:
        return self.is_provincial_officer or self.is_portal_admin


class SecurityEvent(models.Model):
    """One refused or watched action: a failed sign-in, a lockout, a wrong one-time code, a
    denied page; and the lookups that need an answer to "who looked up this citizen ID": a
    search of people (with its query) and a citizen ID that matched a file outside the user's
    area.

    Append-only: the admin shows these read-only, and the database refuses UPDATE and DELETE
    (migration 0003).
    """

    class Kind(models.TextChoices):
        SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
        LOCKED_OUT = "locked_out", _("locked out after repeated failures")
        CODE_FAILED = "code_failed", _("wrong one-time code")
        ACCESS_DENIED = "access_denied", _("access denied")
        SESSION_EXPIRED = "session_expired", _("session ended after the maximum duration")
        PEOPLE_SEARCH = "people_search", _("search of people")
        OUT_OF_AREA_LOOKUP = "out_of_area_lookup", _("citizen ID of a file outside the area")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # As typed at sign-in: may name no existing user.
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    # Only for the watched lookups (a search's words, a looked-up citizen ID): a refused page's
    # query string is not kept, since it may carry what an officer typed by mistake.
    query = models.CharField(_("looked up"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username or '-'} · {self.at:%d/%m/%Y %H:%M}"
