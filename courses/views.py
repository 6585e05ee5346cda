"""Learners' actions on the learning path. Every action is a plain form POST that
redirects (the small script in static/js enhances them without a full reload)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses import api, extensions, reports
from lms.core import pagecache
from lms.core.csp import csp_nonce
from lms.core.ratelimit import rate_limit

SEARCH_LIMIT = 20


def _course(course_id: int):
    try:
        return api.get_course(course_id=course_id)
    except api.CoursePage.DoesNotExist as missing:
        raise Http404(_("No such course.")) from missing


def _is_for_someone_else(request: HttpRequest) -> bool:
    """True when the form names a learner other than the one signed in."""
    named = request.POST.get("user", "")
    return named not in ("", str(request.user.pk))


def _refuse_someone_else() -> HttpResponse:
    return HttpResponseForbidden(_("You can only record your own progress."))


@require_POST
@login_required
def enroll(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(course_id)
    if _is_for_someone_else(request):
        return _refuse_someone_else()
    try:
        api.enroll(user=request.user, course=course)
    except api.LearningError as error:
        level = messages.INFO if error.code == "already_enrolled" else messages.ERROR
        messages.add_message(request, level, str(error))
    else:
        messages.success(request, _("You are enrolled. Welcome to the course!"))
    return redirect(course.url)


@require_POST
@login_required
def leave(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(course_id)
    if _is_for_someone_else(request):
        return _refuse_someone_else()
    try:
        api.unenroll(user=request.user, course=course)
    except api.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You have left the course. Your progress is kept if you return.")
        )
    return redirect(course.url)


@require_POST
@login_required
def complete(request: HttpRequest, module_id: int) -> HttpResponse:
    try:
        module = api.get_module(module_id=module_id)
    except api.ModulePage.DoesNotExist as missing:
        raise Http404(_("No such module.")) from missing
    if _is_for_someone_else(request):
        return _refuse_someone_else()
    try:
        api.complete_module(user=request.user, module=module)
    except api.LearningError as error:
        messages.error(request, str(error))
        return redirect(module.url)
    messages.success(request, _("“%(module)s” is complete.") % {"module": module.title})
    outline = api.module_outline(module=module)
    return redirect((outline.next or module).url)


@require_GET
@login_required
def resume(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(course_id)
    module = api.course_progress(user=request.user, course=course).resume_module
    return redirect((module or course).url)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    key = pagecache.personal_page_key(request, "dashboard", api.catalog_version())
    if (cached_page := pagecache.get_cached_page(key)) is not None:
        return cached_page
    dashboard = reports.learner_dashboard(user=request.user)
    sections = extensions.sections(extensions.DASHBOARD_SECTIONS, request=request,
                                   dashboard=dashboard)
    response = render(request, "courses/dashboard.html",
                      {"dashboard": dashboard, "sections": sections})
    return pagecache.cache_page_response(key, response)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Course search, a plain GET form: results in the learner's language."""
    query = request.GET.get("q", "")
    found = api.search_courses(query=query, language=get_language() or "", limit=SEARCH_LIMIT)
    return render(request, "courses/search.html", {
        "query": query[:200], "searched": "q" in request.GET, "found": found,
    })


# --- The course handbook -------------------------------------------------------------------


def _handbook_denied(request: HttpRequest, course) -> HttpResponse | None:
    if api.may_read_handbook(course=course, request=request):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponseForbidden(_("This course is not open to you."))


@require_GET
def handbook(request: HttpRequest, course_id: int) -> HttpResponse:
    """Every live module of the course on one printable page, streamed module by module."""
    course = _course(course_id)
    if (denied := _handbook_denied(request, course)) is not None:
        return denied
    response = StreamingHttpResponse(api.stream_handbook_html(
        course=course, site_root=request.build_absolute_uri("/").rstrip("/"),
        lite_mode=getattr(request, "lite_mode", False), style_nonce=csp_nonce(request),
    ), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{course.slug}-handbook.html"'
    return response


@require_GET
@rate_limit("handbook_pdf", methods=("GET",))
def handbook_pdf(request: HttpRequest, course_id: int) -> HttpResponse:
    """The handbook as a PDF once built in the background; until then a page that reloads
    itself."""
    course = _course(course_id)
    if (denied := _handbook_denied(request, course)) is not None:
        return denied
    pdf = api.request_handbook_pdf(course=course)
    if pdf.status is api.HandbookStatus.READY:
        return FileResponse(pdf.open(), as_attachment=True, filename=pdf.download_name,
                            content_type="application/pdf")
    failed = pdf.status is api.HandbookStatus.FAILED
    return render(request, "courses/handbook_pending.html", {"course": course, "failed": failed},
                  status=503 if failed else 202)
