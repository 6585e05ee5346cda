"""A URL configuration for the XBlock HTTP-layer tests: the real ``xblocks`` routes, a page
that shows wrapped fragments under the CSP (``show_blocks``) and one that shows components
rendered by the real runtime (``show_components``), so these tests need no module page."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils.safestring import mark_safe

from lms.core.csp import csp_nonce

PAGE = """{% load static %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Blocks</title>{{ head }}</head>
<body><main id="main">{% csrf_token %}{{ blocks }}</main>{{ foot }}</body></html>"""

# Set by a test: a list of (fragment, block, usage_id, view) to show.
SHOWN: list = []


def show_blocks(request):
    from xblocks.wrapper import fragment_resources, wrap_fragment

    nonce = csp_nonce(request)
    fragments = [fragment for fragment, *_ in SHOWN]
    context = {
        "blocks": mark_safe("".join(  # noqa: S308 - each part is a SafeString
            wrap_fragment(fragment=fragment, block=block, usage_id=usage_id, view=view,
                          authoring=False)
            for fragment, block, usage_id, view in SHOWN
        )),
        "head": fragment_resources(fragments, nonce=nonce, placement="head"),
        "foot": fragment_resources(fragments, nonce=nonce, placement="foot"),
    }
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


# Set by a test: the module and the components whose real rendering ``show_components`` shows.
COMPONENTS: dict = {"module": None, "components": []}


def show_components(request):
    from xblocks import api

    fragments = api.render_components(request=request, module=COMPONENTS["module"],
                                      components=COMPONENTS["components"])
    context = {"blocks": mark_safe("".join(fragments.values())),  # noqa: S308 - wrapped
               "head": api.page_resources(request=request), "foot": ""}
    return HttpResponse(engines["django"].from_string(PAGE).render(context, request))


urlpatterns = [
    path("xblock/", include("xblocks.urls")),
    path("blocks/", show_blocks, name="show_blocks"),
    path("components/", show_components, name="show_components"),
]
