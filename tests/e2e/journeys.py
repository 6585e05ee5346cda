"""Steps that several browser journeys share."""

from playwright.sync_api import Page, expect

from tests import factories


def sign_in(page: Page, email: str, password: str = factories.DEFAULT_PASSWORD) -> None:
    """Sign in through the real form and wait until the signed-in navigation shows."""
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
