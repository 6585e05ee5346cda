"""Accounts through allauth as a learner meets them: sign-up with a verified e-mail,
sign-in and its rate limit, password reset, change of e-mail, two-factor, and pages
that render inside Allele's layout with accessible errors."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail

from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a quite different passphrase"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_in(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password, **extra})


def confirm_password(client, password=DEFAULT_PASSWORD):
    """allauth's reauthentication: sensitive changes need the password given again."""
    assert client.post("/accounts/reauthenticate/", {"password": password}).status_code == 302


# --- Sign-up and e-mail verification ---------------------------------------------------


def test_sign_up_sends_a_confirmation_link_and_does_not_sign_in(client, sign_up, link_in_mail):
    response = sign_up(email="zawadi@example.org")

    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert not signed_in(client)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zawadi@example.org"]
    assert message.subject.startswith("[Allele] ")
    assert link_in_mail("zawadi@example.org").startswith("/accounts/confirm-email/")
    page = client.get(response.url)
    assert "zawadi@example.org" in page.content.decode()


def test_a_new_user_cannot_sign_in_before_confirming(client, sign_up):
    sign_up(email="zawadi@example.org")
    browser = client.__class__()

    response = sign_in(browser, "zawadi@example.org")

    assert not signed_in(browser)
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert not EmailAddress.objects.get(email="zawadi@example.org").verified


def test_posting_the_confirmation_key_verifies_signs_in_and_asks_for_the_profile(
    client, sign_up, link_in_mail
):
    sign_up(email="zawadi@example.org")
    link = link_in_mail("zawadi@example.org")

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert not EmailAddress.objects.get(email="zawadi@example.org").verified, "GET changes nothing"
    response = client.post(link, follow=True)

    assert EmailAddress.objects.get(email="zawadi@example.org").verified
    assert signed_in(client)
    assert response.redirect_chain[-1][0] == "/profile/?next=%2F"
    assert "Complete your profile" in response.content.decode()


def test_sign_up_keeps_next_through_confirmation_and_profile(client, sign_up, link_in_mail):
    sign_up(email="zawadi@example.org", next_url="/pharmacogenomics/")
    response = client.post(link_in_mail("zawadi@example.org"))

    assert response.url == "/profile/?next=%2Fpharmacogenomics%2F"
    saved = client.post(response.url, {
        "full_name": "Zawadi Mwangi", "profession": "midwife", "country": "TZ",
        "preferred_language": "en", "next": "/pharmacogenomics/",
    })
    assert saved.url == "/pharmacogenomics/"


# --- Sign-in --------------------------------------------------------------------------


def test_sign_in_with_a_profile_goes_home(client, learner):
    response = sign_in(client, "amina@example.org")

    assert signed_in(client)
    assert response.url == "/"


@pytest.mark.skipif(
    getattr(django_settings, "ACCOUNT_USER_DISPLAY", None) != "lms.core.adapters.user_display",
    reason="needs ACCOUNT_USER_DISPLAY = 'lms.core.adapters.user_display' in settings",
)
def test_messages_name_the_learner_by_her_email(client, learner):
    response = client.post("/accounts/login/", {"login": learner.email,
                                                "password": DEFAULT_PASSWORD}, follow=True)

    assert "Successfully signed in as amina@example.org." in response.content.decode()


def test_sign_in_without_a_profile_asks_for_it_even_with_next(client, user):
    response = sign_in(client, user.email, next="/pharmacogenomics/")

    assert signed_in(client)
    assert response.url == "/profile/?next=%2Fpharmacogenomics%2F"


def test_sign_in_ignores_a_next_on_another_site(client, learner):
    for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        client.logout()
        response = sign_in(client, learner.email, next=unsafe)
        assert response.url == "/", unsafe


def test_a_wrong_password_is_refused_with_a_message(client, learner):
    response = sign_in(client, learner.email, password="not the password")

    assert response.status_code == 200
    assert not signed_in(client)
    assert "not correct" in response.content.decode()


def test_sign_in_is_rate_limited_after_five_wrong_passwords(client, learner):
    for _ in range(5):
        assert sign_in(client, learner.email, password="not the password").status_code == 200

    response = sign_in(client, learner.email)

    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_the_rate_limit_is_per_account(client, learner):
    other = factories.make_user(email="bola@example.org")
    for _ in range(5):
        sign_in(client, learner.email, password="not the password")

    sign_in(client, other.email)

    assert signed_in(client)


def test_sign_out_ends_the_session(auth_client):
    response = auth_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not signed_in(auth_client)


# --- Password reset -------------------------------------------------------------------


def test_password_reset_end_to_end(client, learner, link_in_mail):
    response = client.post("/accounts/password/reset/", {"email": learner.email})
    assert response.url == "/accounts/password/reset/done/"

    link = link_in_mail(learner.email)
    assert link.startswith("/accounts/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.url == "/accounts/password/reset/key/done/"

    sign_in(client, learner.email)
    assert not signed_in(client), "the old password no longer works"
    assert sign_in(client, learner.email, password=NEW_PASSWORD).url == "/"
    assert signed_in(client)


def test_a_used_reset_link_does_not_work_twice(client, learner, link_in_mail):
    client.post("/accounts/password/reset/", {"email": learner.email})
    link = link_in_mail(learner.email)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True)

    assert "Bad Token" in again.content.decode()


def test_password_reset_for_an_unknown_address_reveals_nothing_on_screen(client, db):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.url == "/accounts/password/reset/done/"


# --- Change of e-mail -----------------------------------------------------------------


def test_change_of_email_after_verifying_the_new_address(client, learner, link_in_mail):
    sign_in(client, learner.email)
    confirm_password(client)  # changing addresses needs a recent password (ADR 0012)

    response = client.post("/accounts/email/",
                           {"action_add": "", "email": "amina@hospital.example"})
    assert response.status_code == 302
    pending = client.get("/accounts/email/").content.decode()
    assert "amina@hospital.example" in pending
    learner.refresh_from_db()
    assert learner.email == "amina@example.org", "unchanged until verified"

    client.post(link_in_mail("amina@hospital.example"))

    learner.refresh_from_db()
    assert learner.email == "amina@hospital.example"
    address = EmailAddress.objects.get(user=learner)
    assert (address.email, address.verified, address.primary) == (
        "amina@hospital.example", True, True)


def test_change_of_email_cannot_take_over_an_address_in_use(client, learner):
    """allauth does not say the address is taken (that would reveal who has an account);
    the change just stays pending, since only the owner can open the link."""
    owner = factories.make_user(email="bola@example.org")
    client.force_login(learner)
    confirm_password(client)

    client.post("/accounts/email/", {"action_add": "", "email": "bola@example.org"})

    learner.refresh_from_db()
    assert learner.email == "amina@example.org"
    assert not EmailAddress.objects.filter(user=learner, email="bola@example.org",
                                           verified=True).exists()
    assert EmailAddress.objects.get(email="bola@example.org", verified=True).user == owner


def test_change_of_email_errors_are_tied_to_the_input(auth_client):
    response = auth_client.post("/accounts/email/", {"action_add": "", "email": "not-an-email"})

    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    field = html.find("input", {"name": "email"})
    assert field["aria-invalid"] == "true"
    error = html.find(id=field["aria-describedby"].split()[0])
    assert "valid email" in error.get_text()
    assert html.find("label", attrs={"for": field["id"]})


# --- Two-factor (TOTP) ----------------------------------------------------------------


def test_two_factor_page_renders_for_a_signed_in_user(auth_client):
    response = auth_client.get("/accounts/2fa/")

    assert response.status_code == 200
    assert "Authenticator App" in response.content.decode()


def test_totp_can_be_activated_and_is_then_asked_for_at_sign_in(client, learner):
    sign_in(client, learner.email)
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked.url.startswith("/accounts/reauthenticate/"), "confirm the password first"
    page = client.post(asked.url, {"password": DEFAULT_PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == "/accounts/2fa/totp/activate/"
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next_counter()))

    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()

    client.post("/accounts/logout/")
    response = sign_in(client, learner.email)
    assert response.url == "/accounts/2fa/authenticate/"
    assert not signed_in(client)
    assert client.post(response.url, {"code": code}).url == "/"
    assert signed_in(client)


def next_counter() -> int:
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time

    return next(iter(yield_hotp_counters_from_time()))


# --- Pages render inside Allele's layout ------------------------------------------------

ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                   "/accounts/password/reset/done/", "/accounts/confirm-email/"]
SIGNED_IN_PAGES = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/",
                   "/accounts/logout/", "/profile/"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_account_pages_render_in_the_site_layout(client, db, path):
    assert_in_layout(client.get(path))


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_settings_pages_render_in_the_site_layout_with_settings_nav(auth_client, path):
    html = assert_in_layout(auth_client.get(path))
    if path != "/accounts/logout/":
        nav = html.find("nav", {"class": "subnav"})
        hrefs = {a["href"] for a in nav.find_all("a")}
        assert hrefs == {"/profile/", "/accounts/email/", "/accounts/password/change/",
                         "/accounts/2fa/", "/profile/data/"}
        assert nav.find("a", attrs={"aria-current": "page"})["href"] == path


def assert_in_layout(response) -> BeautifulSoup:
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find("a", {"class": "skip-link"})
    assert html.find("main", id="main").find("h1")
    assert html.title.get_text().strip().endswith("· Allele")
    assert len(html.title.get_text().strip()) > len("· Allele")
    return html


def test_sign_in_errors_are_announced_and_focused(client, learner):
    html = BeautifulSoup(sign_in(client, learner.email, password="nope").content, "html.parser")

    summary = html.find(attrs={"role": "alert"})
    assert summary.has_attr("data-focus-on-load")
    assert "not correct" in summary.get_text()


def test_sign_up_field_errors_are_tied_to_their_inputs(client, db):
    response = client.post("/accounts/signup/", {
        "email": "not-an-email", "password1": DEFAULT_PASSWORD, "password2": "different",
    })
    html = BeautifulSoup(response.content, "html.parser")

    for name in ("email", "password2"):
        field = html.find("input", {"name": name})
        assert field["aria-invalid"] == "true", name
        described = [html.find(id=i) for i in field["aria-describedby"].split()]
        assert all(described), name
        assert any("errorlist" in (d.get("class") or []) for d in described), name
        assert html.find("label", attrs={"for": field["id"]}), name
    assert not get_user_model().objects.filter(email="not-an-email").exists()
