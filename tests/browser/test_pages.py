"""Every main page as each role: axe-core accessibility checks, and the layout at 360 px and
1280 px wide, with screenshots.

Reports go into artifacts/ (git-ignored): artifacts/axe/PAGE-ROLE.json and .md with
SUMMARY.md over all pages, and artifacts/screenshots/PAGE-ROLE-WIDTH.png.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from demo.scenario import create_demo_requests
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
from development.models import Bulletin, IdeaState, Network, PublishedAnswer, Subscriber
from fees.factories import FeeClaimFactory
from guardianship import documents
from guardianship.enums import AssignmentStatus, State
from guardianship.models import Assignment, DocumentKind, Guardian, GuardianshipRequest
from municipalities.models import Organisation
from projects.factories import EventFactory, NewsItemFactory
from projects.models import Project
from support.factories import TrainingEventFactory
from tests.browser.conftest import (
    BROWSER,
    DESKTOP,
    MOBILE,
    describe_violations,
    run_axe,
)

pytestmark = BROWSER

ROLES = ["anonymous", "social-worker", "coordinator", "guardian", "planner"]


@dataclass
class Portal:
    users: dict
    objects: dict = field(default_factory=dict)


@pytest.fixture
def portal(sw_pori, sw_rauma, coordinator, planner, settings, tmp_path):
    """The demo data of `seed_demo`: a dozen requests in every state, moved through the
    real workflow, five guardians (the `guardian` account is Eeva), a training, a claim,
    a court decision on Eeva's case and on the Pori team's (issue 14, part 3)."""
    settings.MEDIA_ROOT = tmp_path
    guardian_user = make_user("guardian", username="guardian")
    create_demo_requests(coordinator, {"pori": sw_pori, "rauma": sw_rauma})
    eeva = Guardian.objects.get(user=guardian_user)
    appointed = Assignment.objects.filter(status=AssignmentStatus.ACTIVE).select_related("request")
    claimed = appointed.filter(request__state=State.APPOINTED).first()
    FeeClaimFactory(
        assignment=claimed,
        hours=Decimal("12.50"),
        fee=Decimal("1234.50"),
        description="Tapaamiset ja neuvottelut.",
    )
    TrainingEventFactory(
        title="Edunvalvojan syventävä koulutus",
        place="Pori, Pikassoksen koulutustila",
        capacity=20,
    )
    objects = {
        "request-pori": GuardianshipRequest.objects.filter(
            unit__name="Lastensuojelu, Pori", state=State.APPLICATION_FILED
        ).get(),
        "request-searching": GuardianshipRequest.objects.filter(
            unit__name="Lastensuojelu, Pori", state=State.SEARCHING
        ).get(),
        "request-guardian": appointed.filter(guardian=eeva).first().request,
        "guardian": eeva,
    }
    for key in ("request-pori", "request-guardian"):
        documents.upload_document(
            objects[key],
            by=coordinator,
            kind=DocumentKind.COURT_DECISION,
            upload=SimpleUploadedFile("paatos.pdf", b"%PDF-1.4 paatos"),
        )
    EventFactory(title="Lastensuojelun verkostopäivä")
    NewsItemFactory(title="Edunvalvojia tarvitaan lisää")
    # The development question desk (issue 19): a question in the queue, a published answer.
    objects["question"] = QuestionFactory(text="Miten rakenteellista sosiaalityötä kehitetään?")
    objects["answer"] = PublishedAnswerFactory(
        question="Miten lastensuojelun monialaista yhteistyötä kehitetään?",
        answer="Lastensuojelun kehittämisessä auttavat yhteiset työparit.",
    )
    # Project planning and networks (issue 19, parts 3 and 4).
    county = Organisation.objects.get(slug="satakunnan-hyvinvointialue")
    for state in IdeaState:
        ProjectIdeaFactory(state=state, with_call=True, planner=planner)
    objects["idea"] = ProjectIdeaFactory(
        name="Nuorten jälkihuollon kehittämishanke", with_call=True, state=IdeaState.APPLIED
    )
    objects["idea"].partners.set([county])
    objects["network"] = NetworkFactory(
        name="Satakunnan lastensuojeluverkosto", is_public=True, members=[county]
    )
    NetworkContactFactory(network=objects["network"], name="Maija Verkostolainen")
    NetworkMeetingFactory(network=objects["network"], event__title="Verkoston kevättapaaminen")
    # The bulletin (issue 19, part 5): a sent one, a draft, a subscriber, a pending one.
    news = NewsItemFactory(title="Tiedotteen uutinen rakenteellisesta sosiaalityöstä")
    event = EventFactory(title="Tiedotteen verkostotapaaminen")
    objects["bulletin-sent"] = BulletinFactory(
        news_items=[news], events=[event], sent_at=timezone.now()
    )
    objects["bulletin-draft"] = BulletinFactory(news_items=[news], events=[event])
    objects["subscriber"] = SubscriberFactory()
    SubscriberFactory(
        pending=True,
        confirm_token_hash=bulletin.token_hash(CONFIRM_TOKEN),
        confirm_token_expires_at=timezone.now() + timedelta(days=1),
    )
    return Portal(
        users={
            "anonymous": None,
            "social-worker": sw_pori,
            "coordinator": coordinator,
            "guardian": guardian_user,
            "planner": planner,
        },
        objects=objects,
    )


def public_pages():
    # The first public project of the reference data (projects/reference.py).
    project = Project.objects.public().order_by("pk").first()
    return [
        ("front", reverse("home")),
        ("projects", reverse("projects:list")),
        ("project", project.get_absolute_url()),
        ("events", reverse("events:list")),
        ("news", reverse("news:list")),
        # The development question desk and the site search (issue 19).
        ("questions", reverse("development:answer_list")),
        ("answer", PublishedAnswer.objects.public().first().get_absolute_url()),
        ("ask", reverse("development:ask")),
        ("search", reverse("search") + "?q=lastensuojelun"),
        # Networks (issue 19, part 4): the public page, without the contact persons.
        ("networks", reverse("development:network_list")),
        ("network", Network.objects.public().first().get_absolute_url()),
        # The bulletin (issue 19, part 5): the archive, a sent bulletin, subscribing and
        # the pages of its e-mails' links.
        ("bulletins", reverse("development:bulletin_archive")),
        ("bulletin", Bulletin.objects.filter(sent_at__isnull=False).first().get_absolute_url()),
        ("bulletin-subscribe", reverse("development:bulletin_subscribe")),
        (
            "bulletin-confirm",
            reverse("development:bulletin_confirm", kwargs={"token": CONFIRM_TOKEN}),
        ),
        ("bulletin-unsubscribe", _unsubscribe_path()),
    ]


CONFIRM_TOKEN = "browser-confirmation-token"


def _unsubscribe_path():
    subscriber = Subscriber.objects.confirmed().first()
    return reverse(
        "development:bulletin_unsubscribe",
        kwargs={"uuid": subscriber.uuid, "token": bulletin.unsubscribe_token(subscriber.uuid)},
    )


def pages_for(role, portal):
    """(name, url) of the main pages that the role uses."""
    o = portal.objects
    request_url = o["request-pori"].get_absolute_url()
    access_report = reverse(
        "guardianship:child_access_report", args=[o["request-pori"].children.first().uuid]
    )
    common = [("home", reverse("home")), ("directory", reverse("municipalities:directory"))]
    if role == "anonymous":
        return [("login", reverse("login")), *public_pages()]
    if role == "social-worker":
        return [
            *common,
            ("organisation", reverse("municipalities:detail", args=["pori"])),
            ("requests", reverse("guardianship:request_list")),
            ("request-new", reverse("guardianship:request_create")),
            ("request", request_url),
            # A member organisation's user sees the network's contact persons (issue 19).
            ("network-member", o["network"].get_absolute_url()),
            # The guardian's consent to print and sign (issue 14, part 3).
            ("consent", reverse("guardianship:request_consent", args=[o["request-pori"].uuid])),
        ]
    if role == "coordinator":
        return [
            *common,
            ("requests", reverse("guardianship:request_list")),
            # The queue's export asks for its period first (issue 18).
            ("request-export", reverse("guardianship:request_export") + "?state=all"),
            ("request", request_url),
            (
                "matching",
                reverse("guardianship:request_matching", args=[o["request-searching"].uuid]),
            ),
            ("guardians", reverse("guardianship:guardian_list")),
            ("guardian", o["guardian"].get_absolute_url()),
            ("access-report", access_report),
            # The report to hand to the client: a document of its own, printed from here.
            ("access-report-print", f"{access_report}?format=print"),
            ("claims", reverse("fees:claim_list")),
            ("trainings", reverse("support:training_list")),
            ("stats", reverse("stats:index")),
        ]
    if role == "guardian":
        return [
            *common,
            ("my-cases", reverse("guardianship:my_assignments")),
            ("request", o["request-guardian"].get_absolute_url()),
            (
                "consent",
                reverse("guardianship:request_consent", args=[o["request-guardian"].uuid]),
            ),
            ("claims", reverse("fees:claim_list")),
            ("trainings", reverse("support:training_list")),
        ]
    if role == "planner":
        return [
            *common,
            ("organisation", reverse("municipalities:detail", args=["satakunnan-hyvinvointialue"])),
            # A former joint authority: its facts of 2020 shown as history (issue 14).
            ("organisation-former", reverse("municipalities:detail", args=["posa"])),
            ("stats", reverse("stats:index")),
            ("question-queue", reverse("development:queue")),
            ("question", o["question"].get_absolute_url()),
            # Project planning and networks (issue 19, parts 3 and 4), with the staff's forms.
            ("idea-pipeline", reverse("development:idea_pipeline")),
            ("idea", o["idea"].get_absolute_url()),
            ("idea-form", reverse("development:idea_edit", args=[o["idea"].uuid])),
            ("network-staff", o["network"].get_absolute_url()),
            ("network-form", reverse("development:network_edit", args=[o["network"].uuid])),
            ("bulletin-manage", reverse("development:bulletin_manage")),
            ("bulletin-new", reverse("development:bulletin_create")),
            (
                "bulletin-preview",
                reverse("development:bulletin_preview", args=[o["bulletin-draft"].uuid]),
            ),
            *public_pages(),
        ]
    raise ValueError(role)


def visit(page, name, url):
    response = page.goto(url)
    assert response.status == 200, f"{name} ({url}) answered {response.status}"


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_are_accessible_and_fit_360_and_1280_pixels(
    role, portal, open_browser, axe_summary, screenshots
):
    """axe-core finds no serious or critical violation on any page (1280 px wide), and no
    page scrolls sideways at 360 px; screenshots at both widths."""
    person = open_browser(portal.users[role], width=DESKTOP, bypass_csp=True)  # for axe-core
    page = person.page
    summaries, overflowing = [], []
    for name, url in pages_for(role, portal):
        page.set_viewport_size({"width": DESKTOP, "height": 900})
        visit(page, name, url)
        summaries.append(run_axe(page, f"{name}-{role}"))
        page.screenshot(path=screenshots / f"{name}-{role}-{DESKTOP}.png", full_page=True)
        # The same page on a small phone: the layout follows the viewport, no reload needed.
        page.set_viewport_size({"width": MOBILE, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > MOBILE + 1:
            overflowing.append(f"{name} ({url}): {scroll_width}px wide")
        page.screenshot(path=screenshots / f"{name}-{role}-{MOBILE}.png", full_page=True)
    axe_summary.extend(summaries)
    assert summaries
    assert not any(s["blocking"] for s in summaries), describe_violations(summaries)
    assert overflowing == [], "horizontal scrolling at 360 px:\n" + "\n".join(overflowing)
    person.assert_no_errors()
