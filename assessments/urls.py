from django.urls import path

from . import recognition_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.province_table, name="province"),
    path("communes/<int:commune_pk>/", views.scorecard, name="scorecard"),
    path("recognition/", recognition_views.recognition_status, name="recognition"),
    path("recognition/<int:pk>/submit/", recognition_views.recognition_submit, name="submit"),
    path("roadmap/", recognition_views.roadmap, name="roadmap"),
]
