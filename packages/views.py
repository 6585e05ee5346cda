"""Course packages in the Wagtail admin: export a course, import a package, and follow
the job. Each view only parses, calls packages.api and renders (JS-free: a job page
reloads itself with a meta refresh until the job ends)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses import api as courses_api
from packages import api
from packages.forms import ImportForm


def _page(request, template: str, title: str, **context):
    return render(request, template, {"page_title": title, "header_title": title,
                                      "header_icon": "download", **context})


def _require_packages(request) -> None:
    if not api.may_use_packages(user=request.user):
        raise PermissionDenied


def index(request):
    _require_packages(request)
    return _page(request, "packages/index.html", _("Course packages"),
                 jobs=api.list_jobs(user=request.user)[:50])


@require_http_methods(["GET", "POST"])
def export(request, course_id: int):
    course = api.find_course(course_id=course_id)
    if course is None:
        raise Http404
    if not api.may_export(user=request.user, course=course):
        raise PermissionDenied
    if request.method == "POST":
        job = api.request_export(user=request.user, course=course)
        return redirect("packages:job", job_id=job.pk)
    return _page(request, "packages/export.html", _("Export course package"), course=course)


def _importable_domains(user) -> list:
    return [d for d in courses_api.list_domains() if api.may_import(user=user, domain=d)]


@require_http_methods(["GET", "POST"])
def import_package(request):
    _require_packages(request)
    domains = _importable_domains(request.user)
    if not domains:
        raise PermissionDenied
    may_publish = any(api.may_publish_on_import(user=request.user, domain=d) for d in domains)
    form = ImportForm(request.POST or None, request.FILES or None, domains=domains,
                      may_publish=may_publish)
    if request.method == "POST" and form.is_valid():
        domain = next(d for d in domains if d.slug == form.cleaned_data["domain"])
        publish = form.cleaned_data.get("publish", False) and api.may_publish_on_import(
            user=request.user, domain=domain)
        job = api.request_import(user=request.user, upload=form.cleaned_data["package"],
                                 domain_slug=domain.slug, publish=publish)
        messages.success(request, _("The package is being imported."))
        return redirect("packages:job", job_id=job.pk)
    return _page(request, "packages/import.html", _("Import course package"), form=form)


def _job(request, job_id: int) -> api.PackageJob:
    _require_packages(request)
    try:
        return api.get_job(user=request.user, job_id=job_id)
    except api.PackageJob.DoesNotExist as error:
        raise Http404 from error


def job(request, job_id: int):
    package_job = _job(request, job_id)
    return _page(request, "packages/job.html", str(package_job), job=package_job)


def download(request, job_id: int):
    package_job = _job(request, job_id)
    if package_job.kind != package_job.Kind.EXPORT or package_job.status != (
            package_job.Status.SUCCEEDED) or not package_job.file:
        raise Http404
    return FileResponse(package_job.file.open("rb"), as_attachment=True,
                        filename=package_job.original_name, content_type="application/zip")
