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

# Project planning and networks (issue 19, parts 3 and 4).
urlpatterns += [
    path("ideas/", views.idea_pipeline, name="idea_pipeline"),
    path("ideas/new/", views.idea_create, name="idea_create"),
    path("ideas/<uuid:uuid>/", views.idea_detail, name="idea_detail"),
    path("ideas/<uuid:uuid>/edit/", views.idea_edit, name="idea_edit"),
    path("ideas/<uuid:uuid>/project/", views.idea_make_project, name="idea_make_project"),
    path("ideas/<uuid:uuid>/<slug:step>/", views.idea_step, name="idea_step"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<uuid:uuid>/", views.network_detail, name="network_detail"),
    path("networks/<uuid:uuid>/edit/", views.network_edit, name="network_edit"),
    path("networks/<uuid:uuid>/contacts/", views.network_contact_add, name="network_contact_add"),
    path(
        "networks/<uuid:uuid>/contacts/<uuid:contact>/remove/",
        views.network_contact_remove,
        name="network_contact_remove",
    ),
    path("networks/<uuid:uuid>/meetings/", views.network_meeting_add, name="network_meeting_add"),
    path(
        "networks/<uuid:uuid>/meetings/<uuid:event>/remove/",
        views.network_meeting_remove,
        name="network_meeting_remove",
    ),
]
