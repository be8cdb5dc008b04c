"""A request's papers (issue 14, part 3): the consent form the portal fills in for the
guardian to sign, and the documents uploaded to the request (the signed consent, the court
decision, other court documents).

Who may do what is asked of guardianship.policies; the views log every look and change.
Uploaded files are checked by their bytes (common.uploads), stored under random names and
counted against a total per request (settings.GUARDIANSHIP_DOCUMENTS_MAX_MB).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from common.exceptions import WorkflowError
from common.uploads import MB, check_upload
from guardianship import policies
from guardianship.models import GuardianshipRequest, RequestDocument
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION


def total_limit():
    """The most bytes of documents one request may hold."""
    return settings.GUARDIANSHIP_DOCUMENTS_MAX_MB * MB


def check_total(request, size):
    """Raise ValidationError when `size` more bytes would take `request` over the total."""
    used = request.documents.total_bytes()
    if used + size > total_limit():
        raise ValidationError(
            _(
                "The request's documents may take at most %(limit)s in all, and %(used)s is "
                "already used. Delete a document uploaded by mistake or ask the coordinator."
            )
            % {"limit": filesizeformat(total_limit()), "used": filesizeformat(used)},
            code="total_size",
        )


@transaction.atomic
def upload_document(request, *, by, kind, upload):
    """Store `upload` (an UploadedFile) as a document of `kind` on `request`. The request
    is locked, so two uploads at once cannot pass the total together. Raises
    WorkflowError when `by` may not add this kind, ValidationError when the file is not
    accepted."""
    request = GuardianshipRequest.objects.select_for_update().get(pk=request.pk)
    if kind not in policies.document_kinds_to_upload(by, request):
        raise WorkflowError(_("You may not add this kind of document to this request."))
    checked = check_upload(upload)
    check_total(request, checked.size)
    # The stored name is random (document_path); only the checked suffix is kept.
    upload.name = f"document.{checked.suffix}"
    return RequestDocument.objects.create(
        request=request,
        kind=kind,
        assignment=policies.current_assignment(request),
        file=upload,
        size=checked.size,
        content_type=checked.content_type,
        uploaded_by=by,
        uploaded_at=timezone.now(),
    )


@transaction.atomic
def delete_document(document, *, by):
    """Delete a document uploaded by mistake, its file once the deletion is committed.
    The history keeps that it was there, who deleted it and when."""
    request = GuardianshipRequest.objects.select_for_update().get(pk=document.request_id)
    document = RequestDocument.objects.select_for_update().get(pk=document.pk)
    if not policies.can_delete_document(by, document, request):
        raise WorkflowError(_("You may not delete this document."))
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def erase_files(requests):
    """Retention: delete the files of the documents of `requests` (a queryset), once the
    change is committed; the rows stay, marked erased."""
    documents = RequestDocument.objects.filter(request__in=requests).stored()
    for name, storage in [(d.file.name, d.file.storage) for d in documents]:
        transaction.on_commit(lambda n=name, s=storage: s.delete(n))
    documents.update(file="", erased_at=timezone.now())


# The consent form -------------------------------------------------------------------------

# What the guardian consents to, by legal track (LegalTrack.code), for one child or for
# siblings; the track's own law reference (reference data) is cited. A track added later
# gets the general wording.
CONSENT_WORDING = {
    CHILD_WELFARE: ngettext_lazy(
        "I consent to being appointed as the guardian (edunvalvoja) of the child named above, "
        "in place of the custodian, to look after the child's interests in the "
        "child-protection matter described above (%(law)s).",
        "I consent to being appointed as the guardian (edunvalvoja) of the children named "
        "above, in place of the custodian, to look after the children's interests in the "
        "child-protection matter described above (%(law)s).",
        "children",
    ),
    CRIMINAL_INVESTIGATION: ngettext_lazy(
        "I consent to being appointed as the guardian (edunvalvoja) of the child named above, "
        "in place of the custodian, to look after the child's interests as an injured party "
        "in the criminal investigation and the trial of the criminal case (%(law)s).",
        "I consent to being appointed as the guardian (edunvalvoja) of the children named "
        "above, in place of the custodian, to look after the children's interests as injured "
        "parties in the criminal investigation and the trial of the criminal case (%(law)s).",
        "children",
    ),
}
GENERAL_WORDING = ngettext_lazy(
    "I consent to being appointed as the guardian (edunvalvoja) of the child named above, in "
    "place of the custodian, in the matter described above (%(law)s).",
    "I consent to being appointed as the guardian (edunvalvoja) of the children named above, "
    "in place of the custodian, in the matter described above (%(law)s).",
    "children",
)


def consent_statements(tracks, children=1):
    """The sentences the guardian signs: one per legal track of the request, citing its
    law, for `children` children; the general one where the request has no track."""
    if not tracks:
        law = _("Child Welfare Act 417/2007, section 22")
        return [GENERAL_WORDING % {"law": law, "children": children}]
    return [
        CONSENT_WORDING.get(track.code, GENERAL_WORDING)
        % {"law": track.law_reference, "children": children}
        for track in tracks
    ]


@dataclass
class ConsentChild:
    name: str
    masked_code: str  # never the full identity code
    date_of_birth: object  # a date, where there is no code
    age: int | None


def consent_children(children, visible):
    """The children as the form names them, within what the user may see (`visible`,
    policies.request_fields): never a full identity code, only the masked one or the date
    of birth; the last name and the code only to whom the phase shows them."""
    shown = []
    for child in children:
        name = child.first_name
        if "child_last_names" in visible:
            name = child.full_name
        codes = "identity_codes" in visible
        age = child.age if {"child_ages", "identity_codes"} & set(visible) else None
        shown.append(
            ConsentChild(
                name,
                child.masked_identity_code if codes else "",
                child.date_of_birth if codes and not child.identity_code else None,
                age,
            )
        )
    return shown
