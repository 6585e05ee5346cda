"""A learner who cannot use a mouse takes a whole quiz with the keyboard alone: she signs
in, Tabs to "Start the quiz", answers every question type (radio groups with the arrow
keys, checkboxes with Space, numbers and words by typing, matches and positions by typing
into the drop-down lists), Tabs to "Submit answers", presses Space, and reads her score.

Nothing is clicked or filled: every action goes through ``page.keyboard``. The page is
only read (which element has focus, what it shows), as a screen reader would."""

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Attempt
from courses import api as courses_api
from tests import factories
from tests.assessments.test_models import VALUES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "dr.lin@example.org"
MAX_TABS = 80


@pytest.fixture
def module():
    learner = factories.make_user(email=EMAIL)
    tree = factories.make_course_tree(modules=1, title="Pharmacogenomics at the bedside",
                                      slug="pgx-keyboard")
    courses_api.enroll(user=learner, course=tree.course)
    questions = [factories.make_question()] + [
        factories.make_question(kind=kind, value=VALUES[kind])
        for kind in ("multiple_response", "true_false", "numeric", "short_text", "matching",
                     "ordering")]
    factories.make_quiz(module=tree.modules[0], title="HLA screening quiz",
                        questions=questions)
    return tree.modules[0]


def focused(page: Page, script: str):
    """Evaluate ``script`` (an expression over ``el``, the focused element)."""
    return page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


def tab_to(page: Page, test: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element passes ``test`` (JS over ``el``)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, f"!!el && ({test})"):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached an element where {test}; "
                         f"focus is on {focused(page, 'el && el.outerHTML.slice(0, 200)')}")


def labelled(text: str) -> str:
    return (f"el.labels && el.labels.length > 0 && "
            f"el.labels[0].textContent.trim().startsWith({text!r})")


def button(text: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim() === {text!r}"


def test_a_whole_quiz_with_the_keyboard_alone(page, module):
    keyboard = page.keyboard

    page.goto("/accounts/login/")
    tab_to(page, "el.name === 'login'")
    keyboard.type(EMAIL)
    tab_to(page, "el.name === 'password'")
    keyboard.type(factories.DEFAULT_PASSWORD)
    keyboard.press("Enter")
    expect(page.get_by_role("link", name="My learning")).to_be_visible()

    page.goto(module.url)
    tab_to(page, button("Start the quiz"))
    # Focus is visible: Allele's focus ring is an outline (and a dark halo around it).
    ring = focused(page, "(s => [s.outlineStyle, s.outlineWidth])(getComputedStyle(el))")
    assert ring[0] != "none" and ring[1] != "0px", f"the focused button shows no outline: {ring}"
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+/$"))

    # Single choice: Tab into the radio group, arrow to "Paracetamol", back to the right one.
    tab_to(page, "el.type === 'radio'")
    keyboard.press("ArrowDown")
    assert focused(page, "el.checked && el.labels[0].textContent.trim()") == "Paracetamol"
    keyboard.press("ArrowUp")
    assert focused(page, "el.checked && el.labels[0].textContent.trim()") == "Carbamazepine"

    # Multiple response: Space ticks the two pharmacogenes, BRCA1 stays clear.
    tab_to(page, labelled("CYP2C19") + " && el.type === 'checkbox'")
    keyboard.press("Space")
    tab_to(page, labelled("TPMT"))
    keyboard.press("Space")

    # True or false: Tab lands on "True" (the group has no choice yet); Space chooses it.
    tab_to(page, "el.type === 'radio' && el.value === 'true'")
    keyboard.press("Space")

    # Numeric with its unit, and short text: typed.
    tab_to(page, labelled("Your answer (a number)"))
    keyboard.type("1.5")
    tab_to(page, labelled("Unit"))
    keyboard.type("mg")
    tab_to(page, labelled("Your answer"))
    keyboard.type("VKORC1")

    # Matching: type the start of an option into each closed drop-down list.
    tab_to(page, labelled("Clopidogrel"))
    keyboard.type("CYP")
    tab_to(page, labelled("Abacavir"))
    keyboard.type("HLA")
    # Ordering: the position of each item, typed.
    for item, position in (("Consent", "1"), ("Test", "2"), ("Report", "3")):
        tab_to(page, labelled(item) + " && el.tagName === 'SELECT'")
        keyboard.type(position)

    # What she chose is on the page (read, not set, by the test).
    expect(page.get_by_label("Carbamazepine")).to_be_checked()
    expect(page.get_by_label("CYP2C19", exact=True)).to_be_checked()
    expect(page.get_by_label("TPMT")).to_be_checked()
    expect(page.get_by_label("BRCA1")).not_to_be_checked()
    expect(page.get_by_label("True")).to_be_checked()
    expect(page.get_by_label("Clopidogrel")).to_have_value(re.compile(r".+"))
    expect(page.get_by_label("Report")).to_have_value("3")

    tab_to(page, button("Submit answers"))
    keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"/result/$"))
    expect(page.get_by_text("you scored 100%")).to_be_visible()
    expect(page.get_by_text("You passed.")).to_be_visible()

    attempt = Attempt.objects.get()
    assert attempt.submitted_at is not None
    assert attempt.user.email == EMAIL
    assert attempt.score_percent == 100
