"""Evidence uploads: checked by content, size and scanner; served only to those allowed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnostics.models import Evidence
from diagnostics.uploads import EICAR, path_of

from ..conftest import client_for
from ..factories import PDF_BYTES, EligibilityApplicationFactory, EvidenceFactory

URL = reverse("diagnostics:eligibility_evidence", args=["governing_document"])


@pytest.fixture
def draft(world):
    return EligibilityApplicationFactory(organisation=world.org_a, created_by=world.org_a_admin)


def _upload(world, name, content, content_type="application/pdf"):
    return client_for(world.org_a_admin).post(
        URL, {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def _docx(with_document=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_real_pdf_is_stored_under_a_random_name_outside_the_web_root(world, draft, settings):
    response = _upload(world, "constitution.pdf", PDF_BYTES)
    assert response.status_code == 302
    evidence = draft.evidence.get()
    assert evidence.original_name == "constitution.pdf"
    assert evidence.stored_name != "constitution.pdf" and len(evidence.stored_name) == 48
    stored = path_of(evidence.stored_name)
    assert stored.read_bytes() == PDF_BYTES
    assert str(stored).startswith(str(settings.MEDIA_ROOT))
    assert not str(stored).startswith(str(settings.STATIC_ROOT))


def test_a_real_docx_is_accepted_and_a_renamed_zip_is_not(world, draft):
    assert _upload(world, "rules.docx", _docx()).status_code == 302
    response = _upload(world, "rules.docx", _docx(with_document=False))
    assert "The selected file is not a real DOCX file" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "constitution.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "The selected file is not a real PDF file",
        ),
        (
            "constitution.html",
            b"<html></html>",
            "The selected file must be a PDF, PNG, JPEG or DOCX",
        ),
        ("constitution.exe", b"MZ\x90\x00", "The selected file must be a PDF, PNG, JPEG or DOCX"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_disguised_or_wrong_files_are_refused_with_a_specific_message(
    world, draft, name, content, message
):
    response = _upload(world, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_an_oversize_file_is_refused(world, draft, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    response = _upload(world, "big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_virus_scanner_hook_refuses_the_eicar_test_file(world, draft, settings):
    settings.EVIDENCE_VIRUS_SCANNER = "tests.diagnostics.fake_scanner.eicar_scanner"
    response = _upload(world, "accounts.pdf", b"%PDF-1.4\n" + EICAR)
    assert "The selected file contains a virus" in response.content.decode()
    assert not Evidence.objects.exists()
    # The same scanner passes a clean file.
    assert _upload(world, "accounts.pdf", PDF_BYTES).status_code == 302


def test_a_path_in_the_file_name_never_reaches_the_disk(world, draft, settings):
    """Django's parser strips folders from the name; our own check refuses any that remain."""
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../../etc/evil.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF_BYTES
        + f"\r\n--{boundary}--\r\n".encode()
    )
    client = client_for(world.org_a_admin)
    response = client.generic(
        "POST", URL, body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 302
    evidence = draft.evidence.get()
    assert "/" not in evidence.original_name and ".." not in evidence.original_name
    assert path_of(evidence.stored_name).parent == settings.MEDIA_ROOT / "evidence"


def test_a_refused_upload_keeps_the_earlier_file(world, draft):
    _upload(world, "constitution.pdf", PDF_BYTES)
    _upload(world, "constitution.pdf", b"<html></html>")
    assert draft.evidence.get().original_name == "constitution.pdf"


def test_a_new_upload_replaces_the_old_file(world, draft, django_capture_on_commit_callbacks):
    _upload(world, "old.pdf", PDF_BYTES)
    old = draft.evidence.get()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(world, "new.pdf", PDF_BYTES)
    assert draft.evidence.get().original_name == "new.pdf"
    assert not path_of(old.stored_name).exists()


def test_download_is_an_attachment_for_members_and_staff(world, draft):
    evidence = EvidenceFactory(application=draft, original_name="Our constitution.pdf")
    url = reverse("diagnostics:evidence_download", args=[evidence.pk])
    for user in (world.org_a_admin, world.org_a_member, world.officer, world.manager):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Our constitution.pdf" in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_organisation_and_providers_get_404_for_evidence(world, draft):
    evidence = EvidenceFactory(application=draft)
    url = reverse("diagnostics:evidence_download", args=[evidence.pk])
    for user in (world.org_b_admin, world.provider_user, world.outsider):
        assert client_for(user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to sign in


def test_evidence_cannot_be_uploaded_to_a_submitted_application(world):
    EligibilityApplicationFactory(organisation=world.org_a, status="submitted")
    response = _upload(world, "constitution.pdf", PDF_BYTES)
    assert response.url == reverse("diagnostics:eligibility")
    assert not Evidence.objects.exists()
