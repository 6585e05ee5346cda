"""Serving catalog pages with cached lookups instead of Wagtail's walk down the tree.

Wagtail routes ``/<domain>/<course>/<module>/`` by loading every page on the way
(about eight queries). Here the site and the page are taken from a cache keyed by
the catalog version (so any publish, move or delete, by any process, invalidates
them) and the route is handed to Wagtail's own ``serve`` view, so its hooks (view
restrictions, ``before_serve_page``) still run.

Translations (ADR 0011) keep their source's path: a path is looked up under the site's
home page in the learner's language first (``/fr`` has no prefix: the French course is
served at the English course's path to a French reader), then under the site's own home
page, so a course not translated is reachable in every language.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
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

    language = translation.get_language() or ""

    def load():
        roots = _roots(site)  # in the learner's language first, then the site's own
        wanted = [root.url_path + "/".join(components) + "/" for root in roots]
        found = dict(
            Page.objects.live().filter(url_path__in=wanted)
            .values_list("url_path", "pk").order_by()
        )
        pk = next((found[url_path] for url_path in wanted if url_path in found), None)
        if pk is None:
            return NOT_FOUND
        page = Page.objects.filter(pk=pk).values_list("pk", "content_type_id").get()
        model = ContentType.objects.get_for_id(page[1]).model_class()
        return model.objects.defer_streamfields().get(pk=page[0]) if model else NOT_FOUND

    page = cached(f"route:{site.pk}:{language}:{'/'.join(components)}", load, version=version)
    return None if page == NOT_FOUND else page


def _roots(site: Site) -> list[Page]:
    """The site's home page in the active language (if translated), then the site's own."""
    root = site.root_page
    localized = root.localized
    return [localized, root] if localized.pk != root.pk else [root]
