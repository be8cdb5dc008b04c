"""The access log says why (client-data act 703/2023): a crawl of every page as every role.

Every named URL of the portal and of the admin (tests/url_walk.py) is opened as every
role of the permission matrices (tests/matrix.py), over requests in every state, their
assignments in every status, claims in every status with receipts, and the admin's
objects; the pages that change something are posted to as well, so that the workflow's
e-mails go out. Then every access-log row written must say why: an allowed row has the
basis that let its user in (a disclosure: the recipient's part), a refused row has none.
"""

import datetime
import logging

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from fees.enums import ClaimStatus
from fees.factories import ClaimExpenseFactory, ContactEntryFactory, FeeClaimFactory
from guardianship.admin import AccessLoggedAdmin
from guardianship.enums import (
    AccessAction,
    AccessBasis,
    AccessOutcome,
    AssignmentStatus,
    State,
    StepName,
)
from guardianship.factories import (
    AssignmentFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
    team,
)
from guardianship.models import AccessLog, DocumentKind, RequestDocument
from guardianship.steps import STEPS
from guardianship.tests.helpers import export_period
from municipalities.models import Organisation
from support.factories import TrainingEventFactory
from tests.matrix import ROLES, role_users
from tests.url_walk import url_for, walk

pytestmark = pytest.mark.django_db

# The assignment each state of a request has, for the guardian of the crawl.
STATUS_OF = {
    State.SEARCHING: AssignmentStatus.DECLINED,
    State.PROPOSED: AssignmentStatus.PROPOSED,
    State.CONSENT_GIVEN: AssignmentStatus.ACTIVE,
    State.APPLICATION_FILED: AssignmentStatus.ACTIVE,
    State.APPOINTED: AssignmentStatus.ACTIVE,
    State.ENDED: AssignmentStatus.ENDED,
    State.CANCELLED: AssignmentStatus.WITHDRAWN,
}

# What each role's own looks may give as their basis (a disclosure's basis is the
# recipient's part instead).
BASES = {
    "coordinator": {AccessBasis.COORDINATOR},
    "sw_pori": {AccessBasis.RESPONSIBLE_WORKER, AccessBasis.TEAM_MEMBER},
    "guardian_assigned": {
        AccessBasis.PROPOSED_GUARDIAN,
        AccessBasis.APPOINTED_GUARDIAN,
        AccessBasis.FORMER_GUARDIAN,
    },
    "sw_rauma": {AccessBasis.TEAM_MEMBER},
    "team_leader": {AccessBasis.TEAM_LEADER},
    # The other guardian ends their case in the crawl, then looks on as former guardian.
    "guardian_other": {AccessBasis.APPOINTED_GUARDIAN, AccessBasis.FORMER_GUARDIAN},
    "payer": {AccessBasis.PAYER},
    "superuser": {AccessBasis.ADMIN},
}

# The kinds of row each role's crawl writes at least.
A = AccessAction
ACTIONS = {
    # CREATE: the documents uploaded (issue 14, part 3).
    "coordinator": {A.VIEW, A.LIST, A.EXPORT, A.CREATE, A.UPDATE, A.REVEAL, A.DISCLOSE},
    "sw_pori": {A.VIEW, A.LIST, A.CREATE, A.UPDATE, A.REVEAL, A.DISCLOSE},
    "sw_rauma": {A.VIEW, A.LIST, A.UPDATE},
    "guardian_assigned": {A.VIEW, A.LIST, A.CREATE, A.UPDATE, A.REVEAL, A.DISCLOSE},
    "guardian_other": {A.VIEW, A.LIST},
    # UPDATE: the approved claims marked paid (issue 15, part 7).
    "payer": {A.VIEW, A.EXPORT, A.UPDATE},
    "superuser": {A.VIEW, A.LIST, A.EXPORT, A.UPDATE, A.DISCLOSE},
    "team_leader": {A.VIEW, A.LIST, A.UPDATE},
}
# The roles whose crawl meets requests or claims outside their scope.
REFUSED = {"coordinator", "sw_pori", "sw_rauma", "guardian_assigned", "guardian_other", "payer"}

# Names never posted to: signing out would end the crawl's session.
NOT_POSTED = {"logout", "admin:logout"}


def temporary_code(n):
    """A valid temporary identity code (individual number 900-999, which no one has)."""
    digits = f"010115{900 + n:03d}"
    return f"010115A{900 + n:03d}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits) % 31]


def receipt():
    return SimpleUploadedFile("kuitti.pdf", b"%PDF-1.4 kuitti", content_type="application/pdf")


def document_file():
    return SimpleUploadedFile("suostumus.pdf", b"%PDF-1.4 suostumus")


class World:
    """Requests of the county's Pori team of two children in every state (the first two
    filed by the Pori social worker), the crawl's guardian on each as the state has it
    (declined, proposed, serving, ended, withdrawn), the first child with an identity
    code; a request of the Rauma team the other guardian serves; claims in every status,
    with receipts, of a serving and of an ended assignment; a training; the documents of
    the serving and ended assignments."""

    def __init__(self, coordinator, sw_pori, guardian_user, other_user):
        pori, rauma = (Organisation.objects.get(slug=s) for s in ("pori", "rauma"))
        self.guardian = GuardianFactory(user=guardian_user, areas=[pori], capacity=20)
        self.other_guardian = GuardianFactory(user=other_user, areas=[pori, rauma])
        self.requests, self.assignments = [], []
        for i, state in enumerate(State):
            request = GuardianshipRequestFactory(
                state=state,
                children=2,
                **({"created_by": sw_pori} if i < 2 else {}),
                submitted_at=None if state == State.DRAFT else timezone.now(),
                court="Satakunnan käräjäoikeus",
                decision_date=datetime.date(2025, 1, 10)
                if state in (State.APPOINTED, State.ENDED)
                else None,
            )
            child = request.children.order_by("id").first()
            child.identity_code = temporary_code(i)
            child.save()
            self.requests.append(request)
            if state in STATUS_OF:
                self.assignments.append(
                    AssignmentFactory(
                        request=request,
                        guardian=self.guardian,
                        proposed_by=coordinator,
                        status=STATUS_OF[state],
                    )
                )
        self.by_state = {r.state: r for r in self.requests}
        rauma_case = AssignmentFactory(
            appointed=True,
            request__team="rauma",
            guardian=self.other_guardian,
            proposed_by=coordinator,
        )
        self.requests.append(rauma_case.request)
        self.assignments.append(rauma_case)
        serving = next(a for a in self.assignments if a.request.state == State.APPOINTED)
        ended = next(a for a in self.assignments if a.status == AssignmentStatus.ENDED)
        self.claims = []
        for i, (assignment, traits) in enumerate(
            [
                (serving, {}),
                (serving, {"returned": True}),
                (serving, {"approved": True}),
                (ended, {"approved": True}),
                (rauma_case, {"approved": True}),
            ]
        ):
            claim = FeeClaimFactory(
                assignment=assignment,
                period_start=datetime.date(2025, 1 + 2 * i, 1),
                period_end=datetime.date(2025, 2 + 2 * i, 1),
                **traits,
            )
            ClaimExpenseFactory(claim=claim, receipt=receipt())
            self.claims.append(claim)
        self.contacts = [ContactEntryFactory(assignment=a) for a in (serving, ended, rauma_case)]
        self.training = TrainingEventFactory(capacity=10)
        # The signed consent and a court document of each case the guardians serve or
        # served (issue 14, part 3).
        self.documents = [
            RequestDocument.objects.create(
                request=assignment.request,
                kind=kind,
                assignment=assignment,
                file=document_file(),
                size=18,
                content_type="application/pdf",
                uploaded_by=coordinator,
            )
            for assignment in self.assignments
            if assignment.status in (AssignmentStatus.ACTIVE, AssignmentStatus.ENDED)
            for kind in (DocumentKind.SIGNED_CONSENT, DocumentKind.COURT_DOCUMENT)
        ]


# The addresses of the crawl -------------------------------------------------------------

STEP_DATA = {
    StepName.PROPOSE: lambda w: {"guardian": w.guardian.uuid},
    StepName.REASSIGN: lambda w: {"guardian": w.other_guardian.uuid, "reason": "Muutto."},
    StepName.FILE_APPLICATION: lambda w: {"court": "Satakunnan kk", "filed_on": "2026-01-02"},
    StepName.RECORD_APPOINTMENT: lambda w: {
        "court": "Satakunnan kk",
        "decision_date": "2026-01-10",
        "case_number": "H 26/9",
    },
    StepName.END: lambda w: {"ended_on": "2026-02-01", "reason": "Täysi-ikäinen."},
    StepName.CANCEL: lambda w: {"reason": "Asia raukesi."},
    StepName.DECLINE: lambda w: {"reason": "Ei aikaa."},
    # To the team it has: refused with a message, the request stays where it is.
    StepName.TRANSFER: lambda w: {"unit": team("pori").pk},
}


def _portal(world):
    """{name: [(method, path, data)]} of the portal's URLs that name an object (each
    object of the world it can name) or take a filter, and the posts that change
    something."""
    r = reverse
    first_children = [request.children.order_by("id").first() for request in world.requests]
    claim_expenses = [(c, c.expenses.get()) for c in world.claims]
    # Each request the steps its state allows, in the workflow's order (the request moves
    # on as they are taken; one the user may not take is refused with a message).
    step_posts = [
        (
            "post",
            r("guardianship:request_step", args=[request.uuid, name]),
            STEP_DATA[name](world) if name in STEP_DATA else {},
        )
        for request in world.requests
        for name, step in STEPS.items()
        if request.state in step.from_states and not step.on_assignment
    ]
    payer = {"payer": "satakunnan-hyvinvointialue", "start": "2025-01-01", "end": "2026-12-31"}
    table = {
        "guardianship:request_list": [
            ("get", r("guardianship:request_list"), {}),
            ("get", r("guardianship:request_list"), {"state": "all"}),
            (
                "get",
                r("guardianship:request_list"),
                {"state": "all", "q": first_children[0].last_name},
            ),
        ],
        "guardianship:request_export": [
            ("get", r("guardianship:request_export"), export_period(state="all")),
        ],
        "guardianship:request_detail": [
            ("get", r("guardianship:request_detail", args=[q.uuid]), {}) for q in world.requests
        ],
        "guardianship:request_edit": [
            ("get", r("guardianship:request_edit", args=[q.uuid]), {}) for q in world.requests
        ],
        "guardianship:request_matching": [
            ("get", r("guardianship:request_matching", args=[q.uuid]), {}) for q in world.requests
        ],
        "guardianship:request_note": [
            ("post", r("guardianship:request_note", args=[q.uuid]), {"text": "Soitettu."})
            for q in world.requests
        ],
        "guardianship:request_step": step_posts,
        "guardianship:assignment_respond": [
            (
                "post",
                r("guardianship:assignment_respond", args=[a.uuid, answer]),
                STEP_DATA[StepName.DECLINE](world) if answer == "decline" else {},
            )
            for a in world.assignments
            for answer in ("decline", "accept")
        ],
        "guardianship:request_consent": [
            ("get", r("guardianship:request_consent", args=[q.uuid]), {}) for q in world.requests
        ],
        "guardianship:document_download": [
            ("get", r("guardianship:document_download", args=[d.request.uuid, d.uuid]), {})
            for d in world.documents
        ],
        "guardianship:document_upload": [
            (
                "post",
                r("guardianship:document_upload", args=[q.uuid]),
                {"kind": DocumentKind.SIGNED_CONSENT, "file": document_file()},
            )
            for q in world.requests
        ],
        "guardianship:document_delete": [
            ("post", r("guardianship:document_delete", args=[d.request.uuid, d.uuid]), {})
            for d in world.documents
        ],
        "guardianship:child_identity_code": [
            ("post", r("guardianship:child_identity_code", args=[c.uuid]), {})
            for c in first_children
        ],
        "guardianship:guardian_detail": [
            ("get", r("guardianship:guardian_detail", args=[g.uuid]), {})
            for g in (world.guardian, world.other_guardian)
        ],
        "guardianship:guardian_edit": [
            ("get", r("guardianship:guardian_edit", args=[world.guardian.uuid]), {})
        ],
        "guardianship:child_access_report": [
            ("get", r("guardianship:child_access_report", args=[c.uuid]), {})
            for c in first_children
        ]
        + [
            (
                "get",
                r("guardianship:child_access_report", args=[first_children[1].uuid]),
                {"format": fmt},
            )
            for fmt in ("csv", "print")
        ],
        "fees:claim_list": [
            ("get", r("fees:claim_list"), {"status": status})
            for status in ["", *ClaimStatus.values, "unpaid"]
        ],
        "fees:claim_payment": [
            ("get", r("fees:claim_payment"), {}),
            (
                "post",
                r("fees:claim_payment"),
                {
                    "claims": [str(c.uuid) for c in world.claims if c.status == "approved"],
                    "paid_at": "2026-11-02",
                    "payment_reference": "MAKSU-2026-11",
                },
            ),
        ],
        "fees:claim_create": [
            ("get", r("fees:claim_create", args=[a.uuid]), {}) for a in world.assignments
        ],
        "fees:contact_log": [
            ("get", r("fees:contact_log", args=[a.uuid]), {}) for a in world.assignments
        ],
        "fees:contact_delete": [
            ("post", r("fees:contact_delete", args=[e.assignment.uuid, e.uuid]), {})
            for e in world.contacts
        ],
        "fees:claim_export": [
            ("get", r("fees:claim_export", args=[fmt]), payer) for fmt in ("csv", "xlsx")
        ],
        "fees:claim_detail": [
            ("get", r("fees:claim_detail", args=[c.uuid]), {}) for c in world.claims
        ],
        "fees:claim_edit": [("get", r("fees:claim_edit", args=[c.uuid]), {}) for c in world.claims],
        "fees:claim_receipt": [
            ("get", r("fees:claim_receipt", args=[c.uuid, e.uuid]), {}) for c, e in claim_expenses
        ],
        "fees:claim_decide": [
            ("post", r("fees:claim_decide", args=[c.uuid]), {"decision": "approve"})
            for c in world.claims
        ],
        # The payee details: no child's data, so no access-log row, but crawled as all.
        "fees:payee_edit": [("get", r("fees:payee_edit"), {})],
        "fees:payee_detail": [
            ("get", r("fees:payee_detail", args=[g.uuid]), {})
            for g in (world.guardian, world.other_guardian)
        ],
        "support:training_detail": [
            ("get", r("support:training_detail", args=[world.training.uuid]), {})
        ],
        "support:training_signup": [
            ("post", r("support:training_signup", args=[world.training.uuid]), {})
        ],
        "support:training_attendance": [
            ("post", r("support:training_attendance", args=[world.training.uuid]), {})
        ],
        "support:support_contact_create": [
            ("post", r("support:support_contact_create", args=[world.guardian.uuid]), {})
        ],
        "stats:csv": [("get", r("stats:csv", args=["municipalities"]), {})],
    }
    return table


ADMIN_VIEWS = ("changelist", "add", "change", "history", "delete")


def _admin(name):
    """The admin pages of one model: its list (searched too), its form for a new object,
    and the pages of its objects (change, history, delete confirmation)."""
    if not name.startswith("admin:"):
        return None
    label, _sep, view = name.removeprefix("admin:").rpartition("_")
    model = next(
        (m for m in admin.site._registry if f"{m._meta.app_label}_{m._meta.model_name}" == label),
        None,
    )
    if model is None or view not in ADMIN_VIEWS:
        return None
    # The admins that show children: searched, and two objects each; one of the others.
    logged = isinstance(admin.site._registry[model], AccessLoggedAdmin)
    if view == "changelist":
        search = [("get", reverse(name), {"q": "a"})] if logged else []
        return [("get", reverse(name), {}), *search]
    if view == "add":
        return [("get", reverse(name), {})]
    pks = model._default_manager.order_by("-pk").values_list("pk", flat=True)[: 2 if logged else 1]
    return [("get", reverse(name, args=[pk]), {}) for pk in pks] or None


def _autocomplete():
    """The admin's autocomplete answers, for every autocomplete field of every admin."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            found.append(
                (
                    "get",
                    reverse("admin:autocomplete"),
                    {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": field,
                        "term": "",
                    },
                )
            )
    return found


def addresses(world):
    """(name, method, path, data) for every named URL: the world's objects where it names
    one, otherwise url_walk's sample arguments."""
    found, portal = [], _portal(world)
    for name, pattern in walk():
        if name == "admin:autocomplete":
            visits = _autocomplete()
        else:
            visits = portal.get(name) or _admin(name)
        if visits is None:
            url = url_for(name, pattern)
            visits = [("get", url, {})] if url else []
        found += [
            (name, *visit) for visit in visits if not (visit[0] == "post" and name in NOT_POSTED)
        ]
    return found


# The permission matrices' roles, and the county's team leader.
CRAWLED = (*ROLES, "team_leader")


@pytest.fixture
def users(request, guardian_user, team_leader):
    users = role_users(request, make_user(Role.GUARDIAN, username="otto-other-guardian"))
    return {**users, "team_leader": team_leader}


@pytest.fixture
def media(settings, tmp_path):
    """The receipts go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(media, coordinator, sw_pori, users):
    return World(coordinator, sw_pori, users["guardian_assigned"], users["guardian_other"])


def crawl(client, world, capture):
    """Every address, the posts last (they change the world); each post's e-mails are
    sent, as after its commit. The addresses that answered with a server error."""
    failed = []
    for name, method, path, data in sorted(addresses(world), key=lambda v: v[1] == "post"):
        if method == "post":
            with capture(execute=True):
                response = client.post(path, data)
        else:
            response = client.get(path, data)
        if response.status_code >= 500:
            failed.append((name, method, path))
    return failed


@pytest.mark.parametrize("role", CRAWLED)
def test_every_access_log_row_says_why_unless_refused(
    client, world, users, role, django_capture_on_commit_callbacks, monkeypatch
):
    client.raise_request_exception = False
    # Refusals are the crawl's daily bread: not a logged traceback each.
    monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
    if users[role] is not None:
        client.force_login(users[role])

    assert crawl(client, world, django_capture_on_commit_callbacks) == []

    rows = list(AccessLog.objects.all())
    unexplained = [
        (r.action, r.outcome, r.basis, r.path)
        for r in rows
        if (r.outcome == AccessOutcome.REFUSED) == bool(r.basis)
    ]
    assert unexplained == []
    # The crawl saw children's data as everyone who may see any, each on their own basis,
    # and was refused where it should be.
    own = {r.basis for r in rows if r.action != AccessAction.DISCLOSE and r.basis}
    if role in BASES:
        assert own and own <= BASES[role], own
    else:
        assert rows == []
    assert ACTIONS.get(role, set()) <= {r.action for r in rows}
    if role in REFUSED:
        assert any(r.outcome == AccessOutcome.REFUSED for r in rows)
    # A disclosure names its recipient.
    assert all(r.recipient for r in rows if r.action == AccessAction.DISCLOSE)


def test_the_crawl_visits_every_named_url(world):
    assert {name for name, *_ in addresses(world)} == {name for name, _pattern in walk()}
