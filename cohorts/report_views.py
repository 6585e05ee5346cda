"""The cohort dashboards in the Wagtail admin: a cohort, a course within it, one learner,
and the CSV/XLSX exports. Views parse the filters, call cohorts.reports (and
learner_reports) and render. Exports are built in the background (cohorts.api
request_export, then its status page and a permission-checked download).

Permission: only users the Cohorts area is open to (cohorts.api.may_manage_cohorts);
a cohort the user may not see, a course not assigned to it, or a learner not in it is a
404, so guessing identifiers reveals nothing.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_countries import countries

from cohorts import api, learner_reports, reports
from cohorts.charts import completions_chart
from cohorts.views import visible_cohort_or_404
from lms.core.models import Profession
from lms.core.ratelimit import rate_limit

ROWS_PER_PAGE = 50


class ReportFilterForm(forms.Form):
    """The dashboard filters, read from the query string (works without JavaScript)."""

    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False,
                                choices=lambda: [("", gettext_lazy("Any")), *list(countries)])
    profession = forms.ChoiceField(label=gettext_lazy("Profession"), required=False,
                                   choices=[("", gettext_lazy("Any")), *Profession.choices])
    dates_of = forms.ChoiceField(
        label=gettext_lazy("Dates apply to"), required=False, initial="enrolled",
        choices=[("enrolled", gettext_lazy("Enrollment date")),
                 ("completed", gettext_lazy("Completion date (completed only)"))])
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> reports.ReportFilters:
        """The filters to apply: none at all when the form has errors (they are shown)."""
        if not self.is_valid():
            return reports.NO_FILTERS
        data = self.cleaned_data
        return reports.ReportFilters(country=data["country"], profession=data["profession"],
                                     dates_of=data["dates_of"] or "enrolled",
                                     start=data["start"], end=data["end"])


def _course(courses: list, course_id: int):
    for course in courses:
        if course.pk == course_id:
            return course
    raise Http404


def _page(request, template: str, title: str, **context):
    return render(request, template, {"page_title": title, "header_title": title,
                                      "header_icon": "group", **context})


def _figures_context(cohort, courses, form) -> dict:
    filters = form.filters()
    figures = reports.dashboard(cohort=cohort, courses=courses, filters=filters)
    overall, per_course, series = figures.overall, figures.per_course, figures.series
    query = form.data.copy()
    query.pop("p", None)
    return {"cohort": cohort, "form": form, "filters": filters, "overall": overall,
            "per_course": per_course, "series": series, "query": query.urlencode(),
            "chart": completions_chart(points=series.points, period=series.period)}


def dashboard(request, cohort_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    form = ReportFilterForm(request.GET)
    context = _figures_context(cohort, reports.cohort_courses(cohort=cohort), form)
    members = learner_reports.member_rows(cohort=cohort, filters=context["filters"])
    page = _labelled(Paginator(members, ROWS_PER_PAGE).get_page(request.GET.get("p")))
    return _page(request, "cohorts/reports/dashboard.html",
                 _("Dashboard: %(name)s") % {"name": cohort}, page=page,
                 exports=api.recent_exports(user=request.user, cohort=cohort), **context)


_PROFESSIONS = dict(Profession.choices)


def _labelled(page):
    """The page's rows with ``profession_label`` and ``country_name`` for display."""
    page.object_list = list(page.object_list)
    for row in page.object_list:
        row.profession_label = _PROFESSIONS.get(row.learner_profession, "")
        row.country_name = countries.name(row.learner_country) if row.learner_country else ""
    return page


def course_dashboard(request, cohort_id: int, course_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    course = _course(reports.cohort_courses(cohort=cohort), course_id)
    form = ReportFilterForm(request.GET)
    context = _figures_context(cohort, [course], form)
    rows = learner_reports.enrollment_rows(cohort=cohort, courses=[course],
                                           filters=context["filters"])
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    return _page(request, "cohorts/reports/course.html",
                 _("%(course)s in %(name)s") % {"course": course.title, "name": cohort},
                 course=course, page=page,
                 modules=learner_reports.module_totals(courses=[course])[course.pk], **context)


def learner(request, cohort_id: int, user_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    try:
        detail = learner_reports.learner_detail(
            cohort=cohort, courses=reports.cohort_courses(cohort=cohort), user_id=user_id)
    except api.CohortMembership.DoesNotExist:
        raise Http404 from None
    return _page(request, "cohorts/reports/learner.html", detail.membership.learner_name,
                 cohort=cohort, detail=detail)


def _export_course(request, courses: list):
    """The course an export is limited to (``?course=``), or None for the whole cohort."""
    course_id = request.GET.get("course", "")
    if not course_id:
        return None
    return _course(courses, int(course_id) if course_id.isdigit() else 0)


@require_http_methods(["GET", "POST"])
@rate_limit("cohort_export")
def export(request, cohort_id: int, fmt: str):
    """GET: what would be exported, with the button; POST: queue it, go to its page."""
    cohort = visible_cohort_or_404(request, cohort_id)
    course = _export_course(request, reports.cohort_courses(cohort=cohort))
    form = ReportFilterForm(request.GET)
    if request.method == "POST" and form.is_valid():
        job = api.request_export(user=request.user, cohort=cohort, fmt=fmt, course=course,
                                 filters=form.filters())
        return redirect("cohorts:export", cohort.pk, job.pk)
    response = _page(request, "cohorts/reports/export_new.html",
                     _("Export %(name)s") % {"name": cohort}, cohort=cohort, course=course,
                     fmt=fmt, form=form, query=request.GET.urlencode(),
                     exports=api.recent_exports(user=request.user, cohort=cohort))
    response.status_code = 400 if request.method == "POST" else 200
    return response


def export_status(request, cohort_id: int, export_id: int):
    """An export's progress (the page refreshes itself while it runs) and its download."""
    cohort = visible_cohort_or_404(request, cohort_id)
    try:
        job = api.get_export(user=request.user, cohort_id=cohort.pk, export_id=export_id)
    except api.CohortExport.DoesNotExist:
        raise Http404 from None
    return _page(request, "cohorts/reports/export.html",
                 _("Export of %(name)s") % {"name": cohort}, cohort=cohort, export=job,
                 available=job.is_available(now=timezone.now()))


def export_download(request, cohort_id: int, export_id: int):
    """The finished file, to someone who may see the cohort; never a public URL."""
    cohort = visible_cohort_or_404(request, cohort_id)
    try:
        job = api.export_for_download(user=request.user, export_id=export_id)
    except api.CohortExport.DoesNotExist:
        raise Http404 from None
    if job.cohort_id != cohort.pk:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True,
                            filename=job.download_name(), content_type=job.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
