from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from . import security
from .models import Role, SecurityEvent
from .two_factor import (
    confirmed_device,
    pending_device,
    qr_code_data_uri,
    requires_two_factor,
    secret_for_typing,
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work starts."""
    user = request.user
    if user.role == Role.COMMUNE_OFFICER:
        return redirect("communes:detail", pk=user.commune_id)
    if user.role == Role.LEADER:
        return redirect("reports:overview")
    return redirect("communes:list")


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and docker-compose: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code is 6 digits."))
        return code


def _next_url(request) -> str:
    """Where to go after the code step: the page first asked for, if it is one of ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("home")


def _check_code(request, form: OneTimeCodeForm, device) -> bool:
    """Whether the form holds a right code for the device; wrong codes are logged and slowed
    down by django-otp's throttling (each failure doubles the wait)."""
    if not form.is_valid():
        return False
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = details.get("locked_until") if details else None
        form.add_error(
            "code",
            _("Too many wrong codes. Try again after %(time)s.")
            % {"time": date_format(timezone.localtime(wait), "H:i:s") if wait else "?"},
        )
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    security.record(SecurityEvent.Kind.CODE_FAILED, request)
    form.add_error("code", _("The code is wrong or has expired. Enter the code shown now."))
    return False


@login_required
@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: the code from the officer's authenticator app."""
    if not requires_two_factor(request.user) or request.user.is_verified():
        return redirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, form, device):
        otp_login(request, device)
        return redirect(_next_url(request))
    # code_step hides the navigation: its links would only lead back here.
    context = {"form": form, "next": _next_url(request), "code_step": True}
    return render(request, "registration/two_factor_verify.html", context)


@login_required
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in of a user who needs a code: link an authenticator app, prove it works."""
    if not requires_two_factor(request.user):
        return redirect(_next_url(request))
    if confirmed_device(request.user) is not None:
        # A second device is added by an administrator after the first is removed, not here:
        # otherwise a stolen password alone could enrol the thief's phone.
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}")
    device = pending_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": qr_code_data_uri(device),
        "secret": secret_for_typing(device),
        "code_step": True,
    }
    return render(request, "registration/two_factor_setup.html", context)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page in the
    user's language saying how long to wait. 429 tells scripts to slow down."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
