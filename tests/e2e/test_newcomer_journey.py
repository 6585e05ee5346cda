"""A newcomer finds a course, signs up, verifies her e-mail, completes her profile and
starts reading a module: the first thing every learner does."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EMAIL = "chipo.banda@example.org"
PASSWORD = "Pharmacogenomics-2026"
CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


@pytest.fixture
def course():
    return factories.make_course_tree(
        modules=3, title="Preventing SJS/TEN", slug="preventing-sjs-ten"
    ).course


def test_newcomer_signs_up_verifies_completes_profile_and_opens_a_module(page, course, mailoutbox):
    # The catalog, before signing in.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Genomic medicine courses for clinicians"
    )
    expect(page.get_by_role("heading", name="Pharmacogenomics")).to_be_visible()
    expect(page.get_by_text("Preventing SJS/TEN").first).to_be_visible()

    # Sign up with an e-mail address and a password typed twice.
    page.get_by_role("link", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.locator("input[name=email]").fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form:has(input[name=password2]) [type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("verify", re.IGNORECASE)
    )

    # The verification e-mail arrives with a confirmation link.
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[Allele] ")
    link = CONFIRMATION_LINK.search(message.body)
    assert link, message.body

    # Opening the link asks her to confirm; confirming signs her in and asks for her profile.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("confirm", re.IGNORECASE)
    )
    page.locator("main form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/profile/(\?next=.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("profile", re.IGNORECASE)
    )
    expect(page.get_by_text("Welcome to Allele.")).to_be_visible()

    page.get_by_label("Full name").fill("Chipo Banda")
    page.get_by_label("Profession").select_option("pharmacist")
    page.get_by_label("Country").select_option("ZM")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Profile")).to_be_visible()

    # Back in the catalog, she opens the course and its first module.
    page.goto("/")
    page.get_by_role("link", name="Preventing SJS/TEN").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preventing SJS/TEN")
    page.get_by_role("link", name="Module 1", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/pharmacogenomics/preventing-sjs-ten/module-1/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Module 1")
    expect(page.get_by_text("Module 1 of 3")).to_be_visible()
    expect(page.get_by_text("Module 1 text.")).to_be_visible()
