"""Lite mode: with the profile setting, the browser's Save-Data header or the toggle, learner
pages show images and video as text links with their sizes, and no media tag at all."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from courses import api as courses_api
from courses.models import CourseEducator
from editorial.models import Educator
from lms.core import api
from tests import factories
from tests.media_builders import make_image, media_body

pytestmark = pytest.mark.django_db

MEDIA_TAGS = ["img", "picture", "video", "audio", "source", "track"]
SAVE_DATA = {"HTTP_SAVE_DATA": "on"}


def media_tags(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [str(tag)[:80] for tag in soup.find_all(MEDIA_TAGS)]


@pytest.fixture
def media_course(learner):
    """A course with a cover, a module with a figure and a video; the learner enrolled."""
    tree = factories.make_course_tree(modules=1, cover_image=make_image(title="Cover"))
    educator = Educator.objects.create(name="Dr Malee Srisuk", photo=make_image(title="Malee"))
    CourseEducator.objects.create(course=tree.course, educator=educator)
    tree.course.save_revision().publish()
    module = tree.modules[0]
    module.body = media_body()
    factories.publish(module)
    courses_api.enroll(user=learner, course=tree.course)
    return tree


def _pages(tree) -> list[str]:
    return ["/", tree.course.get_parent().url, tree.course.url, tree.modules[0].url,
            reverse("dashboard")]


def _set_profile_lite(learner, enabled: bool) -> None:
    profile = api.get_profile(user=learner)
    api.save_profile(user=learner, full_name=profile.full_name, profession=profile.profession,
                     country=str(profile.country), lite_mode=enabled)


def test_normal_pages_do_show_the_figure_and_the_cover(auth_client, media_course):
    assert media_tags(auth_client.get(media_course.modules[0].url))
    assert media_tags(auth_client.get(media_course.course.url))


def test_the_profile_setting_removes_every_media_tag(auth_client, learner, media_course):
    _set_profile_lite(learner, True)
    for url in _pages(media_course):
        for _visit in range(2):  # the second visit is served from the page cache
            assert media_tags(auth_client.get(url)) == [], url


def test_save_data_removes_every_media_tag_for_learners_and_visitors(
    auth_client, client, media_course
):
    for browser in (auth_client, client):
        for url in _pages(media_course):
            response = browser.get(url, **SAVE_DATA)
            if response.status_code == 302:  # the dashboard asks a visitor to sign in
                continue
            assert media_tags(response) == [], url
            assert "Save-Data" in response["Vary"]


def test_a_figure_becomes_a_text_link_to_its_rendition_with_its_size(client, media_course):
    soup = BeautifulSoup(client.get(media_course.modules[0].url, **SAVE_DATA).content,
                         "html.parser")
    link = soup.find("a", class_="lite-image")
    assert link.get_text().startswith("Image: A karyotype with trisomy 21 (")
    assert link.get_text().endswith(" KB)")
    assert ".webp" in link["href"]


def test_a_video_becomes_a_list_of_links_with_sizes(client, media_course):
    soup = BeautifulSoup(client.get(media_course.modules[0].url, **SAVE_DATA).content,
                         "html.parser")
    links = " · ".join(a.get_text(" ", strip=True) for a in soup.select(".video-links a")).replace(
        "\xa0", " ")
    assert "Watch (12.4 MB)" in links
    assert "Low resolution (3.1 MB)" in links
    assert "Audio only (1.2 MB)" in links
    assert "Transcript" in links
    assert "Doctor: Good morning." in soup.find("details").get_text()


def test_the_page_cache_never_serves_a_lite_page_to_a_normal_request(auth_client, media_course):
    url = media_course.modules[0].url
    for _visit in range(3):  # the first visit records a view; later ones come from the cache
        assert media_tags(auth_client.get(url))
    assert media_tags(auth_client.get(url, **SAVE_DATA)) == []
    assert media_tags(auth_client.get(url, **SAVE_DATA)) == []
    assert media_tags(auth_client.get(url))
    for course_url in (media_course.course.url, media_course.course.url):
        assert media_tags(auth_client.get(course_url))
    assert media_tags(auth_client.get(media_course.course.url, **SAVE_DATA)) == []


def test_the_shared_module_body_cache_keeps_lite_and_normal_apart(learner, media_course):
    other = factories.make_user(email="kofi@example.org")
    api.save_profile(user=other, full_name="Kofi Mensah", profession="physician",
                     country="GH", lite_mode=True)
    normal, lite = Client(), Client()
    normal.force_login(learner)
    lite.force_login(other)
    url = media_course.modules[0].url
    assert media_tags(normal.get(url))  # fills the body cache with figure and video
    assert media_tags(lite.get(url)) == []
    assert media_tags(Client().get(url, **SAVE_DATA)) == []
    assert media_tags(normal.get(url))


def test_turning_the_setting_off_again_shows_images_at_once(auth_client, learner, media_course):
    url = media_course.modules[0].url
    _set_profile_lite(learner, True)
    auth_client.get(url)
    assert media_tags(auth_client.get(url)) == []
    _set_profile_lite(learner, False)
    assert media_tags(auth_client.get(url))


def test_the_toggle_works_for_visitors_without_javascript(client, media_course):
    url = media_course.modules[0].url
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    form = soup.find("form", action=reverse("lite_mode"))
    assert form.find("button").get_text(strip=True) == "Lite mode"
    assert form.find("button")["aria-pressed"] == "false"
    fields = {field["name"]: field["value"] for field in form.find_all("input")}
    response = client.post(form["action"], fields)
    assert response.status_code == 302 and response["Location"] == url
    assert media_tags(client.get(url)) == []
    pressed = BeautifulSoup(client.get(url).content, "html.parser").find(
        "form", action=reverse("lite_mode")).find("button")
    assert pressed["aria-pressed"] == "true"
    client.post(reverse("lite_mode"), {"lite": "off", "back": url})
    assert media_tags(client.get(url))


def test_the_toggle_can_turn_lite_mode_off_despite_save_data(client, media_course):
    url = media_course.modules[0].url
    client.post(reverse("lite_mode"), {"lite": "off", "back": url})
    assert media_tags(client.get(url, **SAVE_DATA))


def test_the_toggle_refuses_to_redirect_elsewhere(client, db):
    response = client.post(reverse("lite_mode"), {"lite": "on", "back": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_profile_page_offers_the_setting_and_saves_it(auth_client, learner):
    page = BeautifulSoup(auth_client.get(reverse("profile")).content, "html.parser")
    checkbox = page.find("input", attrs={"name": "lite_mode"})
    assert checkbox["type"] == "checkbox"
    assert "Lite mode: text links instead of images and video" in page.get_text()
    assert "Save-Data" in page.get_text()
    auth_client.post(reverse("profile"), {
        "full_name": "Amina Yusuf", "profession": "nurse", "country": "KE",
        "preferred_language": "en", "lite_mode": "on",
    })
    assert api.get_profile(user=learner).lite_mode is True


def test_saving_the_profile_elsewhere_keeps_the_setting(learner):
    _set_profile_lite(learner, True)
    api.save_profile(user=learner, full_name="Amina Yusuf", profession="nurse", country="KE")
    assert api.get_profile(user=learner).lite_mode is True
