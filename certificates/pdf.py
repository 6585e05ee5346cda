"""Certificate and transcript PDFs: Django templates rendered to HTML, WeasyPrint to PDF.

Everything a learner or an author typed reaches the HTML through Django's autoescaping
(never ``|safe``), and WeasyPrint fetches resources only through ``SafeURLFetcher``:
``data:`` URIs and files under an allow-list of directories (``MEDIA_ROOT``, the static
directories, the system font directories). Remote URLs, other schemes and any other
file are refused, so hostile markup that slipped through still cannot read a file or
reach the network.

Fonts come from the system through fontconfig (Debian ``fonts-noto-core`` for Latin,
Arabic and Devanagari, ``fonts-wqy-microhei`` for Chinese); the stylesheet names them in
explicit ``font-family`` stacks and WeasyPrint embeds the glyphs it uses.
"""

from __future__ import annotations

import base64
import logging
import os
import unicodedata
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates.content import CertificateContent, TranscriptContent

__all__ = [
    "FONT_DIRS",
    "SafeURLFetcher",
    "allowed_directories",
    "certificate_html",
    "render_certificate_pdf",
    "render_transcript_pdf",
    "transcript_html",
]

logger = logging.getLogger(__name__)

TEMPLATES = "certificates/pdf"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / TEMPLATES / "pdf.css"
FONT_DIRS = (
    Path(__file__).resolve().parent / "fonts",
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
)
RTL_LANGUAGES = frozenset({"ar"})

# The few fixed words on a certificate, per language. The attestation sentence itself
# (CertificateContent.wording) comes from the caller, already in the right language.
LABELS = {
    "en": {"participation": "Certificate of participation",
           "achievement": "Certificate of achievement", "awarded_to": "Awarded to",
           "completed": "Completed on", "hours": "CPD credit hours", "score": "Score",
           "issuer": "Issued by", "accredited": "Accredited by", "expires": "Valid until",
           "id": "Certificate ID", "verify": "Verify at", "transcript": "CPD transcript",
           "period": "Period", "course": "Course", "total": "Total CPD credit hours"},
    "fr": {"participation": "Certificat de participation",
           "achievement": "Certificat de réussite", "awarded_to": "Décerné à",
           "completed": "Terminé le", "hours": "Heures de crédit DPC", "score": "Score",
           "issuer": "Délivré par", "accredited": "Accrédité par",
           "expires": "Valable jusqu’au",  # noqa: RUF001 "id": "Identifiant du certificat",
           "verify": "Vérifier sur", "transcript": "Relevé DPC", "period": "Période",
           "course": "Cours", "total": "Total des heures de crédit DPC"},
    "es": {"participation": "Certificado de participación",
           "achievement": "Certificado de aprovechamiento", "awarded_to": "Otorgado a",
           "completed": "Completado el", "hours": "Horas de crédito DPC",
           "score": "Puntuación", "issuer": "Emitido por", "accredited": "Acreditado por",
           "expires": "Válido hasta", "id": "ID del certificado", "verify": "Verificar en",
           "transcript": "Expediente DPC", "period": "Periodo", "course": "Curso",
           "total": "Total de horas de crédito DPC"},
    "pt": {"participation": "Certificado de participação",
           "achievement": "Certificado de aproveitamento", "awarded_to": "Concedido a",
           "completed": "Concluído em", "hours": "Horas de crédito DPC",
           "score": "Pontuação", "issuer": "Emitido por", "accredited": "Acreditado por",
           "expires": "Válido até", "id": "ID do certificado", "verify": "Verificar em",
           "transcript": "Histórico DPC", "period": "Período", "course": "Curso",
           "total": "Total de horas de crédito DPC"},
    "ar": {"participation": "شهادة مشاركة", "achievement": "شهادة إنجاز",
           "awarded_to": "مُنحت إلى", "completed": "تاريخ الإتمام",
           "hours": "ساعات التطوير المهني المستمر", "score": "الدرجة",
           "issuer": "الجهة المُصدِرة", "accredited": "الجهة المُعتمِدة",
           "expires": "صالحة حتى", "id": "رقم الشهادة", "verify": "للتحقق",
           "transcript": "سجل التطوير المهني المستمر", "period": "الفترة",
           "course": "الدورة", "total": "مجموع ساعات التطوير المهني المستمر"},
}


# --- URL fetching ------------------------------------------------------------------


def allowed_directories() -> tuple[Path, ...]:
    """Directories WeasyPrint may read files from (resolved, symlinks followed)."""
    dirs = [settings.MEDIA_ROOT, *getattr(settings, "STATICFILES_DIRS", ())]
    if getattr(settings, "STATIC_ROOT", None):
        dirs.append(settings.STATIC_ROOT)
    dirs.extend(FONT_DIRS)
    return tuple(Path(os.path.realpath(d)) for d in dirs if d)


class SafeURLFetcher(URLFetcher):
    """Serves ``data:`` URIs and files under ``allowed_directories()``; refuses the rest.

    ``refused`` lists every URL turned away (WeasyPrint logs a warning and renders on
    without the resource).
    """

    def __init__(self, directories: tuple[Path, ...] | None = None) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.directories = allowed_directories() if directories is None else directories
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self._allowed_path(url)
            if path is not None:
                return URLFetcherResponse(path.as_uri(), path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"Refused by the certificate PDF URL fetcher: {url[:200]}")

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(os.path.realpath(unquote(parts.path)))
        if not path.is_file():
            return None
        if any(path.is_relative_to(directory) for directory in self.directories):
            return path
        return None


# --- HTML ------------------------------------------------------------------------------


def _direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strong character, as HTML's dir="auto" decides."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def _file_uri(path: str | None) -> str | None:
    """A ``file:`` URI for a local path; a ``data:`` URI (images read from storage) as is."""
    if path and path.startswith("data:"):
        return path
    return Path(path).resolve().as_uri() if path else None


def _date(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _hours(value: Decimal) -> str:
    return formats.number_format(value.normalize() if value == value.to_integral() else value)


def certificate_html(content: CertificateContent) -> str:
    """The HTML WeasyPrint turns into the certificate (also what tests assert on)."""
    language = content.language
    with translation.override(language):
        context = {
            "c": content,
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "name_direction": _direction(content.learner_name),
            "title_direction": _direction(content.course_title),
            "wording_direction": _direction(content.wording),
            "labels": LABELS[language],
            "heading": LABELS[language][content.tier],
            "completed_on": _date(content.completed_on),
            "expires_on": _date(content.expires_on),
            "hours": _hours(content.cpd_credit_hours),
            "score": formats.number_format(content.score) if content.score is not None
            and content.tier == "achievement" else "",
            "qr": _qr_data_uri(content.verification_url),
            "logo": _file_uri(content.logo_path),
            "signatories": [(s, _file_uri(s.signature_path)) for s in content.signatories],
        }
        return render_to_string(f"{TEMPLATES}/certificate.html", context)


def transcript_html(content: TranscriptContent, *, language: str = "en") -> str:
    with translation.override(language):
        rows = [(row, _date(row.completed_on), _hours(row.cpd_credit_hours))
                for row in content.rows]
        context = {
            "t": content,
            "language": language,
            "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
            "name_direction": _direction(content.learner_name),
            "labels": LABELS[language],
            "start": _date(content.start),
            "end": _date(content.end),
            "rows": rows,
            "total": _hours(content.total_hours),
        }
        return render_to_string(f"{TEMPLATES}/transcript.html", context)


# --- PDF ---------------------------------------------------------------------------


@cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=SafeURLFetcher())


def _pdf(html: str, *, title: str) -> bytes:
    fetcher = SafeURLFetcher()
    document = HTML(string=html, base_url=None, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[_stylesheet()], pdf_variant=None,
                             uncompressed_pdf=False)
    if fetcher.refused:
        logger.warning("%s: refused %d resource(s): %s", title, len(fetcher.refused),
                       ", ".join(url[:80] for url in fetcher.refused))
    return pdf


def render_certificate_pdf(content: CertificateContent) -> bytes:
    """One A4 landscape page: name, course, date, hours, issuer, signatories, QR code."""
    return _pdf(certificate_html(content), title=f"certificate {content.public_id}")


def render_transcript_pdf(content: TranscriptContent, *, language: str = "en") -> bytes:
    """A4 portrait: one row per certificate in the period, then the total hours."""
    return _pdf(transcript_html(content, language=language), title="transcript")
