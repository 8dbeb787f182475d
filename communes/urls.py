from django.urls import path

from . import import_views, register_views, views

app_name = "communes"
urlpatterns = [
    path("", views.commune_list, name="list"),
    path("<int:pk>/", views.commune_detail, name="detail"),
    path("<int:commune_pk>/hamlets/new/", views.hamlet_create, name="hamlet_create"),
    path("hamlets/<int:pk>/edit/", views.hamlet_edit, name="hamlet_edit"),
    path("hamlets/<int:pk>/archive/", views.hamlet_archive, name="hamlet_archive"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<uuid:token>/", import_views.import_job, name="import_job"),
    path("import/<uuid:token>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<uuid:token>/retry/", import_views.import_retry, name="import_retry"),
    path("<int:commune_pk>/pledges/", register_views.pledge_coverage, name="pledges"),
    path("households/<int:pk>/sign/", register_views.pledge_sign, name="pledge_sign"),
    path(
        "registers/hotspots/<int:pk>/eradicate/",
        register_views.hotspot_eradicate,
        name="hotspot_eradicate",
    ),
    path("registers/<slug:slug>/", register_views.register_list, name="register_list"),
    path(
        "registers/<slug:slug>/new/<int:commune_pk>/",
        register_views.register_create,
        name="register_create",
    ),
    path(
        "registers/<slug:slug>/<int:pk>/edit/", register_views.register_edit, name="register_edit"
    ),
    path(
        "registers/<slug:slug>/<int:pk>/void/", register_views.register_void, name="register_void"
    ),
]
