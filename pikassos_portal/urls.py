from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from common import errors
from common import views as common_views
from development import views as development_views
from pikassos_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path("accessibility/", common_views.accessibility, name="accessibility"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("organisations/", include("municipalities.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("projects.urls_events")),
    path("news/", include("projects.urls_news")),
    path("questions/", include("development.urls")),
    path("search/", development_views.site_search, name="search"),
    path("guardianship/", include("guardianship.urls")),
    # Fees, support and statistics kept the addresses they had inside guardianship.
    path("guardianship/", include("fees.urls")),
    path("guardianship/", include("support.urls")),
    path("guardianship/", include("stats.urls")),
    path("admin/", admin.site.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
