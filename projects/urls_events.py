from django.urls import path

from projects import views_events as views

app_name = "events"

urlpatterns = [
    path("", views.event_list, {"when": views.UPCOMING}, name="list"),
    path("past/", views.event_list, {"when": views.PAST}, name="past"),
    path("calendar.ics", views.event_calendar, name="calendar"),
    path("new/", views.event_create, name="create"),
    path("<uuid:uuid>/", views.event_detail, name="detail"),
    path("<uuid:uuid>/event.ics", views.event_ics, name="ics"),
    path("<uuid:uuid>/edit/", views.event_edit, name="edit"),
    path("<uuid:uuid>/delete/", views.event_delete, name="delete"),
]
