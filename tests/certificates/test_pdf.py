"""Certificate and transcript PDFs (certificates.pdf). No database: the renderer takes
plain dataclasses.

Text is compared as pypdf extracts it from the PDF (WeasyPrint writes a ToUnicode map
from each shaped glyph cluster back to the source characters). The names are compared
exactly, character for character (no normalisation): the Latin name keeps its
decomposed combining marks and the Arabic name its harakat.
"""

import io
import re
import socket
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pypdfium2
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from django.utils.html import escape

from certificates import pdf as certificate_pdf
from certificates.content import CertificateContent, Signatory, TranscriptContent, TranscriptRow
from certificates.pdf import (
    SafeURLFetcher,
    certificate_html,
    render_certificate_pdf,
    render_transcript_pdf,
)
from tests.badinput import corpus

ARABIC = "مُحَمَّد عَبْد الله"
DEVANAGARI = "श्रीनिवास अय्यंगार"
CHINESE = "王秀英"
# "ọ̀": o, combining dot below (U+0323), combining grave (U+0300): not NFC-composable.
LATIN = "Dr. Ọláolúwa Adébáyo\u0323\u0300"
URL = "https://allele.example/verify/ALL-7Q2X-9KD4"


def content(**changes) -> CertificateContent:
    fields = {
        "public_id": "ALL-7Q2X-9KD4",
        "learner_name": "Chiamaka Okonkwo",
        "course_title": "Pharmacogenomics in practice",
        "tier": "achievement",
        "score": Decimal("87.5"),
        "completed_on": date(2026, 3, 14),
        "cpd_credit_hours": Decimal("2.5"),
        "issuer_name": "Allele Academy",
        "accrediting_body": "Royal College of Pathologists",
        "wording": "has completed the course",
        "signatories": (Signatory(name="Dr. Ada Byron", title="Course director",
                                  signature_path=None),),
        "logo_path": None,
        "verification_url": URL,
        "language": "en",
        "expires_on": None,
    }
    return CertificateContent(**(fields | changes))


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdfium_text(data: bytes) -> str:
    """Text as PDFium extracts it (pypdf garbles a run of two-byte codes next to a
    .notdef glyph, which the emoji probe produces)."""
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_bounded() for page in document)
    finally:
        document.close()


def pdf_fonts(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return {str(font["/BaseFont"]).split("+", 1)[-1]
            for page in reader.pages
            for font in page["/Resources"].get("/Font", {}).values()}


def compact(text: str) -> str:
    """Without whitespace (lines wrap) and format characters (ZWJ, ZWNJ and bidi marks
    draw no glyph of their own)."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def drawable(text: str) -> str:
    """``compact`` without emoji: no emoji font is installed, so they are drawn as
    .notdef boxes, which extract as nothing."""
    return "".join(c for c in compact(text) if ord(c) < 0x1F000 and c != "\ufe0f")


@pytest.mark.parametrize(("name", "font"), [
    (ARABIC, "Noto-Sans-Arabic"),
    (DEVANAGARI, "Noto-Sans-Devanagari"),
    (CHINESE, "WenQuanYi-Micro-Hei"),
    (LATIN, "Noto-Sans"),
])
def test_name_title_credits_and_id_are_text_in_the_pdf(name, font):
    data = render_certificate_pdf(content(learner_name=name))
    text = pdf_text(data)
    assert name in text  # exactly as she wrote it
    for expected in ("Pharmacogenomics in practice", "2.5", "ALL-7Q2X-9KD4",
                     "Allele Academy", "Royal College of Pathologists", "Dr. Ada Byron",
                     "March 14, 2026", "Certificate of achievement", "87.5%"):
        assert expected in text
    # The script's own font is embedded (no tofu from a fallback font).
    assert any(embedded.startswith(font) for embedded in pdf_fonts(data))
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1


def test_certificate_is_a4_landscape():
    page = pypdf.PdfReader(io.BytesIO(render_certificate_pdf(content()))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (297, 210)


def test_qr_code_decodes_to_the_verification_url():
    data = render_certificate_pdf(content(learner_name=ARABIC, language="ar"))
    document = pypdfium2.PdfDocument(data)
    try:
        image = document[0].render(scale=200 / 72).to_pil()
    finally:
        document.close()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [URL]
    assert URL in compact(pdf_text(data))  # printed too (wrapped on the narrow column)


def test_arabic_certificate_is_right_to_left():
    html = certificate_html(content(language="ar", learner_name=LATIN,
                                    wording="أتمّ الدورة بنجاح"))
    soup = BeautifulSoup(html, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    # A left-to-right name keeps its own direction inside the right-to-left page.
    assert soup.select_one(".name")["dir"] == "ltr"
    data = render_certificate_pdf(content(language="ar", learner_name=LATIN))
    text = pdf_text(data)
    assert "شهادة إنجاز" in text and LATIN in text and "2026" in text


def test_right_to_left_name_in_a_left_to_right_certificate():
    soup = BeautifulSoup(certificate_html(content(learner_name="Dr. أحمد Smith")),
                         "html.parser")
    assert soup.html["dir"] == "ltr"
    assert soup.select_one(".name")["dir"] == "ltr"  # first strong character decides
    soup = BeautifulSoup(certificate_html(content(learner_name=ARABIC)), "html.parser")
    assert soup.select_one(".name")["dir"] == "rtl"


@pytest.mark.parametrize("language", ["fr", "es", "pt"])
def test_other_languages_render(language):
    assert "2026" in pdf_text(render_certificate_pdf(content(language=language)))


def test_participation_certificate_shows_no_score_and_expiry_when_set():
    text = pdf_text(render_certificate_pdf(content(tier="participation",
                                                   expires_on=date(2029, 3, 14))))
    assert "Certificate of participation" in text
    assert "87.5" not in text
    assert "March 14, 2029" in text


def test_logo_and_signature_from_media_root(settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    svg = media / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   '<rect width="10" height="10" fill="green"/></svg>')
    fetched = []

    class Spy(SafeURLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(certificate_pdf, "SafeURLFetcher", Spy)
        render_certificate_pdf(content(logo_path=str(svg), signatories=(
            Signatory(name="Dr. Ada Byron", title="Director", signature_path=str(svg)),)))
    assert svg.resolve().as_uri() in fetched  # once: WeasyPrint caches it per document


def test_transcript_lists_rows_and_total():
    rows = tuple(
        TranscriptRow(course_title=title, completed_on=date(2026, month, 2),
                      cpd_credit_hours=Decimal(hours), public_id=f"ALL-{month:04d}",
                      verification_url=f"https://allele.example/verify/ALL-{month:04d}")
        for month, (title, hours) in enumerate(
            [("Variant interpretation", "3"), ("علم الوراثة السريري", "1.5"),
             ("遗传咨询", "2")], start=1)
    )
    data = render_transcript_pdf(TranscriptContent(
        learner_name=DEVANAGARI, start=date(2026, 1, 1), end=date(2026, 12, 31),
        rows=rows, total_hours=Decimal("6.5")))
    text = pdf_text(data)
    assert DEVANAGARI in text
    for row in rows:  # narrow columns wrap: compare without whitespace
        assert compact(row.course_title) in compact(text) and row.public_id in text
    assert "Feb. 2, 2026" in text
    assert re.search(r"Total CPD credit hours\s*6\.5", text)


# URL fetcher -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "https://example.org/logo.png",
    "ftp://example.org/x",
    "file:///etc/passwd",
    "file:///proc/self/environ",
    "file://attacker.example/share/x.png",
    "gopher://127.0.0.1:6379/_x",
    "relative/path.png",
])
def test_fetcher_refuses_remote_and_disallowed(url):
    fetcher = SafeURLFetcher()
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_files_outside_and_links_out_of_the_allow_list(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "ok.txt").write_text("ok")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (media / "link.txt").symlink_to(outside)
    fetcher = SafeURLFetcher()
    assert fetcher.fetch((media / "ok.txt").as_uri()).read() == b"ok"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    for url in (outside.as_uri(), (media / "link.txt").as_uri(),
                (media / ".." / "secret.txt").as_uri().replace("/media/..", "/media/%2e%2e")):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


PROBES = corpus("pdf_probes.txt")


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.mark.parametrize("field", ["learner_name", "course_title", "wording"])
@pytest.mark.parametrize("probe", PROBES, ids=range(len(PROBES)))
def test_probes_render_as_text_and_fetch_nothing(probe, field, monkeypatch, no_network):
    fetched = []

    class Spy(SafeURLFetcher):
        def fetch(self, url, headers=None):
            fetched.append(url)
            return super().fetch(url, headers)

    monkeypatch.setattr(certificate_pdf, "SafeURLFetcher", Spy)
    data = render_certificate_pdf(content(**{field: probe}))
    assert no_network == []
    # Only our own data: URI (the QR code) reached the fetcher: the probe's markup did not.
    assert [url[:26] for url in fetched] == ["data:image/svg+xml;base64,"]
    if any(ord(c) >= 0x1F000 for c in probe):
        # No emoji font: the emoji is a .notdef box, and both pypdf and PDFium garble
        # the extraction of that line. Its escaping is checked on the HTML instead.
        html = certificate_html(content(**{field: probe}))
        assert escape(probe) in html
        return
    extracted = (compact(pdf_text(data)), compact(pdfium_text(data)).replace("\x02", "-"))
    assert any(drawable(probe) in text for text in extracted), extracted
