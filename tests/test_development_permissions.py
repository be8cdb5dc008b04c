"""Who may open which page of the development question desk, the site search, the project
ideas and the networks: a permission matrix, one test per cell, beside
tests/test_fees_support_stats_permissions.py.

Anybody may ask, read the published answers and search; only Pikassos' staff (planners,
coordinators, the administrator) handle the queue; a signed-in asker opens their own
question (sw_pori asked it) and nobody else's (404). A refused request changes nothing.

Project ideas are the staff's alone (403 for everybody else). Networks: the staff manage
them; the county's users (sw_pori, sw_rauma, team_leader, payer) open the internal network
whose member the county is, with its contact persons; guardians and visitors, who belong
to no member organisation, do not know it exists (404) and see the public network without
its contact persons.
The bulletin (issue 19, part 5): anybody subscribes, opens the links of its e-mails and
reads the archive; only Pikassos' staff compose, preview and send bulletins.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from development import bulletin
from development.factories import (
    BulletinFactory,
    NetworkContactFactory,
    NetworkFactory,
    NetworkMeetingFactory,
    ProjectIdeaFactory,
    PublishedAnswerFactory,
    QuestionFactory,
    SubscriberFactory,
)
from development.models import (
    Bulletin,
    IdeaState,
    Network,
    NetworkContact,
    NetworkMeeting,
    ProjectIdea,
    PublishedAnswer,
    Question,
    QuestionStatus,
    Subscriber,
)
from municipalities.models import Organisation
from projects.factories import EventFactory, NewsItemFactory
from projects.models import Project
from tests.matrix import ROLES, assert_redirect, cells, role_users
from tests.url_walk import url_names

pytestmark = pytest.mark.django_db

# fmt: off
MATRIX = [
    # endpoint                            anon coord plan pori rauma lead  g_in g_out payer super
    ("development:answer_list",           200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:answer_detail",         200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:ask",                   200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:ask_post",              302, 302, 302, 302, 302,  302,  302, 302,  302,  302),
    ("search",                            200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:queue",                 302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:my_questions",          302, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    # sw_pori asked it: the asker sees it, another social worker does not know it exists.
    ("development:question_detail",       302, 200, 200, 200, 404,  404,  404, 404,  404,  200),
    ("development:question_step",         302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:question_assign",       302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:question_link",         302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:question_answer",       302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:question_publish",      302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:question_withdraw",     302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    # Project planning (part 3): the staff's only.
    ("development:idea_pipeline",         302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:idea_create",           302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:idea_create_post",      302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:idea_detail",           302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:idea_edit",             302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:idea_edit_post",        302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:idea_step",             302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:idea_make_project",     302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    # Networks (part 4): the internal network's member is the county.
    ("development:network_list",          200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:network_detail",        404, 200, 200, 200, 200,  200,  404, 404,  200,  200),
    ("development:network_detail_public", 200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:network_create",        302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:network_create_post",   302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:network_edit",          302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:network_edit_post",     302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:network_contact_add",   302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:network_contact_remove", 302, 302, 302, 403, 403, 403,  403, 403,  403,  302),
    ("development:network_meeting_add",   302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:network_meeting_remove", 302, 302, 302, 403, 403, 403,  403, 403,  403,  302),
    # The bulletin (issue 19, part 5).
    ("development:bulletin_archive",      200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:bulletin_detail",       200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:bulletin_subscribe",    200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:bulletin_subscribe_post", 302, 302, 302, 302, 302, 302, 302, 302, 302,  302),
    ("development:bulletin_confirm",      200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:bulletin_unsubscribe",  200, 200, 200, 200, 200,  200,  200, 200,  200,  200),
    ("development:bulletin_manage",       302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:bulletin_create",       302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:bulletin_create_post",  302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
    ("development:bulletin_edit",         302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:bulletin_preview",      302, 200, 200, 403, 403,  403,  403, 403,  403,  200),
    ("development:bulletin_send",         302, 302, 302, 403, 403,  403,  403, 403,  403,  302),
]
# Answers that change something for anybody, anonymous visitors included: not to a login.
PUBLIC_POSTS = ("development:ask_post", "development:bulletin_subscribe_post")
CONFIRM_TOKEN = "matrix-confirmation-token"
# fmt: on


class World:
    def __init__(self, sw_pori, planner):
        self.new = QuestionFactory(asked_by=sw_pori)
        self.in_progress = QuestionFactory(status=QuestionStatus.IN_PROGRESS)
        self.answered = QuestionFactory(answered=True)
        self.published = PublishedAnswerFactory()
        self.planner = planner
        self.idea = ProjectIdeaFactory()
        self.funded = ProjectIdeaFactory(with_call=True, state=IdeaState.FUNDED)
        county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
        self.network = NetworkFactory(is_public=False, members=[county])
        self.contact = NetworkContactFactory(network=self.network, name="Maija Verkostolainen")
        self.meeting = NetworkMeetingFactory(network=self.network)
        self.public_network = NetworkFactory(is_public=True)
        NetworkContactFactory(network=self.public_network, name="Pekka Julkisenverkostonhenkilö")
        self.event = EventFactory()
        self.news = NewsItemFactory()
        self.draft = BulletinFactory(news_items=[self.news])
        self.sent = BulletinFactory(news_items=[self.news], sent_at=timezone.now())
        self.subscriber = SubscriberFactory()
        self.pending = SubscriberFactory(
            pending=True,
            confirm_token_hash=bulletin.token_hash(CONFIRM_TOKEN),
            confirm_token_expires_at=timezone.now() + datetime.timedelta(hours=1),
        )


def endpoint(world, name):
    new = {"uuid": world.new.uuid}
    table = {
        "development:answer_list": ("get", reverse("development:answer_list"), None),
        "development:answer_detail": ("get", world.published.get_absolute_url(), None),
        "development:ask": ("get", reverse("development:ask"), None),
        "development:ask_post": (
            "post",
            reverse("development:ask"),
            {
                "organisation_name": "Porin kaupunki",
                "contact_name": "Kysyjä",
                "contact_email": "kysyja@example.invalid",
                "text": "Miten kehittämishanke suunnitellaan?",
            },
        ),
        "search": ("get", reverse("search"), {"q": "kehittäminen"}),
        "development:queue": ("get", reverse("development:queue"), None),
        "development:my_questions": ("get", reverse("development:my_questions"), None),
        "development:question_detail": ("get", world.new.get_absolute_url(), None),
        "development:question_step": (
            "post",
            reverse("development:question_step", kwargs={**new, "step": "start"}),
            {},
        ),
        "development:question_assign": (
            "post",
            reverse("development:question_assign", kwargs=new),
            {"assigned_to": world.planner.pk},
        ),
        "development:question_link": (
            "post",
            reverse("development:question_link", kwargs=new),
            {"topic": "", "project": ""},
        ),
        "development:question_answer": (
            "post",
            reverse("development:question_answer", kwargs={"uuid": world.in_progress.uuid}),
            {"answer": "Vastaus."},
        ),
        "development:question_publish": (
            "post",
            reverse("development:question_publish", kwargs={"uuid": world.answered.uuid}),
            {"question": "Julkinen kysymys?", "answer": "Julkinen vastaus."},
        ),
        "development:question_withdraw": (
            "post",
            reverse("development:question_withdraw", kwargs={"uuid": world.published.source.uuid}),
            {},
        ),
        "development:bulletin_archive": ("get", reverse("development:bulletin_archive"), None),
        "development:bulletin_detail": ("get", world.sent.get_absolute_url(), None),
        "development:bulletin_subscribe": ("get", reverse("development:bulletin_subscribe"), None),
        "development:bulletin_subscribe_post": (
            "post",
            reverse("development:bulletin_subscribe"),
            {"email": "uusi@example.invalid", "language": "sv", "consent": "on"},
        ),
        "development:bulletin_confirm": (
            "get",
            reverse("development:bulletin_confirm", kwargs={"token": CONFIRM_TOKEN}),
            None,
        ),
        "development:bulletin_unsubscribe": (
            "get",
            reverse(
                "development:bulletin_unsubscribe",
                kwargs={
                    "uuid": world.subscriber.uuid,
                    "token": bulletin.unsubscribe_token(world.subscriber.uuid),
                },
            ),
            None,
        ),
        "development:bulletin_manage": ("get", reverse("development:bulletin_manage"), None),
        "development:bulletin_create": ("get", reverse("development:bulletin_create"), None),
        "development:bulletin_create_post": (
            "post",
            reverse("development:bulletin_create"),
            {
                "title": "Uusi tiedote",
                "title_sv": "Nytt nyhetsbrev",
                "intro": "Hei!",
                "intro_sv": "Hej!",
                "news_items": [world.news.pk],
            },
        ),
        "development:bulletin_edit": (
            "get",
            reverse("development:bulletin_edit", kwargs={"uuid": world.draft.uuid}),
            None,
        ),
        "development:bulletin_preview": (
            "get",
            reverse("development:bulletin_preview", kwargs={"uuid": world.draft.uuid}),
            None,
        ),
        "development:bulletin_send": (
            "post",
            reverse("development:bulletin_send", kwargs={"uuid": world.draft.uuid}),
            {},
        ),
    }
    idea = {"uuid": world.idea.uuid}
    network = {"uuid": world.network.uuid}
    idea_data = {"name": "Uusi hankeidea", "description": "", "pikassos_role": ""}
    table.update(
        {
            "development:idea_pipeline": ("get", reverse("development:idea_pipeline"), None),
            "development:idea_create": ("get", reverse("development:idea_create"), None),
            "development:idea_create_post": (
                "post",
                reverse("development:idea_create"),
                idea_data,
            ),
            "development:idea_detail": ("get", world.idea.get_absolute_url(), None),
            "development:idea_edit": (
                "get",
                reverse("development:idea_edit", kwargs=idea),
                None,
            ),
            "development:idea_edit_post": (
                "post",
                reverse("development:idea_edit", kwargs=idea),
                {**idea_data, "name": "Uusi nimi", "version": world.idea.version},
            ),
            "development:idea_step": (
                "post",
                reverse("development:idea_step", kwargs={**idea, "step": "plan"}),
                {},
            ),
            "development:idea_make_project": (
                "post",
                reverse("development:idea_make_project", kwargs={"uuid": world.funded.uuid}),
                {},
            ),
            "development:network_list": ("get", reverse("development:network_list"), None),
            "development:network_detail": ("get", world.network.get_absolute_url(), None),
            "development:network_detail_public": (
                "get",
                world.public_network.get_absolute_url(),
                None,
            ),
            "development:network_create": ("get", reverse("development:network_create"), None),
            "development:network_create_post": (
                "post",
                reverse("development:network_create"),
                {"name": "Uusi verkosto", "description": ""},
            ),
            "development:network_edit": (
                "get",
                reverse("development:network_edit", kwargs=network),
                None,
            ),
            "development:network_edit_post": (
                "post",
                reverse("development:network_edit", kwargs=network),
                {"name": "Uusi nimi", "is_public": "on", "version": world.network.version},
            ),
            "development:network_contact_add": (
                "post",
                reverse("development:network_contact_add", kwargs=network),
                {
                    "name": "Ville Verkko",
                    "work_role": "Koordinaattori",
                    "work_email": "ville@example.invalid",
                    "basis": "legitimate_interest",
                    "retention_note": "Vuoden loppuun.",
                },
            ),
            "development:network_contact_remove": (
                "post",
                reverse(
                    "development:network_contact_remove",
                    kwargs={**network, "contact": world.contact.uuid},
                ),
                {},
            ),
            "development:network_meeting_add": (
                "post",
                reverse("development:network_meeting_add", kwargs=network),
                {"event": world.event.pk},
            ),
            "development:network_meeting_remove": (
                "post",
                reverse(
                    "development:network_meeting_remove",
                    kwargs={**network, "event": world.meeting.event.uuid},
                ),
                {},
            ),
        }
    )
    return table[name]


@pytest.fixture
def world(sw_pori, planner):
    return World(sw_pori, planner)


@pytest.fixture
def users(request, world):
    return role_users(request, make_user(Role.GUARDIAN, username="otto-other-guardian"))


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


def snapshot():
    return (
        sorted(Question.objects.values_list("pk", "status", "assigned_to", "answer", "topic")),
        sorted(PublishedAnswer.objects.values_list("pk", "question", "withdrawn_at")),
        sorted(ProjectIdea.objects.values_list("pk", "name", "state", "project")),
        Project.objects.count(),
        sorted(Network.objects.values_list("pk", "name", "is_public")),
        sorted(NetworkContact.objects.values_list("pk", flat=True)),
        sorted(NetworkMeeting.objects.values_list("event", flat=True)),
        sorted(Bulletin.objects.values_list("pk", "title", "sent_at", "recipient_count")),
        sorted(Subscriber.objects.values_list("pk", "email", "confirmed_at", "unsubscribed_at")),
    )


@pytest.mark.parametrize(("name", "role", "expected"), cells(MATRIX))
def test_permission_matrix(client, world, users, name, role, expected):
    user = users[role]
    if user is not None:
        client.force_login(user)
    method, url, data = endpoint(world, name)
    before = snapshot()

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected, (name, role)
    if expected == 302 and name not in PUBLIC_POSTS:
        assert_redirect(response, role)
    if expected in (403, 404) or (role == "anonymous" and name not in PUBLIC_POSTS):
        assert snapshot() == before


def test_the_matrix_covers_every_url_of_the_desk_and_the_search():
    rows = {row[0] for row in MATRIX}
    names = url_names("development:") | {"search"}
    missing = [n for n in names if not any(r == n or r.startswith(f"{n}_") for r in rows)]
    assert missing == []
    assert len(ROLES) == len(MATRIX[0]) - 1


# What an allowed POST does, besides redirecting.
EFFECTS = [
    ("development:question_step", "planner", lambda w: w.new.status == QuestionStatus.IN_PROGRESS),
    (
        "development:question_step",
        "superuser",
        lambda w: w.new.status == QuestionStatus.IN_PROGRESS,
    ),
    ("development:question_assign", "coordinator", lambda w: w.new.assigned_to == w.planner),
    (
        "development:question_answer",
        "coordinator",
        lambda w: w.in_progress.status == QuestionStatus.ANSWERED,
    ),
    (
        "development:question_publish",
        "planner",
        lambda w: w.answered.published.question == "Julkinen kysymys?",
    ),
    (
        "development:question_withdraw",
        "planner",
        lambda w: w.published.withdrawn_at is not None,
    ),
    ("development:ask_post", "anonymous", lambda w: Question.objects.count() == 5),
    ("development:idea_create_post", "planner", lambda w: ProjectIdea.objects.count() == 3),
    ("development:idea_edit_post", "coordinator", lambda w: w.idea.name == "Uusi nimi"),
    ("development:idea_step", "planner", lambda w: w.idea.state == IdeaState.PLANNING),
    ("development:idea_step", "superuser", lambda w: w.idea.steps.get().to_state == "planning"),
    ("development:idea_make_project", "coordinator", lambda w: w.funded.project is not None),
    ("development:network_create_post", "planner", lambda w: Network.objects.count() == 3),
    ("development:network_edit_post", "coordinator", lambda w: w.network.is_public),
    (
        "development:network_contact_add",
        "planner",
        lambda w: w.network.contacts.filter(name="Ville Verkko").exists(),
    ),
    ("development:network_contact_remove", "planner", lambda w: not w.network.contacts.exists()),
    (
        "development:network_meeting_add",
        "coordinator",
        lambda w: w.network.meetings.filter(event=w.event).exists(),
    ),
    ("development:network_meeting_remove", "planner", lambda w: not w.network.meetings.exists()),
    (
        "development:bulletin_subscribe_post",
        "anonymous",
        lambda w: Subscriber.objects.filter(email="uusi@example.invalid", language="sv").exists(),
    ),
    (
        "development:bulletin_create_post",
        "planner",
        lambda w: Bulletin.objects.filter(title="Uusi tiedote").exists(),
    ),
    ("development:bulletin_send", "coordinator", lambda w: w.draft.sent_at is not None),
    ("development:bulletin_send", "superuser", lambda w: w.draft.recipient_count == 1),
]


@pytest.mark.parametrize(
    ("name", "role", "after"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in EFFECTS],
)
def test_what_an_allowed_post_does(client, world, users, name, role, after):
    if users[role] is not None:
        client.force_login(users[role])
    _method, url, data = endpoint(world, name)

    assert client.post(url, data).status_code == 302

    for obj in (
        world.new,
        world.in_progress,
        world.answered,
        world.published,
        world.idea,
        world.funded,
        world.network,
        world.draft,
    ):
        obj.refresh_from_db()
    assert after(world)


# Who sees a network's contact persons (work details), and who only its public page.
# fmt: off
CONTACTS = [
    # network           anon   coord plan  pori  rauma lead  g_in  g_out payer super
    ("internal",        None,  True, True, True, True, True, None, None, True, True),
    ("public",          False, True, True, False, False, False, False, False, False, True),
]
# fmt: on


@pytest.mark.parametrize(("which", "role", "sees"), cells(CONTACTS))
def test_who_sees_the_contact_persons(client, world, users, which, role, sees):
    """True: the page with the contact person; False: the page without; None: no page."""
    if users[role] is not None:
        client.force_login(users[role])
    network, name = {
        "internal": (world.network, "Maija Verkostolainen"),
        "public": (world.public_network, "Pekka Julkisenverkostonhenkilö"),
    }[which]

    response = client.get(network.get_absolute_url())

    if sees is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert (name in response.content.decode()) is sees
