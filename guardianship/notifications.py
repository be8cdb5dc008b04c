"""Emails of the guardian workflow.

Queued in the outbox (common/outbox.py) in the same transaction as the step that causes
them, and sent by the worker: a rolled-back step sends nothing, a committed one cannot
lose its message. In Finnish, and never with a child's name or identity code: just the
request's reference and a link that needs a login. Each one names a request, so each is
a disclosure: the same transaction writes one access-log row per recipient (DISCLOSE,
the recipient's part as the basis, the user whose step caused it).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from guardianship.access import log_disclosure
from guardianship.enums import AccessBasis


def portal_link(path):
    return settings.PORTAL_URL.rstrip("/") + path


def queue_message(recipients, subject, lines, *, request, basis, by):
    """Queue the message in the outbox and log the disclosure of `request` to each
    recipient (`basis`: their part in it) as caused by `by`, both in the caller's
    transaction."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
        body = "\n\n".join(str(line) for line in lines)

    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    log_disclosure([request], recipients, basis=basis, by=by)


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
                portal_link(request.get_absolute_url()),
                _("Log in to the Pikassos portal to see the details."),
            ],
        )


def _to_coordinators(request, subject, lines, by):
    queue_message(
        coordinator_emails(), subject, lines, request=request, basis=AccessBasis.COORDINATOR, by=by
    )


def _to_workers(request, subject, lines, by):
    queue_message(
        _worker_emails(request),
        subject,
        lines,
        request=request,
        basis=AccessBasis.RESPONSIBLE_WORKER,
        by=by,
    )


def new_request(request, *, by):
    subject, lines = _request_message(
        request,
        gettext_lazy("New guardianship request"),
        gettext_lazy("A new request for a guardian has arrived."),
    )
    _to_coordinators(request, subject, lines, by)


def proposal(assignment, *, by):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("You have been proposed as a guardian") + f" ({assignment.request.reference})"
        lines = [
            _(
                "Pikassos proposes you as the guardian in a child-protection matter. "
                "Please accept or decline the proposal in the portal."
            ),
            portal_link(reverse("guardianship:my_assignments")),
        ]
    queue_message(
        [assignment.guardian.email],
        subject,
        lines,
        request=assignment.request,
        basis=AccessBasis.PROPOSED_GUARDIAN,
        by=by,
    )


def declined(assignment, *, by):
    subject, lines = _request_message(
        assignment.request,
        gettext_lazy("A guardian declined a proposal"),
        gettext_lazy("The proposed guardian declined. The request is back in the search."),
    )
    _to_coordinators(assignment.request, subject, lines, by)


def consent_given(request, *, by):
    """To the social workers: attach the consent. The links are the consent form to print
    and the request's documents, where the signed consent is uploaded; no names."""
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardian has given consent"),
        gettext_lazy(
            "The guardian has consented. You can now attach the consent to the "
            "application to the district court."
        ),
    )
    with translation.override(settings.LANGUAGE_CODE):
        lines[1:2] = [
            _("The consent form to print and sign:"),
            portal_link(reverse("guardianship:request_consent", kwargs={"uuid": request.uuid})),
            _("Upload the signed consent to the request's documents:"),
            portal_link(request.get_absolute_url() + "#documents"),
        ]
    _to_workers(request, subject, lines, by)


def appointed(request, *, by):
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardian has been appointed"),
        gettext_lazy("The district court has appointed the guardian."),
    )
    _to_workers(request, subject, lines, by)


def ended(request, *, by):
    subject, lines = _request_message(
        request,
        gettext_lazy("The guardianship has ended"),
        gettext_lazy("The guardianship of this matter has been recorded as ended."),
    )
    _to_workers(request, subject, lines, by)


def mandate_ending(request, assignment):
    """Before the mandate ends (remind_mandate_ends): the social workers and coordinators
    arrange what follows, the guardian knows their task ends. Only the reference and the
    date; sent by the system, so no user caused it."""
    with translation.override(settings.LANGUAGE_CODE):
        ends = formats.date_format(request.mandate_ends_on, "SHORT_DATE_FORMAT")
        text = _(
            "The guardian's mandate in this matter ends on %(date)s at the latest. "
            "Check whether the child still needs a guardian."
        ) % {"date": ends}
    subject, lines = _request_message(request, gettext_lazy("A guardian's mandate is ending"), text)
    _to_workers(request, subject, lines, None)
    _to_coordinators(request, subject, lines, None)
    if assignment is not None:
        queue_message(
            [assignment.guardian.email],
            subject,
            [text, portal_link(reverse("guardianship:my_assignments"))],
            request=request,
            basis=AccessBasis.APPOINTED_GUARDIAN,
            by=None,
        )
