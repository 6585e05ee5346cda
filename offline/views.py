"""The installable app: the web app manifest, the service worker and the offline page.

The service worker is served by a view, not as a static file, because its scope must be
the whole site (so it lives at ``/sw.js``, with ``Service-Worker-Allowed: /``), the
browser must revalidate it on every visit (``Cache-Control: no-cache``; static files are
cached for a year), and it names the app shell by the hashed file names that only exist
after collectstatic. The script itself is ``static/offline/sw.js``; this view puts one
line of configuration before it.
"""

import hashlib
import json
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOR = "#0b6e4f"  # --accent in static/css/allele.css
BACKGROUND_COLOR = "#ffffff"  # --paper
ICONS = (
    ("offline/icons/icon-192.png", "192x192", "any"),
    ("offline/icons/icon-512.png", "512x512", "any"),
    ("offline/icons/maskable-512.png", "512x512", "maskable"),
)
# The app shell: what every cached page needs, precached when the worker installs.
SHELL_STATIC = ("css/allele.css", "js/allele.js", "js/quiz.js", "offline/queue.js",
                "offline/attempt.js", "offline/course.js", "offline/icons/icon-192.png")
SERVICE_WORKER = "offline/sw.js"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: what the browser needs to install Allele as an app."""
    data = {
        "name": _("Allele: genomic medicine courses"),
        "short_name": "Allele",
        "description": _("Short courses in genomic medicine for clinicians."),
        "id": "/",
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "lang": request.LANGUAGE_CODE,
        "icons": [{"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
                  for path, sizes, purpose in ICONS],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(service_worker_script(),
                            content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def service_worker_script() -> str:
    """sw.js with its configuration line: the shell URLs and a version that changes
    whenever the script or a shell URL (a new static build) changes."""
    body = Path(finders.find(SERVICE_WORKER)).read_text(encoding="utf-8")
    offline_url = reverse("offline_page")
    shell = [static(name) for name in SHELL_STATIC] + [offline_url]
    version = hashlib.sha256("\n".join([body, *shell]).encode()).hexdigest()[:12]
    config = (f"var VERSION = {json.dumps(version)}, SHELL = {json.dumps(shell)}, "
              f"OFFLINE_URL = {json.dumps(offline_url)};\n")
    return config + body


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page that is not saved on this device. The same
    for everyone (it is cached once for all): rendered as for a visitor."""
    # Neither her name nor her pending messages (which rendering would use up).
    response = render(request, "offline/offline.html",
                      {"user": AnonymousUser(), "messages": []})
    response["Cache-Control"] = "no-cache"
    return response
