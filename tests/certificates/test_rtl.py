"""Certificates in Arabic are laid out right to left, through the real code path: a learner
completes an Arabic course, the course_completed signal issues her certificate and the
prepare task renders its PDF (immediately, under the test tasks backend).

The first page of each PDF is rasterised with PDFium and saved under ``tmp_path`` (named in
the assertion messages); the checks measure ink in regions of that image and where PDFium
finds the words, so a certificate that only said ``dir="rtl"`` and kept its left-to-right
layout fails.
"""

import re
from pathlib import Path

import pypdfium2
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from PIL import Image

from certificates import api
from certificates import pdf as certificate_pdf
from certificates.models import Certificate
from lms.core import api as core_api
from tests import factories
from tests.certificates.conftest import complete_course

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

ARABIC_TITLE = "علم الصيدلة الجيني: فحص HLA-B*15:02"
ARABIC_INDIC_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
SCALE = 100 / 72  # 100 dpi: A4 landscape is 1169 x 827 pixels


@pytest.fixture
def arabic_learner(db):
    person = factories.make_user(email="layla@example.org")
    core_api.save_profile(user=person, full_name="ليلى حداد", profession="physician",
                          country="JO")
    return person


def certificate_of(learner, *, language, title, slug, capture, sources
                   ) -> tuple[Certificate, str]:
    """Complete a course in ``language``; the certificate the tasks issued and rendered, and
    the HTML its PDF was made from."""
    tree = factories.make_course_tree(modules=1, title=title, slug=slug, language=language,
                                      cpd_credit_hours=2)
    with capture(execute=True):
        complete_course(learner, tree)
    certificate = Certificate.objects.get(user=learner, course=tree.course)
    assert certificate.pdf, "the prepare task rendered no PDF"
    return certificate, sources[-1]


@pytest.fixture
def sources(monkeypatch) -> list[str]:
    """The HTML each PDF is made from, in order (WeasyPrint still renders it)."""
    render = certificate_pdf._pdf
    html: list[str] = []

    def recording(source, *, title):
        html.append(source)
        return render(source, title=title)

    monkeypatch.setattr(certificate_pdf, "_pdf", recording)
    return html


def rasterise(certificate: Certificate, path: Path) -> tuple[Image.Image, dict[str, float]]:
    """Page 1 as an image saved at ``path``, and where (x in image pixels) its completion
    year and its public id are drawn."""
    with certificate.pdf.open("rb") as stored:
        data = stored.read()
    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        image = page.render(scale=SCALE).to_pil().convert("RGB")
        image.save(path)
        text = page.get_textpage()
        # The id's longest run without a hyphen (PDFium spaces out the monospace hyphens).
        id_part = max(re.split(r"[^0-9A-Za-z]", certificate.public_id), key=len)
        words = {}
        for word in (str(certificate.completed_at.year), id_part):
            found = text.search(word).get_next()
            assert found is not None, f"{word!r} not in the PDF ({path})"
            left, _bottom, right, _top = text.get_charbox(found[0])
            words[word] = (left + right) / 2 * SCALE
        return image, {"year": words[str(certificate.completed_at.year)],
                       "id": words[id_part]}
    finally:
        document.close()


def ink(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """How many dark pixels lie in ``box`` (fractions of the page: left, top, right, bottom)."""
    width, height = image.size
    crop = image.crop((round(box[0] * width), round(box[1] * height),
                       round(box[2] * width), round(box[3] * height))).convert("L")
    return sum(crop.histogram()[:128])


# The lower corners inside the border, where the verification block (QR code, id, address)
# sits at the inline end; the signatures are centred between them.
LOWER_LEFT = (0.07, 0.55, 0.30, 0.93)
LOWER_RIGHT = (0.70, 0.55, 0.93, 0.93)


def test_arabic_certificate_pdf_is_mirrored(arabic_learner, learner, sources, tmp_path,
                                            django_capture_on_commit_callbacks):
    capture = {"capture": django_capture_on_commit_callbacks, "sources": sources}
    arabic, arabic_html = certificate_of(arabic_learner, language="ar", title=ARABIC_TITLE,
                                         slug="pgx-ar", **capture)
    english, english_html = certificate_of(learner, language="en", title="Pharmacogenomics",
                                           slug="pgx-en", **capture)
    ar_png, en_png = tmp_path / "certificate-ar.png", tmp_path / "certificate-en.png"
    ar_image, ar_words = rasterise(arabic, ar_png)
    en_image, en_words = rasterise(english, en_png)
    shots = f"(pages: {ar_png}, {en_png})"

    soup = BeautifulSoup(arabic_html, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl"), shots
    assert BeautifulSoup(english_html, "html.parser").html["dir"] == "ltr", shots

    # The verification block: lower left in Arabic, lower right in English.
    assert ink(ar_image, LOWER_LEFT) > 10 * max(1, ink(ar_image, LOWER_RIGHT)), shots
    assert ink(en_image, LOWER_RIGHT) > 10 * max(1, ink(en_image, LOWER_LEFT)), shots
    width = ar_image.size[0]
    assert ar_words["id"] < width * 0.3 and en_words["id"] > width * 0.7, (
        ar_words, en_words, shots)
    # The facts: labels on the right and values on the left of the centre in Arabic (the
    # completion date is a value), the other way round in English.
    assert ar_words["year"] < width / 2 < en_words["year"], (ar_words, en_words, shots)


def test_arabic_certificate_html_is_right_to_left_and_worded_in_arabic(arabic_learner):
    tree = factories.make_course_tree(modules=1, title=ARABIC_TITLE, language="ar")
    complete_course(arabic_learner, tree)  # no on-commit callbacks: the PDF is not made
    certificate = api.issue_certificate(user=arabic_learner, course=tree.course)
    assert certificate.language == "ar"  # the course's language decides
    html = certificate_pdf.certificate_html(api.certificate_content(certificate=certificate))
    soup = BeautifulSoup(html, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    assert soup.h1.get_text() == "شهادة مشاركة"
    assert soup.select_one(".wording").get_text() == api.DEFAULT_WORDING["ar"]["participation"]
    assert soup.select_one(".wording")["dir"] == "rtl"
    # The course title, Arabic with a Latin allele in it, is one right-to-left run.
    assert soup.select_one(".course")["dir"] == "rtl"
    assert soup.select_one(".course").get_text() == ARABIC_TITLE
    # Digits are Latin throughout (dates, hours, the id), never mixed with Arabic-Indic.
    assert not ARABIC_INDIC_DIGITS.search(soup.get_text())
    assert re.search(r"\b20\d\d\b", soup.select_one(".facts").get_text())


def test_verification_page_in_arabic_is_right_to_left(client, arabic_learner):
    tree = factories.make_course_tree(modules=1, title=ARABIC_TITLE, language="ar")
    complete_course(arabic_learner, tree)
    certificate = api.issue_certificate(user=arabic_learner, course=tree.course)
    client.cookies["django_language"] = "ar"
    response = client.get(reverse("certificates:verify", args=[certificate.public_id]))
    soup = BeautifulSoup(response.content, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("ar", "rtl")
    name = soup.select_one(".learner-name")
    assert (name.get_text(), name["dir"]) == ("ليلى حداد", "auto")
