from django.urls import path

from support import views

app_name = "support"

# Mounted under /guardianship/ (pikassos_portal/urls.py), where the trainings always were.
urlpatterns = [
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_edit, name="training_create"),
    path("trainings/<uuid:uuid>/", views.training_detail, name="training_detail"),
    path("trainings/<uuid:uuid>/signup/", views.training_signup, name="training_signup"),
    path(
        "trainings/<uuid:uuid>/attendance/",
        views.training_attendance,
        name="training_attendance",
    ),
    path(
        "guardians/<uuid:uuid>/support/",
        views.support_contact_create,
        name="support_contact_create",
    ),
]
