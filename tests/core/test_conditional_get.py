"""A returning browser revalidates a page and gets 304 Not Modified while it is unchanged,
signed in or not, and never another learner's page (lms/core/conditional.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from courses import api
from lms.core import pagecache
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def enrolled(learner, course_tree):
    api.enroll(user=learner, course=course_tree.course)
    return course_tree


def _pages(tree, *, signed_in):
    pages = {"catalog": "/", "course": tree.course.url, "module": tree.modules[0].url}
    if signed_in:
        pages["dashboard"] = reverse("dashboard")
    return pages


def _revalidate(client, url, **headers):
    """Load the page twice (a new page and one the server may have cached), then again
    with the second answer's ETag, as a browser does on a repeat visit."""
    client.get(url, **headers)
    second = client.get(url, **headers)
    assert second.status_code == 200, url
    assert second.has_header("ETag"), url
    return second, client.get(url, HTTP_IF_NONE_MATCH=second["ETag"], **headers)


@pytest.mark.parametrize("page", ["catalog", "course", "module"])
@pytest.mark.parametrize("headers", [{}, BROWSER], ids=["identity", "compressed"])
def test_a_visitor_revalidates_an_unchanged_page(client, enrolled, page, headers):
    url = _pages(enrolled, signed_in=False)[page]
    _, again = _revalidate(client, url, **headers)
    assert again.status_code == 304
    assert again.content == b""
    assert "no-cache" in again["Cache-Control"]


@pytest.mark.parametrize("page", ["catalog", "course", "module", "dashboard"])
@pytest.mark.parametrize("headers", [{}, BROWSER], ids=["identity", "compressed"])
def test_a_learner_revalidates_her_unchanged_page(auth_client, enrolled, page, headers):
    url = _pages(enrolled, signed_in=True)[page]
    page_response, again = _revalidate(auth_client, url, **headers)
    assert again.status_code == 304
    assert again.content == b""
    for response in (page_response, again):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-cache"} <= cache_control
        assert "public" not in cache_control
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize("page", ["course", "module", "dashboard"])
def test_a_page_served_from_the_page_cache_answers_304(auth_client, enrolled, page,
                                                        monkeypatch):
    served_from_cache = []

    def spy(key):
        cached = get_cached_page(key)
        served_from_cache.append(cached is not None)
        return cached

    get_cached_page = pagecache.get_cached_page
    monkeypatch.setattr(pagecache, "get_cached_page", spy)
    url = _pages(enrolled, signed_in=True)[page]
    auth_client.get(url)  # the browser gets its CSRF cookie; then pages can be cached
    _, again = _revalidate(auth_client, url)
    assert served_from_cache[-2:] == [True, True]
    assert again.status_code == 304


def test_a_compressed_pages_etag_is_weak_and_still_matches(auth_client, enrolled):
    page_response, again = _revalidate(auth_client, enrolled.modules[0].url, **BROWSER)
    assert page_response["Content-Encoding"] == "br"
    assert page_response["ETag"].startswith('W/"')
    assert again.status_code == 304
    # The 304's headers replace the stored ones: they must still say what the 200 said.
    assert again["ETag"] == page_response["ETag"]
    assert "Accept-Encoding" in again["Vary"]


def test_a_changed_page_is_sent_again(auth_client, learner, enrolled):
    module = enrolled.modules[0]
    first, _ = _revalidate(auth_client, module.url)
    auth_client.post(reverse("complete_module", args=[module.pk]))
    response = auth_client.get(module.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "1/3 required modules complete" in response.content.decode()


def test_a_republished_module_is_sent_again_to_a_visitor(client, enrolled):
    module = enrolled.modules[1]
    first, _ = _revalidate(client, module.url)
    module.body = [("rich_text", "<p>Updated CPIC guidance.</p>")]
    factories.publish(module)
    response = client.get(module.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "Updated CPIC guidance." in response.content.decode()


def test_another_learners_etag_never_gets_her_a_304(auth_client, enrolled):
    other = factories.make_user(email="kofi@example.org")
    api.enroll(user=other, course=enrolled.course)
    other_client = Client()
    other_client.force_login(other)
    for url in _pages(enrolled, signed_in=True).values():
        first, _ = _revalidate(auth_client, url)
        response = other_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 200, url


def test_a_browser_with_a_new_csrf_cookie_gets_the_whole_page(auth_client, enrolled):
    """The page's forms must carry a token made for the browser's current cookie."""
    url = enrolled.modules[0].url
    first, _ = _revalidate(auth_client, url)
    assert b"csrfmiddlewaretoken" in first.content
    auth_client.cookies.pop("csrftoken")
    assert auth_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
