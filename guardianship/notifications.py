"""Emails of the guardian workflow.

Sent only after the transaction commits, in Finnish, and never with a child's name
or identity code: just the request's reference and a link that needs a login.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role


def _link(path):
    return settings.PORTAL_URL.rstrip("/") + path


def _send_on_commit(recipients, subject, lines):
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
        body = "\n\n".join(str(line) for line in lines)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients))


def coordinator_emails():
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _worker_emails(request):
    return [request.worker_email, request.created_by.email]


def _request_message(request, subject, text):
    with translation.override(settings.LANGUAGE_CODE):
        return (
            f"{subject} ({request.reference})",
            [
                str(text),
                _link(request.get_absolute_url()),
                _("Log in to the Pikassos portal to see the details."),
            ],
        )


def new_request(request):
    subject, lines = _request_message(
        request,
        gettext_lazy("New guardianship request"),
        gettext_lazy("A new request for a guardian has arrived."),
    )
    _send_on_commit(coordinator_emails(), subject, lines)


def proposal(assignment):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You have been proposed as a guardian") + f" ({assignment.request.reference})"
        lines = [
            _(
                "Pikassos proposes you as the guardian in a child-protection matter. "
                "Please accept or decline the proposal in the portal."
            ),
            _link(reverse("guardianship:my_assignments")),
        ]
    _send_on_commit([assignment.guardian.email], subject, lines)


def declined(assignment):
    subject, lines = _request_message(
        assignment.request,
        gettext_lazy("A guardian declined a proposal"),
        gettext_lazy("The proposed guardian declined. The request is back in the search."),
    )
    _send_on_commit(coordinator_emails(), subject, lines)


def consent_given(request):
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardian has given consent"),
        gettext_lazy(
            "The guardian has consented. You can now attach the consent to the "
            "application to the district court."
        ),
    )
    _send_on_commit(_worker_emails(request), subject, lines)


def appointed(request):
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardian has been appointed"),
        gettext_lazy("The district court has appointed the guardian."),
    )
    _send_on_commit(_worker_emails(request), subject, lines)


def ended(request):
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardianship has ended"),
        gettext_lazy("The guardianship of this matter has been recorded as ended."),
    )
    _send_on_commit(_worker_emails(request), subject, lines)
