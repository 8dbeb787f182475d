from django.urls import path

from . import views

# Mounted at /communes/import/ (config/urls.py), where officers have always found it.
app_name = "imports"
urlpatterns = [
    path("", views.import_upload, name="upload"),
    path("template.xlsx", views.import_template, name="template"),
    path("<uuid:token>/", views.import_job, name="job"),
    path("<uuid:token>/confirm/", views.import_confirm, name="confirm"),
    path("<uuid:token>/retry/", views.import_retry, name="retry"),
]
