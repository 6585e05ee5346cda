"""A returning visitor revalidates a page and gets 304 Not Modified while it is unchanged;
a signed-in learner's pages are never stored by her browser, so she gets no ETag and no
304, while the server still answers from its page cache (lms/core/conditional.py)."""

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
def test_a_learners_page_is_never_stored_nor_revalidated(auth_client, enrolled, page, headers):
    url = _pages(enrolled, signed_in=True)[page]
    auth_client.get(url, **headers)
    response = auth_client.get(url, **headers)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "public" not in cache_control
    assert "Cookie" in response["Vary"]
    assert not response.has_header("ETag")
    again = auth_client.get(url, HTTP_IF_NONE_MATCH='"anything"', **headers)
    assert again.status_code == 200


@pytest.mark.parametrize("page", ["course", "module", "dashboard"])
def test_a_learners_page_still_comes_from_the_page_cache(auth_client, enrolled, page,
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
    auth_client.get(url)  # rendered and cached
    again = auth_client.get(url)
    assert served_from_cache[-2:] == [False, True]
    assert again.status_code == 200
    assert "no-store" in again["Cache-Control"]


def test_a_compressed_pages_etag_is_weak_and_still_matches(client, enrolled):
    page_response, again = _revalidate(client, enrolled.modules[0].url, **BROWSER)
    assert page_response["Content-Encoding"] == "br"
    assert page_response["ETag"].startswith('W/"')
    assert again.status_code == 304
    # The 304's headers replace the stored ones: they must still say what the 200 said.
    assert again["ETag"] == page_response["ETag"]
    assert "Accept-Encoding" in again["Vary"]


def test_a_visitors_etag_never_gets_a_learner_a_304(auth_client, enrolled):
    for url in _pages(enrolled, signed_in=False).values():
        first, _ = _revalidate(Client(), url)
        response = auth_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"]


def test_a_republished_module_is_sent_again_to_a_visitor(client, enrolled):
    module = enrolled.modules[1]
    first, _ = _revalidate(client, module.url)
    module.body = [("rich_text", "<p>Updated CPIC guidance.</p>")]
    factories.publish(module)
    response = client.get(module.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "Updated CPIC guidance." in response.content.decode()
