"""The offline app's routes, included at the site root: the offline-sync JSON API under
``api/v1/offline/`` (see docs/offline-sync.md), and the PWA's own pages."""

from django.urls import path

from offline.http_api import api

urlpatterns = [
    path("api/v1/offline/", api.urls),
]
