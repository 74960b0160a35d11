"""The printable A4 certificate (WeasyPrint): bilingual, photo, seal and a QR code."""

import logging
import threading
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from .ob3 import verify_url

# WeasyPrint narrates every rendering step at INFO; keep worker logs readable.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

_local = threading.local()


def _photo_uri(profile) -> str:
    photo = getattr(profile, "photo", None)
    if photo is None:
        return ""
    try:
        return Path(photo.file.path).as_uri()
    except (ValueError, NotImplementedError, FileNotFoundError):
        return ""


def certificate_html(credential) -> str:
    holder = credential.holder
    profile = holder.profile
    url = verify_url(credential.number)
    context = {
        "credential": credential,
        "scheme": credential.scheme_version.scheme,
        "profile": profile,
        "organisation": profile.organisation,
        "photo_uri": _photo_uri(profile),
        "seal_uri": Path(finders.find("img/seal.png")).as_uri(),
        "qr_uri": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        "verify_url": url,
    }
    # The certificate is bilingual by design; labels are written in both languages.
    with translation.override("zh-hans"):
        return render_to_string("trainees/certificate_pdf.html", context)


def font_configuration():
    """This thread's WeasyPrint font configuration, kept across renders.

    A new one per render re-read the fontconfig setup and re-opened the CJK fonts (a tenth
    of a certificate's CPU). One per thread: Pango's font map is not thread-safe. Fonts
    installed while the process runs are seen after a restart."""
    configuration = getattr(_local, "font_configuration", None)
    if configuration is None:
        from weasyprint.text.fonts import FontConfiguration

        configuration = _local.font_configuration = FontConfiguration()
    return configuration


def certificate_pdf(credential) -> bytes:
    from weasyprint import HTML

    document = HTML(string=certificate_html(credential), base_url=str(settings.BASE_DIR))
    return document.write_pdf(font_config=font_configuration())
