"""Documents of a request (issue 14, part 3): the guardian's signed consent and the court's
papers, uploaded to the request.

Stored like the fee claims' receipts: under a random name (the uploader's file name may
carry a child's name, so it is not kept), in MEDIA_ROOT, which is never served as static
files; a document is read only through the permission-checked, access-logged view
(guardianship.views.document_download). Its type is checked by its bytes
(common.uploads), its size per file and per request (settings.GUARDIANSHIP_DOCUMENTS_MAX_MB).
Who may upload, list and download: guardianship.policies.
"""

import uuid as uuid_module

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import UUIDModel


class DocumentKind(models.TextChoices):
    SIGNED_CONSENT = "signed_consent", _("Signed consent of the guardian")
    COURT_DECISION = "court_decision", _("Court decision")
    COURT_DOCUMENT = "court_document", _("Other court document")


# The name of a downloaded file, before the request's reference (no personal data).
DOWNLOAD_NAMES = {
    DocumentKind.SIGNED_CONSENT: "suostumus",
    DocumentKind.COURT_DECISION: "paatos",
    DocumentKind.COURT_DOCUMENT: "asiakirja",
}


def document_path(document, filename):
    """A random name under the month of upload: nothing of the uploader's file name (which
    may name the child), only the suffix the content was checked to match."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{timezone.now():%Y/%m}/{uuid_module.uuid4()}.{suffix}"


class RequestDocumentQuerySet(models.QuerySet):
    def stored(self):
        """The documents whose file is still kept (retention erases the files)."""
        return self.exclude(file="")

    def total_bytes(self):
        return self.stored().aggregate(total=Sum("size"))["total"] or 0


# Inserts, changes (retention erasing the file) and deletions are in the history, with
# who and which URL (pghistory's context). Nothing personal is in the row to leave out.
@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), obj_field=None
)
class RequestDocument(UUIDModel):
    """A file uploaded to a request: the signed consent, the court decision or another
    court document."""

    request = models.ForeignKey(
        "guardianship.GuardianshipRequest",
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    # The guardian's assignment current when the document was uploaded: whose consent a
    # signed consent is, and whose appointment a decision is about. A guardian sees only
    # the documents of their own assignment (policies.documents_for).
    assignment = models.ForeignKey(
        "guardianship.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # Set when retention deleted the file (the row stays, for what it tells).
    erased_at = models.DateTimeField(_("file deleted"), null=True, blank=True)

    objects = RequestDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["request", "uploaded_at"], name="document_request_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DocumentKind.values), name="document_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="document_content_type_accepted",
            ),
            # A file is kept until retention erases it, and only then is it gone.
            models.CheckConstraint(
                condition=Q(file="", erased_at__isnull=False) | (~Q(file="") & Q(erased_at=None)),
                name="document_file_or_erased",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.uploaded_at:%Y-%m-%d}"

    @property
    def suffix(self):
        return self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else "bin"

    def download_name(self, reference):
        """suostumus-1A2B3C4D.pdf: the kind and the request's reference, nothing personal."""
        return f"{DOWNLOAD_NAMES[self.kind]}-{reference}.{self.suffix}"
