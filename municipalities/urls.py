from django.urls import path

from municipalities import views

app_name = "municipalities"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.detail, name="detail"),
]
