from django.urls import path

from . import views

app_name = "communes"
urlpatterns = [
    path("", views.commune_list, name="list"),
    path("<int:pk>/", views.commune_detail, name="detail"),
    path("<int:commune_pk>/hamlets/new/", views.hamlet_create, name="hamlet_create"),
    path("hamlets/<int:pk>/edit/", views.hamlet_edit, name="hamlet_edit"),
    path("hamlets/<int:pk>/archive/", views.hamlet_archive, name="hamlet_archive"),
]
