from django.urls import path

from . import register_views, views

app_name = "communes"
urlpatterns = [
    path("", views.commune_list, name="list"),
    path("<int:pk>/", views.commune_detail, name="detail"),
    path("<int:commune_pk>/hamlets/new/", views.hamlet_create, name="hamlet_create"),
    path("hamlets/<int:pk>/edit/", views.hamlet_edit, name="hamlet_edit"),
    path("hamlets/<int:pk>/archive/", views.hamlet_archive, name="hamlet_archive"),
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
