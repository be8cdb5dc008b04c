"""Every main page of every role, as `make bench` measures it (issue 18, part 4), and the
URLs it leaves out, each with the reason.

A page is (name, role, URL name, sample, class). The sample picks the object the page
shows from the benchmark's database (seed_demo plus demo.volume) and returns the URL's
arguments and query string; the class sets the page's target (`TARGETS`).
`demo/tests/test_bench_pages.py` fails when a URL of the portal is in neither list, and
opens every listed page as its role on a small seed, so the benchmark cannot break
unnoticed.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role

# The demo accounts each role's pages are measured as (seed_demo), and the payer, whom
# the demo lacks: made by `bench_users` (an official of the county, which pays since 2023).
ROLES = {
    "coordinator": "coordinator",
    "social_worker": "sw-pori",
    "team_leader": "lead-county",
    "guardian": "guardian",
    "planner": "planner",
    "payer": "bench-payer",
    "admin": "admin",
}

# Page classes and their targets against the signed-in baseline (issue 18).
REFERENCE = "reference"  # the baselines and the admin changelist: what others are held to
LIST = "list"  # the daily lists and the case page: ≥ 0.5×, p95 < 100 ms
LIGHT = "light"  # statistics, news, directory, home: ≥ 0.6×
OTHER = "other"  # every other main page: ≥ 0.25× and faster than the admin changelist
TARGETS = {LIST: 0.5, LIGHT: 0.6, OTHER: 0.25}


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: str
    sample: object = None  # a function returning (kwargs, query string), or None
    kind: str = OTHER
    query: str = ""
    kwargs: dict = field(default_factory=dict)

    def path(self):
        kwargs, query = dict(self.kwargs), self.query
        if self.sample is not None:
            found, extra = self.sample()
            kwargs.update(found)
            query = query or extra
        return reverse(self.url, kwargs=kwargs) + (f"?{query}" if query else "")


def _one(queryset, what):
    row = queryset.first()
    if row is None:
        raise LookupError(f"The benchmark's data has no {what}.")
    return row


def _request(**filters):
    from guardianship.models import GuardianshipRequest

    def pick():
        found = _one(
            GuardianshipRequest.objects.filter(
                Q(created_by__username="sw-pori") | Q(responsible_worker__username="sw-pori"),
                **filters,
            ).order_by("-pk"),
            f"request of sw-pori {filters}",
        )
        return {"uuid": found.uuid}, ""

    return pick


def _child():
    from guardianship.models import Child

    found = _one(
        Child.objects.filter(request__created_by__username="sw-pori").order_by("-pk"), "child"
    )
    return {"uuid": found.uuid}, ""


def _guardian():
    from guardianship.models import Guardian

    return {"uuid": _one(Guardian.objects.order_by("pk"), "guardian").uuid}, ""


def _own_assignment():
    from fees.policies import claimable_assignments

    guardian = get_user_model().objects.get(username=ROLES["guardian"])
    found = _one(
        claimable_assignments(guardian).order_by("-pk"), "appointed case of the demo guardian"
    )
    return {"assignment": found.uuid}, ""


def _last_quarter():
    """The first and last day of the last full quarter."""
    today = timezone.localdate()
    this_quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = this_quarter - datetime.timedelta(days=1)
    return end.replace(month=end.month - 2, day=1), end


def _export():
    from municipalities.models import Organisation

    # A payer exports a quarter, the period guardians claim for (about 1 300 claims of
    # the county's at this volume); the whole twelve years is no daily task.
    county = Organisation.objects.region_county()
    start, end = _last_quarter()
    return {"fmt": "csv"}, f"payer={county.slug}&start={start:%d.%m.%Y}&end={end:%d.%m.%Y}"


def _request_export():
    # The coordinator's quarterly report: every request submitted in the last full
    # quarter, whatever its state (some 5 000 at this volume).
    start, end = _last_quarter()
    return {}, f"state=all&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"


def _claim():
    from fees.models import FeeClaim

    return {"uuid": _one(FeeClaim.objects.order_by("-pk"), "fee claim").uuid}, ""


def _payee():
    from fees.models import Payee

    found = _one(Payee.objects.select_related("guardian").order_by("pk"), "payee")
    return {"uuid": found.guardian.uuid}, ""


def _project():
    from projects.models import Project

    return {"slug": _one(Project.objects.order_by("pk"), "project").slug}, ""


def _event():
    from projects.models import Event

    return {"uuid": _one(Event.objects.order_by("-starts_at"), "event").uuid}, ""


def _news():
    from projects.models import NewsItem

    return {"uuid": _one(NewsItem.objects.order_by("-pk"), "news item").uuid}, ""


def _training():
    from support.models import TrainingEvent

    return {"uuid": _one(TrainingEvent.objects.order_by("-pk"), "training").uuid}, ""


def _question():
    from development.models import Question

    return {"uuid": _one(Question.objects.order_by("-pk"), "development question").uuid}, ""


def _answer():
    from development.models import PublishedAnswer

    found = _one(PublishedAnswer.objects.order_by("-pk"), "published answer")
    return {"uuid": found.uuid}, ""


def _idea():
    from development.models import ProjectIdea

    return {"uuid": _one(ProjectIdea.objects.order_by("-pk"), "project idea").uuid}, ""


def _network():
    from development.models import Network

    return {"uuid": _one(Network.objects.order_by("pk"), "network").uuid}, ""


def _bulletin(sent):
    from development.models import Bulletin

    def pick():
        found = _one(
            Bulletin.objects.filter(sent_at__isnull=not sent).order_by("-pk"),
            "sent bulletin" if sent else "draft bulletin",
        )
        return {"uuid": found.uuid}, ""

    return pick


def _organisation():
    return {"slug": "pori"}, ""


# fmt: off
PAGES = [
    # Reference points.
    Page("baseline", "anonymous", "accessibility", kind=REFERENCE),
    Page("baseline_signed_in", "coordinator", "accessibility", kind=REFERENCE),
    Page("admin_changelist", "admin", "admin:guardianship_guardianshiprequest_changelist",
         kind=REFERENCE),
    # Home and the public pages.
    Page("front", "anonymous", "home", kind=LIGHT),
    Page("home", "coordinator", "home", kind=LIGHT),
    Page("home_social_worker", "social_worker", "home", kind=LIGHT),
    Page("home_guardian", "guardian", "home", kind=LIGHT),
    Page("login", "anonymous", "login"),
    Page("organisation_directory", "social_worker", "municipalities:directory", kind=LIGHT),
    Page("organisation", "social_worker", "municipalities:detail", _organisation),
    Page("news_list", "social_worker", "news:list", kind=LIGHT),
    Page("news_feed", "anonymous", "news:feed"),
    Page("news_item", "social_worker", "news:detail", _news),
    Page("news_create", "planner", "news:create"),
    Page("news_edit", "planner", "news:edit", _news),
    Page("projects", "social_worker", "projects:list"),
    Page("project", "social_worker", "projects:detail", _project),
    Page("project_create", "planner", "projects:create"),
    Page("project_edit", "planner", "projects:edit", _project),
    Page("events", "social_worker", "events:list"),
    Page("events_past", "social_worker", "events:past"),
    Page("events_calendar", "anonymous", "events:calendar"),
    Page("event", "social_worker", "events:detail", _event),
    Page("event_ics", "anonymous", "events:ics", _event),
    Page("event_create", "planner", "events:create"),
    Page("event_edit", "planner", "events:edit", _event),
    Page("search", "anonymous", "search", query="q=lastensuojelun"),
    Page("answers", "anonymous", "development:answer_list"),
    Page("answer", "anonymous", "development:answer_detail", _answer),
    Page("ask", "social_worker", "development:ask"),
    Page("question_queue", "planner", "development:queue"),
    Page("my_questions", "social_worker", "development:my_questions"),
    Page("question", "planner", "development:question_detail", _question),
    Page("bulletins", "anonymous", "development:bulletin_archive"),
    Page("bulletin", "anonymous", "development:bulletin_detail", _bulletin(sent=True)),
    Page("bulletin_subscribe", "anonymous", "development:bulletin_subscribe"),
    Page("bulletin_manage", "planner", "development:bulletin_manage"),
    Page("bulletin_create", "planner", "development:bulletin_create"),
    Page("bulletin_edit", "planner", "development:bulletin_edit", _bulletin(sent=False)),
    Page("bulletin_preview", "planner", "development:bulletin_preview", _bulletin(sent=False)),
    Page("idea_pipeline", "planner", "development:idea_pipeline"),
    Page("idea", "planner", "development:idea_detail", _idea),
    Page("idea_create", "planner", "development:idea_create"),
    Page("idea_edit", "planner", "development:idea_edit", _idea),
    Page("networks", "anonymous", "development:network_list"),
    Page("networks_planner", "planner", "development:network_list"),
    Page("network", "planner", "development:network_detail", _network),
    Page("network_create", "planner", "development:network_create"),
    Page("network_edit", "planner", "development:network_edit", _network),
    # Guardianship: the queue, the lists and the case.
    Page("queue", "coordinator", "guardianship:request_list", kind=LIST),
    Page("queue_filtered", "coordinator", "guardianship:request_list", kind=LIST,
         query="state=searching&municipality=pori&language=fi"),
    Page("social_worker_list", "social_worker", "guardianship:request_list", kind=LIST),
    Page("team_leader_list", "team_leader", "guardianship:request_list", kind=LIST),
    Page("request_page", "social_worker", "guardianship:request_detail",
         _request(state="received"), kind=LIST),
    Page("request_page_coordinator", "coordinator", "guardianship:request_detail",
         _request(state="searching"), kind=LIST),
    Page("request_create", "social_worker", "guardianship:request_create"),
    Page("request_matching", "coordinator", "guardianship:request_matching",
         _request(state="searching")),
    Page("request_consent", "social_worker", "guardianship:request_consent",
         _request(state="consent_given")),
    Page("request_export", "coordinator", "guardianship:request_export", _request_export),
    Page("child_access_report", "coordinator", "guardianship:child_access_report", _child),
    Page("my_assignments", "guardian", "guardianship:my_assignments", kind=LIST),
    Page("guardian_pool", "coordinator", "guardianship:guardian_list", kind=LIST),
    Page("guardian", "coordinator", "guardianship:guardian_detail", _guardian),
    Page("guardian_create", "coordinator", "guardianship:guardian_create"),
    Page("guardian_edit", "coordinator", "guardianship:guardian_edit", _guardian),
    # Fees, support and statistics.
    Page("claims", "coordinator", "fees:claim_list", kind=LIST),
    Page("claims_payer", "payer", "fees:claim_list", kind=LIST),
    Page("claim", "coordinator", "fees:claim_detail", _claim),
    Page("claim_create", "guardian", "fees:claim_create", _own_assignment),
    Page("claim_export", "payer", "fees:claim_export", _export),
    Page("claim_payment", "payer", "fees:claim_payment"),
    Page("contact_log", "guardian", "fees:contact_log", _own_assignment),
    Page("payee_edit", "guardian", "fees:payee_edit"),
    Page("payee", "coordinator", "fees:payee_detail", _payee),
    Page("trainings", "guardian", "support:training_list"),
    Page("training", "coordinator", "support:training_detail", _training),
    Page("training_create", "coordinator", "support:training_create"),
    Page("statistics", "coordinator", "stats:index", kind=LIGHT),
    Page("statistics_csv", "coordinator", "stats:csv", kwargs={"table": "municipalities"}),
]
# fmt: on

# URL names that are not pages a user opens daily, with the reason. A prefix ending in
# ":" stands for a whole namespace.
EXEMPT = {
    "admin:": "Django's admin, for administrators only: measured by its request changelist, "
    "the reference the portal's own lists are held to",
    "healthz": "the load balancer's health check, not a page (its own timeout is tested)",
    "favicon": "a redirect to a static file that whitenoise serves",
    "set_language": "a POST that sets a cookie and redirects",
    "two_factor_setup": "once per user, when the second factor is enrolled",
    "two_factor_enrol": "once per user, from a one-time invitation link",
    "two_factor_invitation": "once per user, from a one-time invitation link",
    "two_factor_backup_codes": "once per user, after enrolment",
    "two_factor_verify": "once per login, after the password",
    "logout": "a POST that ends the session",
    "keepalive": "a POST from the session-expiry warning, at most once a session's idle time",
    "password_change": "rare: a user's own password change",
    "password_change_done": "rare: a user's own password change",
    "password_reset": "rare: a forgotten password",
    "password_reset_done": "rare: a forgotten password",
    "password_reset_confirm": "rare: a one-time reset link",
    "password_reset_complete": "rare: a forgotten password",
    "events:delete": "rare: the confirmation before an event is deleted",
    "news:delete": "rare: the confirmation before a news item is deleted",
    "development:question_assign": "a POST step on a question page that redirects",
    "development:question_link": "a POST step on a question page that redirects",
    "development:question_answer": "a POST step on a question page that redirects",
    "development:question_publish": "a POST step on a question page that redirects",
    "development:question_withdraw": "a POST step on a question page that redirects",
    "development:question_step": "a POST step on a question page that redirects",
    "development:bulletin_confirm": "once per subscriber, from the confirmation e-mail",
    "development:bulletin_unsubscribe": "once per subscriber, from a bulletin's link",
    "development:bulletin_send": "a POST on the bulletin page, once per bulletin",
    "development:idea_make_project": "a POST on the idea page that redirects",
    "development:idea_step": "a POST step on the idea page that redirects",
    "development:network_contact_add": "a POST on the network page that redirects",
    "development:network_contact_remove": "a POST on the network page that redirects",
    "development:network_meeting_add": "a POST on the network page that redirects",
    "development:network_meeting_remove": "a POST on the network page that redirects",
    "guardianship:request_edit": "a draft's form: drafts live minutes, the benchmark's "
    "requests are submitted; request_create measures the same form",
    "guardianship:request_note": "a POST on the request page that redirects",
    "guardianship:request_step": "a POST on the request page that redirects",
    "guardianship:document_upload": "a POST of a file on the request page",
    "guardianship:document_download": "a file download: the storage's speed, not the portal's",
    "guardianship:document_delete": "a POST on the request page that redirects",
    "guardianship:assignment_respond": "the guardian's answer, a POST that redirects",
    "guardianship:child_identity_code": "a POST that reveals one code, logged",
    "fees:claim_edit": "a returned claim's form: claim_create measures the same form",
    "fees:claim_decide": "a POST on the claim page that redirects",
    "fees:contact_delete": "a POST on the contact log that redirects",
    "fees:claim_receipt": "a file download: the storage's speed, not the portal's",
    "support:training_signup": "a POST on the training list that redirects",
    "support:training_attendance": "a POST on the training page that redirects",
    "support:support_contact_create": "a POST on the guardian's page that redirects",
}


def exemption(url_name):
    """The reason `url_name` is not benchmarked, or None."""
    if url_name in EXEMPT:
        return EXEMPT[url_name]
    namespace = url_name.split(":")[0] + ":"
    return EXEMPT.get(namespace) if ":" in url_name else None


def bench_users():
    """The payer the demo lacks: an official of the county, which pays since 2023."""
    from municipalities.models import Organisation

    user, created = get_user_model().objects.get_or_create(
        username=ROLES["payer"], defaults={"first_name": "Maksaja", "last_name": "Benchmark"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=Role.PAYER))
    user.organisations.add(Organisation.objects.region_county())
    # The demo guardian's payee details, which the claim and payee pages show.
    from fees.models import Payee
    from guardianship.models import Guardian

    guardian = Guardian.objects.get(user__username=ROLES["guardian"])
    Payee.objects.get_or_create(
        guardian=guardian, defaults={"name": guardian.full_name, "iban": "FI2112345600000785"}
    )
    return user
