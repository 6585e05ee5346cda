"""XBlock handlers and static resources over HTTP.

Handlers are called by components' JavaScript with AJAX, so refusals are 403/404 JSON
answers, never a redirect to the sign-in page. Django's CSRF middleware guards every
unsafe method. The user is always the signed-in one: nothing in the URL, query or body can
name another learner. Every answer carries the components' Content-Security-Policy.
"""

import io
import re
from types import SimpleNamespace

import webob
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lms.core.csp import with_csp
from xblocks import api

HANDLER_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
# Response headers a handler may not pass on (the server and Django set these).
_DROPPED_HEADERS = {"connection", "content-length", "keep-alive", "set-cookie",
                    "transfer-encoding", "content-security-policy"}
RESOURCE_MAX_AGE = 86400
# A resource path is relative, '/'-separated, made of ordinary names: no '.' or '..'
# segment, no empty segment, no backslash, drive letter, control character or NUL.
_SEGMENT = re.compile(r"^(?!\.{1,2}$)[^\\:\x00-\x1f\x7f]+$")


@with_csp
@require_http_methods(HANDLER_METHODS)
def handler(request, usage_id: str, handler_name: str, suffix: str = ""):
    """A learner's call to one of a component's handlers, on her own state."""
    return _call_handler(request, usage_id, handler_name, suffix, authoring=False)


@with_csp
@require_http_methods(HANDLER_METHODS)
def authoring_handler(request, usage_id: str, handler_name: str, suffix: str = ""):
    """An editor's call to an authoring handler (``studio_submit``); never for learners."""
    if request.user.is_authenticated and not request.user.has_perm("wagtailadmin.access_admin"):
        return _refusal(403, _("Only the module's editors can change this component."))
    return _call_handler(request, usage_id, handler_name, suffix, authoring=True)


def _call_handler(request, usage_id, handler_name, suffix, *, authoring):
    if not request.user.is_authenticated:
        return _refusal(403, _("Please sign in to use this activity."))
    try:
        answer = api.handle_request(
            user=request.user, usage_id=usage_id, handler_name=handler_name, suffix=suffix,
            request=to_webob(request), authoring=authoring,
        )
    except api.XBlockAccessDenied as refusal:  # the api's message says why (enroll first...)
        return _refusal(403, str(refusal) or _("You cannot use this activity here."))
    except api.XBlockNotFound:
        return _refusal(404, _("This activity is no longer available."))
    response = from_webob(answer)
    if "Cache-Control" not in response:
        add_never_cache_headers(response)
    return response


def _refusal(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    add_never_cache_headers(response)
    return response


@with_csp
@require_safe
def resource(request, block_type: str, path: str):
    """A file from a component's public resources, cacheable for a day."""
    if not is_relative_public_path(path):
        raise Http404
    try:
        content, content_type = api.resource(block_type=block_type, path=path)
    except api.XBlockNotFound as missing:
        raise Http404 from missing
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={RESOURCE_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def is_relative_public_path(path: str) -> bool:
    """Whether ``path`` is a plain relative path that cannot climb out of a folder."""
    return bool(path) and not path.startswith("/") and all(
        _SEGMENT.match(segment) for segment in path.split("/")
    )


def to_webob(request) -> webob.Request:
    """The Django request as the ``webob.Request`` XBlock handlers expect."""
    environ = dict(request.META)
    environ["PATH_INFO"] = request.path_info
    try:
        body = request.body
    except RawPostDataException:  # A multipart form the CSRF check has already parsed.
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    converted = webob.Request(environ)
    if not body and request.method == "POST" and (request.POST or request.FILES):
        fields = webob.multidict.MultiDict(
            [*((key, value) for key, values in request.POST.lists() for value in values),
             *((key, SimpleNamespace(name=key, filename=upload.name, file=upload,
                                     type=upload.content_type))
               for key, uploads in request.FILES.lists() for upload in uploads)]
        )
        environ["webob._parsed_post_vars"] = (fields, converted.body_file_raw)
    return converted


def from_webob(answer: webob.Response) -> HttpResponse:
    """The handler's ``webob.Response`` as a Django response."""
    response = HttpResponse(answer.body, status=answer.status_code)
    for name, value in answer.headerlist:
        if name.lower() not in _DROPPED_HEADERS:
            response[name] = value
    return response
