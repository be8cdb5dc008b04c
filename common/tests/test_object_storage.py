"""Uploads in S3-compatible object storage (issue 17, part 8): what one web host stored,
another serves; only through the permission-checked views; gone from the bucket when a
document is deleted or retention erases a receipt.

A local S3 endpoint: moto's server mode on a free port, in this process. Each "host" is
a storage instance of its own with an empty MEDIA_ROOT of its own, as two machines would
have.
"""

import datetime
import json
import subprocess
import sys

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.storage import NoPublicURL, PrivateS3Storage
from fees.factories import ClaimExpenseFactory, FeeClaimFactory
from guardianship import documents
from guardianship.enums import AccessAction, AccessOutcome, AssignmentStatus, State
from guardianship.factories import (
    AssignmentFactory,
    ChildFactory,
    GuardianFactory,
    GuardianshipRequestFactory,
)
from guardianship.models import AccessLog, RequestDocument

moto_server = pytest.importorskip("moto.server", reason="moto[server] is a dev dependency")

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
REGION = "eu-north-1"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path, monkeypatch, request):
    """A fresh bucket, and STORAGES["default"] pointed at it as the settings do when
    AWS_STORAGE_BUCKET_NAME is set."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    name = f"pikassos-{request.node.name[-40:].replace('_', '-').lower().strip('-')}"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.MEDIA_ROOT = tmp_path / "host-a"
    use_host(settings, tmp_path / "host-a", s3_endpoint, name)
    return s3, name, s3_endpoint


def use_host(settings, media_root, endpoint, name):
    """Be another web host: its own (empty) MEDIA_ROOT and a storage instance of its own
    (a new STORAGES setting resets Django's default storage)."""
    media_root.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT = media_root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "common.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
            },
        },
    }


def keys(s3, name):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=name).get("Contents", []))


def local_files(path):
    return [p for p in path.rglob("*") if p.is_file()]


@pytest.fixture
def case(coordinator, sw_pori, guardian_user):
    """A Pori request filed by sw_pori for Aino; guardian_user has consented and serves."""
    request = GuardianshipRequestFactory(state=State.CONSENT_GIVEN, created_by=sw_pori, children=0)
    ChildFactory(request=request, first_name="Aino", last_name="Kuusisaari")
    AssignmentFactory(
        request=request,
        guardian=GuardianFactory(user=guardian_user),
        proposed_by=coordinator,
        status=AssignmentStatus.ACTIVE,
        started_at=timezone.now(),
    )
    return request


def document_url(name, document):
    return reverse(
        f"guardianship:{name}",
        kwargs={"uuid": document.request.uuid, "document": document.uuid},
    )


def test_the_settings_store_uploads_in_the_bucket_named_by_the_environment(settings):
    """AWS_STORAGE_BUCKET_NAME and friends switch the default storage to private S3."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "True",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "AWS_STORAGE_BUCKET_NAME": "pikassos-uploads",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.fi",
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": "key",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "from django.core.files.storage import default_storage as s; "
        "print(json.dumps([settings.STORAGES['default']['BACKEND'], s.bucket_name, "
        "s.endpoint_url, s.region_name, s.default_acl, s.file_overwrite]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "pikassos_portal.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [
        "common.storage.PrivateS3Storage",
        "pikassos-uploads",
        "https://s3.example.fi",
        REGION,
        "private",
        False,
    ]


def test_a_document_uploaded_on_one_host_is_downloaded_on_another(
    client, case, sw_pori, coordinator, sw_rauma, bucket, settings, tmp_path
):
    s3, name, endpoint = bucket
    client.force_login(sw_pori)
    upload = SimpleUploadedFile("Aino suostumus.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("guardianship:document_upload", kwargs={"uuid": case.uuid}),
        {"kind": "signed_consent", "file": upload},
    )
    assert response.status_code == 302
    document = RequestDocument.objects.get()
    # In the bucket, private, under its random name; nothing on host A's disk.
    assert keys(s3, name) == [document.file.name]
    grants = s3.get_object_acl(Bucket=name, Key=document.file.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only
    assert local_files(settings.MEDIA_ROOT) == []

    # Host B: another storage instance, another (empty) disk.
    use_host(settings, tmp_path / "host-b", endpoint, name)
    other_host = Client()
    other_host.force_login(coordinator)
    response = other_host.get(document_url("document_download", document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert local_files(tmp_path / "host-b") == []

    # Still only through the permission check: another team's worker gets no bytes, and
    # the refusal is logged.
    other_host.force_login(sw_rauma)
    response = other_host.get(document_url("document_download", document))
    assert response.status_code == 404
    assert not response.streaming and PDF not in response.content
    assert AccessLog.objects.filter(
        user=sw_rauma, action=AccessAction.VIEW, outcome=AccessOutcome.REFUSED
    ).exists()


def test_the_storage_gives_out_no_url_and_the_request_page_links_the_portal_view(
    client, case, sw_pori, bucket
):
    document = documents.upload_document(
        case,
        by=sw_pori,
        kind="signed_consent",
        upload=SimpleUploadedFile("x.pdf", PDF),
    )
    with pytest.raises(NoPublicURL):
        document.file.url  # noqa: B018 - the property is the test
    client.force_login(sw_pori)
    page = client.get(case.get_absolute_url()).content.decode()
    assert document_url("document_download", document) in page
    _s3, name, endpoint = bucket
    assert endpoint not in page and name not in page


def test_deleting_a_document_removes_its_object(
    client, case, sw_pori, bucket, django_capture_on_commit_callbacks
):
    s3, name, _endpoint = bucket
    kept = documents.upload_document(
        case, by=sw_pori, kind="signed_consent", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    mistake = documents.upload_document(
        case, by=sw_pori, kind="signed_consent", upload=SimpleUploadedFile("b.png", PNG)
    )
    assert keys(s3, name) == sorted([kept.file.name, mistake.file.name])
    client.force_login(sw_pori)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(document_url("document_delete", mistake))
    assert response.status_code == 302
    assert keys(s3, name) == [kept.file.name]


def test_retention_removes_the_receipts_and_documents_of_anonymised_requests_from_the_bucket(
    case, coordinator, bucket, django_capture_on_commit_callbacks
):
    s3, name, _endpoint = bucket
    long_ago = timezone.now() - datetime.timedelta(days=7 * 365)
    old = AssignmentFactory(
        status=AssignmentStatus.ENDED,
        request__state=State.ENDED,
        request__state_changed_at=long_ago,
        request__submitted_at=long_ago - datetime.timedelta(days=400),
    )
    old_receipt = ClaimExpenseFactory(
        claim=FeeClaimFactory(assignment=old),
        receipt=SimpleUploadedFile("kuitti.pdf", PDF),
    ).receipt.name
    recent_receipt = ClaimExpenseFactory(
        claim=FeeClaimFactory(assignment=case.assignments.get()),
        receipt=SimpleUploadedFile("kuitti.png", PNG),
    ).receipt.name
    old_document = RequestDocument.objects.create(
        request=old.request,
        kind="court_decision",
        file=SimpleUploadedFile("paatos.pdf", PDF),
        size=len(PDF),
        content_type="application/pdf",
        uploaded_by=coordinator,
        uploaded_at=long_ago,
    ).file.name
    assert keys(s3, name) == sorted([old_receipt, recent_receipt, old_document])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", years=6, log_years=12)

    assert keys(s3, name) == [recent_receipt]


def test_a_receipt_stored_on_one_host_downloads_on_another(
    client, coordinator, bucket, settings, tmp_path
):
    s3, name, endpoint = bucket
    expense = ClaimExpenseFactory(receipt=SimpleUploadedFile("kuitti.png", PNG))
    assert keys(s3, name) == [expense.receipt.name]
    use_host(settings, tmp_path / "host-b", endpoint, name)
    client.force_login(coordinator)
    url = reverse(
        "fees:claim_receipt", kwargs={"uuid": expense.claim.uuid, "expense": expense.uuid}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert local_files(tmp_path / "host-b") == []


def test_healthz_and_the_system_checks_pass_with_object_storage(client, bucket):
    assert client.get(reverse("healthz")).status_code == 200
    call_command("check")
    assert isinstance(storages["default"], PrivateS3Storage)


def test_the_admin_links_a_receipt_to_the_portals_view_not_to_the_bucket(client, superuser, bucket):
    """A file widget would ask the storage for the object's URL: none is given out."""
    _s3, name, endpoint = bucket
    expense = ClaimExpenseFactory(receipt=SimpleUploadedFile("kuitti.png", PNG))
    client.force_login(superuser)
    for url in (
        reverse("admin:fees_claimexpense_change", args=[expense.pk]),
        reverse("admin:fees_feeclaim_change", args=[expense.claim.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        receipt = reverse(
            "fees:claim_receipt", kwargs={"uuid": expense.claim.uuid, "expense": expense.uuid}
        )
        assert f'href="{receipt}"' in page
        assert 'type="file"' not in page and endpoint not in page
