"""Brotli or gzip for the responses Django renders (static files are WhiteNoise's).

``CompressionMiddleware`` takes the place of Django's ``GZipMiddleware``. An HTML page
goes out Brotli-compressed when the browser's ``Accept-Encoding`` allows ``br`` (about a
tenth smaller than gzip on Allele's pages); anything else the browser accepts gzip for
goes through Django's own gzip path unchanged. Like Django it leaves alone responses
under 200 bytes and responses that already have a ``Content-Encoding``, sends
``Vary: Accept-Encoding`` with every response it could have compressed, and turns a
strong ``ETag`` into a weak one (``W/"…"``) when it compresses, so a conditional GET
still matches (RFC 9110, 8.8.1). A ``304 Not Modified`` gets the same ``Vary`` and weak
``ETag`` (a 304's headers replace the ones a cache stored with the page). A streaming
response is gzipped on the fly (Django's path) only when it is text or JSON (the course
handbook); streamed files such as certificate PDFs and spreadsheet exports are compressed
already and go out as they are.

BREACH. A compressed response that carries a secret and also reflects what an attacker
put in the request leaks the secret through its length. Allele follows Django: the CSRF
token in a page is masked afresh for every response, and the length of every compressed
response is blurred with up to ``max_random_bytes`` random bytes ("Heal the Breach"):
Django's gzip path puts them in the gzip header's file name; a Brotli page carries them
as an HTML comment after ``</html>``, which is why Brotli is only used for HTML. A page
served from the page cache (``lms.core.pagecache``) repeats the token masked for the
response that was cached; its length is blurred all the same.
"""

import re
import secrets

import brotli
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

__all__ = ["BROTLI_QUALITY", "CompressionMiddleware", "accepts_brotli", "brotli_compress"]

# Quality 5: about 1 ms for a demo module page (12 KB of HTML) and 9-11 % smaller than
# gzip -6; 11 (the library's default) is 25 % smaller but took 75-110 ms a page on the
# shared VM, which only pays off for static files compressed once (WhiteNoise does).
BROTLI_QUALITY = 5
MIN_LENGTH = 200
_CODING = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$", re.IGNORECASE)
_PADDING_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def accepts_brotli(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` value allows ``br`` (``br;q=0`` refuses it)."""
    for part in accept_encoding.split(","):
        match = _CODING.match(part)
        if match and match.group(1).lower() == "br":
            try:
                return float(match.group(2) or 1) > 0
            except ValueError:
                return False
    return False


def brotli_compress(content: bytes, *, max_random_bytes: int) -> bytes:
    """Brotli-compress an HTML document padded with a comment of random length."""
    length = secrets.randbelow(max_random_bytes + 1)
    padding = "".join(secrets.choice(_PADDING_ALPHABET) for _ in range(length))
    return brotli.compress(
        content + f"\n<!-- {padding} -->\n".encode(),
        mode=brotli.MODE_TEXT,
        quality=BROTLI_QUALITY,
    )


class CompressionMiddleware(GZipMiddleware):
    """Brotli for HTML when the browser takes it, else Django's gzip; see the module doc."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 304:
            return self._not_modified(request, response)
        if response.has_header("Content-Encoding"):
            return response
        if response.streaming:
            if _content_type(response).startswith("text/") or _content_type(response) in {
                "application/json", "application/javascript", "image/svg+xml",
            }:
                return super().process_response(request, response)
            return response
        if len(response.content) < MIN_LENGTH:
            return response
        if not self._brotli_fits(request, response):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli_compress(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response

    @staticmethod
    def _not_modified(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A 304 replaces the stored response's headers: give it the ``Vary`` and the weak
        ``ETag`` the compressed 200 had, so that no cache loses ``Accept-Encoding``."""
        accept_encoding = request.META.get("HTTP_ACCEPT_ENCODING", "")
        patch_vary_headers(response, ("Accept-Encoding",))
        etag = response.get("ETag")
        compressed = accepts_brotli(accept_encoding) or re_accepts_gzip.search(accept_encoding)
        if etag and etag.startswith('"') and compressed:
            response.headers["ETag"] = "W/" + etag
        return response

    @staticmethod
    def _brotli_fits(request: HttpRequest, response: HttpResponse) -> bool:
        return _content_type(response) == "text/html" and accepts_brotli(
            request.META.get("HTTP_ACCEPT_ENCODING", "")
        )


def _content_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()
