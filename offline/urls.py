"""The offline app's routes, included at the site root: the offline-sync JSON API under
``api/v1/offline/`` (see docs/offline-sync.md), and the PWA's own pages."""

from django.urls import path

from offline import views
from offline.http_api import api

urlpatterns = [
    path("api/v1/offline/", api.urls),
    # The installable app; the service worker must sit at the root to control every page.
    path("manifest.webmanifest", views.manifest, name="web_app_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline_page, name="offline_page"),
]
