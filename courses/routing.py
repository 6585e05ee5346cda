"""Serving catalog pages with one cached lookup instead of Wagtail's walk down the tree.

Wagtail routes ``/<domain>/<course>/<module>/`` by loading every page on the way
(about eight queries). Here the path is mapped to the page's id and type through
the cache, the page is loaded in one query, and the route is handed to Wagtail's
own ``serve`` view, so its hooks (view restrictions, ``before_serve_page``) still
run. A stale cache entry can only cost a miss: the page is checked to be live and
still at that path, otherwise Wagtail routes as usual.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

ROUTE_CACHE_SECONDS = 3600


def serve(request: HttpRequest, path: str = "") -> HttpResponse:
    page = _find_live_page(request, path)
    if page is not None:
        request._wagtail_route_for_request = RouteResult(page)
    return wagtail_serve(request, path)


def _find_live_page(request: HttpRequest, path: str) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [part for part in path.split("/") if part]
    if not components:
        return None
    root_path = _root_path(site)
    url_path = root_path + "/".join(components) + "/"
    key = f"allele:route:{site.pk}:{url_path}"
    found = cache.get(key)
    if found is None:
        found = (
            Page.objects.live().filter(url_path=url_path, path__startswith=site.root_page.path)
            .values_list("pk", "content_type_id").first()
        )
        if found is None:
            return None
        cache.set(key, found, ROUTE_CACHE_SECONDS)
    page_id, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.live().filter(pk=page_id).first() if model else None
    if page is None or page.url_path != url_path:
        cache.delete(key)
        return None
    return page


def _root_path(site: Site) -> str:
    for root in Site.get_site_root_paths():
        if root.site_id == site.pk:
            return root.root_path
    return site.root_page.url_path
