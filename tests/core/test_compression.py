"""Pages go out Brotli- or gzip-compressed as the browser allows (lms/core/compression.py),
and collected static files are served pre-compressed by WhiteNoise."""

import gzip
import json

import brotli
import pytest
from django.core.management import call_command
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import Client, RequestFactory

from lms.core.compression import CompressionMiddleware, accepts_brotli, brotli_compress

PAGE = b"<!DOCTYPE html><html><body>" + b"<p>HLA-B*15:02 before carbamazepine.</p>" * 40


def _middleware(response: HttpResponse) -> CompressionMiddleware:
    return CompressionMiddleware(lambda request: response)


def _get(accept_encoding: str | None, response: HttpResponse) -> HttpResponse:
    headers = {} if accept_encoding is None else {"HTTP_ACCEPT_ENCODING": accept_encoding}
    return _middleware(response)(RequestFactory().get("/", **headers))


@pytest.mark.parametrize("accept", ["gzip, deflate, br, zstd", "br", "br;q=0.5, gzip;q=1"])
def test_a_page_goes_out_in_brotli_when_the_browser_takes_it(accept):
    response = _get(accept, HttpResponse(PAGE))
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(response.content).startswith(PAGE)
    assert int(response["Content-Length"]) == len(response.content) < len(PAGE) / 4
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("accept", ["gzip, deflate", "gzip, br;q=0", "deflate, gzip;q=0.8"])
def test_a_page_goes_out_in_gzip_when_brotli_is_not_offered(accept):
    response = _get(accept, HttpResponse(PAGE))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == PAGE
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("accept", [None, "identity", "br;q=0"])
def test_a_page_goes_out_as_is_for_a_client_that_takes_neither(accept):
    response = _get(accept, HttpResponse(PAGE))
    assert not response.has_header("Content-Encoding")
    assert response.content == PAGE
    assert "Accept-Encoding" in response["Vary"]


def test_json_is_gzipped_not_brotli_so_no_padding_lands_in_it():
    data = {"modules": [{"title": "Pharmacogenomics basics", "done": False}] * 30}
    response = _get("br, gzip", JsonResponse(data))
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content)) == data


def test_a_small_response_is_left_alone():
    response = _get("gzip, br", HttpResponse(b"<p>ok</p>"))
    assert not response.has_header("Content-Encoding")
    assert response.content == b"<p>ok</p>"


def test_a_streamed_page_is_gzipped_on_the_fly():
    response = _get("gzip, br", StreamingHttpResponse(iter([PAGE, PAGE])))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE + PAGE


def test_a_streamed_pdf_is_left_alone():
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 4
    response = _get("gzip, br", StreamingHttpResponse(iter([pdf]),
                                                      content_type="application/pdf"))
    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == pdf


def test_an_encoded_response_is_not_encoded_twice():
    body = gzip.compress(PAGE)
    response = _get("br", HttpResponse(body, headers={"Content-Encoding": "gzip"}))
    assert response["Content-Encoding"] == "gzip"
    assert response.content == body


def test_a_strong_etag_becomes_weak_when_the_page_is_compressed():
    response = HttpResponse(PAGE, headers={"ETag": '"abc123"'})
    assert _get("br", response)["ETag"] == 'W/"abc123"'
    assert _get("gzip", HttpResponse(PAGE, headers={"ETag": '"abc"'}))["ETag"] == 'W/"abc"'


def test_brotli_pages_vary_in_length_to_blur_breach():
    """Every compressed page carries up to 100 random bytes, so its length does not
    tell an attacker how well a guess compressed against a secret in it."""
    lengths = {len(brotli_compress(PAGE, max_random_bytes=100)) for _ in range(30)}
    assert len(lengths) > 5
    assert brotli.decompress(brotli_compress(PAGE, max_random_bytes=100)).startswith(PAGE)


@pytest.mark.parametrize(
    ("header", "allowed"),
    [("gzip, deflate, br", True), ("br;q=0", False), ("br; q=0.0", False), ("brotli", False),
     ("*", False), ("gzip", False), ("Br;Q=1", True), ("br;q=x", False)],
)
def test_accepts_brotli_reads_quality_values(header, allowed):
    assert accepts_brotli(header) is allowed


@pytest.mark.django_db
def test_the_catalog_goes_out_in_brotli_through_the_whole_stack(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert b"Allele" in brotli.decompress(response.content)


@pytest.fixture
def collected_static(settings, tmp_path):
    """Allele's own static files collected as production does (hashed, pre-compressed)."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_a_collected_stylesheet_is_served_in_brotli(collected_static):
    from django.templatetags.static import static

    url = static("css/allele.css")
    assert url != "/static/css/allele.css"  # hashed name, cached for a year
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert b"font-family" in brotli.decompress(body)
