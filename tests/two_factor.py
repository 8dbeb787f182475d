"""The authenticator side of two-factor sign-in, for tests: a linked device and its code."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import confirmed_device, requires_two_factor


def current_code(device: TOTPDevice) -> str:
    """The code the officer's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def linked_device(user) -> TOTPDevice | None:
    """The authenticator linked to a user who needs one (linked now if not yet), else None."""
    if not requires_two_factor(user):
        return None
    return confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )
