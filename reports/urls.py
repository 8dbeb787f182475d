from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("runs/", views.runs, name="runs"),
    path("communes/<int:commune_pk>/profile.pdf", views.commune_profile, name="commune_profile"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/status.json", views.run_status, name="run_status"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("runs/<int:pk>/<str:fmt>/", views.run_file, name="run_file"),
    path("assessment-runs/", views.province_run_request, name="province_run_request"),
    path("assessment-runs/<int:pk>/", views.province_run_detail, name="province_run"),
    path(
        "assessment-runs/<int:pk>/status.json",
        views.province_run_status,
        name="province_run_status",
    ),
]
