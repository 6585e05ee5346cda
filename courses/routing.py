"""Serving catalog pages with cached lookups instead of Wagtail's walk down the tree.

Wagtail routes ``/<domain>/<course>/<module>/`` by loading every page on the way
(about eight queries). Here the site and the page are taken from a cache keyed by
the catalog version (so any publish, move or delete, by any process, invalidates
them) and the route is handed to Wagtail's own ``serve`` view, so its hooks (view
restrictions, ``before_serve_page``) still run.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from courses.caching import cached, one_version_per_request

NOT_FOUND = "not-found"


def serve(request: HttpRequest, path: str = "") -> HttpResponse:
    with one_version_per_request(request) as version:
        site = _site_for_request(request, version)
        if site is not None:
            request._wagtail_site = site
            page = _live_page(site, path, version)
            if page is not None:
                request._wagtail_route_for_request = RouteResult(page)
        return wagtail_serve(request, path)


def _site_for_request(request: HttpRequest, version: int) -> Site | None:
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"site:{hostname}:{request.get_port()}"
    site = cached(key, lambda: Site._find_for_request(request) or NOT_FOUND, version=version)
    return None if site == NOT_FOUND else site


def _live_page(site: Site, path: str, version: int) -> Page | None:
    components = [part for part in path.split("/") if part]
    if not components:
        return None

    def load():
        url_path = site.root_page.url_path + "/".join(components) + "/"
        found = (
            Page.objects.live().filter(url_path=url_path, path__startswith=site.root_page.path)
            .values_list("pk", "content_type_id").first()
        )
        if found is None:
            return NOT_FOUND
        model = ContentType.objects.get_for_id(found[1]).model_class()
        return model.objects.defer_streamfields().get(pk=found[0]) if model else NOT_FOUND

    page = cached(f"route:{site.pk}:{'/'.join(components)}", load, version=version)
    return None if page == NOT_FOUND else page
