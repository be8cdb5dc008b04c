from django.urls import path

from guardianship import views

app_name = "guardianship"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/export.csv", views.request_export, name="request_export"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<uuid:uuid>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:uuid>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:uuid>/matching/", views.request_matching, name="request_matching"),
    path("requests/<uuid:uuid>/note/", views.request_note, name="request_note"),
    path("requests/<uuid:uuid>/step/<slug:step>/", views.request_step, name="request_step"),
    path("requests/<uuid:uuid>/consent/", views.request_consent, name="request_consent"),
    path("requests/<uuid:uuid>/documents/", views.document_upload, name="document_upload"),
    path(
        "requests/<uuid:uuid>/documents/<uuid:document>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "requests/<uuid:uuid>/documents/<uuid:document>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path(
        "assignments/<uuid:uuid>/<slug:answer>/",
        views.assignment_respond,
        name="assignment_respond",
    ),
    path("my/", views.my_assignments, name="my_assignments"),
    path("guardians/", views.guardian_list, name="guardian_list"),
    path("guardians/new/", views.guardian_edit, name="guardian_create"),
    path("guardians/<uuid:uuid>/", views.guardian_detail, name="guardian_detail"),
    path("guardians/<uuid:uuid>/edit/", views.guardian_edit, name="guardian_edit"),
    path(
        "children/<uuid:uuid>/identity-code/",
        views.child_identity_code,
        name="child_identity_code",
    ),
    path(
        "children/<uuid:uuid>/access-report/",
        views.child_access_report,
        name="child_access_report",
    ),
]
