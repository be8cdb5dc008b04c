from django.contrib.auth.decorators import login_not_required
from django.urls import path

from projects import views_news as views
from projects.feeds import NewsFeed

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("feed/", login_not_required(NewsFeed()), name="feed"),
    path("new/", views.news_create, name="create"),
    path("<uuid:uuid>/", views.news_detail, name="detail"),
    path("<uuid:uuid>/edit/", views.news_edit, name="edit"),
    path("<uuid:uuid>/delete/", views.news_delete, name="delete"),
]
