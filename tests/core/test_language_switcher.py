"""The language switcher in the header: a plain form that sets the interface language for
this browser and, for a signed-in learner, her profile (restored at every sign-in)."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lms.core import api
from tests import factories
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/language/"


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def html_lang(response) -> str:
    return soup(response).html["lang"]


def switcher(page: BeautifulSoup):
    return page.find("form", action=URL)


def test_the_url_is_named_set_language():
    assert reverse("set-language") == URL


def test_every_page_offers_every_language_in_its_own_name(client):
    form = switcher(soup(client.get("/accounts/login/")))
    assert form["method"] == "post"
    options = form.find("select", {"name": "language"}).find_all("option")
    assert [(o["value"], o["lang"], o.text) for o in options] == [
        (code, code, name) for code, name in settings.LANGUAGES
    ]
    assert form.find("option", selected=True)["value"] == "en"
    assert form.find("button", type="submit")
    assert form.find("input", {"name": "back"})["value"] == "/accounts/login/"


def test_a_visitor_switches_to_french_with_a_plain_form_post(client):
    client.get("/accounts/login/")
    response = client.post(URL, {"language": "fr", "back": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/accounts/login/")
    assert html_lang(page) == "fr"
    form = switcher(soup(page))
    assert form.find("option", selected=True)["value"] == "fr"
    assert form.find("label").text == "Langue"  # from the French catalogue
    assert html_lang(client.get("/")) == "fr"  # the catalog's home page too


def test_arabic_pages_turn_right_to_left(client):
    client.post(URL, {"language": "ar"})
    page = soup(client.get("/accounts/login/"))
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")


def test_a_signed_in_learners_choice_is_saved_in_her_profile_and_restored_at_sign_in(learner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    page = soup(browser.get(reverse("profile")))
    token = switcher(page).find("input", {"name": "csrfmiddlewaretoken"})["value"]
    response = browser.post(URL, {"language": "es", "back": "/profile/",
                                  "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert api.get_profile(user=learner).preferred_language == "es"
    assert html_lang(browser.get(reverse("profile"))) == "es"

    elsewhere = Client()  # another browser, with no language cookie
    elsewhere.post("/accounts/login/", {"login": learner.email, "password": DEFAULT_PASSWORD})
    assert html_lang(elsewhere.get(reverse("profile"))) == "es"


def test_a_signed_in_learners_choice_without_the_csrf_token_changes_nothing(learner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)
    browser.get(reverse("profile"))
    response = browser.post(URL, {"language": "fr"})
    assert response.status_code == 403
    assert api.get_profile(user=learner).preferred_language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_signed_in_user_without_a_profile_still_switches(client):
    person = factories.make_user(email="new@example.org")
    client.force_login(person)
    response = client.post(URL, {"language": "fr"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert api.get_profile(user=person) is None


@pytest.mark.parametrize("back", [
    "https://evil.example/", "//evil.example/path", "javascript:alert(1)", "",
])
def test_an_unsafe_or_missing_return_address_goes_home(client, back):
    response = client.post(URL, {"language": "fr", "back": back})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_next_is_honoured_like_djangos_own_set_language(client):
    response = client.post(URL, {"language": "fr", "next": "/accounts/signup/"})
    assert response["Location"] == "/accounts/signup/"
    response = client.post(URL, {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize("language", ["de", "", "fr-xx", "../en"])
def test_an_unknown_language_is_refused_and_nothing_changes(auth_client, learner, language):
    response = auth_client.post(URL, {"language": language, "back": "/profile/"})
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert api.get_profile(user=learner).preferred_language == "en"
    assert html_lang(auth_client.get(reverse("profile"))) == "en"


def test_a_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_set_preferred_language_refuses_a_code_the_site_does_not_offer(learner):
    with pytest.raises(ValueError):
        api.set_preferred_language(user=learner, language="de")
    assert api.set_preferred_language(user=learner, language="ar") is True
    assert api.get_profile(user=learner).preferred_language == "ar"
