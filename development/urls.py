from django.urls import path

from development import views

app_name = "development"

urlpatterns = [
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
