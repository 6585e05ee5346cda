"""Handlers of third-party XBlocks that fetch URLs on the server, replaced by versions that
go through the SSRF guard (``lms.core.netguard``).

xblock-google-drive's ``google-document`` block has a ``check_url`` handler that sends a
``HEAD`` request (``requests.head``) to any URL in the request body and answers
``{"status_code": N}``, so whoever may call it could probe the server's network. Allele
answers that handler itself, with the same reply shape: the URL and every redirect are
checked, and a refused or failed URL answers ``{"status_code": 400}`` as the block does
for a URL it cannot reach. Add any other block's fetching handler to ``REPLACED``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import webob

from lms.core.netguard import FetchError, safe_fetch

__all__ = ["REPLACED", "guarded_check_url", "replacement"]

logger = logging.getLogger(__name__)


def guarded_check_url(request: webob.Request) -> webob.Response:
    """``check_url`` for google-document: the URL's status through the guard, or 400."""
    try:
        url = json.loads(request.body or b"{}")["url"]
    except (ValueError, KeyError, TypeError):
        return _json({"status_code": 400})
    try:
        reply = safe_fetch(str(url), method="HEAD", timeout=5, max_bytes=0, max_redirects=5)
    except FetchError as error:
        logger.info("check_url refused or failed: %s", error)
        return _json({"status_code": 400})
    return _json({"status_code": reply.status_code})


def _json(data: dict) -> webob.Response:
    return webob.Response(json.dumps(data).encode(), content_type="application/json",
                          charset="utf-8")


REPLACED: dict[tuple[str, str], Callable[[webob.Request], webob.Response]] = {
    ("google-document", "check_url"): guarded_check_url,
}


def replacement(block_type: str, handler_name: str):
    """Allele's own version of this block type's handler, or None (run the block's)."""
    return REPLACED.get((block_type, handler_name))
