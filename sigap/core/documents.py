"""Documents kept with a case, a mediation or a meeting (the signed kesepakatan damai, a berita acara, the
attendance list, photos of the work): checked at the edge, photos re-encoded without their metadata, PDFs kept as
sent.

The owning room's service calls `document_store` / `document_discard` inside its own transaction and writes its
timeline or audit row beside them, so that the owner says who added or removed what.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sigap.core.models import Document
from sigap.core.photos import PhotoError, photo_clean
from sigap.core.roles import STAFF_ROLES, Role, role_of

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024  # a scanned agreement of a few pages; a phone's photo is far less
PDF = "application/pdf"
PHOTO_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF")


class DocumentError(ValueError):
    """A document that is refused, with a message for the person who sent it."""


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def document_clean(data: bytes) -> CleanDocument:
    """A PDF as sent, or a photo without metadata; anything else is refused with what to do instead."""
    if not data:
        raise DocumentError(_("The file is empty."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)})
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise DocumentError(_("The PDF is incomplete; it may have been cut off while it was sent."))
        return CleanDocument(data, PDF, "pdf", hashlib.sha256(data).hexdigest())
    if not data.startswith(PHOTO_SIGNATURES):
        raise DocumentError(
            _("Only PDF files and photos (JPEG, PNG or WebP) are kept; save a Word or Excel document as PDF first.")
        )
    try:
        photo = photo_clean(data, max_bytes=MAX_DOCUMENT_BYTES)
    except PhotoError as exc:
        raise DocumentError(str(exc)) from None
    return CleanDocument(photo.content, photo.content_type, photo.extension, photo.sha256)


def documents_of(owner: models.Model) -> QuerySet[Document]:
    """Every document of `owner`, removed ones too (their row says who removed them and why)."""
    return Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).select_related("added_by", "removed_by")


def uploaded_file(request: HttpRequest) -> bytes | None:
    """The form's `file`, read to one byte past the limit (so that document_clean names the limit rather than
    reading a huge upload), or None when no file was chosen."""
    upload = request.FILES.get("file")
    return None if upload is None else upload.read(MAX_DOCUMENT_BYTES + 1)


def document_store(*, owner: models.Model, title: str, data: bytes | None, actor: Any, at: datetime) -> Document:
    """Keep a checked copy of `data` with `owner`. Call inside the owner's transaction, then write its timeline."""
    title = " ".join(title.split())
    if not title:
        raise DocumentError(_("Say what the document is (for example: signed agreement, minutes)."))
    if data is None:
        raise DocumentError(_("Choose the file to add."))
    clean = document_clean(data)
    document = Document(
        owner=owner,
        title=title[:200],
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=clean.sha256,
        added_at=at,
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # A random name: the title may carry a party's name, and a file's path is not the place for it.
    document.file.save(f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False)
    document.save()
    return document


def document_discard(*, document: Document, actor: Any, reason: str, at: datetime) -> Document:
    """Remove a document's file (a wrong file, a page that names someone it should not) and keep its row with who
    removed it and why. The file goes once the transaction commits."""
    reason = reason.strip()
    if not reason:
        raise DocumentError(_("Say why the document is removed."))
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.removed_at is not None:
        raise DocumentError(_("The document was already removed."))
    name = document.file.name
    document.removed_at = at
    document.removed_by = actor if getattr(actor, "is_authenticated", False) else None
    document.removed_reason = reason
    document.file = ""  # the row no longer names a file
    document.save()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
    return document


def document_removable_by(document: Document, user: Any) -> bool:
    """Who added it, or the secretariat."""
    if document.removed_at is not None:
        return False
    return role_of(user) in (Role.ADMIN, Role.ANALYST) or (
        document.added_by_id is not None and document.added_by_id == getattr(user, "pk", None)
    )


def reads_documents(user: Any) -> bool:
    """Documents are the team's papers: staff who see the owner read them. A trusted reporter follows their own
    incident but gets none of what the team keeps about it (a berita acara names people)."""
    return role_of(user) in STAFF_ROLES


def documents_for_page(owner: models.Model, user: Any) -> list[tuple[Document, bool]]:
    """The owner's documents for its page, each with whether `user` may remove it (none for non-staff)."""
    if not reads_documents(user):
        return []
    return [(document, document_removable_by(document, user)) for document in documents_of(owner)]
