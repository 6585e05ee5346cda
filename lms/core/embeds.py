"""Wagtail embeds through the SSRF guard: the oEmbed finder, with its requests to the
providers' endpoints (and their redirects) made by ``lms.core.netguard.safe_fetch``.

Settings: ``WAGTAILEMBEDS_FINDERS = [{"class": "lms.core.embeds.GuardedOEmbedFinder"}]``.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.html import format_html
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.oembed import OEmbedFinder

from lms.core.netguard import FetchError, safe_fetch

__all__ = ["GuardedOEmbedFinder"]

MAX_BYTES = 512 * 1024


class GuardedOEmbedFinder(OEmbedFinder):
    """Wagtail's oEmbed finder (same providers and result) fetching through the guard."""

    def find_embed(self, url, max_width=None, max_height=None):
        endpoint = self._get_endpoint(url)
        if endpoint is None:
            raise EmbedNotFoundException
        params = {**self.options, "url": url, "format": "json"}
        if max_width:
            params["maxwidth"] = max_width
        if max_height:
            params["maxheight"] = max_height
        try:
            reply = safe_fetch(endpoint, params=params, timeout=10, max_bytes=MAX_BYTES,
                               headers={"Accept": "application/json"})
            if reply.status_code >= 400:
                raise EmbedNotFoundException(f"Provider answered {reply.status_code}")
            oembed = reply.json()
        except FetchError as error:
            raise EmbedNotFoundException(str(error.message)) from error
        except ValueError as error:
            raise EmbedNotFoundException("The provider's answer is not JSON") from error
        if not isinstance(oembed, dict) or "type" not in oembed:
            raise EmbedNotFoundException("Missing 'type' in response")
        return _result(oembed)


def _result(oembed: dict) -> dict:
    if oembed["type"] == "photo":
        html = format_html('<img src="{}" alt="">', oembed.get("url", ""))
    else:
        html = oembed.get("html")
    result = {
        "title": oembed.get("title", "") or "",
        "author_name": oembed.get("author_name", "") or "",
        "provider_name": oembed.get("provider_name", "") or "",
        "type": oembed["type"],
        "thumbnail_url": oembed.get("thumbnail_url"),
        "width": oembed.get("width"),
        "height": oembed.get("height"),
        "html": html,
    }
    try:
        cache_age = int(oembed["cache_age"])
    except (KeyError, TypeError, ValueError):
        pass
    else:
        result["cache_until"] = timezone.now() + timedelta(seconds=cache_age)
    return result
