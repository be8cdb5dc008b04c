"""A request's papers (issue 14, part 3): the consent form filled in from the request, and
the documents uploaded to it (the signed consent, the court's decision and papers).

Who may upload, list and download is guardianship.policies; every upload and download is
in the access log with its basis, every refusal as refused with no file bytes; a file is
checked by its bytes, its size and the request's total; the consent form never shows a
full identity code.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.factories import make_user
from accounts.roles import Role
from common.uploads import UPLOAD_MAX_BYTES
from guardianship import documents, notifications, policies
from guardianship.enums import AccessAction, AccessBasis, AccessOutcome, AssignmentStatus, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import (
    AccessLog,
    Child,
    DocumentKind,
    GuardianshipRequest,
    LegalTrack,
    RequestDocument,
)
from guardianship.models.tracks import CHILD_WELFARE, CRIMINAL_INVESTIGATION

pytestmark = pytest.mark.django_db

COUNTY = "satakunnan-hyvinvointialue"
# A temporary identity code (individual number 900-999): no real person has it.
CODE, MASKED = "010115A998H", "010115A***H"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name="Aino Kuusisaari suostumus.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def sw_teammate(db):
    """Another social worker of the Pori team: the request's team member."""
    return make_user(
        Role.SOCIAL_WORKER, [COUNTY], units=["Lastensuojelu, Pori"], username="dora-pori"
    )


@pytest.fixture
def other_guardian_user(db):
    return make_user(Role.GUARDIAN, username="otto-other-guardian")


@pytest.fixture
def case(coordinator, sw_pori, guardian_user):
    """A Pori request filed by sw_pori for two siblings (one with an identity code, one
    with a date of birth), on both legal tracks; guardian_user has consented and serves."""
    request = GuardianshipRequestFactory(
        state=State.CONSENT_GIVEN,
        created_by=sw_pori,
        children=0,
        track_codes=(CHILD_WELFARE, CRIMINAL_INVESTIGATION),
        police_report_number="5500/R/12345/26",
    )
    ChildFactory(
        request=request,
        first_name="Aino",
        last_name="Kuusisaari",
        identity_code=CODE,
        date_of_birth=None,
    )
    ChildFactory(
        request=request,
        first_name="Eino",
        last_name="Kuusisaari",
        date_of_birth=datetime.date(2017, 3, 15),
    )
    guardian = GuardianFactory(
        user=guardian_user,
        first_name="Gina",
        last_name="Edunvalvoja",
        address="Isolinnankatu 1, 28100 Pori",
        phone="040 765 4321",
    )
    assignment = AssignmentFactory(
        request=request,
        guardian=guardian,
        proposed_by=coordinator,
        status=AssignmentStatus.ACTIVE,
        started_at=timezone.now(),
    )
    return request, assignment


def add(request, kind=DocumentKind.SIGNED_CONSENT, by=None, content=PDF, name="paatos.pdf"):
    return documents.upload_document(
        request, by=by or request.created_by, kind=kind, upload=upload(name, content)
    )


def upload_url(request):
    return reverse("guardianship:document_upload", kwargs={"uuid": request.uuid})


def download_url(document):
    return reverse(
        "guardianship:document_download",
        kwargs={"uuid": document.request.uuid, "document": document.uuid},
    )


def consent_url(request):
    return reverse("guardianship:request_consent", kwargs={"uuid": request.uuid})


def rows(user, action, outcome=AccessOutcome.ALLOWED):
    return AccessLog.objects.filter(user=user, action=action, outcome=outcome)


def first_names(log_rows):
    """The first names of the children the rows name."""
    ids = [child for row in log_rows for child in row.children]
    return sorted(Child.objects.filter(pk__in=ids).values_list("first_name", flat=True))


# Uploading ------------------------------------------------------------------------------


def test_the_social_worker_uploads_the_signed_consent(client, case, sw_pori, media):
    request, assignment = case
    client.force_login(sw_pori)

    response = client.post(upload_url(request), {"kind": "signed_consent", "file": upload()})

    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    document = RequestDocument.objects.get()
    assert (document.request, document.kind, document.assignment) == (
        request,
        DocumentKind.SIGNED_CONSENT,
        assignment,
    )
    assert (document.size, document.content_type, document.uploaded_by) == (
        len(PDF),
        "application/pdf",
        sw_pori,
    )
    # Stored under a random name: nothing of the child's name the file was given.
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert "Aino" not in document.file.name and "suostumus" not in document.file.name
    assert [p.read_bytes() for p in stored_files(media)] == [PDF]
    # The upload is written to the access log for each child, on the worker's basis.
    created = rows(sw_pori, AccessAction.CREATE)
    assert first_names(created) == ["Aino", "Eino"]
    assert set(created.values_list("basis", flat=True)) == {AccessBasis.RESPONSIBLE_WORKER}
    # And the history says who added it, from where.
    event = RequestDocument.pgh_event_model.objects.get(pgh_label="insert")
    assert event.pgh_context.metadata["user"] == sw_pori.pk
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Edunvalvojan allekirjoitettu suostumus" in page and download_url(document) in page


def test_the_coordinator_uploads_the_court_decision_and_the_serving_guardian_their_consent(
    client, case, coordinator, guardian_user
):
    request, _assignment = case
    client.force_login(coordinator)
    client.post(upload_url(request), {"kind": "court_decision", "file": upload("p.png", PNG)})
    client.force_login(guardian_user)
    client.post(upload_url(request), {"kind": "signed_consent", "file": upload("s.jpg", JPEG)})
    # The guardian adds only their consent, not the court's papers.
    response = client.post(upload_url(request), {"kind": "court_decision", "file": upload()})
    assert response.status_code == 200
    assert response.context["document_form"].errors["kind"]

    assert sorted(RequestDocument.objects.values_list("kind", "content_type", "uploaded_by")) == [
        (DocumentKind.COURT_DECISION, "image/png", coordinator.pk),
        (DocumentKind.SIGNED_CONSENT, "image/jpeg", guardian_user.pk),
    ]
    aino = request.children.get(first_name="Aino")
    assert rows(guardian_user, AccessAction.CREATE).get(children__contains=[aino.pk]).basis == (
        AccessBasis.APPOINTED_GUARDIAN
    )
    assert rows(coordinator, AccessAction.CREATE).first().basis == AccessBasis.COORDINATOR


@pytest.mark.parametrize(
    "role", ["sw_rauma", "team_leader", "other_guardian", "proposed_guardian", "planner", "payer"]
)
def test_an_upload_from_outside_the_request_is_refused_and_nothing_is_stored(
    client, case, role, request, media, coordinator
):
    obj, _assignment = case
    if role == "proposed_guardian":
        # A guardian only proposed has not consented: there is no consent to upload yet.
        obj = AssignmentFactory(
            guardian__user=make_user(Role.GUARDIAN, username="pete-proposed"),
            request__created_by=obj.created_by,
        ).request
        user = obj.assignments.get().guardian.user
    else:
        user = request.getfixturevalue({"other_guardian": "other_guardian_user"}.get(role, role))
    client.force_login(user)

    response = client.post(upload_url(obj), {"kind": "signed_consent", "file": upload()})

    # A role that sees no requests: 403; a request outside (or a part without the
    # right): 404 and a refused row.
    assert response.status_code == (403 if role in ("planner", "payer") else 404)
    assert not RequestDocument.objects.exists()
    assert stored_files(media) == []
    if response.status_code == 404:
        refused = rows(user, AccessAction.CREATE, AccessOutcome.REFUSED).get()
        assert (refused.request_id, refused.basis) == (obj.pk, "")


def test_uploading_and_deleting_refuse_get(client, case, sw_pori):
    request, _assignment = case
    document = add(request)
    client.force_login(sw_pori)
    delete = reverse(
        "guardianship:document_delete", kwargs={"uuid": request.uuid, "document": document.uuid}
    )
    assert client.get(upload_url(request)).status_code == 405
    assert client.get(delete).status_code == 405
    assert RequestDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("ohjelma.exe", b"MZ\x90\x00", "Liitä tiedosto PDF-, JPEG- tai PNG-tiedostona"),
        ("suostumus.docx", PDF, "Liitä tiedosto PDF-, JPEG- tai PNG-tiedostona"),
        ("suostumus", PDF, "Liitä tiedosto PDF-, JPEG- tai PNG-tiedostona"),
        # HTML bytes named .pdf, an SVG (a script) named .png, a PNG named .pdf.
        ("suostumus.pdf", HTML, "Tiedoston sisältö ei ole PDF-tiedosto"),
        ("kuva.png", SVG, "Tiedoston sisältö ei ole PNG-tiedosto"),
        ("kuva.pdf", PNG, "Tiedoston sisältö ei ole PDF-tiedosto"),
        ("kuva.jpg", PNG, "Tiedoston sisältö ei ole JPG-tiedosto"),
        ("iso.pdf", PDF + bytes(UPLOAD_MAX_BYTES), "Tiedosto on liian suuri: enintään 10,0"),
    ],
)
def test_a_file_not_accepted_is_explained_in_finnish_next_to_the_field(
    client, case, sw_pori, media, name, content, error
):
    request, _assignment = case
    client.force_login(sw_pori)

    response = client.post(
        upload_url(request),
        {"kind": "signed_consent", "file": upload(name, content)},
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert error in " ".join(response.context["document_form"].errors["file"])
    # Next to the field (its error block) and in the error summary at the form's top.
    field_error = page.index('id="id_file_error"')
    assert error in page[field_error : field_error + 400]
    assert 'class="error-summary"' in page
    assert not RequestDocument.objects.exists()
    assert stored_files(media) == []
    assert not rows(sw_pori, AccessAction.CREATE).exists()


def test_the_documents_of_a_request_have_a_total(client, case, sw_pori, settings, media):
    request, _assignment = case
    settings.GUARDIANSHIP_DOCUMENTS_MAX_MB = 1
    half = PDF + bytes(600 * 1024)
    client.force_login(sw_pori)
    assert (
        client.post(
            upload_url(request), {"kind": "court_document", "file": upload("a.pdf", half)}
        ).status_code
        == 302
    )

    response = client.post(
        upload_url(request), {"kind": "court_document", "file": upload("b.pdf", half)}
    )

    assert response.status_code == 200
    assert "Pyynnön asiakirjat saavat viedä yhteensä enintään 1,0" in response.content.decode()
    assert RequestDocument.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_the_service_checks_the_total_too(case, settings):
    """Two uploads at once cannot pass the total together: the service locks the request
    and counts again."""
    request, _assignment = case
    settings.GUARDIANSHIP_DOCUMENTS_MAX_MB = 1
    add(request, content=PDF + bytes(700 * 1024))
    with pytest.raises(ValidationError):
        add(request, content=PDF + bytes(700 * 1024))


# Downloading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "basis"),
    [
        ("sw_pori", AccessBasis.RESPONSIBLE_WORKER),
        ("sw_teammate", AccessBasis.TEAM_MEMBER),
        ("coordinator", AccessBasis.COORDINATOR),
        ("guardian_user", AccessBasis.APPOINTED_GUARDIAN),
    ],
)
def test_each_allowed_role_downloads_and_the_look_is_logged_with_its_basis(
    client, case, request, role, basis
):
    obj, _assignment = case
    document = add(obj, name="x.pdf")
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="suostumus-{obj.reference}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    viewed = rows(user, AccessAction.VIEW)
    assert first_names(viewed) == ["Aino", "Eino"]
    assert set(viewed.values_list("basis", "path")) == {(basis, download_url(document))}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("sw_rauma", 404),
        ("team_leader", 404),
        ("other_guardian_user", 404),
        ("planner", 403),
        ("payer", 403),
        ("anonymous", 302),
    ],
)
def test_others_are_refused_a_download_and_get_no_bytes(client, case, request, role, status):
    obj, _assignment = case
    document = add(obj)
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)

    response = client.get(download_url(document))

    assert response.status_code == status
    assert not response.streaming
    assert PDF not in response.content
    assert not AccessLog.objects.filter(outcome=AccessOutcome.ALLOWED).exists()
    if status == 404:
        refused = rows(user, AccessAction.VIEW, AccessOutcome.REFUSED).get()
        assert (refused.request_id, refused.basis) == (obj.pk, "")


def test_the_guardian_reads_the_court_decision_and_their_own_consent_only(
    client, case, coordinator, guardian_user
):
    request, assignment = case
    mine = add(request, DocumentKind.SIGNED_CONSENT)
    decision = add(request, DocumentKind.COURT_DECISION)
    papers = add(request, DocumentKind.COURT_DOCUMENT)
    client.force_login(guardian_user)

    page = client.get(request.get_absolute_url())
    assert page.context["documents"] == [mine, decision]
    for document in (mine, decision):
        assert client.get(download_url(document)).status_code == 200
    assert client.get(download_url(papers)).status_code == 404

    # Reassigned: the next guardian does not read the replaced one's consent or decision,
    # and the replaced one reads nothing any more.
    assignment.status = AssignmentStatus.ENDED
    assignment.save()
    successor = AssignmentFactory(
        request=request,
        guardian__user=make_user(Role.GUARDIAN, username="sam-successor"),
        proposed_by=coordinator,
        status=AssignmentStatus.ACTIVE,
    )
    assert list(policies.documents_for(successor.guardian.user, request)) == []
    assert client.get(download_url(mine)).status_code == 404
    client.force_login(successor.guardian.user)
    assert client.get(download_url(mine)).status_code == 404
    assert rows(successor.guardian.user, AccessAction.VIEW, AccessOutcome.REFUSED).exists()


def test_a_proposed_guardian_and_the_team_leader_see_no_documents_section_to_read(
    client, case, team_leader, sw_pori
):
    request, _assignment = case
    add(request)
    client.force_login(team_leader)
    response = client.get(request.get_absolute_url())
    assert response.context["documents"] is None
    assert response.context["document_form"] is None
    assert not response.context["can_print_consent"]
    assert 'id="documents"' not in response.content.decode()

    proposed = AssignmentFactory(
        request__created_by=sw_pori,
        guardian__user=make_user(Role.GUARDIAN, username="pete-proposed"),
    )
    add(proposed.request, by=sw_pori)
    client.force_login(proposed.guardian.user)
    response = client.get(proposed.request.get_absolute_url())
    assert response.context["documents"] is None
    assert response.context["document_form"] is None
    # A proposed guardian may print the form they are asked to sign.
    assert response.context["can_print_consent"]


def test_the_request_page_has_the_documents_section(client, case, sw_pori):
    request, _assignment = case
    client.force_login(sw_pori)
    page = client.get(request.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    section = page[page.index('<section id="documents"') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="documents-heading">Asiakirjat</h2>' in section
    assert "Tulosta suostumuslomake" in section and consent_url(request) in section
    assert 'enctype="multipart/form-data"' in section
    assert '<label for="id_file">Tiedosto' in section
    assert "PDF-, JPEG- tai PNG-tiedosto, enintään 10 MB" in section
    assert 'accept=".pdf,.jpg,.jpeg,.png' in section
    assert "Ei vielä asiakirjoja." in section


# Deleting -------------------------------------------------------------------------------


def delete_url(document):
    return reverse(
        "guardianship:document_delete",
        kwargs={"uuid": document.request.uuid, "document": document.uuid},
    )


def test_a_document_uploaded_by_mistake_is_deleted_by_its_uploader_or_a_coordinator(
    client, case, sw_pori, sw_teammate, coordinator, media, django_capture_on_commit_callbacks
):
    request, _assignment = case
    first, second = add(request, by=sw_pori), add(request, by=sw_pori)
    assert len(stored_files(media)) == 2

    # A teammate sees the document but did not upload it.
    client.force_login(sw_teammate)
    response = client.post(delete_url(first), follow=True)
    assert "error" in [m.level_tag for m in response.context["messages"]]
    assert RequestDocument.objects.count() == 2

    for user, document in ((sw_pori, first), (coordinator, second)):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(delete_url(document)).status_code == 302
        assert rows(user, AccessAction.UPDATE).exists()
    assert not RequestDocument.objects.exists()
    assert stored_files(media) == []
    # The history keeps that they were there and were deleted.
    deleted = RequestDocument.pgh_event_model.objects.filter(pgh_label="delete")
    assert sorted(deleted.values_list("uuid", flat=True)) == sorted([first.uuid, second.uuid])
    assert set(deleted.values_list("pgh_context__metadata__user", flat=True)) == {
        sw_pori.pk,
        coordinator.pk,
    }


def test_no_document_is_deleted_once_the_request_has_ended(client, case, coordinator):
    request, _assignment = case
    document = add(request)
    GuardianshipRequest.objects.filter(pk=request.pk).update(state=State.ENDED)
    client.force_login(coordinator)
    client.post(delete_url(document))
    assert RequestDocument.objects.filter(pk=document.pk).exists()


# The consent form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "basis"),
    [
        ("sw_pori", AccessBasis.RESPONSIBLE_WORKER),
        ("coordinator", AccessBasis.COORDINATOR),
        ("guardian_user", AccessBasis.APPOINTED_GUARDIAN),
    ],
)
def test_the_consent_form_is_filled_in_from_the_request(client, case, request, role, basis):
    obj, _assignment = case
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(consent_url(obj), HTTP_ACCEPT_LANGUAGE="fi")

    assert response.status_code == 200
    page = response.content.decode()
    # The full identity code never; the masked one, and the sibling's date of birth.
    assert CODE not in page
    assert MASKED in page
    assert "15.3.2017" in page
    aino = next(c for c in obj.children.all() if c.first_name == "Aino")
    for text in (
        obj.reference,
        "Aino Kuusisaari",
        "Eino Kuusisaari",
        f"{aino.age} vuotta",
        # The guardian, the court, the matter, the tracks and their laws, in Finnish.
        "Gina Edunvalvoja",
        "Isolinnankatu 1, 28100 Pori",
        "040 765 4321",
        "Satakunnan käräjäoikeus",
        "Huostaanotto",
        "Lastensuojelu (LSL 22 §); Esitutkinta (ETL 4:8)",
        # Siblings: the consent names them all.
        "<h2>Lapset</h2>",
        "Suostun siihen, että minut määrätään edellä mainittujen lasten edunvalvojaksi",
        "valvomaan lasten etua asianomistajina esitutkinnassa",
        "(Lastensuojelulaki 417/2007 22 §)",
        "(Esitutkintalaki 805/2011 4 luku 8 §)",
        "5500/R/12345/26",
        "Paikka ja aika",
        "Allekirjoitus",
        "Nimenselvennys",
        "Tulosta",
    ):
        assert text in page, text
    # A printable page: the print CSS and script from static files, nothing inline.
    assert "css/consent-print.css" in page and "js/print.js" in page
    assert "<style" not in page and "<script>" not in page and " style=" not in page
    viewed = rows(user, AccessAction.VIEW)
    assert first_names(viewed) == ["Aino", "Eino"]
    assert set(viewed.values_list("basis", flat=True)) == {basis}


def test_a_proposed_guardians_consent_form_shows_only_what_their_phase_may_see(
    client, coordinator, sw_pori, guardian_user
):
    proposal = AssignmentFactory(
        request__created_by=sw_pori,
        request__children=0,
        guardian=GuardianFactory(user=guardian_user, first_name="Gina", last_name="Ehdokas"),
        proposed_by=coordinator,
    )
    ChildFactory(
        request=proposal.request,
        first_name="Aino",
        last_name="Kuusisaari",
        identity_code=CODE,
        date_of_birth=None,
    )
    client.force_login(guardian_user)

    page = client.get(consent_url(proposal.request), HTTP_ACCEPT_LANGUAGE="fi").content.decode()

    assert "Aino" in page and "Gina Ehdokas" in page and "Esikatselu:" in page
    for hidden in ("Kuusisaari", CODE, MASKED, "1.1.2015"):
        assert hidden not in page
    assert rows(guardian_user, AccessAction.VIEW).get().basis == AccessBasis.PROPOSED_GUARDIAN


@pytest.mark.parametrize("role", ["sw_rauma", "team_leader", "other_guardian_user"])
def test_the_consent_form_is_refused_to_others(client, case, request, role):
    obj, _assignment = case
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(consent_url(obj))
    assert response.status_code == 404
    assert b"Kuusisaari" not in response.content
    assert rows(user, AccessAction.VIEW, AccessOutcome.REFUSED).get().request_id == obj.pk


def test_a_request_without_a_guardian_gets_a_form_with_lines_to_fill_in(client, sw_pori):
    request = GuardianshipRequestFactory(created_by=sw_pori, state=State.SEARCHING)
    request.tracks.set(LegalTrack.objects.filter(code=CHILD_WELFARE))
    client.force_login(sw_pori)
    page = client.get(consent_url(request), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert page.count('class="consent__line"') >= 5
    assert "<h2>Lapsi</h2>" in page
    assert (
        "Suostun siihen, että minut määrätään edellä mainitun lapsen edunvalvojaksi huoltajan "
        "sijaan valvomaan lapsen etua edellä kuvatussa lastensuojeluasiassa "
        "(Lastensuojelulaki 417/2007 22 §)."
    ) in page


# The e-mail and retention ---------------------------------------------------------------


def test_the_consent_email_links_the_consent_form_and_the_documents_without_names(
    case, sw_pori, sent_mail, settings
):
    request, _assignment = case
    settings.PORTAL_URL = "https://portaali.example.fi"
    notifications.consent_given(request, by=sw_pori)
    (mail,) = sent_mail()
    assert f"https://portaali.example.fi{consent_url(request)}" in mail.body
    assert f"https://portaali.example.fi{request.get_absolute_url()}#documents" in mail.body
    assert request.reference in mail.subject
    for secret in ("Aino", "Eino", "Kuusisaari", CODE, MASKED, "Gina"):
        assert secret not in mail.body + mail.subject


def test_retention_deletes_the_files_of_an_anonymised_requests_documents(
    client, case, coordinator, media, django_capture_on_commit_callbacks
):
    request, _assignment = case
    old = add(request)
    recent = add(GuardianshipRequestFactory(created_by=request.created_by))
    GuardianshipRequest.objects.filter(pk=request.pk).update(
        state=State.ENDED, state_changed_at=timezone.now() - datetime.timedelta(days=7 * 365)
    )
    assert len(stored_files(media)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", years=6, log_years=12)

    old.refresh_from_db()
    assert (old.file.name, old.kind, old.size) == ("", DocumentKind.SIGNED_CONSENT, len(PDF))
    assert old.erased_at is not None
    assert [p.name for p in stored_files(media)] == [recent.file.name.rsplit("/", 1)[-1]]
    recent.refresh_from_db()
    assert recent.file and recent.erased_at is None
    # The anonymised request's document is listed as deleted and cannot be downloaded.
    client.force_login(coordinator)
    assert client.get(download_url(old)).status_code == 404
