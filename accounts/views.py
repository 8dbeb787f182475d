from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache

from .models import Role


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
