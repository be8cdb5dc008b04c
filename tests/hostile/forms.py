"""The forms of the portal to fuzz: each form-handling URL, who its view lets in, its
valid data and the hand-written cases of its scope boundaries; and the URLs left out."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from development.bulletin import unsubscribe_token
from guardianship import enums
from guardianship.tests.helpers import export_period
from tests.hostile.data import (
    ENROL_TOKEN,
    NEW_PASSWORD,
    PASSWORD,
    STATIC_TOKEN,
    claim_data,
    current_version,
    event_data,
    guardian_data,
    news_data,
    payee_data,
    prime_enrol,
    prime_reset,
    prime_static,
    project_data,
    request_data,
    reset_kwargs,
    totp_token,
    with_version,
)
from tests.hostile.strategies import DROP, Case, Ref
from tests.hostile.world import BULLETIN_CONFIRM_TOKEN, IDENTITY_CODE, today

ROLES = ("anonymous", "coordinator", "planner", "sw_pori", "sw_rauma", "guardian", "superuser")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
CHILD_DATA = frozenset({"coordinator", "sw_pori", "sw_rauma", "guardian", "superuser"})
SOCIAL_WORKERS = frozenset({"sw_pori", "sw_rauma"})
COORDINATORS = frozenset({"coordinator", "superuser"})
GUARDIANS = frozenset({"guardian"})
GUARDIANS_AND_COORDINATORS = frozenset({"guardian", "coordinator", "superuser"})
EDITORS = frozenset({"planner", "coordinator", "superuser"})


@dataclass(frozen=True)
class Form:
    id: str
    url: str
    roles: frozenset  # roles the view lets in (before looking at the object or the data)
    data: Any  # (world, user) -> the form's valid data
    kwargs: Any = None  # world -> URL kwargs of the form's own object
    method: str = "POST"
    public: bool = False
    files: tuple = ()
    # Forms that answer a success without a message (logins, password forms).
    success_without_message: bool = False
    # Forms that save what they can and answer 200 with the form again and a warning
    # naming what was left out: the request form's draft (guardianship.views._draft_answer).
    saves_in_part: bool = False
    primary: str = ""  # a role whose valid data must succeed
    missing: int = 404  # the answer for an object that does not exist
    # A view that takes POSTs without a CSRF token by design (mail clients' one-click
    # unsubscribe, RFC 8058, protected by the token in its address).
    csrf_exempt: bool = False
    prime: Any = None  # (world, user, clients): prepare the clients once
    # Hand-written cases run first for every role: the scope boundaries of the form.
    examples: tuple = ()

    def url_kwargs(self, world):
        return self.kwargs(world) if self.kwargs else {}

    def __str__(self):
        return self.id


def changed(fields):
    """A hand-written case: these fields of the valid data replaced."""
    return Case(mutations=tuple(fields.items()))


def aimed(ref):
    """A hand-written case: the URL names another object."""
    return Case(target=Ref(ref))


# Somebody else's request and a draft of Pori (not even the coordinator sees it).
FOREIGN_REQUESTS = (aimed("rauma_request.uuid"), aimed("draft.uuid"))


def _on(attr):
    return lambda w: {"uuid": getattr(w, attr).uuid}


def _step(name, data, state=enums.State.RECEIVED, primary="coordinator", examples=()):
    def kwargs(w):
        target = w.draft if name == "submit" else w.mains[state]
        return {"uuid": target.uuid, "step": name}

    return Form(
        f"step-{name}",
        "guardianship:request_step",
        CHILD_DATA,
        data,
        kwargs,
        primary=primary,
        examples=FOREIGN_REQUESTS + examples,
    )


# A guardian given by key instead of UUID, or a user who is no guardian.
ODD_GUARDIANS = (changed({"guardian": Ref("guardian.pk")}), changed({"guardian": "sw_pori"}))


FORMS = [
    Form(
        "request_create",
        "guardianship:request_create",
        SOCIAL_WORKERS,
        request_data,
        primary="sw_pori",
        saves_in_part=True,
        examples=(
            # A draft (no "submit") with a value it cannot hold: saved in part, shown again.
            changed({"submit": DROP, "children-1-date_of_birth": "<script>alert(1)</script>"}),
            # Another user's form key (was an IntegrityError, a 500).
            changed({"idempotency_key": Ref("rauma_request.idempotency_key")}),
            changed({"idempotency_key": Ref("draft.idempotency_key")}),
            changed({"organisation": Ref("rauma.pk")}),
            changed({"organisation": Ref("pori.pk")}),
            # Another team of the same county.
            changed({"unit": Ref("rauma_team.pk")}),
            changed({"sibling_request": Ref("rauma_request.pk")}),
            # No track, a track no longer offered, and the criminal investigation without
            # its report number (issue 14).
            changed({"tracks": []}),
            changed({"tracks": [Ref("retired_track.pk")]}),
            changed({"tracks": [Ref("criminal_investigation.pk")]}),
            changed(
                {
                    "tracks": [Ref("child_welfare.pk"), Ref("criminal_investigation.pk")],
                    "police_report_number": "5600/R/1234/26",
                    "investigating_unit": "Lounais-Suomen poliisilaitos",
                    "investigation_applicant": "head_of_investigation",
                }
            ),
            # A child born in the future, and one 18 or older (issue 14).
            changed({"children-1-date_of_birth": today(1).isoformat()}),
            changed({"children-0-identity_code": "131052-308T"}),
            changed({"children-0-home_municipality": Ref("county.pk")}),
            changed({"children-TOTAL_FORMS": "13"}),
            changed({"children-TOTAL_FORMS": "-1", "children-INITIAL_FORMS": "5"}),
            Case(
                extra=(
                    ("created_by", Ref("coordinator_user.pk")),
                    ("state", "appointed"),
                    ("organisation_id", Ref("rauma.pk")),
                    ("children-0-request", Ref("rauma_request.pk")),
                )
            ),
        ),
    ),
    Form(
        "request_edit",
        "guardianship:request_edit",
        SOCIAL_WORKERS,
        lambda w, u: {
            **request_data(w, u, instance=w.draft),
            "version": current_version(w.draft),
        },
        kwargs=_on("draft"),
        primary="sw_pori",
        saves_in_part=True,
        examples=(
            changed({"children-0-id": Ref("rauma_child.pk")}),
            changed({"children-0-request": Ref("rauma_request.pk")}),
            # Removing a child (was a ProtectedError from the access log, a 500).
            changed({"children-1-DELETE": "on"}),
            changed({"children-0-DELETE": "on", "children-1-DELETE": "on"}),
            changed({"organisation": Ref("rauma.pk")}),
            changed({"unit": Ref("rauma_team.pk")}),
            aimed("rauma_request.uuid"),
            aimed("main.uuid"),
        ),
    ),
    _step("submit", lambda w, u: {}, primary="sw_pori"),
    _step("start_search", lambda w, u: {}),
    _step(
        "propose",
        lambda w, u: {"guardian": w.other_guardian.uuid, "text": "Sopiva."},
        examples=ODD_GUARDIANS,
    ),
    _step("withdraw", lambda w, u: {}, state=enums.State.PROPOSED),
    _step(
        "file_application",
        lambda w, u: {"court": "Satakunnan käräjäoikeus", "filed_on": today().isoformat()},
        state=enums.State.CONSENT_GIVEN,
        primary="sw_pori",
    ),
    _step(
        "record_appointment",
        lambda w, u: {
            "court": "Satakunnan käräjäoikeus",
            "decision_date": today().isoformat(),
            "case_number": "H 25/1234",
            "final_on": today().isoformat(),
            "interim_order": "on",
            "mandate_scope": "Lastensuojeluasia.",
            "end_condition": "matter_resolved",
            "mandate_ends_on": "",
        },
        state=enums.State.APPLICATION_FILED,
        examples=(
            # The decision in the future, final before it was given (issue 14).
            changed({"decision_date": today(1).isoformat()}),
            changed({"final_on": today(-1).isoformat()}),
            changed({"mandate_ends_on": today(-1).isoformat()}),
        ),
    ),
    _step(
        "end",
        lambda w, u: {"ended_on": today().isoformat(), "reason": "Lapsi täytti 18."},
        state=enums.State.APPOINTED,
        primary="guardian",
    ),
    _step("cancel", lambda w, u: {"reason": "Asia raukesi."}, primary="sw_pori"),
    _step(
        "reassign",
        lambda w, u: {
            "guardian": w.other_guardian.uuid,
            "reason": "Esteellisyys.",
            "released_on": today().isoformat(),
            "release_decision": "H 26/77",
        },
        state=enums.State.APPOINTED,
        examples=(
            *ODD_GUARDIANS,
            changed({"guardian": Ref("guardian.uuid")}),
            # Released before the appointment, or in the future (issue 14).
            changed({"released_on": today(-365).isoformat()}),
            changed({"released_on": today(1).isoformat()}),
        ),
    ),
    _step(
        "transfer",
        lambda w, u: {"unit": w.rauma_team.pk, "reason": "Perhe muutti Raumalle."},
        primary="sw_pori",
        examples=(
            changed({"unit": "Lastensuojelu, Rauma"}),
            changed({"responsible_worker": Ref("guardian.user.pk")}),
        ),
    ),
    Form(
        "request_note",
        "guardianship:request_note",
        CHILD_DATA,
        lambda w, u: {"text": "Soitettu sosiaalityöntekijälle."},
        kwargs=_on("main"),
        primary="coordinator",
        examples=FOREIGN_REQUESTS,
    ),
    Form(
        "assignment_accept",
        "guardianship:assignment_respond",
        GUARDIANS_AND_COORDINATORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": w.proposal.uuid, "answer": "accept"},
        primary="guardian",
        examples=(aimed("active.uuid"), aimed("rauma_request.uuid")),
    ),
    Form(
        "assignment_decline",
        "guardianship:assignment_respond",
        GUARDIANS_AND_COORDINATORS,
        lambda w, u: {"reason": "Olen esteellinen."},
        kwargs=lambda w: {"uuid": w.proposal.uuid, "answer": "decline"},
        primary="guardian",
        examples=(aimed("active.uuid"), changed({"reason": " \t\n"})),
    ),
    # A document of the request (issue 14, part 3): a file whose bytes must match its name.
    Form(
        "document_upload",
        "guardianship:document_upload",
        CHILD_DATA,
        lambda w, u: {"kind": "signed_consent"},
        kwargs=lambda w: {"uuid": w.consent.request.uuid},
        files=("file",),
        examples=(
            *FOREIGN_REQUESTS,
            aimed("proposal.request.uuid"),
            Case(files=((0, "suostumus.pdf", b"%PDF-1.4\n%fuzz\n"),)),
            Case(files=((0, "suostumus.pdf", b"<html><script>alert(1)</script></html>"),)),
            changed({"kind": "court_decision"}),
        ),
    ),
    Form(
        "claim_create",
        "fees:claim_create",
        GUARDIANS,
        claim_data,
        kwargs=lambda w: {"assignment": w.active.uuid},
        files=("expenses-0-receipt", "expenses-1-receipt"),
        primary="guardian",
        examples=(aimed("consent.uuid"), aimed("proposal.uuid")),
    ),
    Form(
        "contact_log",
        "fees:contact_log",
        GUARDIANS,
        lambda w, u: {
            "date": today().isoformat(),  # the case began today in the world
            "mode": "phone",
            "minutes": "30",
            "kilometres": "12,5",
            "note": "Puhelu sijaishuoltopaikkaan.",
        },
        kwargs=lambda w: {"assignment": w.active.uuid},
        primary="guardian",
        # A case the guardian only consented to, or is only proposed for.
        examples=(aimed("consent.uuid"), aimed("proposal.uuid"), changed({"minutes": "0"})),
    ),
    # The guardian's own payee details (issue 15, part 3): no identifier in the address,
    # so no other guardian's to aim at; an IBAN or business ID with a wrong check digit.
    Form(
        "payee_edit",
        "fees:payee_edit",
        GUARDIANS,
        payee_data,
        primary="guardian",
        examples=(
            changed({"iban": "FI21 1234 5600 0007 86"}),
            changed({"business_id": "2077474-1"}),
            changed({"kind": "person"}),
        ),
    ),
    Form(
        "claim_edit",
        "fees:claim_edit",
        GUARDIANS,
        claim_data,
        kwargs=_on("returned_claim"),
        files=("expenses-0-receipt", "expenses-1-receipt"),
        primary="guardian",
        examples=(aimed("submitted_claim.uuid"),),
    ),
    Form(
        "claim_decide",
        "fees:claim_decide",
        COORDINATORS,
        lambda w, u: {"decision": "return", "reason": "Tuntierittely puuttuu."},
        kwargs=_on("submitted_claim"),
        primary="coordinator",
        examples=(aimed("returned_claim.uuid"), changed({"decision": "approve"})),
    ),
    # The payer's official marks claims paid. The harness has no payer among its roles:
    # every one of them (the coordinator and the administrator too) must be refused,
    # whatever is posted; the payer's own scope, data and races are tested in
    # fees/tests/test_payment.py and tests/test_fees_support_stats_permissions.py.
    Form(
        "claim_payment",
        "fees:claim_payment",
        frozenset(),
        lambda w, u: {
            "claims": [str(w.submitted_claim.uuid)],
            "paid_at": today().isoformat(),
            "payment_reference": "MAKSU-2026-11",
        },
        examples=(changed({"claims": [Ref("returned_claim.uuid")]}),),
    ),
    Form(
        "guardian_create",
        "guardianship:guardian_create",
        COORDINATORS,
        guardian_data,
        primary="coordinator",
        examples=(
            changed({"user": Ref("sw_pori_user.pk")}),
            changed({"user": Ref("guardian_user.pk")}),
            changed({"areas": [Ref("county.pk")]}),
        ),
    ),
    Form(
        "guardian_edit",
        "guardianship:guardian_edit",
        COORDINATORS,
        with_version(guardian_data, "other_guardian"),
        kwargs=_on("other_guardian"),
        primary="coordinator",
        examples=(
            changed({"user": Ref("guardian_user.pk")}),
            aimed("main.uuid"),
            # Saved by someone else meanwhile, or no version at all: the form again.
            changed({"version": "0"}),
            changed({"version": ""}),
        ),
    ),
    Form(
        "training_create",
        "support:training_create",
        COORDINATORS,
        lambda w, u: {
            "title": "Vertaistapaaminen",
            "starts_at": (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "Rauma",
            "description": "Kahvia ja keskustelua.",
            "capacity": "12",
        },
        primary="coordinator",
        # Year 1 in Helsinki is before year 1 in UTC (was stored, then unreadable: a 500).
        examples=(changed({"starts_at": "0001-01-01T00:00"}),),
    ),
    Form(
        "training_signup",
        "support:training_signup",
        GUARDIANS,
        lambda w, u: {},
        kwargs=_on("training"),
        primary="guardian",
    ),
    Form(
        "training_attendance",
        "support:training_attendance",
        COORDINATORS,
        lambda w, u: {"attended": [w.other_guardian.pk]},
        kwargs=_on("training"),
        primary="coordinator",
        examples=(
            changed({"attended": [Ref("guardian.pk")]}),
            changed({"attended": ["²", "١", "9" * 5000]}),  # isdigit() but not int() (was a 500)
        ),
    ),
    Form(
        "support_contact",
        "support:support_contact_create",
        COORDINATORS,
        lambda w, u: {
            "kind": "consultation",
            "date": today().isoformat(),
            "request": w.appointed.pk,
            "notes": "Puhelinneuvonta.",
        },
        kwargs=_on("guardian"),
        primary="coordinator",
        examples=(
            changed({"request": Ref("rauma_request.pk")}),
            changed({"request": Ref("main.pk")}),
        ),
    ),
    Form(
        "login",
        "login",
        EVERYONE,
        lambda w, u: {"username": "alice-coordinator", "password": PASSWORD, "next": "/"},
        public=True,
        success_without_message=True,
        primary="anonymous",
        examples=(
            # Signed in, back to the login page (was a redirect-loop ValueError, a 500).
            changed({"next": "/accounts/login/"}),
            # Longer than django-axes's attempt log can store (was a DataError, a 500).
            changed({"username": "x" * 256, "password": "wrong"}),
        ),
    ),
    Form(
        "logout",
        "logout",
        SIGNED_IN,
        lambda w, u: {"next": "/"},
        success_without_message=True,
        primary="planner",
    ),
    Form(
        "password_reset",
        "password_reset",
        EVERYONE,
        lambda w, u: {"email": "alice-coordinator@example.invalid"},
        public=True,
        success_without_message=True,
        primary="anonymous",
    ),
    Form(
        "password_reset_confirm",
        "password_reset_confirm",
        EVERYONE,
        lambda w, u: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        kwargs=reset_kwargs,
        public=True,
        success_without_message=True,
        primary="anonymous",
        missing=200,  # an unknown user: the page says the link is invalid
        prime=prime_reset,
    ),
    Form(
        "password_change",
        "password_change",
        SIGNED_IN,
        lambda w, u: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        success_without_message=True,
        primary="planner",
    ),
    Form(
        "two_factor_enrol",
        "two_factor_enrol",
        SIGNED_IN,
        totp_token,
        prime=prime_enrol,
        success_without_message=True,
        primary="coordinator",
    ),
    Form(
        "two_factor_invitation",
        "two_factor_invitation",
        SIGNED_IN,
        lambda w, u: {},
        kwargs=lambda w: {"token": ENROL_TOKEN},
        method="GET",
        # Any token goes into the session and on to two_factor_enrol, which judges it.
        missing=302,
    ),
    Form(
        "two_factor_verify",
        "two_factor_verify",
        SIGNED_IN,
        lambda w, u: {"token": STATIC_TOKEN, "next": "/"},
        prime=prime_static,
        success_without_message=True,
        primary="coordinator",
        # A next= that is no address (was reversed as a view name: NoReverseMatch, a 500).
        examples=(changed({"next": "foo"}), changed({"next": "home"})),
    ),
    Form(
        "set_language",
        "set_language",
        EVERYONE,
        lambda w, u: {"language": "sv", "next": "/"},
        public=True,
        success_without_message=True,
        primary="anonymous",
    ),
    Form(
        "directory_filter",
        "municipalities:directory",
        SIGNED_IN,
        lambda w, u: {"q": "pori", "kind": "municipality", "status": "current", "page": "1"},
        method="GET",
    ),
    Form(
        "request_filter",
        "guardianship:request_list",
        CHILD_DATA,
        lambda w, u: {
            "q": "Saloranta",
            "state": "all",
            "municipality": "pori",
            "matter": "care_order",
            "language": "fi",
            "page": "1",
        },
        method="GET",
    ),
    Form(
        "identity_code_search",
        "guardianship:request_list",
        CHILD_DATA,
        lambda w, u: {"identity_code": IDENTITY_CODE},
        examples=(changed({"identity_code": "010115a998h"}), changed({"identity_code": "x"})),
    ),
    Form(
        "identity_code_reveal",
        "guardianship:child_identity_code",
        CHILD_DATA,
        lambda w, u: {},
        kwargs=_on("coded_child"),
        examples=(aimed("rauma_child.uuid"), aimed("proposed_child.uuid")),
    ),
    Form(
        "request_export_filter",
        "guardianship:request_export",
        COORDINATORS,
        lambda w, u: {
            "q": "a",
            "state": "received",
            "municipality": "rauma",
            "page": "1",
            **export_period(),
        },
        method="GET",
    ),
    Form(
        "guardian_filter",
        "guardianship:guardian_list",
        COORDINATORS,
        lambda w, u: {
            "q": "Valvoja",
            "language": "fi",
            "area": "pori",
            "availability": "active",
            "page": "1",
        },
        method="GET",
    ),
    Form(
        "claim_filter",
        "fees:claim_list",
        frozenset({"coordinator", "guardian", "superuser"}),
        lambda w, u: {"status": "submitted", "page": "1"},
        method="GET",
        # The coordinator's "approved, unpaid after N days" (issue 15, part 7).
        examples=(changed({"status": "unpaid"}),),
    ),
    Form(
        "claim_export_filter",
        "fees:claim_export",
        COORDINATORS,
        lambda w, u: {
            "payer": w.county.slug,
            "start": today(-365).isoformat(),
            "end": today().isoformat(),
        },
        kwargs=lambda w: {"fmt": "csv"},
        method="GET",
    ),
    Form(
        "project_filter",
        "projects:list",
        EVERYONE,
        lambda w, u: {"status": "active", "theme": w.theme.slug, "role": "partner", "page": "1"},
        method="GET",
        public=True,
    ),
    Form(
        "event_filter",
        "events:list",
        EVERYONE,
        lambda w, u: {"kind": "seminar", "project": w.project.slug, "page": "1"},
        method="GET",
        public=True,
    ),
    Form(
        "news_filter",
        "news:list",
        EVERYONE,
        lambda w, u: {"q": "edunvalvoja", "tag": w.tag.slug, "page": "1"},
        method="GET",
        public=True,
    ),
    Form("project_create", "projects:create", EDITORS, project_data, primary="planner"),
    Form(
        "project_edit",
        "projects:edit",
        EDITORS,
        with_version(project_data, "project"),
        kwargs=lambda w: {"slug": w.project.slug},
        primary="planner",
    ),
    Form(
        "event_create",
        "events:create",
        EDITORS,
        event_data,
        primary="planner",
        examples=(changed({"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00"}),),
    ),
    Form(
        "event_edit",
        "events:edit",
        EDITORS,
        with_version(event_data, "event"),
        kwargs=_on("event"),
        primary="coordinator",
        examples=(aimed("main.uuid"),),
    ),
    Form(
        "event_delete",
        "events:delete",
        EDITORS,
        lambda w, u: {"confirm": "on"},
        kwargs=_on("event"),
        primary="planner",
        examples=(aimed("main.uuid"),),
    ),
    Form("news_create", "news:create", EDITORS, news_data, primary="planner"),
    Form(
        "news_edit",
        "news:edit",
        EDITORS,
        with_version(news_data, "news"),
        kwargs=_on("news"),
        primary="coordinator",
        examples=(aimed("main.uuid"),),
    ),
    Form(
        "news_delete",
        "news:delete",
        EDITORS,
        lambda w, u: {"confirm": "on"},
        kwargs=_on("news"),
        primary="planner",
        examples=(aimed("main.uuid"),),
    ),
]


def _fresh_rate_limit(world, user, clients):
    """The question form's hourly limit starts anew for each (form, role) of the fuzzing."""
    from django.core.cache import cache

    cache.clear()


def _question_step(name, attr):
    return Form(
        f"question_step-{name}",
        "development:question_step",
        EDITORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": getattr(w, attr).uuid, "step": name},
        primary="planner",
        # The asker's own question: the asker may not move it.
        examples=(aimed("question_answered.uuid"),),
    )


# The development question desk and the site search (issue 19).
FORMS += [
    Form(
        "question_ask",
        "development:ask",
        EVERYONE,
        lambda w, u: {
            "topic": w.theme.pk,
            "organisation": "",
            "organisation_name": "Eurajoen kunta",
            "contact_name": "Kalle Kysyjä",
            "contact_email": "kalle@example.invalid",
            "text": "Miten yhteisösosiaalityötä kehitetään?",
            "website": "",
        },
        public=True,
        primary="anonymous",
        prime=_fresh_rate_limit,
        examples=(
            changed({"website": "http://spam.example"}),
            changed({"organisation": Ref("county.pk"), "organisation_name": ""}),
            changed({"organisation": "", "organisation_name": ""}),
            Case(extra=(("asked_by", Ref("coordinator_user.pk")), ("status", "answered"))),
        ),
    ),
    _question_step("start", "question"),
    _question_step("close", "question_in_progress"),
    Form(
        "question_assign",
        "development:question_assign",
        EDITORS,
        lambda w, u: {"assigned_to": w.planner_user.pk},
        kwargs=_on("question"),
        primary="planner",
        examples=(changed({"assigned_to": Ref("sw_pori_user.pk")}),),
    ),
    Form(
        "question_link",
        "development:question_link",
        EDITORS,
        lambda w, u: {"topic": w.theme.pk, "project": w.project.pk},
        kwargs=_on("question"),
        primary="planner",
    ),
    Form(
        "question_answer",
        "development:question_answer",
        EDITORS,
        lambda w, u: {"answer": "Kokeilkaa sosiaalista raportointia."},
        kwargs=_on("question_in_progress"),
        primary="planner",
        # A new question cannot be answered before it is taken into handling.
        examples=(aimed("question.uuid"),),
    ),
    Form(
        "question_publish",
        "development:question_publish",
        EDITORS,
        lambda w, u: {
            "question": "Miten yhteisösosiaalityötä kehitetään?",
            "answer": "Aloittakaa kokeilusta.",
            "question_sv": "",
            "answer_sv": "",
        },
        kwargs=_on("question_answered"),
        primary="coordinator",
        examples=(
            aimed("question.uuid"),
            changed({"question_sv": "Hur?", "answer_sv": ""}),
        ),
    ),
    Form(
        "question_withdraw",
        "development:question_withdraw",
        EDITORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": w.published_answer.source.uuid},
        primary="planner",
        examples=(aimed("question.uuid"),),
    ),
    Form(
        "question_queue_filter",
        "development:queue",
        EDITORS,
        lambda w, u: {"status": "new", "mine": "on", "page": "1"},
        method="GET",
    ),
    Form(
        "site_search",
        "search",
        EVERYONE,
        lambda w, u: {"q": "lastensuojelun", "page": "1"},
        method="GET",
        public=True,
    ),
]


# Project planning and networks (issue 19, parts 3 and 4).
def idea_data(w, user):
    return {
        "name": "Jälkihuollon kehittämishanke",
        "description": "Nuorten jälkihuolto.",
        "themes": [w.theme.pk],
        "funder": w.county.pk,
        "call": "STEA 2027",
        "call_deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "partners": [w.pori.pk, w.rauma.pk],
        "pikassos_role": "coordinator",
        "planner": w.planner_user.pk,
    }


def network_data(w, user):
    return {
        "name": "Satakunnan lastensuojeluverkosto",
        "name_sv": "",
        "description": "Alueellinen verkosto.",
        "members": [w.county.pk, w.pori.pk],
        "is_public": "on",
    }


def _idea_step(name, attr):
    return Form(
        f"idea_step-{name}",
        "development:idea_step",
        EDITORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": getattr(w, attr).uuid, "step": name},
        primary="planner",
        # An idea in another state: the step is refused.
        examples=(aimed("idea_funded.uuid"),),
    )


FORMS += [
    Form(
        "idea_create",
        "development:idea_create",
        EDITORS,
        idea_data,
        primary="planner",
        examples=(
            # Only the staff plan: a social worker is not among the planners.
            changed({"planner": Ref("sw_pori_user.pk")}),
            changed({"call_deadline": "0001-01-01"}),
        ),
    ),
    Form(
        "idea_edit",
        "development:idea_edit",
        EDITORS,
        with_version(idea_data, "idea_applied"),
        kwargs=_on("idea_applied"),
        primary="coordinator",
        # The funding is applied for: the call stays.
        examples=(changed({"call": ""}),),
    ),
    _idea_step("plan", "idea"),
    _idea_step("apply", "idea_planning"),
    _idea_step("fund", "idea_applied"),
    _idea_step("reject", "idea_applied"),
    Form(
        "idea_make_project",
        "development:idea_make_project",
        EDITORS,
        lambda w, u: {},
        kwargs=_on("idea_funded"),
        primary="planner",
        examples=(aimed("idea_applied.uuid"),),
    ),
    Form("network_create", "development:network_create", EDITORS, network_data, primary="planner"),
    Form(
        "network_edit",
        "development:network_edit",
        EDITORS,
        with_version(network_data, "network"),
        kwargs=_on("network"),
        primary="coordinator",
    ),
    Form(
        "network_contact_add",
        "development:network_contact_add",
        EDITORS,
        lambda w, u: {
            "name": "Ville Verkko",
            "organisation": w.pori.pk,
            "work_role": "Perhekeskuksen koordinaattori",
            "work_email": "ville.verkko@example.invalid",
            "work_phone": "",
            "basis": "legitimate_interest",
            "retention_note": "Poistetaan, kun tehtävä päättyy.",
        },
        kwargs=_on("network"),
        primary="planner",
        examples=(changed({"work_email": "", "work_phone": ""}),),
    ),
    Form(
        "network_contact_remove",
        "development:network_contact_remove",
        EDITORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": w.network.uuid, "contact": w.network_contact.uuid},
        primary="planner",
    ),
    Form(
        "network_meeting_add",
        "development:network_meeting_add",
        EDITORS,
        lambda w, u: {"event": w.event.pk},
        kwargs=_on("network"),
        primary="coordinator",
        # Another network's meeting (here: this one's) is not offered.
        examples=(changed({"event": Ref("network_meeting.event.pk")}),),
    ),
    Form(
        "network_meeting_remove",
        "development:network_meeting_remove",
        EDITORS,
        lambda w, u: {},
        kwargs=lambda w: {"uuid": w.network.uuid, "event": w.network_meeting.event.uuid},
        primary="planner",
    ),
]
# The bulletin (issue 19, part 5).
FORMS += [
    Form(
        "bulletin_subscribe",
        "development:bulletin_subscribe",
        EVERYONE,
        lambda w, u: {
            "email": "tilaaja@example.invalid",
            "language": "sv",
            "consent": "on",
            "website": "",
        },
        public=True,
        primary="anonymous",
        prime=_fresh_rate_limit,
        examples=(
            changed({"website": "http://spam.example"}),
            changed({"consent": ""}),
            changed({"language": "en"}),
            # An address that already subscribes: the same answer, nothing changed.
            changed({"email": Ref("subscriber.email")}),
            Case(extra=(("confirmed_at", "2026-01-01"), ("email_hash", "x"))),
        ),
    ),
    Form(
        "bulletin_confirm",
        "development:bulletin_confirm",
        EVERYONE,
        lambda w, u: {},
        kwargs=lambda w: {"token": BULLETIN_CONFIRM_TOKEN},
        public=True,
        primary="anonymous",
    ),
    Form(
        "bulletin_unsubscribe",
        "development:bulletin_unsubscribe",
        EVERYONE,
        lambda w, u: {"List-Unsubscribe": "One-Click"},
        kwargs=lambda w: {
            "uuid": w.subscriber.uuid,
            "token": unsubscribe_token(w.subscriber.uuid),
        },
        public=True,
        primary="anonymous",
        csrf_exempt=True,
        # Another subscriber's UUID with this one's token.
        examples=(aimed("pending_subscriber.uuid"),),
    ),
    Form(
        "bulletin_create",
        "development:bulletin_create",
        EDITORS,
        lambda w, u: {
            "title": "Marraskuun tiedote",
            "title_sv": "Novembers nyhetsbrev",
            "intro": "Hei!",
            "intro_sv": "Hej!",
            "news_items": [w.news.pk],
            "events": [w.event.pk],
        },
        primary="planner",
        examples=(
            changed({"news_items": [], "events": []}),
            # Internal or unknown items are not on offer.
            changed({"news_items": [Ref("question.pk")]}),
            Case(extra=(("sent_at", "2026-01-01"), ("recipient_count", "5"))),
        ),
    ),
    Form(
        "bulletin_edit",
        "development:bulletin_edit",
        EDITORS,
        lambda w, u: {
            "title": "Muutettu tiedote",
            "title_sv": "Ändrat nyhetsbrev",
            "intro": "Hei!",
            "intro_sv": "Hej!",
            "news_items": [w.news.pk],
        },
        kwargs=_on("bulletin_draft"),
        primary="coordinator",
        # A sent bulletin cannot be changed.
        examples=(aimed("bulletin_sent.uuid"),),
    ),
    Form(
        "bulletin_send",
        "development:bulletin_send",
        EDITORS,
        lambda w, u: {},
        kwargs=_on("bulletin_draft"),
        primary="planner",
        # A bulletin is sent once.
        examples=(aimed("bulletin_sent.uuid"),),
    ),
]
FORMS_BY_ID = {form.id: form for form in FORMS}

# URL names with no form to fuzz, and why. A new URL must be put in FORMS or here.
NOT_FUZZED = {
    "home": "a page without parameters",
    "accessibility": "a page without parameters",
    "healthz": "GET only, no parameters",
    "keepalive": "POST without parameters (accounts/tests/test_resubmit.py)",
    "favicon": "a redirect to a static file",
    "events:ics": "a file of one event; its scope: projects/tests/test_front_and_calendar.py",
    "password_change_done": "a page without parameters",
    "password_reset_done": "a page without parameters",
    "password_reset_complete": "a page without parameters",
    "two_factor_setup": "a page without parameters (enrolling needs two_factor_enrol's link)",
    "two_factor_backup_codes": "a page without parameters, shown once after two_factor_enrol",
    "municipalities:detail": "a page; its slug is fuzzed through the other slug URLs",
    "projects:detail": "a page",
    "events:past": "the view and filter form of events:list",
    "events:calendar": "an iCalendar feed without parameters",
    "events:detail": "a page",
    "news:feed": "an RSS feed without parameters",
    "news:detail": "a page",
    "guardianship:request_detail": "a page",
    "guardianship:request_matching": "a page",
    "guardianship:my_assignments": "a page",
    "guardianship:guardian_detail": "a page",
    "stats:index": "a page",
    "stats:csv": "a CSV file of a named table",
    "fees:claim_detail": "a page",
    "fees:claim_receipt": "a file download",
    "support:training_list": "a page",
    "support:training_detail": "a page",
    "guardianship:child_access_report": "a report; only ?format=csv and ?page",
    "guardianship:request_consent": "a printable page",
    "guardianship:document_download": "a file download",
    "guardianship:document_delete": "a button without fields; its scope: test_documents.py",
    "fees:contact_delete": "a button without fields; its scope: fees/tests/test_contacts.py",
    "fees:payee_detail": "a page; its scope: fees/tests/test_payee.py",
    "development:answer_list": "a page; only ?page",
    "development:answer_detail": "a page",
    "development:my_questions": "a page; only ?page",
    "development:question_detail": "a page",
    "development:idea_pipeline": "a page; only ?state (one of the states) and ?page",
    "development:idea_detail": "a page",
    "development:network_list": "a page; only ?page",
    "development:network_detail": "a page",
    "development:bulletin_archive": "a page; only ?page",
    "development:bulletin_detail": "a page",
    "development:bulletin_manage": "a page; only ?page",
    "development:bulletin_preview": "a page; only ?language",
}

# The admin is Django's own, reached by superusers only; it is left out.
SKIPPED_NAMESPACES = ("admin:",)
