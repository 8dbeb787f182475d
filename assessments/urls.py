from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.province_table, name="province"),
    path("communes/<int:commune_pk>/", views.scorecard, name="scorecard"),
]
