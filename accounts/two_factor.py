"""Two-factor sign-in with one-time codes (TOTP, django-otp): who needs it, and their device.

Provincial officers and administrators reach every commune of their area and the admin site, so
a stolen password alone must not be enough for them (TWO_FACTOR_ROLES).
"""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def requires_two_factor(user) -> bool:
    return user.is_authenticated and (
        user.role in settings.TWO_FACTOR_ROLES or user.is_superuser or user.is_staff
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up, made on first visit; the same secret on reloads, so
    the code the officer scanned keeps working until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code in a data: URI (no request leaves the server)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for officers whose phone cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
