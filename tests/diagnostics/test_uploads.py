"""Evidence uploads: checked by content, size and scanner; served only to those allowed."""

import io
import random
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnostics.models import Evidence
from diagnostics.uploads import EICAR, expansion_problem, path_of

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


def _docx(with_document=True, document: bytes = b"<w:document/>", level=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def _understated(docx: bytes, declared: int) -> bytes:
    """The same zip, its directory claiming word/document.xml unzips to `declared` bytes."""
    out = bytearray(docx)
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while out[at + (30 if signature == b"PK\x03\x04" else 46) :].find(name) != 0:
            at = out.find(signature, at + 1)
        out[at + size_at : at + size_at + 4] = struct.pack("<I", declared)
    return bytes(out)


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


def test_a_docx_that_unzips_to_50mb_is_refused_however_small_it_is(world, draft):
    """The zip bomb found in review: 51KB on the wire, 50MB of XML once opened."""
    bomb = _docx(document=b"<w:document>" + b" " * (50 * 1024 * 1024), level=9)
    assert len(bomb) < 100 * 1024
    response = _upload(world, "rules.docx", bomb)
    assert response.status_code == 200
    assert "The selected file is larger than 20MB when opened" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_docx_far_more_compressed_than_a_real_document_is_refused(world, draft):
    squashed = _docx(document=b"<w:document>" + b" " * (5 * 1024 * 1024), level=9)
    response = _upload(world, "rules.docx", squashed)
    assert "The selected file opens to much more than its size" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_docx_whose_directory_understates_a_part_is_refused(world, draft):
    """zipfile stops at the declared size, so the part then fails its CRC check."""
    honest = _docx(document=b"<w:document>" + b" " * (5 * 1024 * 1024), level=9)
    lying = _understated(honest, declared=20)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 20
    response = _upload(world, "rules.docx", lying)
    assert "The selected file is not a real DOCX file" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_long_ordinary_document_is_accepted(world, draft):
    words = random.Random(7).choices(["budget", "trustees", "volunteers", "Leicester"], k=300_000)
    document = ("<w:document>" + " ".join(words) + "</w:document>").encode()
    assert len(document) > 2 * 1024 * 1024  # past the point where the ratio is judged
    assert _upload(world, "annual-report.docx", _docx(document=document)).status_code == 302


@pytest.mark.parametrize(
    ("unzipped", "zipped", "refused"),
    [
        (20 * 1024 * 1024, 1024 * 1024, None),  # at the limit, an ordinary ratio
        (20 * 1024 * 1024 + 1, 10 * 1024 * 1024, "larger than 20MB when opened"),
        (1024 * 1024, 100, None),  # a small document may compress a lot
        (1024 * 1024 + 1, 10_000, "opens to much more than its size"),
        (2 * 1024 * 1024, 21_000, None),  # 99.9 times: within the ratio
    ],
)
def test_the_expansion_rule(unzipped, zipped, refused):
    problem = expansion_problem(
        unzipped=unzipped, zipped=zipped, max_unzipped=20 * 1024 * 1024, max_ratio=100
    )
    assert problem is None if refused is None else refused in problem
