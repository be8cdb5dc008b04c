from django.urls import path

from guardianship import views, views_claims, views_stats, views_support

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
    path("stats/", views_stats.stats, name="stats"),
    path("stats/<slug:table>.csv", views_stats.stats_csv, name="stats_csv"),
    path("claims/", views_claims.claim_list, name="claim_list"),
    path("claims/new/<uuid:assignment>/", views_claims.claim_create, name="claim_create"),
    path("claims/export.<slug:fmt>", views_claims.claim_export, name="claim_export"),
    path("claims/<uuid:uuid>/", views_claims.claim_detail, name="claim_detail"),
    path("claims/<uuid:uuid>/edit/", views_claims.claim_edit, name="claim_edit"),
    path("claims/<uuid:uuid>/decide/", views_claims.claim_decide, name="claim_decide"),
    path(
        "claims/<uuid:uuid>/receipts/<uuid:expense>/",
        views_claims.receipt,
        name="claim_receipt",
    ),
    path("trainings/", views_support.training_list, name="training_list"),
    path("trainings/new/", views_support.training_edit, name="training_create"),
    path("trainings/<uuid:uuid>/", views_support.training_detail, name="training_detail"),
    path("trainings/<uuid:uuid>/signup/", views_support.training_signup, name="training_signup"),
    path(
        "trainings/<uuid:uuid>/attendance/",
        views_support.training_attendance,
        name="training_attendance",
    ),
    path(
        "guardians/<uuid:uuid>/support/",
        views_support.support_contact_create,
        name="support_contact_create",
    ),
    path(
        "children/<uuid:uuid>/access-report/",
        views.child_access_report,
        name="child_access_report",
    ),
]
