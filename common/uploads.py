"""Checking an uploaded file before it is stored: its name's suffix, its size, and what its
first bytes say it is.

A suffix is only a claim: an HTML page named `kuitti.pdf` or an SVG named `kuva.png`
would be stored and later handed to a browser. The content is therefore sniffed by its
magic bytes (the `filetype` package, pure Python, no libmagic) and must be what the
suffix says. Only PDF, JPEG and PNG are accepted: the formats of scanned or photographed
papers (receipts, a signed consent, a court decision) that carry no scripts a browser
would run. Used by the fee claims' receipts and the guardianship requests' documents.
"""

from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
# One file at most (a scanned multi-page decision fits well within this).
UPLOAD_MAX_BYTES = 10 * MB
# The suffixes accepted, each with the content types its bytes may show, and the type
# the file is stored and served as.
ACCEPTED = {
    "pdf": ({"application/pdf"}, "application/pdf"),
    "jpg": ({"image/jpeg"}, "image/jpeg"),
    "jpeg": ({"image/jpeg"}, "image/jpeg"),
    # An animated PNG (APNG) is still a PNG to every viewer.
    "png": ({"image/png", "image/apng"}, "image/png"),
}
# What an <input type="file"> offers to choose, and what the forms tell the user.
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# filetype reads at most this much of a file's head.
_HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    """What the check found: the suffix the file is stored under, its content type and size."""

    suffix: str
    content_type: str
    size: int


def suffix_of(name):
    """The lower-case suffix of a file name without the dot, or ""."""
    name = (name or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(upload):
    """The MIME type the first bytes of `upload` (a Django File) show, or None; the file
    is left at its start."""
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    return kind.mime if kind else None


def check_upload(upload, *, max_bytes=UPLOAD_MAX_BYTES):
    """Check an uploaded file: a PDF, JPEG or PNG by its suffix AND its bytes, of at most
    `max_bytes`. Returns a CheckedUpload; raises ValidationError with a message for the
    user (shown next to the field, in Finnish)."""
    suffix = suffix_of(upload.name)
    if suffix not in ACCEPTED:
        raise ValidationError(
            _("Attach the file as a PDF, JPEG or PNG file (.pdf, .jpg, .png)."),
            code="file_type",
        )
    if not upload.size:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(max_bytes)},
            code="file_size",
        )
    accepted, content_type = ACCEPTED[suffix]
    if sniff(upload) not in accepted:
        raise ValidationError(
            _(
                "The file's content is not a %(type)s file although its name says so. "
                "Save or scan it again as a PDF, JPEG or PNG file."
            )
            % {"type": suffix.upper()},
            code="file_content",
        )
    return CheckedUpload(
        suffix="jpg" if suffix == "jpeg" else suffix, content_type=content_type, size=upload.size
    )
