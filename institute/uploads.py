"""Checks for uploaded files: by content (magic bytes), size and type, one place for all uploads.

A file's name and the browser's Content-Type are chosen by the uploader, so neither is trusted:
the first bytes decide what a file is, and the name must agree with them (a PNG named
`.pdf`, or an HTML page named `.png`, is refused). Images are also opened by Pillow, so a
truncated or fake image is refused too.

Spreadsheets (XLSX) are ZIP archives: a few kilobytes can expand to gigabytes. The archive's
directory is read (without decompressing anything) and refused BEFORE openpyxl opens it when
it has too many members, too much uncompressed data or a suspicious compression ratio. Python's
zipfile never inflates a member past its declared size (and then fails the CRC check), so the
declared sizes checked here bound what a later reader can inflate.

Every check raises `django.core.exceptions.ValidationError` with a message for the user, so
the functions are usable as form-field validators and by services and commands alike.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Extension -> the MIME types its content may be sniffed as.
EVIDENCE_TYPES = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
}
DOCUMENT_TYPES = {
    **{"pdf": {"application/pdf"}},
    # Office Open XML files are ZIP archives; filetype names some of them by their content.
    "docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "pptx": {"application/zip", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    "txt": {"text/plain"},
    "csv": {"text/plain"},
}  # fmt: skip
IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_uncompressed_bytes: int
    max_ratio: int


def _setting(name: str, default):
    return getattr(settings, name, default)


def archive_limits() -> ArchiveLimits:
    return ArchiveLimits(
        max_members=_setting("UPLOAD_ARCHIVE_MAX_MEMBERS", 1000),
        max_uncompressed_bytes=_setting("UPLOAD_ARCHIVE_MAX_UNCOMPRESSED_BYTES", 100 * 1024**2),
        max_ratio=_setting("UPLOAD_ARCHIVE_MAX_RATIO", 200),
    )


def read_head(file, size: int = SNIFF_BYTES) -> bytes:
    """The first bytes of an uploaded file (or bytes), leaving the file at its start."""
    if isinstance(file, bytes | bytearray):
        return bytes(file[:size])
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def file_size(file) -> int:
    return len(file) if isinstance(file, bytes | bytearray) else file.size


def check_size(file, *, max_bytes: int) -> None:
    if file_size(file) > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file_size(file)), "limit": filesizeformat(max_bytes)},
        )
    if file_size(file) == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")


def extension_of(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def sniffed_type(head: bytes) -> str:
    """The MIME type the content says it has; plain text when it decodes as UTF-8 text."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if _looks_like_text(head):
        return "text/plain"
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed head is still text.
        return error.start >= len(head) - 3
    return True


def check_type(file, *, name: str, allowed: dict[str, set[str]]) -> str:
    """Refuse a name whose extension is not allowed or whose content is something else."""
    extension = extension_of(name)
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted; allowed: %(allowed)s."),
            code="file_type",
            params={"extension": extension or "?", "allowed": ", ".join(sorted(allowed))},
        )
    mime = sniffed_type(read_head(file))
    if mime not in allowed[extension]:
        raise ValidationError(
            _("The file's content is not a %(extension)s file (it looks like %(mime)s)."),
            code="file_content",
            params={"extension": extension.upper(), "mime": mime},
        )
    return mime


def check_image(file) -> None:
    """Let Pillow parse the whole header and structure: a fake or truncated image is refused."""
    from PIL import Image, UnidentifiedImageError

    try:
        data = file if isinstance(file, bytes | bytearray) else read_all(file)
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("The image cannot be read; it may be damaged or not an image."), code="image_broken"
        ) from error


def read_all(file) -> bytes:
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def validate_evidence_file(file) -> None:
    """Application and CPD evidence: PDF, JPEG or PNG, checked by content, size limited."""
    check_size(file, max_bytes=_setting("UPLOAD_EVIDENCE_MAX_BYTES", 10 * 1024**2))
    mime = check_type(file, name=file.name, allowed=EVIDENCE_TYPES)
    if mime in IMAGE_TYPES:
        check_image(file)


def validate_document_file(file) -> None:
    """Wagtail documents: the allowed office/PDF/text types, content agreeing with the name."""
    check_size(file, max_bytes=_setting("UPLOAD_DOCUMENT_MAX_BYTES", 20 * 1024**2))
    check_type(file, name=file.name, allowed=DOCUMENT_TYPES)
    if extension_of(file.name) in {"docx", "xlsx", "pptx"}:
        check_zip_archive(read_all(file))


def check_zip_archive(content: bytes, limits: ArchiveLimits | None = None) -> None:
    """Refuse a zip bomb from the archive's directory alone, before anything is inflated."""
    limits = limits or archive_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        raise ValidationError(
            _("The file is not a readable ZIP/XLSX archive."), code="archive_broken"
        ) from error
    if len(members) > limits.max_members:
        raise ValidationError(
            _("The archive has too many parts (%(count)s; at most %(limit)s)."),
            code="archive_members",
            params={"count": len(members), "limit": limits.max_members},
        )
    _check_uncompressed(members, limits)


def _check_uncompressed(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise ValidationError(
            _("The archive would expand to %(size)s; at most %(limit)s is accepted."),
            code="archive_too_large",
            params={
                "size": filesizeformat(total),
                "limit": filesizeformat(limits.max_uncompressed_bytes),
            },
        )
    for member in members:
        # Tiny members compress absurdly well by nature; only large ones can be a bomb.
        if member.file_size > 1024**2:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_ratio:
                raise ValidationError(
                    _("The archive is compressed suspiciously well (%(ratio)d:1); refused."),
                    code="archive_ratio",
                    params={"ratio": ratio},
                )


def check_xlsx_content(content: bytes) -> None:
    if not content.startswith(b"PK\x03\x04"):
        raise ValidationError(_("The file is not an XLSX workbook."), code="file_content")
    check_zip_archive(content)


def check_csv_content(content: bytes) -> str:
    """CSV must be UTF-8 (a BOM is fine): the text, or a clear refusal of another encoding."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The CSV file is not UTF-8 text; save it as “CSV UTF-8” and upload it again."),
            code="csv_encoding",
        ) from error
    if "\x00" in text:
        raise ValidationError(_("The CSV file contains binary data."), code="csv_binary")
    return text


def check_import_size(file) -> None:
    check_size(file, max_bytes=_setting("UPLOAD_IMPORT_MAX_BYTES", 5 * 1024**2))


def check_spreadsheet_upload(file, *, name: str | None = None) -> str:
    """A CSV or XLSX import file (upload or bytes): size, type and content. Returns the format
    ("csv" or "xlsx"); raises ValidationError with the reason otherwise."""
    name = name or getattr(file, "name", "")
    check_import_size(file)
    extension = extension_of(name)
    if extension not in {"csv", "xlsx"}:
        raise ValidationError(
            _("Upload a .csv or .xlsx file."), code="file_type", params={"extension": extension}
        )
    content = file if isinstance(file, bytes | bytearray) else read_all(file)
    if extension == "xlsx":
        check_xlsx_content(bytes(content))
    else:
        check_csv_content(bytes(content))
    return extension


def check_xml_content(content: bytes) -> None:
    """XML import files are text; entities and DTDs are refused by the defusedxml parser."""
    if not _looks_like_text(content[:SNIFF_BYTES]):
        raise ValidationError(_("The file is not a UTF-8 XML file."), code="file_content")
