"""The learner profile at /profile/: first visit, validation that saves nothing, safe `next`,
preferred language, and names in any script stored exactly as written.

tests/data/names.txt is a verbatim copy of the shared `badinput/names.txt` corpus; its
header names its sources (minimaxir/big-list-of-naughty-strings blns.txt @db33ec7, MIT,
plus names authored for the corpus) and its escape format, decoded by `read_names()`.
"""

import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lms.core.models import LearnerProfile

pytestmark = pytest.mark.django_db

NAMES_FILE = Path(__file__).parent.parent / "data" / "names.txt"
ESCAPE = re.compile(r"\\(\\|n|r|t|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
SIMPLE_ESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def read_names() -> list[tuple[str, str]]:
    """(escaped line as written in the file, decoded name), skipping comments and blanks."""
    text = NAMES_FILE.read_text(encoding="utf-8")
    return [
        (line, ESCAPE.sub(lambda m: SIMPLE_ESCAPES.get(m[1]) or chr(int(m[1][1:], 16)), line))
        for line in text.split("\n")
        if line and not line.startswith("#")
    ]


NAMES = read_names()
# Refused because they would not print as one line of what the learner sees: control
# characters (line breaks, escape sequences) and bidirectional overrides.
REFUSED_INVISIBLE = {
    r"Line\nBreak", r"CR\rInside", r"Esc\x1b[31mRed\x1b[0m", r"\u202eevil.exe",
    r"Mark\u202egnirts", r"\u202a\u202atest\u202a", r"test\u2060test\u202b",
}
MAX_LENGTH = LearnerProfile._meta.get_field("full_name").max_length

VALID = {"full_name": "Amina Yusuf", "profession": "nurse", "country": "KE",
         "preferred_language": "en", "specialty": "", "institution": ""}


def post_profile(client, **changes):
    return client.post("/profile/", {**VALID, **changes})


@pytest.fixture
def newcomer_client(client, user):
    """A signed-in user who has not completed her profile yet."""
    client.force_login(user)
    return client


def profile_html(client) -> BeautifulSoup:
    return BeautifulSoup(client.get("/profile/").content, "html.parser")


# --- First visit and saving ---------------------------------------------------------------


def test_first_visit_welcomes_and_asks_for_the_profile(newcomer_client):
    html = profile_html(newcomer_client)

    assert html.h1.get_text() == "Complete your profile"
    assert "Welcome to Allele" in html.main.get_text()
    assert html.find("input", {"name": "full_name"})["dir"] == "auto"


def test_saving_the_profile_stores_it_and_says_so(newcomer_client, user):
    response = post_profile(newcomer_client, specialty="Obstetrics", institution="KNH")

    assert response.url == "/profile/"
    profile = LearnerProfile.objects.get(user=user)
    assert (profile.full_name, profile.profession, profile.country.code, profile.specialty,
            profile.institution) == ("Amina Yusuf", "nurse", "KE", "Obstetrics", "KNH")
    page = newcomer_client.get("/profile/").content.decode()
    assert "Your profile is saved." in page
    assert "Welcome to Allele" not in page


def test_editing_updates_the_same_profile(auth_client, learner):
    post_profile(auth_client, full_name="Amina Y. Yusuf", country="UG")

    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.full_name, profile.country.code) == ("Amina Y. Yusuf", "UG")
    assert LearnerProfile.objects.count() == 1


def test_the_profile_needs_a_signed_in_user(client, db):
    response = client.get("/profile/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/profile/"


def test_the_profile_links_to_email_password_and_two_factor_settings(auth_client):
    nav = profile_html(auth_client).find("nav", {"class": "subnav"})

    links = {a.get_text(): a["href"] for a in nav.find_all("a")}
    assert links["E-mail"] == "/accounts/email/"
    assert links["Password"] == "/accounts/password/change/"
    assert links["Two-factor authentication"] == "/accounts/2fa/"


# --- Validation saves nothing ---------------------------------------------------------


@pytest.mark.parametrize("country", ["XX", "ZZZ", "ke ", "Kenya", "<b>"])
def test_a_bad_country_code_is_refused_and_nothing_is_created(newcomer_client, user, country):
    response = post_profile(newcomer_client, country=country)

    assert response.status_code == 200
    assert "Select a valid choice" in error_for(response, "country")
    assert not LearnerProfile.objects.filter(user=user).exists()


@pytest.mark.parametrize("field", ["full_name", "profession", "country"])
def test_a_missing_required_field_is_refused_and_nothing_is_created(newcomer_client, user, field):
    response = post_profile(newcomer_client, **{field: ""})

    assert "This field is required." in error_for(response, field)
    assert not LearnerProfile.objects.filter(user=user).exists()


def test_a_bad_value_leaves_an_existing_profile_unchanged(auth_client, learner):
    before = LearnerProfile.objects.get(user=learner)

    response = post_profile(auth_client, full_name="Someone Else", country="XX",
                            profession="astronaut", preferred_language="tlh")

    for field in ("country", "profession", "preferred_language"):
        assert "Select a valid choice" in error_for(response, field)
    after = LearnerProfile.objects.get(user=learner)
    assert (after.full_name, after.country, after.updated_at) == (
        before.full_name, before.country, before.updated_at)


def test_errors_are_summarised_first_and_the_summary_takes_focus(newcomer_client):
    html = BeautifulSoup(post_profile(newcomer_client, full_name="", country="XX").content,
                         "html.parser")

    summary = html.find("main").find(attrs={"role": "alert"})  # the first alert in the page
    assert summary.has_attr("data-focus-on-load")
    assert [a["href"] for a in summary.find_all("a")] == ["#id_full_name", "#id_country"]
    assert html.find("input", {"name": "full_name"})["aria-invalid"] == "true"


def error_for(response, field: str) -> str:
    """The error text a screen reader reads for the field (via aria-describedby)."""
    html = BeautifulSoup(response.content, "html.parser")
    control = html.find(attrs={"name": field})
    assert control.get("aria-invalid") == "true", field
    return " ".join(html.find(id=i).get_text() for i in control["aria-describedby"].split())


# --- next --------------------------------------------------------------------------------


def test_saving_goes_on_to_a_local_next(newcomer_client):
    response = newcomer_client.post("/profile/?next=/pharmacogenomics/",
                                    {**VALID, "next": "/pharmacogenomics/"})

    assert response.url == "/pharmacogenomics/"


@pytest.mark.parametrize("unsafe", [
    "https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil.example",
    "https:evil.example",
])
def test_saving_ignores_a_next_on_another_site(newcomer_client, unsafe):
    page = BeautifulSoup(newcomer_client.get("/profile/", {"next": unsafe}).content,
                         "html.parser")
    assert not page.find("input", {"name": "next"})

    response = newcomer_client.post("/profile/", {**VALID, "next": unsafe})

    assert response.url == "/profile/"


# --- Preferred language ------------------------------------------------------------------


def test_preferred_language_is_a_select_of_the_site_languages(newcomer_client, settings):
    select = profile_html(newcomer_client).find("select", {"name": "preferred_language"})

    assert [o["value"] for o in select.find_all("option")] == [c for c, _ in settings.LANGUAGES]


def test_the_preferred_language_becomes_the_interface_language(newcomer_client, client):
    post_profile(newcomer_client, preferred_language="fr")

    html = profile_html(newcomer_client)
    assert html.html["lang"] == "fr"


def test_a_newcomers_preferred_language_starts_as_the_one_she_switched_to(newcomer_client):
    newcomer_client.post("/language/", {"language": "es"})
    select = profile_html(newcomer_client).find("select", {"name": "preferred_language"})
    assert select.find("option", selected=True)["value"] == "es"


def test_signing_in_restores_the_preferred_language(client, learner):
    from lms.core import api

    api.save_profile(user=learner, full_name="Amina Yusuf", profession="nurse", country="KE",
                     preferred_language="ar")
    client.post("/accounts/login/", {"login": learner.email,
                                     "password": "correct horse battery staple"})

    html = profile_html(client)
    assert (html.html["lang"], html.html["dir"]) == ("ar", "rtl")


# --- Names in any script ------------------------------------------------------------------


def test_the_names_file_covers_the_scripts_we_promise():
    names = [name for _, name in NAMES]
    for sample in ("مُحَمَّد", "अय्यंगार", "王秀英", "Nguye\u0302\u0303n"):
        assert any(sample in name for name in names), sample
    assert len(names) > 80


@pytest.mark.parametrize(("line", "name"), NAMES, ids=[f"line{i}" for i in range(len(NAMES))])
def test_a_name_round_trips_exactly_or_is_refused_clearly(newcomer_client, user, line, name):
    expected = name.strip()  # surrounding spaces are trimmed; nothing else changes
    response = post_profile(newcomer_client, full_name=name)

    if line in REFUSED_INVISIBLE:
        assert response.status_code == 200
        assert "Your name cannot contain" in error_for(response, "full_name")
        assert not LearnerProfile.objects.filter(user=user).exists()
        return
    if len(expected) > MAX_LENGTH:
        assert f"at most {MAX_LENGTH} characters" in error_for(response, "full_name")
        assert not LearnerProfile.objects.filter(user=user).exists()
        return

    assert response.status_code == 302, response.content.decode()[:2000]
    stored = LearnerProfile.objects.get(user=user).full_name
    assert stored.encode("utf-8") == expected.encode("utf-8")
    shown = profile_html(newcomer_client).find("input", {"name": "full_name"})["value"]
    assert shown.encode("utf-8") == expected.encode("utf-8")


def test_decomposed_names_are_not_normalised(newcomer_client, user):
    decomposed = [name for _, name in NAMES if unicodedata.normalize("NFC", name) != name]
    assert decomposed, "the corpus has decomposed Hangul and Vietnamese"
    for name in decomposed:
        post_profile(newcomer_client, full_name=name)
        assert LearnerProfile.objects.get(user=user).full_name == name
