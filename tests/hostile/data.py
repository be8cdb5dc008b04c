"""The valid data of each form, and what a form needs done before it is sent (prime)."""

import datetime

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentInvitation
from accounts.services import hash_token
from tests.hostile.world import today

PASSWORD = "correct horse battery staple"  # accounts.factories.UserFactory
NEW_PASSWORD = "Kolme iloista kissaa 2025"
STATIC_TOKEN = "fuzz2345"
ENROL_TOKEN = "fuzz-enrolment-invitation"


def _children(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def request_data(w, user, instance=None):
    own = user.organisations.first() if user else None
    team = user.units.first() if user else None
    children = [
        {
            "first_name": "Aino",
            "last_name": "Saloranta",
            # A temporary code of a child (issue 14: a child is under 18).
            "identity_code": "131012A908U",
            "date_of_birth": "",
            "home_municipality": w.pori.pk,
            "mother_tongue": "fi",
            "interpreter_needed": "",
            "non_disclosure": "on",
            "placement": "Perhekoti",
            "child_view": "Haluaa asua perhekodissa.",
        },
        {
            "first_name": "Eino",
            "last_name": "Saloranta",
            "identity_code": "",
            "date_of_birth": "2016-05-04",
            "home_municipality": w.rauma.pk,
            "mother_tongue": "so",
            "interpreter_needed": "on",
            "non_disclosure": "",
            "placement": "",
            "child_view": "",
        },
    ]
    if instance is not None:
        for row, child in zip(children, instance.children.order_by("id"), strict=True):
            row.update({"id": child.pk, "request": instance.pk})
    custodians = [
        {
            "name": "Maija Saloranta",
            "relation": "mother",
            "phone": "040 111 2222",
            "email": "maija@example.invalid",
            "address": "Yrjönkatu 2, Pori",
            "affected_by_conflict": "on",
            "suspect": "",
            "non_disclosure": "on",
        },
        {"name": "Matti Saloranta", "relation": "father", "affected_by_conflict": "on"},
    ]
    existing = list(instance.custodians.order_by("id")) if instance is not None else []
    for row, custodian in zip(custodians, existing, strict=False):
        row.update({"id": custodian.pk, "request": instance.pk})
    return {
        "organisation": (own or w.pori).pk,
        "unit": (team or w.rauma_team).pk,
        "worker_name": "Sanna Sosiaalityöntekijä",
        "worker_title": "sosiaalityöntekijä",
        "worker_phone": "040 123 4567",
        "worker_email": "sanna@example.invalid",
        "matter": "care_order",
        "matter_details": "Huostaanotto",
        "custodian_notes": "Äiti tavoittaa iltaisin.",
        "conflict_reason": "Huoltajien ja lapsen edut ovat ristiriidassa.",
        "urgency": "urgent",
        "deadline": today(30).isoformat(),
        "hearing_date": "",
        "wants_lawyer": "on",
        "tracks": [w.child_welfare.pk],
        "sibling_request": "",
        "idempotency_key": str(w.form_key),
        "submit": "1",
        **_children("children", children, initial=0 if instance is None else 2),
        **_children("custodians", custodians, initial=len(existing)),
    }


def claim_data(w, user):
    # The case began today in the world, and a period lies inside the assignment.
    return {
        "period_start": today().isoformat(),
        "period_end": today().isoformat(),
        "hours": "3.50",
        "kilometres": "12,5",
        "fee": "120.00",
        "fee_reason": "",
        "description": "Tapaamiset ja neuvottelut.",
        "idempotency_key": str(w.claim_form_key),
        **_children(
            "expenses",
            [
                {"description": "Matkakulut", "amount": "12.40"},
                {"description": "", "amount": ""},
            ],
        ),
    }


def current_version(obj):
    """The version an edit form of `obj` carries, as loaded now (issue 16, part 5): read
    afresh, since the world's object may be older than the row."""
    return str(type(obj)._default_manager.values_list("version", flat=True).get(pk=obj.pk))


def with_version(data, attr):
    """An edit form's valid data: `data` and the version of the world's `attr`."""
    return lambda w, user: {**data(w, user), "version": current_version(getattr(w, attr))}


def guardian_data(w, user):
    return {
        "first_name": "Ville",
        "last_name": "Valvoja",
        "email": "ville@example.invalid",
        "phone": "040 765 4321",
        "address": "Yrjönkatu 1, Pori",
        "background": "lawyer",
        "languages": ["fi", "sv"],
        "areas": [w.pori.pk, w.rauma.pk],
        "capacity": "3",
        "availability": "paused",
        "paused_until": today(20).isoformat(),
        "notes": "Kokenut edunvalvoja.",
        "user": "",
    }


def project_data(w, user):
    return {
        "name": "Lapsen ääni",
        "name_sv": "Barnets röst",
        "acronym": "",
        "slug": "",
        "programme": "LAPE",
        "funder": w.county.pk,
        "pikassos_role": "coordinator",
        "status": "active",
        "start_date": "2025-01-01",
        "end_date": "2026-12-31",
        "period_precision": "day",
        "themes": [w.theme.pk],
        "responsible_staff": [w.users["planner"].pk],
        "description": "Hankkeen **kuvaus**.",
        "is_public": "on",
        **_children("partners", [{"organisation": w.rauma.pk, "role": "partner"}]),
        **_children("links", [{"title": "Kotisivu", "url": "https://example.invalid/"}]),
        **_children(
            "outputs",
            [{"kind": "report", "title": "Loppuraportti", "url": "", "published_on": ""}],
        ),
    }


def event_data(w, user):
    starts = timezone.localtime() + datetime.timedelta(days=14)
    return {
        "title": "Verkostopäivä",
        "kind": "seminar",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Pori, Pikassos",
        "remote_url": "https://example.invalid/meet",
        "organiser": w.county.pk,
        "project": w.project.pk,
        "target_organisations": [w.pori.pk, w.rauma.pk],
        "registration_url": "",
        "description": "Ohjelma *tulossa*.",
        "is_public": "on",
    }


def news_data(w, user):
    return {
        "title": "Uusia edunvalvojia",
        "body": "Pikassos **kouluttaa** edunvalvojia.",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "is_public": "on",
        "tags": [w.tag.pk],
        "new_tags": "lastensuojelu, koulutus",
        "projects": [w.project.pk],
        "organisations": [w.pori.pk],
    }


def totp_token(w, user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() if user else None
    if device is None:
        return {"token": "123456", "next": "/"}
    token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return {"token": f"{token:0{device.digits}d}", "next": "/"}


def prime_enrol(w, user, clients):
    """An invitation to enrol, its link opened and the enrolment page shown once: the
    token and the pending authenticator are in the session, as in a browser."""
    if user is None:
        return
    EnrolmentInvitation.objects.create(
        user=user,
        token_hash=hash_token(ENROL_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    plain = clients[0]  # the strict client shares its session
    link = reverse("two_factor_invitation", kwargs={"token": ENROL_TOKEN})
    assert plain.get(link).status_code == 302
    assert plain.get(reverse("two_factor_enrol")).status_code == 200


def prime_static(w, user, clients):
    if user is not None:
        device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
        StaticToken.objects.create(device=device, token=STATIC_TOKEN)


def reset_kwargs(w):
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(w.users["coordinator"].pk)),
        "token": "set-password",
    }


def prime_reset(w, user, clients):
    """Open the emailed link once: the token moves into the session, as in a browser."""
    coordinator = w.users["coordinator"]
    token = default_token_generator.make_token(coordinator)
    url = reverse(
        "password_reset_confirm", kwargs={"uidb64": reset_kwargs(w)["uidb64"], "token": token}
    )
    for client in clients:
        assert client.get(url).status_code == 302


def payee_data(w, user):
    return {
        "kind": "business",
        "name": "Edunvalvontapalvelu Oy",
        "iban": "FI21 1234 5600 0007 85",
        "business_id": "2077474-0",
        "vat_registered": "on",
        "tax_note": "Ennakkoperintärekisterissä.",
    }
