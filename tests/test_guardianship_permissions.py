"""Who may open which guardianship page: a permission matrix, one test per cell.

In the spirit of rubyforgood/casa's policy specs: every guardianship URL, plus the admin
changelists of children's data, against every role (the columns: tests/matrix.py, the
paying organisation's official among them). Anonymous users are sent to the login page, a
role the view refuses gets 403, a request outside the user's scope gets 404 (and a
refused row in the access log), and what is allowed answers 200 or redirects after a POST.
Fee claims, statistics and support: tests/test_fees_support_stats_permissions.py.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from guardianship import services
from guardianship.enums import AccessOutcome, AssignmentStatus, EventKind, State
from guardianship.factories import AssignmentFactory, GuardianFactory, GuardianshipRequestFactory
from guardianship.models import (
    AccessLog,
    Assignment,
    DocumentKind,
    GuardianshipRequest,
    RequestDocument,
    RequestEvent,
)
from guardianship.tests.helpers import export_period
from tests.matrix import ROLES, assert_redirect, cells, role_users
from tests.url_walk import url_names

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 suostumus"


# fmt: off
MATRIX = [
    # endpoint                    anon coord plan pori rauma lead  g_in g_out payer super
    ("request_list",              302, 200, 403, 200, 200,  200,  200, 200,  403,  200),
    ("request_export",            302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    # Filing, editing and one's own cases are a social worker's and a guardian's pages:
    # the administrator is neither.
    ("request_create",            302, 403, 403, 200, 200,  403,  403, 403,  403,  403),
    ("request_detail",            302, 200, 403, 200, 404,  200,  200, 404,  403,  200),
    # A draft belongs to its organisation: not even the coordinator or admin sees it.
    # The guardian in each phase (g_in): appointed sees the case; once it has ended, the
    # request is gone from their pages (a late fee claim has its own pages).
    ("request_detail_appointed",  302, 200, 403, 200, 404,  200,  200, 404,  403,  200),
    ("request_detail_ended",      302, 200, 403, 200, 404,  200,  404, 404,  403,  200),
    ("request_detail_draft",      302, 404, 403, 200, 404,  200,  404, 404,  403,  404),
    ("request_edit",              302, 403, 403, 200, 404,  403,  403, 403,  403,  403),
    # Only drafts can be edited: a submitted request redirects back to its page.
    ("request_edit_submitted",    302, 403, 403, 302, 404,  403,  403, 403,  403,  403),
    ("request_matching",          302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("request_note",              302, 302, 403, 302, 404,  302,  302, 404,  403,  302),
    ("request_step_start_search", 302, 302, 403, 302, 404,  302,  302, 404,  403,  302),
    ("request_step_cancel",       302, 302, 403, 302, 404,  302,  302, 404,  403,  302),
    ("assignment_respond",        302, 302, 403, 403, 403,  403,  302, 404,  403,  302),
    ("my_assignments",            302, 403, 403, 403, 403,  403,  200, 200,  403,  403),
    ("guardian_list",             302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("guardian_create",           302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("guardian_detail",           302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("guardian_edit",             302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    ("child_access_report",       302, 200, 403, 403, 403,  403,  403, 403,  403,  200),
    # A full identity code, on purpose: not to a guardian who is only proposed (g_in).
    ("child_identity_code",       302, 200, 403, 200, 404,  404,  404, 404,  403,  200),
    # The consent form to sign (issue 14, part 3): the request's social workers and
    # coordinators, and its guardian, here only proposed; not the team leader.
    ("request_consent",           302, 200, 403, 200, 404,  404,  200, 404,  403,  200),
    # Documents, on a case the guardian serves: they add their signed consent and read
    # it; a proposed guardian adds none (document_upload is on the proposed request).
    ("document_upload",           302, 302, 403, 302, 404,  404,  404, 404,  403,  302),
    ("document_upload_serving",   302, 302, 403, 302, 404,  404,  302, 404,  403,  302),
    ("document_download",         302, 200, 403, 200, 404,  404,  200, 404,  403,  200),
    # Deleted by the coordinator; the others who see it are told why not (a message).
    ("document_delete",           302, 302, 403, 302, 404,  404,  302, 404,  403,  302),
    # The portal's roles are not is_staff: Django admin sends them to its own login.
    # Anonymous visitors are sent to the portal's login like everywhere else.
    ("admin_request_changelist",  302, 302, 302, 302, 302,  302,  302, 302,  302,  200),
    ("admin_child_changelist",    302, 302, 302, 302, 302,  302,  302, 302,  302,  200),
]
# fmt: on


class World:
    """A Pori request with a guardian proposed, a Pori draft, and the people around them."""

    def __init__(self, coordinator, guardian_user):
        self.request = GuardianshipRequestFactory()
        self.child = self.request.children.get()
        self.child.identity_code = "010115A998H"  # a temporary code: no real person has it
        self.child.save(update_fields=["identity_code"])
        self.draft = GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None)
        self.guardian = GuardianFactory(user=guardian_user)
        self.other_guardian = GuardianFactory(
            user=make_user(Role.GUARDIAN, username="otto-other-guardian")
        )
        self.assignment = services.propose_guardian(self.request, self.guardian, by=coordinator)
        self.request.refresh_from_db()
        # The same guardian serving a second Pori case, and one whose assignment ended.
        self.appointed = AssignmentFactory(appointed=True, guardian=self.guardian).request
        self.document = RequestDocument.objects.create(
            request=self.appointed,
            kind=DocumentKind.SIGNED_CONSENT,
            assignment=self.appointed.assignments.get(),
            file=SimpleUploadedFile("suostumus.pdf", PDF),
            size=len(PDF),
            content_type="application/pdf",
            uploaded_by=coordinator,
        )
        self.ended = AssignmentFactory(
            guardian=self.guardian,
            status=AssignmentStatus.ENDED,
            ended_at=timezone.now(),
            request__state=State.ENDED,
            request__decision_date=datetime.date(2025, 1, 10),
            request__ended_on=timezone.localdate(),
        ).request


def endpoint(world, name):
    """(method, url, data, request the endpoint touches) for a row of the matrix."""
    on = {"uuid": world.request.uuid}
    draft = {"uuid": world.draft.uuid}
    on_document = {"uuid": world.appointed.uuid, "document": world.document.uuid}
    table = {
        "request_detail_appointed": (
            "get",
            world.appointed.get_absolute_url(),
            None,
            world.appointed,
        ),
        "request_detail_ended": ("get", world.ended.get_absolute_url(), None, world.ended),
        "request_list": ("get", reverse("guardianship:request_list"), None, None),
        "request_export": ("get", reverse("guardianship:request_export"), None, None),
        "request_create": ("get", reverse("guardianship:request_create"), None, None),
        "request_detail": (
            "get",
            reverse("guardianship:request_detail", kwargs=on),
            None,
            world.request,
        ),
        "request_detail_draft": (
            "get",
            reverse("guardianship:request_detail", kwargs=draft),
            None,
            world.draft,
        ),
        "request_edit": (
            "get",
            reverse("guardianship:request_edit", kwargs=draft),
            None,
            world.draft,
        ),
        "request_edit_submitted": (
            "get",
            reverse("guardianship:request_edit", kwargs=on),
            None,
            world.request,
        ),
        "request_matching": (
            "get",
            reverse("guardianship:request_matching", kwargs=on),
            None,
            world.request,
        ),
        "request_note": (
            "post",
            reverse("guardianship:request_note", kwargs=on),
            {"text": "Soitettu sosiaalityöntekijälle."},
            world.request,
        ),
        "request_step_start_search": (
            "post",
            reverse("guardianship:request_step", kwargs={**on, "step": "start_search"}),
            {},
            world.request,
        ),
        "request_step_cancel": (
            "post",
            reverse("guardianship:request_step", kwargs={**on, "step": "cancel"}),
            {"reason": "Huostaanottoasia raukesi."},
            world.request,
        ),
        "assignment_respond": (
            "post",
            reverse(
                "guardianship:assignment_respond",
                kwargs={"uuid": world.assignment.uuid, "answer": "accept"},
            ),
            {},
            world.request,
        ),
        "my_assignments": ("get", reverse("guardianship:my_assignments"), None, None),
        "guardian_list": ("get", reverse("guardianship:guardian_list"), None, None),
        "guardian_create": ("get", reverse("guardianship:guardian_create"), None, None),
        "guardian_detail": (
            "get",
            reverse("guardianship:guardian_detail", kwargs={"uuid": world.guardian.uuid}),
            None,
            None,
        ),
        "guardian_edit": (
            "get",
            reverse("guardianship:guardian_edit", kwargs={"uuid": world.guardian.uuid}),
            None,
            None,
        ),
        "child_access_report": (
            "get",
            reverse("guardianship:child_access_report", kwargs={"uuid": world.child.uuid}),
            None,
            world.request,
        ),
        "child_identity_code": (
            "post",
            reverse("guardianship:child_identity_code", kwargs={"uuid": world.child.uuid}),
            {},
            world.request,
        ),
        "request_consent": (
            "get",
            reverse("guardianship:request_consent", kwargs=on),
            None,
            world.request,
        ),
        "document_upload": (
            "post",
            reverse("guardianship:document_upload", kwargs=on),
            {"kind": "signed_consent", "file": SimpleUploadedFile("s.pdf", PDF)},
            world.request,
        ),
        "document_upload_serving": (
            "post",
            reverse("guardianship:document_upload", kwargs={"uuid": world.appointed.uuid}),
            {"kind": "signed_consent", "file": SimpleUploadedFile("s.pdf", PDF)},
            world.appointed,
        ),
        "document_download": (
            "get",
            reverse("guardianship:document_download", kwargs=on_document),
            None,
            world.appointed,
        ),
        "document_delete": (
            "post",
            reverse("guardianship:document_delete", kwargs=on_document),
            {},
            world.appointed,
        ),
        "admin_request_changelist": (
            "get",
            reverse("admin:guardianship_guardianshiprequest_changelist"),
            None,
            None,
        ),
        "admin_child_changelist": (
            "get",
            reverse("admin:guardianship_child_changelist"),
            None,
            None,
        ),
    }
    return table[name]


@pytest.fixture
def world(coordinator, guardian_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the documents
    return World(coordinator, guardian_user)


@pytest.fixture
def users(request, world):
    return role_users(request, world.other_guardian.user)


def snapshot(world):
    events = RequestEvent.objects.filter(request__in=[world.request, world.draft])
    return (
        list(
            GuardianshipRequest.objects.filter(pk__in=[world.request.pk, world.draft.pk])
            .order_by("pk")
            .values_list("state", flat=True)
        ),
        Assignment.objects.get(pk=world.assignment.pk).status,
        events.count(),
        sorted(RequestDocument.objects.values_list("pk", flat=True)),
    )


@pytest.mark.parametrize(("name", "role", "expected"), cells(MATRIX))
def test_permission_matrix(client, world, users, name, role, expected):
    user = users[role]
    if user is not None:
        client.force_login(user)
    method, url, data, touched = endpoint(world, name)
    before = snapshot(world)

    response = getattr(client, method)(url, data or {})

    assert response.status_code == expected, (name, role)
    is_admin = name.startswith("admin_")
    if expected == 302:
        assert_redirect(response, role, admin=is_admin)
    if expected in (403, 404) or role == "anonymous" or (is_admin and expected != 200):
        # Refused: nothing about the requests or the proposal changed.
        assert snapshot(world) == before
    if expected == 404:
        # The refused look is kept in the access log although the view rolled back.
        assert AccessLog.objects.filter(
            user=user, request=touched, outcome=AccessOutcome.REFUSED
        ).exists()
    if expected == 200 and touched is not None:
        # Allowed: the page shows the request and the look is logged with its basis.
        assert (
            AccessLog.objects.filter(user=user, request=touched, outcome=AccessOutcome.ALLOWED)
            .exclude(basis="")
            .exists()
        ), (name, role)
        if method == "get" and name.startswith("request_detail"):
            first_name = touched.children.first().first_name
            assert first_name in response.content.decode(), (name, role)


def test_the_matrix_covers_every_guardianship_url():
    # (Fee claims, statistics and support: tests/test_fees_support_stats_permissions.py.)
    rows = {row[0] for row in MATRIX}
    names = {name.removeprefix("guardianship:") for name in url_names("guardianship:")}
    missing = [n for n in names if not any(r == n or r.startswith(f"{n}_") for r in rows)]
    assert missing == []
    assert len(ROLES) == len(MATRIX[0]) - 1


@pytest.mark.parametrize(
    "name",
    [
        "request_note",
        "request_step_cancel",
        "assignment_respond",
        "child_identity_code",
        "document_upload",
        "document_delete",
    ],
)
def test_changing_urls_refuse_get(client, world, coordinator, name):
    client.force_login(coordinator)
    _method, url, _data, _touched = endpoint(world, name)
    before = snapshot(world)
    assert client.get(url).status_code == 405
    assert snapshot(world) == before


# What an allowed POST does: the workflow, not only the view, decides who may take a step.
# (endpoint, role, request state after, assignment status after, new events)
# fmt: off
EFFECTS = [
    ("request_note",              "coordinator",       State.PROPOSED,  "proposed", 1),
    ("request_note",              "sw_pori",           State.PROPOSED,  "proposed", 1),
    # A proposed guardian reads no notes, so writes none either (issue 13, part 2).
    ("request_note",              "guardian_assigned", State.PROPOSED,  "proposed", 0),
    # start_search is only possible from "received": refused with a message, not a 500.
    ("request_step_start_search", "coordinator",       State.PROPOSED,  "proposed", 0),
    ("request_step_cancel",       "coordinator",       State.CANCELLED, "withdrawn", 1),
    ("request_step_cancel",       "sw_pori",           State.CANCELLED, "withdrawn", 1),
    ("request_step_cancel",       "superuser",         State.CANCELLED, "withdrawn", 1),
    # A guardian may not cancel the request they were proposed for.
    ("request_step_cancel",       "guardian_assigned", State.PROPOSED,  "proposed", 0),
    ("assignment_respond",        "guardian_assigned", State.CONSENT_GIVEN, "active", 1),
    ("assignment_respond",        "coordinator",       State.CONSENT_GIVEN, "active", 1),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "role", "state", "status", "new_events"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in EFFECTS],
)
def test_what_an_allowed_post_does(client, world, users, name, role, state, status, new_events):
    client.force_login(users[role])
    _method, url, data, _touched = endpoint(world, name)
    events_before = world.request.events.count()

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    world.request.refresh_from_db()
    world.assignment.refresh_from_db()
    assert world.request.state == state
    assert world.assignment.status == status
    assert world.request.events.count() == events_before + new_events
    if new_events == 0:
        levels = [m.level_tag for m in response.context["messages"]]
        assert "error" in levels


def test_start_search_from_received_is_the_coordinators_step(client, coordinator, sw_pori):
    received = GuardianshipRequestFactory()
    url = reverse(
        "guardianship:request_step", kwargs={"uuid": received.uuid, "step": "start_search"}
    )

    client.force_login(sw_pori)
    client.post(url)
    received.refresh_from_db()
    assert received.state == State.RECEIVED

    client.force_login(coordinator)
    client.post(url)
    received.refresh_from_db()
    assert received.state == State.SEARCHING
    assert received.events.get().actor == coordinator


def test_a_note_is_kept_with_its_author(client, world, sw_pori):
    client.force_login(sw_pori)
    _method, url, data, _touched = endpoint(world, "request_note")
    client.post(url, data)
    note = world.request.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.text) == (sw_pori, data["text"])


def test_a_guardian_cannot_answer_another_guardians_proposal(client, coordinator, guardian_user):
    """The first guardian, reassigned away, no longer sees the request (their assignment
    ended) and cannot accept for the second one."""
    first = GuardianFactory(user=guardian_user)
    second = GuardianFactory(user=make_user(Role.GUARDIAN, username="second-guardian"))
    request = GuardianshipRequestFactory()
    services.accept_proposal(
        services.propose_guardian(request, first, by=coordinator), by=coordinator
    )
    proposal = services.reassign_guardian(request, second, by=coordinator, reason="Muutto.")

    client.force_login(guardian_user)
    assert client.get(request.get_absolute_url()).status_code == 404
    response = client.post(
        reverse(
            "guardianship:assignment_respond", kwargs={"uuid": proposal.uuid, "answer": "accept"}
        )
    )

    assert response.status_code == 404
    proposal.refresh_from_db()
    request.refresh_from_db()
    assert proposal.status == AssignmentStatus.PROPOSED
    assert request.state == State.PROPOSED


# --- List scoping: what each role's list contains -----------------------------------------


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("guardianship:request_list"), params)
    assert response.status_code == 200
    return {r.pk for r in response.context["requests"]}


@pytest.fixture
def requests_of_two_towns(coordinator):
    """Two teams of the same county, Pori's and Rauma's."""
    return {
        "pori": GuardianshipRequestFactory(),
        "pori_searching": GuardianshipRequestFactory(state=State.SEARCHING),
        "pori_draft": GuardianshipRequestFactory(state=State.DRAFT, submitted_at=None),
        "rauma": GuardianshipRequestFactory(team="rauma"),
        "rauma_siblings": GuardianshipRequestFactory(team="rauma", children=2),
        "rauma_draft": GuardianshipRequestFactory(
            team="rauma", state=State.DRAFT, submitted_at=None
        ),
        "rauma_ended": GuardianshipRequestFactory(team="rauma", state=State.ENDED),
    }


def test_a_social_worker_lists_only_their_own_teams_requests(
    client, sw_rauma, sw_pori, requests_of_two_towns
):
    r = requests_of_two_towns
    assert listed(client, sw_rauma) == {
        r["rauma"].pk,
        r["rauma_siblings"].pk,
        r["rauma_draft"].pk,
    }
    assert listed(client, sw_rauma, state="all") == {
        r["rauma"].pk,
        r["rauma_siblings"].pk,
        r["rauma_draft"].pk,
        r["rauma_ended"].pk,
    }
    assert listed(client, sw_pori, state="all") == {
        r["pori"].pk,
        r["pori_searching"].pk,
        r["pori_draft"].pk,
    }
    # Searching by a Pori child's name does not reach across organisations.
    pori_child = r["pori"].children.get()
    assert listed(client, sw_rauma, state="all", q=pori_child.last_name) <= {
        r["rauma"].pk,
        r["rauma_siblings"].pk,
        r["rauma_draft"].pk,
        r["rauma_ended"].pk,
    }


def test_the_coordinator_lists_every_submitted_request_but_no_drafts(
    client, coordinator, requests_of_two_towns
):
    r = requests_of_two_towns
    submitted = {k: v.pk for k, v in r.items() if not k.endswith("_draft")}
    assert listed(client, coordinator, state="all") == set(submitted.values())
    # The default view is the open queue: the ended request is left out.
    assert listed(client, coordinator) == set(submitted.values()) - {submitted["rauma_ended"]}


def test_the_planner_gets_no_list_at_all(client, planner, requests_of_two_towns):
    client.force_login(planner)
    assert client.get(reverse("guardianship:request_list")).status_code == 403
    assert client.get(reverse("guardianship:request_list"), {"state": "all"}).status_code == 403


def test_a_guardian_lists_what_is_proposed_or_assigned_never_what_declined_or_ended(
    client, coordinator, guardian_user
):
    guardian = GuardianFactory(user=guardian_user)
    someone_else = GuardianFactory()

    proposed = GuardianshipRequestFactory()
    services.propose_guardian(proposed, guardian, by=coordinator)

    active = GuardianshipRequestFactory()
    services.accept_proposal(
        services.propose_guardian(active, guardian, by=coordinator), by=coordinator
    )

    ended = GuardianshipRequestFactory()
    services.accept_proposal(
        services.propose_guardian(ended, guardian, by=coordinator), by=coordinator
    )
    services.cancel_request(ended, by=coordinator, reason="Asia raukesi.")
    ended_assignment = ended.assignments.get()
    assert ended_assignment.status == AssignmentStatus.ENDED

    declined = GuardianshipRequestFactory()
    services.decline_proposal(
        services.propose_guardian(declined, guardian, by=coordinator),
        by=coordinator,
        reason="Ei aikaa.",
    )

    withdrawn = GuardianshipRequestFactory(state=State.SEARCHING)
    services.propose_guardian(withdrawn, guardian, by=coordinator)
    services.withdraw_proposal(withdrawn, by=coordinator)

    not_theirs = GuardianshipRequestFactory()
    services.propose_guardian(not_theirs, someone_else, by=coordinator)

    # Ended (here with the request cancelled, so no fee to claim either): gone for them.
    assert listed(client, guardian_user, state="all") == {proposed.pk, active.pk}
    assert listed(client, guardian_user) == {proposed.pk, active.pk}

    page = client.get(reverse("guardianship:my_assignments"))
    shown = {a.request_id for key in ("proposals", "active", "ended") for a in page.context[key]}
    assert shown == {proposed.pk, active.pk}
    assert client.get(ended.get_absolute_url()).status_code == 404
    assert client.get(declined.get_absolute_url()).status_code == 404
    assert client.get(withdrawn.get_absolute_url()).status_code == 404


def test_the_export_contains_only_what_the_coordinator_may_see(
    client, coordinator, requests_of_two_towns
):
    client.force_login(coordinator)
    response = client.get(reverse("guardianship:request_export"), export_period(state="all"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()[1:]
    references = {line.split(";")[0] for line in lines}
    r = requests_of_two_towns
    assert references == {v.reference for k, v in r.items() if not k.endswith("_draft")}


# --- Admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["admin:guardianship_guardianshiprequest_changelist", "admin:guardianship_child_changelist"],
)
def test_staff_without_model_permissions_is_refused_by_the_admin(client, coordinator, url_name):
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    GuardianshipRequestFactory()
    client.force_login(coordinator)
    assert client.get(reverse(url_name)).status_code == 403


def test_the_admin_changelist_is_access_logged(client, superuser):
    request = GuardianshipRequestFactory(children=2)
    client.force_login(superuser)
    response = client.get(reverse("admin:guardianship_child_changelist"))
    assert response.status_code == 200
    logged = AccessLog.objects.filter(user=superuser, action="list").about_request(request)
    assert {c for row in logged for c in row.children} == set(
        request.children.values_list("pk", flat=True)
    )
