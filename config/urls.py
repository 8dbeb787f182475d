from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import healthz, home, two_factor_setup, two_factor_verify

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor_setup, name="two_factor_setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("communes/import/", include("imports.urls")),
    path("communes/", include("communes.urls")),
    path("people/", include("casefiles.urls")),
    path("reports/", include("reports.urls")),
    path("assessments/", include("assessments.urls")),
    path("admin/", admin.site.urls),
]
