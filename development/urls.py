from django.urls import path

from development import bulletin_views, views

app_name = "development"

# The bulletin (issue 19, part 5), in a block of its own.
bulletin_urlpatterns = [
    path("bulletin/", bulletin_views.archive, name="bulletin_archive"),
    path("bulletin/subscribe/", bulletin_views.subscribe, name="bulletin_subscribe"),
    path("bulletin/confirm/<str:token>/", bulletin_views.confirm, name="bulletin_confirm"),
    path(
        "bulletin/unsubscribe/<uuid:uuid>/<str:token>/",
        bulletin_views.unsubscribe,
        name="bulletin_unsubscribe",
    ),
    path("bulletin/manage/", bulletin_views.manage, name="bulletin_manage"),
    path("bulletin/new/", bulletin_views.create, name="bulletin_create"),
    path("bulletin/<uuid:uuid>/", bulletin_views.detail, name="bulletin_detail"),
    path("bulletin/<uuid:uuid>/edit/", bulletin_views.edit, name="bulletin_edit"),
    path("bulletin/<uuid:uuid>/preview/", bulletin_views.preview, name="bulletin_preview"),
    path("bulletin/<uuid:uuid>/send/", bulletin_views.send, name="bulletin_send"),
]

urlpatterns = [
    *bulletin_urlpatterns,
    path("", views.answer_list, name="answer_list"),
    path("ask/", views.ask, name="ask"),
    path("answers/<uuid:uuid>/", views.answer_detail, name="answer_detail"),
    path("queue/", views.queue, name="queue"),
    path("mine/", views.my_questions, name="my_questions"),
    path("<uuid:uuid>/", views.question_detail, name="question_detail"),
    path("<uuid:uuid>/assign/", views.question_assign, name="question_assign"),
    path("<uuid:uuid>/link/", views.question_link, name="question_link"),
    path("<uuid:uuid>/answer/", views.question_answer, name="question_answer"),
    path("<uuid:uuid>/publish/", views.question_publish, name="question_publish"),
    path("<uuid:uuid>/withdraw/", views.question_withdraw, name="question_withdraw"),
    path("<uuid:uuid>/<slug:step>/", views.question_step, name="question_step"),
]
