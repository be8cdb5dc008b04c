from django.urls import path

from fees import views

app_name = "fees"

# Mounted under /guardianship/ (pikassos_portal/urls.py), where the claims always were.
urlpatterns = [
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/<uuid:assignment>/", views.claim_create, name="claim_create"),
    path("claims/export.<slug:fmt>", views.claim_export, name="claim_export"),
    path("claims/payment/", views.claim_payment, name="claim_payment"),
    path("claims/<uuid:uuid>/", views.claim_detail, name="claim_detail"),
    path("claims/<uuid:uuid>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<uuid:uuid>/decide/", views.claim_decide, name="claim_decide"),
    path("contacts/<uuid:assignment>/", views.contact_log, name="contact_log"),
    path(
        "contacts/<uuid:assignment>/<uuid:entry>/delete/",
        views.contact_delete,
        name="contact_delete",
    ),
    path("claims/<uuid:uuid>/receipts/<uuid:expense>/", views.receipt, name="claim_receipt"),
    # The guardian's payee details: their own (no identifier), and a guardian's for the
    # coordinators.
    path("payee/", views.payee_edit, name="payee_edit"),
    path("payee/<uuid:uuid>/", views.payee_detail, name="payee_detail"),
]
