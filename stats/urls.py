from django.urls import path

from stats import views

app_name = "stats"

# Mounted under /guardianship/ (pikassos_portal/urls.py), where the statistics always were.
urlpatterns = [
    path("stats/", views.stats, name="index"),
    path("stats/<slug:table>.csv", views.stats_csv, name="csv"),
]
