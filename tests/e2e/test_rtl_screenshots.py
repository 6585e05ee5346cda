"""Arabic pages are mirrored, not only marked ``dir="rtl"``: the same module page in Arabic
and in English, measured from the real layout and from full-page screenshots.

The screenshots are saved under the test's ``tmp_path`` and named in every assertion
message, so a failure can be looked at. A page that set ``dir="rtl"`` but kept a
left-aligned layout (``text-align: left``, ``margin-left``, a fixed grid order) fails the
box checks and the pixel checks alike.
"""

from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.layla@example.org"
COURSE_TITLE = "علم الصيدلة الجيني: HLA-B*15:02"
VIEWPORT = {"width": 1280, "height": 900}

# The boxes the checks need, in page coordinates (the full-page screenshot's pixels):
# `text` is the extent of an element's content (where its words are drawn), `box` the
# element's own border box; `content` is the main column's content box.
MEASURE = """() => {
  const page = (rect) => ({left: rect.left + scrollX, right: rect.right + scrollX,
                           top: rect.top + scrollY, bottom: rect.bottom + scrollY});
  const text = (selector) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(selector));
    return page(range.getBoundingClientRect());
  };
  const box = (selector) => page(document.querySelector(selector).getBoundingClientRect());
  const main = document.querySelector("main"), style = getComputedStyle(main);
  const mainBox = box("main");
  return {
    dir: document.documentElement.getAttribute("dir"),
    lang: document.documentElement.getAttribute("lang"),
    content: {left: mainBox.left + parseFloat(style.paddingLeft),
              right: mainBox.right - parseFloat(style.paddingRight)},
    h1: box("main h1"), h1Text: text("main h1"),
    crumbs: text(".breadcrumbs ol"),
    article: box(".module-layout > article"), toc: box(".module-layout > .toc"),
    pager: box(".pager"), next: box(".pager .next"), previous: box(".pager .previous"),
    nextArrow: getComputedStyle(document.querySelector(".pager .next .flip-rtl")).transform,
    progress: box(".toc progress"),
    bodyFont: getComputedStyle(document.body).fontFamily,
    bodyLineHeight: parseFloat(getComputedStyle(document.body).lineHeight),
  };
}"""


@pytest.fixture
def tree():
    """Her course, Module 1 done: Module 2 has a previous and a next module."""
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="ليلى حداد", profession="physician",
                          country="JO")  # signs in in English; the cookie picks the language
    tree = factories.make_course_tree(modules=3, title=COURSE_TITLE, slug="pgx-ar")
    courses_api.enroll(user=learner, course=tree.course)
    courses_api.complete_module(user=learner, module=tree.modules[0])
    return tree


def shoot(page, url: str, language: str, folder: Path) -> tuple[dict, Path]:
    page.context.add_cookies([{"name": "django_language", "value": language,
                               "url": urljoin(page.url, "/")}])
    page.goto(url)
    shot = folder / f"module-page-{language}.png"
    page.screenshot(path=str(shot), full_page=True)
    return page.evaluate(MEASURE), shot


def ink_centroid_x(shot: Path, box: dict, *, ink=None) -> float | None:
    """The mean x (page pixels) of the pixels inside ``box`` that are not background:
    darker than near-white by default, or those ``ink(rgb)`` accepts."""
    image = Image.open(shot).convert("RGB")
    left, top = max(0, round(box["left"])), max(0, round(box["top"]))
    right, bottom = min(image.width, round(box["right"])), min(image.height, round(box["bottom"]))
    crop = image.crop((left, top, right, bottom))
    accept = ink or (lambda rgb: sum(rgb) < 3 * 200)
    xs = [x for y in range(crop.height) for x in range(crop.width)
          if accept(crop.getpixel((x, y)))]
    return left + sum(xs) / len(xs) if xs else None


def green(rgb) -> bool:
    red, grn, blue = rgb
    return grn > red + 40 and grn > blue + 10  # the accent fill (#0b6e4f), not the grey track


def test_arabic_module_page_is_mirrored_and_english_is_not(page, tree, tmp_path):
    page.set_viewport_size(VIEWPORT)
    journeys.sign_in(page, EMAIL)
    module = tree.modules[1]
    ar, ar_shot = shoot(page, module.url, "ar", tmp_path)
    en, en_shot = shoot(page, module.url, "en", tmp_path)
    shots = f"(screenshots: {ar_shot}, {en_shot})"
    middle = VIEWPORT["width"] / 2

    assert (ar["lang"], ar["dir"]) == ("ar", "rtl"), shots
    assert (en["lang"], en["dir"]) == ("en", "ltr"), shots

    # The heading and the breadcrumbs hug the right edge of the content in Arabic, the
    # left edge in English.
    for name in ("h1Text", "crumbs"):
        assert abs(ar[name]["right"] - ar["content"]["right"]) <= 2, (name, ar[name], shots)
        assert ar[name]["left"] > middle, (name, ar[name], shots)
        assert abs(en[name]["left"] - en["content"]["left"]) <= 2, (name, en[name], shots)
        assert en[name]["right"] < middle, (name, en[name], shots)

    # The course outline sits beside the article on the other side.
    assert ar["toc"]["right"] <= ar["article"]["left"], shots
    assert en["toc"]["left"] >= en["article"]["right"], shots

    # "Next module" is at the inline end of the pager: the left in Arabic, the right in
    # English; "previous" opposite. Its arrow turns round to point the way it goes.
    assert abs(ar["next"]["left"] - ar["pager"]["left"]) <= 2, shots
    assert abs(ar["previous"]["right"] - ar["pager"]["right"]) <= 2, shots
    assert abs(en["next"]["right"] - en["pager"]["right"]) <= 2, shots
    assert abs(en["previous"]["left"] - en["pager"]["left"]) <= 2, shots
    assert ar["nextArrow"] == "matrix(-1, 0, 0, 1, 0, 0)", shots
    assert en["nextArrow"] == "none", shots

    # The pixels agree: the heading's ink is in its right half in Arabic, its left half
    # in English (so a right-to-left page drawn left-aligned fails here too).
    ar_ink = ink_centroid_x(ar_shot, ar["h1"])
    en_ink = ink_centroid_x(en_shot, en["h1"])
    assert ar_ink is not None and en_ink is not None, shots
    assert ar_ink > (ar["h1"]["left"] + ar["h1"]["right"]) / 2, (ar_ink, ar["h1"], shots)
    assert en_ink < (en["h1"]["left"] + en["h1"]["right"]) / 2, (en_ink, en["h1"], shots)
    # Across the whole page width too: the heading row's ink is right of the middle.
    row = {"left": 0, "right": VIEWPORT["width"], "top": ar["h1"]["top"],
           "bottom": ar["h1"]["bottom"]}
    assert ink_centroid_x(ar_shot, row) > middle, shots
    assert ink_centroid_x(en_shot, row | {"top": en["h1"]["top"],
                                          "bottom": en["h1"]["bottom"]}) < middle, shots

    # Her progress (1 of 3 modules) fills the bar from the right in Arabic.
    ar_fill = ink_centroid_x(ar_shot, ar["progress"], ink=green)
    en_fill = ink_centroid_x(en_shot, en["progress"], ink=green)
    assert ar_fill is not None and en_fill is not None, shots
    assert ar_fill > (ar["progress"]["left"] + ar["progress"]["right"]) / 2, shots
    assert en_fill < (en["progress"]["left"] + en["progress"]["right"]) / 2, shots

    # Arabic text gets an Arabic face first and more room between lines.
    assert ar["bodyFont"].startswith('"Noto Sans Arabic"'), ar["bodyFont"]
    assert ar["bodyLineHeight"] > en["bodyLineHeight"], (ar, en)

    # The Arabic course title, with its Latin allele name, is isolated in the breadcrumbs.
    crumb = page.locator(".breadcrumbs bdi", has_text="HLA-B*15:02")
    assert crumb.text_content() == COURSE_TITLE
