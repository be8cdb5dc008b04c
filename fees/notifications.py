"""Emails to the guardian about their fee claim: returned for correction, approved.

Like guardianship's (guardianship.notifications): queued in the outbox in the transaction
of the decision, in Finnish, with only the claim's reference and a link that needs a
login: no amounts, no reason for returning, no child. Each is logged as a disclosure of
the claim's request.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fees import policies
from guardianship.notifications import portal_link, queue_message


def _to_guardian(claim, subject, text, *, by):
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{subject} ({claim.reference})"
        lines = [
            str(text),
            portal_link(claim.get_absolute_url()),
            _("Log in to the Pikassos portal to see the details."),
        ]
    queue_message(
        [claim.assignment.guardian.email],
        subject,
        lines,
        request=claim.assignment.request,
        basis=policies.guardian_basis(claim.assignment),
        by=by,
    )


def claim_returned(claim, *, by):
    _to_guardian(
        claim,
        gettext_lazy("Your fee claim was returned for correction"),
        gettext_lazy(
            "Pikassos returned your fee claim for correction. The reason is in the portal; "
            "correct the claim there and send it again."
        ),
        by=by,
    )


def claim_approved(claim, *, by):
    _to_guardian(
        claim,
        gettext_lazy("Your fee claim was approved"),
        gettext_lazy("Pikassos approved your fee claim. The paying organisation pays it."),
        by=by,
    )
