"""Checking and storing evidence files.

A file is accepted only if its content is a PDF, PNG, JPEG or DOCX (a zip
holding `word/document.xml`) matching its extension, it is no larger than
EVIDENCE_MAX_BYTES, its name carries no path, and the virus scanner passes it.
A DOCX must also open to no more than EVIDENCE_MAX_UNZIPPED_BYTES, at no more
than EVIDENCE_MAX_ZIP_RATIO times its own size: a "zip bomb" of a few
kilobytes that expands to gigabytes would otherwise be passed on to the virus
scanner and to every officer who opens it.
Accepted files are stored under a random name in MEDIA_ROOT/evidence, which is
outside the web root: they are only ever served by the authorised download view.
"""

import hashlib
import secrets
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils.module_loading import import_string

from organisations.rules import Decision

ACCEPTED = "PDF, PNG, JPEG or DOCX"
# extension -> (content type, a check on the file's first bytes)
SIGNATURES = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda head: head.startswith(b"PK\x03\x04"),
    ),
}
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!H+H*"


def name_problem(name: str) -> str | None:
    """Why a file name is refused, or None. Pure: no file needed."""
    if not name or not name.strip():
        return "The selected file must have a name"
    if (
        any(c in name for c in "/\\:")
        or ".." in name
        or "%2f" in name.lower()
        or "%5c" in name.lower()
    ):
        return (
            "The selected file name must not include a folder path. Rename the file and try again"
        )
    if any(not c.isprintable() for c in name):
        return "The selected file name must only use letters, numbers and punctuation"
    if len(name) > 200:
        return "The selected file name must be 200 characters or fewer"
    return None


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_problem(*, name: str, head: bytes, size: int, max_bytes: int) -> str | None:
    """Why a file is refused from its name, first bytes and size, or None. Pure."""
    problem = name_problem(name)
    if problem:
        return problem
    if size == 0:
        return "The selected file is empty"
    if size > max_bytes:
        return f"The selected file must be smaller than {max_bytes // (1024 * 1024)}MB"
    extension = extension_of(name)
    if extension not in SIGNATURES:
        return f"The selected file must be a {ACCEPTED}"
    _, matches = SIGNATURES[extension]
    if not matches(head):
        return (
            f"The selected file is not a real {extension.upper()} file. "
            f"Upload the original document as a {ACCEPTED}"
        )
    return None


NOT_A_DOCX = (
    f"The selected file is not a real DOCX file. Upload the original document as a {ACCEPTED}"
)
# A zip's size is judged once this much has been unzipped: a small document's
# XML can compress a hundredfold quite innocently.
RATIO_JUDGED_FROM = 1024 * 1024
# A Word document is a few dozen parts; thousands is an archive built to hurt.
MAX_ZIP_MEMBERS = 1000
CHUNK = 64 * 1024


def expansion_problem(*, unzipped: int, zipped: int, max_unzipped: int, max_ratio: int):
    """Why a zip that opens to `unzipped` bytes from `zipped` is refused, or None. Pure."""
    if unzipped > max_unzipped:
        return (
            f"The selected file is larger than {max_unzipped // (1024 * 1024)}MB when opened. "
            "Make it smaller, for example by compressing its pictures, or save it as a PDF"
        )
    if unzipped > RATIO_JUDGED_FROM and unzipped > max_ratio * zipped:
        return (
            "The selected file opens to much more than its size, which Word documents do not do. "
            "Save the document again from your word processor, or as a PDF, and upload that"
        )
    return None


def docx_problem(fileobj, *, size: int, max_unzipped: int, max_ratio: int) -> str | None:
    """Why a DOCX upload is refused for what is inside the zip, or None.

    The directory must list word/document.xml, and the sizes it declares must
    stay within the limits. Every part is then unzipped in chunks (to nowhere)
    to hold the archive to those sizes: zipfile stops a part at its declared
    size, and a part that really holds more fails its CRC check.
    """
    try:
        with zipfile.ZipFile(fileobj) as archive:
            parts = archive.infolist()
            if "word/document.xml" not in archive.namelist() or len(parts) > MAX_ZIP_MEMBERS:
                return NOT_A_DOCX
            problem = expansion_problem(
                unzipped=sum(part.file_size for part in parts),
                zipped=size,
                max_unzipped=max_unzipped,
                max_ratio=max_ratio,
            )
            if problem:
                return problem
            for part in parts:
                with archive.open(part) as stream:
                    while stream.read(CHUNK):
                        pass
    # RuntimeError: an encrypted part; NotImplementedError: an unknown compression.
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        return NOT_A_DOCX
    finally:
        fileobj.seek(0)
    return None


def no_scan(fileobj) -> str | None:
    """The default scanner: scans nothing. Production points EVIDENCE_VIRUS_SCANNER elsewhere."""
    return None


def scan(fileobj) -> str | None:
    """Run the configured scanner; the name of what it found, or None."""
    scanner = import_string(settings.EVIDENCE_VIRUS_SCANNER)
    try:
        return scanner(fileobj)
    finally:
        fileobj.seek(0)


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    content_type: str


def check_upload(upload) -> tuple[Decision, CheckedFile | None]:
    """Check an uploaded file (a Django UploadedFile) completely: name, size, content, viruses."""
    name = upload.name or ""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    problem = content_problem(
        name=name, head=head, size=upload.size, max_bytes=settings.EVIDENCE_MAX_BYTES
    )
    extension = extension_of(name)
    if problem is None and extension == "docx":
        problem = docx_problem(
            upload,
            size=upload.size,
            max_unzipped=settings.EVIDENCE_MAX_UNZIPPED_BYTES,
            max_ratio=settings.EVIDENCE_MAX_ZIP_RATIO,
        )
    if problem is None and scan(upload):
        problem = "The selected file contains a virus. Check your computer and upload a clean copy"
    if problem:
        return Decision(False, problem), None
    return Decision(True), CheckedFile(name, SIGNATURES[extension][0])


def evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(upload) -> tuple[str, str]:
    """Write the file under a new random name; returns (stored name, sha256)."""
    stored_name = secrets.token_hex(24)
    digest = hashlib.sha256()
    upload.seek(0)
    with open(evidence_dir() / stored_name, "xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return stored_name, digest.hexdigest()


def path_of(stored_name: str) -> Path:
    # Stored names are our own hex tokens; refuse anything else outright.
    if not stored_name.isalnum():
        raise ValueError("Not a stored evidence name.")
    return evidence_dir() / stored_name


def delete_stored(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def download(stored_name: str, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download, never shown inline; 404 if it has gone from the disk.
    Only for a view that has already authorised the person for it."""
    try:
        handle = open(path_of(stored_name), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
