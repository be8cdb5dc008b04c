"""The question desk: asking (honeypot and rate limit), each state change of a question,
assigning, linking, answering by e-mail through the outbox, and publishing without
personal data."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from development import services
from development.factories import PublishedAnswerFactory, QuestionFactory
from development.models import PublishedAnswer, Question, QuestionStatus
from projects.factories import ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db

S = QuestionStatus


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def ask_data(**changes):
    data = {
        "topic": "",
        "organisation": "",
        "organisation_name": "Eurajoen kunta",
        "contact_name": "Kalle Kysyjä",
        "contact_email": "kalle@example.invalid",
        "text": "Miten yhteisösosiaalityötä voi kehittää pienessä kunnassa?",
        "website": "",
    }
    data.update(changes)
    return data


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Asking ---------------------------------------------------------------------------------


def test_a_visitor_asks_through_the_public_form(client):
    theme = ThemeFactory(name="Rakenteellinen sosiaalityö")
    response = client.post(reverse("development:ask"), ask_data(topic=theme.pk))

    assert response.status_code == 302
    assert response["Location"] == reverse("development:answer_list")
    question = Question.objects.get()
    assert question.status == S.NEW
    assert question.topic == theme
    assert question.asked_by is None
    assert question.contact_email == "kalle@example.invalid"
    assert "Thank you" in texts(response)[0] or "Kiitos" in texts(response)[0]


def test_the_form_shows_the_honeypot_hidden(client):
    html = client.get(reverse("development:ask")).content.decode()
    assert "<div hidden>" in html
    assert 'name="website"' in html


def test_the_honeypot_stops_a_bot_without_telling_it(client):
    response = client.post(reverse("development:ask"), ask_data(website="http://spam.example"))

    assert response.status_code == 302  # the same answer as a real question gets
    assert Question.objects.count() == 0


def test_the_organisation_is_chosen_or_written(client):
    response = client.post(reverse("development:ask"), ask_data(organisation_name=""))

    assert response.status_code == 200
    assert Question.objects.count() == 0
    assert "organisation_name_error" in response.content.decode()


def test_the_rate_limit_refuses_the_next_question_from_the_same_address(client, settings):
    settings.DEVELOPMENT_QUESTIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(reverse("development:ask"), ask_data()).status_code == 302

    response = client.post(reverse("development:ask"), ask_data())

    assert response.status_code == 429
    assert Question.objects.count() == 2
    # The text is kept on the form, so nothing typed is lost.
    assert "yhteisösosiaalityötä" in response.content.decode()
    # Another address still may ask.
    other = client.post(reverse("development:ask"), ask_data(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    assert Question.objects.count() == 3


def test_a_signed_in_user_asks_and_sees_their_own_question(client, sw_pori, sw_rauma):
    client.force_login(sw_pori)
    form = client.get(reverse("development:ask")).content.decode()
    assert sw_pori.email in form  # the contact details are filled in

    response = client.post(reverse("development:ask"), ask_data(contact_email=sw_pori.email))

    question = Question.objects.get()
    assert question.asked_by == sw_pori
    assert response["Location"] == question.get_absolute_url()
    assert client.get(question.get_absolute_url()).status_code == 200
    assert (
        "yhteisösosiaalityötä" in client.get(reverse("development:my_questions")).content.decode()
    )
    client.force_login(sw_rauma)
    assert client.get(question.get_absolute_url()).status_code == 404
    assert (
        "yhteisösosiaalityötä"
        not in client.get(reverse("development:my_questions")).content.decode()
    )


# Each state change ---------------------------------------------------------------------


def step(client, question, name):
    return client.post(
        reverse("development:question_step", kwargs={"uuid": question.uuid, "step": name})
    )


def test_new_to_in_progress_assigns_the_one_who_starts(client, planner):
    question = QuestionFactory()
    client.force_login(planner)

    response = step(client, question, "start")

    question.refresh_from_db()
    assert question.status == S.IN_PROGRESS
    assert question.assigned_to == planner
    assert response["Location"] == question.get_absolute_url()


def test_in_progress_to_answered_sends_the_answer_through_the_outbox(client, planner, sent_mail):
    question = QuestionFactory(status=S.IN_PROGRESS, language="fi")
    client.force_login(planner)

    response = client.post(
        reverse("development:question_answer", kwargs={"uuid": question.uuid}),
        {"answer": "Kokeilkaa sosiaalista raportointia."},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == S.ANSWERED
    assert question.answered_by == planner
    assert question.answered_at is not None
    mails = sent_mail()
    assert len(mails) == 1
    assert mails[0].to == ["sanna.kysyja@example.invalid"]
    assert "Kokeilkaa sosiaalista raportointia." in mails[0].body
    # Nothing of the asker's own words or name goes into the e-mail.
    assert question.text not in mails[0].body
    assert "Sanna" not in mails[0].body
    assert "Pikassos" in mails[0].subject


def test_answered_to_closed(client, coordinator):
    question = QuestionFactory(answered=True)
    client.force_login(coordinator)

    step(client, question, "close")

    question.refresh_from_db()
    assert question.status == S.CLOSED
    assert question.closed_at is not None


@pytest.mark.parametrize("status", [S.NEW, S.IN_PROGRESS])
def test_a_question_can_be_closed_unanswered(client, planner, status, sent_mail):
    question = QuestionFactory(status=status)
    client.force_login(planner)

    step(client, question, "close")

    question.refresh_from_db()
    assert question.status == S.CLOSED
    assert sent_mail() == []


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.IN_PROGRESS, "start"),
        (S.ANSWERED, "start"),
        (S.CLOSED, "start"),
        (S.CLOSED, "close"),
        (S.NEW, "answer"),
        (S.ANSWERED, "answer"),
        (S.CLOSED, "answer"),
    ],
)
def test_an_invalid_transition_is_refused_with_a_message(
    client, planner, status, action, sent_mail
):
    question = QuestionFactory(
        status=status,
        answer="Vastaus." if status in (S.ANSWERED, S.CLOSED) else "",
        answered_at=question_time() if status in (S.ANSWERED, S.CLOSED) else None,
        closed_at=question_time() if status == S.CLOSED else None,
    )
    client.force_login(planner)
    if action == "answer":
        url = reverse("development:question_answer", kwargs={"uuid": question.uuid})
        response = client.post(url, {"answer": "Uusi vastaus."})
    else:
        response = step(client, question, action)

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == status
    assert sent_mail() == []
    page = client.get(response["Location"])
    assert "This cannot be done" in page.content.decode() or "ei voi" in page.content.decode()


def question_time():
    from django.utils import timezone

    return timezone.now()


def test_the_service_locks_and_refuses_a_second_answer(planner, coordinator):
    question = QuestionFactory(status=S.IN_PROGRESS)
    services.answer(question, "Ensimmäinen.", by=planner)
    with pytest.raises(services.WorkflowError):
        services.answer(question, "Toinen.", by=coordinator)
    question.refresh_from_db()
    assert question.answer == "Ensimmäinen."


def test_assigning_to_staff_only(client, planner, coordinator, sw_pori):
    question = QuestionFactory()
    client.force_login(planner)
    url = reverse("development:question_assign", kwargs={"uuid": question.uuid})

    client.post(url, {"assigned_to": coordinator.pk})
    question.refresh_from_db()
    assert question.assigned_to == coordinator

    response = client.post(url, {"assigned_to": sw_pori.pk})
    assert response.status_code == 200  # not among the choices: a form error
    question.refresh_from_db()
    assert question.assigned_to == coordinator
    with pytest.raises(services.WorkflowError):
        services.assign(question, sw_pori, by=planner)


def test_linking_to_a_project_and_theme(client, planner):
    question = QuestionFactory()
    theme, project = ThemeFactory(), ProjectFactory()
    client.force_login(planner)

    client.post(
        reverse("development:question_link", kwargs={"uuid": question.uuid}),
        {"topic": theme.pk, "project": project.pk},
    )

    question.refresh_from_db()
    assert (question.topic, question.project) == (theme, project)
    assert project.display_name in client.get(question.get_absolute_url()).content.decode()


# Publishing ----------------------------------------------------------------------------


def publish(client, question, **data):
    return client.post(
        reverse("development:question_publish", kwargs={"uuid": question.uuid}),
        {
            "question": "Miten rakenteellista sosiaalityötä kehitetään kunnassa?",
            "answer": "Aloittakaa sosiaalisen raportoinnin kokeilusta.",
            "question_sv": "",
            "answer_sv": "",
            **data,
        },
    )


def test_publishing_shows_the_reworded_texts_and_no_personal_data(client, planner):
    org_question = QuestionFactory(
        answered=True,
        contact_name="Sanna Kysyjä",
        contact_email="sanna.kysyja@example.invalid",
        organisation_name="Harjavallan perhekeskus",
        text="Olen Sanna Harjavallasta, miten kehitämme asiakkaan Matin palveluja?",
    )
    client.force_login(planner)
    assert publish(client, org_question).status_code == 302
    published = PublishedAnswer.objects.get()

    client.logout()
    for url in (reverse("development:answer_list"), published.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "rakenteellista sosiaalityötä" in html
        for personal in ("Sanna", "sanna.kysyja", "Harjavalla", "Matin", str(org_question.uuid)):
            assert personal not in html, (url, personal)


def test_only_an_answered_question_is_published(client, planner):
    question = QuestionFactory(status=S.IN_PROGRESS)
    client.force_login(planner)

    publish(client, question)

    assert not PublishedAnswer.objects.exists()


def test_the_swedish_version_is_shown_in_swedish(client, planner):
    question = QuestionFactory(answered=True)
    client.force_login(planner)
    publish(client, question, question_sv="Hur utvecklar vi barnskyddet?", answer_sv="Så här.")
    published = PublishedAnswer.objects.get()
    client.logout()

    html = client.get(published.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    client.cookies["django_language"] = "sv"
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Hur utvecklar vi barnskyddet?" in html


def test_withdrawing_hides_the_public_page(client, planner):
    published = PublishedAnswerFactory()
    client.force_login(planner)

    client.post(reverse("development:question_withdraw", kwargs={"uuid": published.source.uuid}))

    client.logout()
    assert client.get(published.get_absolute_url()).status_code == 404


def test_the_queue_shows_each_questions_status_date_asker_topic_and_handler(client, planner):
    """Its items through Jinja2 (development.rows): what the planner sorts the questions by."""
    long_text = " ".join(f"sana{i}" for i in range(20))
    handled = QuestionFactory(
        text=long_text, status=QuestionStatus.IN_PROGRESS, assigned_to=planner
    )
    QuestionFactory(text="Toinen kysymys", organisation_name="Ulvilan perhekeskus")
    client.force_login(planner)
    html = client.get(reverse("development:queue")).content.decode()
    url = reverse("development:question_detail", kwargs={"uuid": handled.uuid})
    created = timezone.localtime(handled.created_at)
    item = html.split(f'<a href="{url}">', 1)[1].split("</article>", 1)[0]
    assert item.startswith(" ".join(f"sana{i}" for i in range(12)) + " …</a>")
    assert ">Käsittelyssä</span>" in item
    assert f'<time datetime="{created.isoformat(timespec="seconds")}">' in item
    assert f"{created.day}.{created.month}.{created.year}</time>" in item
    assert "Harjavallan perhekeskus" in item and f"Käsittelijä: {planner}" in item
    other = html.split("Toinen kysymys", 1)[1].split("</article>", 1)[0]
    assert "Ulvilan perhekeskus" in other and "Ei käsittelijää" in other
