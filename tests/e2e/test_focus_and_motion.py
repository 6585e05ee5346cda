"""Keyboard focus is always visible and reduced motion is respected.

Focus: a learner tabs through a page; every element that takes focus must change the
pixels around it enough to be seen, measured on screenshots as WCAG 2.4.13 words it: a
ring at least as large as a 2 px perimeter whose colours contrast 3:1 with the unfocused
state. The first Tab reaches "Skip to main content", which shows and takes the next Tab
into the content. Motion: with the browser asking for reduced motion, CSS transitions and smooth
scrolling are switched off and jQuery animations (which XBlocks such as xblock-poll use)
jump to their end.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from courses import api as courses_api
from lms.core import api as core_api
from tests import factories
from tests.e2e import journeys

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.tunde@example.org"
PAD = 6  # px outside the border box where the ring is drawn (offset 2 px + 3 px outline)
ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  // A link that wraps is drawn (and ringed) as one box per line.
  const boxes = [...el.getClientRects()].map((b) => ({left: b.left + scrollX, top: b.top + scrollY,
                                                      width: b.width, height: b.height}));
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || "").trim().slice(0, 40),
          left: r.left + scrollX, top: r.top + scrollY, boxes: boxes,
          visible: r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"};
}"""


def luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (channel(v) for v in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a, b) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def screenshot(page) -> Image.Image:
    return Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")


def edges(box: dict, pad: int) -> tuple[int, int, int, int]:
    return (round(box["left"]) - pad, round(box["top"]) - pad,
            round(box["left"] + box["width"]) + pad, round(box["top"] + box["height"]) + pad)


def ring_pixels(before: Image.Image, after: Image.Image, boxes: list[dict]) -> int:
    """Pixels in the band PAD px around the element's boxes whose colour changed 3:1 or
    more between the unfocused and the focused page."""
    inside = [edges(box, 0) for box in boxes]
    band = set()
    for left, top, right, bottom in (edges(box, PAD) for box in boxes):
        for y in range(max(0, top), min(after.height, before.height, bottom)):
            for x in range(max(0, left), min(after.width, right)):
                if not any(a <= x < c and b <= y < d for a, b, c, d in inside):
                    band.add((x, y))
    return sum(1 for xy in band
               if contrast(before.getpixel(xy), after.getpixel(xy)) >= 3)


def tab_through(page, tmp_path, name: str) -> list[dict]:
    """Tab from the top of the page to its end; each focused element's ring measured."""
    page.mouse.move(0, 0)
    baseline = screenshot(page)
    seen, results = set(), []
    page.keyboard.press("Tab")
    skip = page.evaluate(ACTIVE)
    assert skip and skip["text"] == "Skip to main content", skip
    assert skip["top"] >= 0 and skip["visible"], skip  # shown when focused
    for step in range(80):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None or (active["tag"], active["text"], active["left"], active["top"]) in seen:
            break
        seen.add((active["tag"], active["text"], active["left"], active["top"]))
        if not active["visible"]:
            continue
        after = screenshot(page)
        if after.size != baseline.size:  # the page grew: compare with a fresh unfocused shot
            continue
        ring = ring_pixels(baseline, after, active["boxes"])
        # At least a 2 px thick perimeter of each box.
        needed = sum(2 * 2 * (box["width"] + box["height"]) for box in active["boxes"])
        if ring < needed:
            shot = tmp_path / f"{name}-focus-{step}.png"
            after.save(shot)
            active["problem"] = f"{ring} ring pixels < {needed:.0f} (see {shot})"
        results.append(active)
    return results


@pytest.fixture
def module():
    learner = factories.make_user(email=EMAIL)
    core_api.save_profile(user=learner, full_name="Tunde Bakare", profession="physician",
                          country="NG")
    tree = factories.make_course_tree(modules=3, title="Reading a variant report",
                                      slug="variant-focus")
    courses_api.enroll(user=learner, course=tree.course)
    return tree.modules[1]


def test_every_control_on_a_module_page_shows_its_focus(page, module, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    journeys.sign_in(page, EMAIL)
    page.goto(module.url)
    results = tab_through(page, tmp_path, "module")
    names = [r["text"] for r in results]
    # The header, the outline and the pager were all reached, and each showed its focus.
    for expected in ("My learning", "Sign out", "Module 1", "Mark as complete"):
        assert any(expected in name for name in names), names
    assert [r for r in results if "problem" in r] == []


def test_every_control_on_the_sign_in_form_shows_its_focus(page, db, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/login/")
    results = tab_through(page, tmp_path, "login")
    assert sum(r["tag"] == "INPUT" for r in results) >= 2, results
    assert [r for r in results if "problem" in r] == []


def test_skip_link_moves_focus_to_the_content(page, module):
    page.goto(module.url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # The next Tab goes to the first control in the content, past the header and crumbs.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), page.evaluate(
        "document.activeElement.outerHTML")


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_turns_off_transitions_smooth_scrolling_and_jquery_animation(
        browser, live_server, module, motion):
    context = browser.new_context(base_url=live_server.url, reduced_motion=motion,
                                  bypass_csp=True)
    try:
        tab = context.new_page()
        tab.goto(module.url)
        # A transition and smooth scrolling such as a block's own stylesheet might bring.
        tab.add_style_tag(content="a { transition: color 2s; } html { scroll-behavior: smooth; }")
        # The XBlock page's scripts: jQuery, then Allele's client runtime.
        tab.add_script_tag(url="/static/vendor/jquery/jquery.min.js")
        tab.add_script_tag(url="/static/xblocks/runtime.js")
        styles = tab.evaluate("""() => ({
          transition: getComputedStyle(document.querySelector("a")).transitionDuration,
          scroll: getComputedStyle(document.documentElement).scrollBehavior,
          fxOff: window.jQuery.fx.off,
        })""")
    finally:
        context.close()
    if motion == "reduce":
        assert styles == {"transition": "0s", "scroll": "auto", "fxOff": True}
    else:
        assert styles == {"transition": "2s", "scroll": "smooth", "fxOff": False}
