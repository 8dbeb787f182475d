from django.urls import path

from . import views

app_name = "casefiles"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.xlsx", views.person_export, name="export"),
    path("moved-out/", views.moves_out, name="moves_out"),
    path("transfers/", views.transfer_requests, name="transfers"),
    path("new/<int:commune_pk>/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/category/", views.change_category, name="category"),
    path("<int:pk>/presence/", views.change_presence, name="presence"),
    path("<int:pk>/tests/new/", views.test_add, name="test_add"),
    path("<int:pk>/rehab/new/", views.rehab_add, name="rehab_add"),
    path("<int:pk>/support/new/", views.support_add, name="support_add"),
    path("<int:pk>/move/", views.person_move, name="move"),
    path("<int:pk>/close/", views.person_close, name="close"),
    path("rehab/<int:pk>/end/", views.rehab_end, name="rehab_end"),
]
