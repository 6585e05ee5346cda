"""Wagtail admin views of courses: the educators' learner progress report and the
reviews-due report of content currency.

The rows and the rule of who sees which course come from courses.reports and
courses.api; this module only filters, formats and exports them.
"""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

from courses import api, reports
from courses.models import Enrollment
from lms.core import ratelimit
from lms.core.models import Profession
from lms.core.spreadsheets import neutralise_formula


class LearnerProgressFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), empty_label=_("All my courses"),
        queryset=lambda request: api.reportable_courses(user=request.user),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=reports.ProgressStatus.choices, empty_label=_("Any"),
    )
    learner_country = django_filters.ChoiceFilter(
        label=_("Country"), choices=lambda: list(countries), empty_label=_("Any"),
    )
    learner_profession = django_filters.ChoiceFilter(
        label=_("Profession"), choices=Profession.choices, empty_label=_("Any"),
    )
    enrolled_at = django_filters.DateFromToRangeFilter(
        label=_("Enrolled"), widget=DateRangePickerWidget,
    )

    class Meta:
        model = Enrollment
        fields = ["course", "status", "learner_country", "learner_profession", "enrolled_at"]


def _date(value: datetime.datetime | None) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""


def _progress(row) -> str:
    return f"{row.required_complete}/{row.required_total} ({row.percent}%)"


def _label(choices) -> dict:
    labels = dict(choices)
    return lambda value: str(labels.get(value, value or ""))


_status_label = _label(reports.ProgressStatus.choices)
_profession_label = _label(Profession.choices)


def _country_name(code) -> str:
    return str(countries.name(code)) if code else ""


def _iso(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


class LearnerProgressReportView(ReportView):
    """One row per enrollment in the courses the signed-in educator owns (all courses
    for site administrators), with CSV and XLSX export."""

    page_title = _("Learner progress")
    header_icon = "user"
    index_url_name = "courses_learner_progress"
    index_results_url_name = "courses_learner_progress_results"
    filterset_class = LearnerProgressFilterSet
    model = Enrollment
    verbose_name_plural = _("enrollments")
    default_ordering = "-enrolled_at"
    columns = [
        Column("learner_name", label=_("Learner"), sort_key="learner_name"),
        Column("learner_email", label=_("E-mail")),
        Column("learner_profession", label=_("Profession"),
               accessor=lambda row: _profession_label(row.learner_profession)),
        Column("learner_country", label=_("Country"),
               accessor=lambda row: _country_name(row.learner_country)),
        Column("course_title", label=_("Course"), sort_key="course_title"),
        Column("enrolled_at", label=_("Enrolled"), sort_key="enrolled_at",
               accessor=lambda row: _date(row.enrolled_at)),
        Column("status", label=_("Status"), accessor=lambda row: _status_label(row.status)),
        Column("percent", label=_("Required modules"), sort_key="percent", accessor=_progress),
        Column("completed_at", label=_("Completed"), sort_key="completed_at",
               accessor=lambda row: _date(row.completed_at)),
        DateColumn("last_activity", label=_("Last activity"), sort_key="last_activity"),
    ]
    list_export = [
        "learner_name", "learner_email", "learner_profession", "learner_country",
        "course_title", "enrolled_at", "status", "required_complete", "required_total",
        "percent", "completed_at", "last_activity",
    ]
    export_headings = {
        "learner_name": _("Learner"), "learner_email": _("E-mail"),
        "learner_profession": _("Profession"), "learner_country": _("Country"),
        "course_title": _("Course"), "enrolled_at": _("Enrolled at"), "status": _("Status"),
        "required_complete": _("Required modules complete"),
        "required_total": _("Required modules"), "percent": _("Percent complete"),
        "completed_at": _("Completed at"), "last_activity": _("Last activity"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not api.may_report_progress(user=request.user):
            raise PermissionDenied
        if request.GET.get("export") in (self.FORMAT_CSV, self.FORMAT_XLSX) and (
                refused := ratelimit.refusal(request, name="learner_export")) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def custom_field_preprocess(self):
        formats = (self.FORMAT_CSV, self.FORMAT_XLSX)
        labels = {"status": _status_label, "learner_profession": _profession_label,
                  "learner_country": _country_name}
        return {field: dict.fromkeys(formats, label) for field, label in labels.items()}

    @cached_property
    def custom_value_preprocess(self):
        by_type = dict(ReportView.custom_value_preprocess)
        by_type[datetime.datetime] = {**by_type[datetime.datetime], self.FORMAT_CSV: _iso}
        return by_type

    def get_base_queryset(self):
        return reports.learner_progress_rows(viewer=self.request.user)

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "pk")  # a stable order across pages

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value) if isinstance(value, str) else value

    def get_filename(self) -> str:
        return f"learner-progress-{timezone.localdate():%Y-%m-%d}"


# --- Reviews due: content currency -----------------------------------------------------------


class ReviewsDueFilterSet(WagtailFilterSet):
    """Read by ReviewsDueReportView.get_base_queryset (the rows come from reports.review_rows,
    which filters them itself); these filters only draw the form."""

    scope = django_filters.ChoiceFilter(
        label=_("Pages"), method="_as_is", empty_label=_("All I may see"),
        choices=[("mine", _("Mine (pages I own and pages of my courses)"))],
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), method="_as_is", choices=reports.ReviewStatus.choices,
        help_text=_("None ticked: all but current."),
    )

    class Meta:
        model = Page
        fields = ["scope", "status"]

    def _as_is(self, queryset, name, value):
        return queryset


def _review_date(value: datetime.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


_review_status_label = _label(reports.ReviewStatus.choices)


def _kind_label(kind: str) -> str:
    return str(_("Course") if kind == "course" else _("Module"))


class ReviewsDueReportView(ReportView):
    """Courses and modules whose clinical review is overdue, due within 30 days, or never
    set; an educator's own pages by default, every page for reviewers and administrators."""

    page_title = _("Reviews due")
    header_icon = "date"
    index_url_name = "courses_reviews_due"
    index_results_url_name = "courses_reviews_due_results"
    filterset_class = ReviewsDueFilterSet
    model = Page
    verbose_name_plural = _("pages")
    columns = [
        TitleColumn("title", label=_("Page"), url_name="wagtailadmin_pages:edit"),
        Column("kind", label=_("Type"), accessor=lambda row: _kind_label(row.kind)),
        Column("course_title", label=_("Course")),
        Column("owner_name", label=_("Owner")),
        Column("last_reviewed", label=_("Last reviewed"),
               accessor=lambda row: _review_date(row.last_reviewed)),
        Column("review_due", label=_("Review due"),
               accessor=lambda row: _review_date(row.review_due)),
        Column("status", label=_("Status"),
                     accessor=lambda row: _review_status_label(row.status)),
    ]
    list_export = ["title", "kind", "course_title", "owner_name", "last_reviewed",
                   "review_due", "status", "live"]
    export_headings = {
        "title": _("Page"), "kind": _("Type"), "course_title": _("Course"),
        "owner_name": _("Owner"), "last_reviewed": _("Last reviewed"),
        "review_due": _("Review due"), "status": _("Status"), "live": _("Live"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not api.may_see_review_report(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def custom_field_preprocess(self):
        formats = (self.FORMAT_CSV, self.FORMAT_XLSX)
        return {"status": dict.fromkeys(formats, _review_status_label),
                "kind": dict.fromkeys(formats, _kind_label)}

    def get_base_queryset(self):
        statuses = [s for s in self.request.GET.getlist("status")
                    if s in reports.ReviewStatus.values]
        return reports.review_rows(
            viewer=self.request.user, today=timezone.localdate(),
            mine_only=self.request.GET.get("scope") == "mine", statuses=statuses,
        )

    def order_queryset(self, queryset):
        return queryset  # most urgent first, as review_rows orders them

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise_formula(value) if isinstance(value, str) else value

    def get_filename(self) -> str:
        return f"reviews-due-{timezone.localdate():%Y-%m-%d}"
