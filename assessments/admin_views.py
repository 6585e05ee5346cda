"""Wagtail admin views for educators: quiz item analysis, knowledge gain, and importing
and exporting questions (GIFT, Aiken).

The figures come from assessments.reports, the bank writes from assessments.bank; this
module parses the request, formats and exports. CSV cells pass through
neutralise_formula (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments import aiken, bank, gift, reports
from assessments.importing import ImportErrors
from assessments.models import Difficulty, Question, Quiz
from courses import api as courses_api
from lms.core.spreadsheets import neutralise_formula

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
         b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


# --- CSV -------------------------------------------------------------------------------------


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return neutralise_formula(value) if isinstance(value, str) else value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow([neutralise_formula(str(title)) for title in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- Item analysis ---------------------------------------------------------------------------


def _check_reporter(user) -> None:
    if not courses_api.may_report_progress(user=user):
        raise PermissionDenied


class QuizAnalysisIndexView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Quiz analysis")
    header_icon = "form"
    template_name = "assessments/admin/quiz_analysis_index.html"

    def dispatch(self, request, *args, **kwargs):
        _check_reporter(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            quizzes=reports.analysable_quizzes(user=self.request.user), **kwargs)


ITEM_HEADER = [_("No."), _("Question id"), _("Question"), _("Type"), _("Attempts"),
               _("Answered"), _("Facility"), _("Discrimination (corrected item-total)")]
CHOICE_HEADER = [_("No."), _("Question id"), _("Question"), _("Choice id"), _("Choice"),
                 _("Correct"), _("Chosen"), _("Share of attempts")]
BAND_HEADER = [_("Score band"), _("Attempts")]


def _item_rows(analysis: reports.ItemAnalysis):
    return [[item.number, item.question_id, item.title, item.type, item.attempts,
             item.answered, item.facility, item.discrimination] for item in analysis.items]


def _choice_rows(analysis: reports.ItemAnalysis):
    return [[item.number, item.question_id, item.title, choice.choice_id, choice.text,
             "yes" if choice.correct else "no", choice.count, choice.share]
            for item in analysis.items for choice in item.choices]


class QuizAnalysisView(WagtailAdminTemplateMixin, TemplateView):
    """One quiz's item analysis; ``?export=items|choices|scores`` downloads a table."""

    header_icon = "form"
    template_name = "assessments/admin/quiz_analysis.html"

    def dispatch(self, request, *args, quiz_id: int, **kwargs):
        _check_reporter(request.user)
        self.quiz = Quiz.objects.filter(pk=quiz_id).first()
        if self.quiz is None:
            raise Http404
        if not reports.may_analyse(user=request.user, quiz=self.quiz):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Analysis: %(quiz)s") % {"quiz": self.quiz.title}

    def get(self, request, *args, **kwargs):
        analysis = reports.item_analysis(quiz=self.quiz)
        export = request.GET.get("export")
        name = f"quiz-{self.quiz.pk}-{slugify(self.quiz.title)[:40]}"
        if export == "items":
            return csv_response(f"{name}-items", ITEM_HEADER, _item_rows(analysis))
        if export == "choices":
            return csv_response(f"{name}-choices", CHOICE_HEADER, _choice_rows(analysis))
        if export == "scores":
            return csv_response(f"{name}-scores", BAND_HEADER,
                                [[band.label, band.count] for band in analysis.bands])
        return self.render_to_response(self.get_context_data(analysis=analysis))


# --- Knowledge gain --------------------------------------------------------------------------

GAIN_HEADER = [_("Course"), _("Cohort"), _("Learners"), _("Mean pre-test %"),
               _("Mean post-test %"), _("Mean gain (points)"), _("Normalised gain <g>"),
               _("Learners in <g>")]


class KnowledgeGainView(WagtailAdminTemplateMixin, TemplateView):
    """Pre/post knowledge gain per course and cohort; ``?export=csv`` downloads it."""

    page_title = _("Knowledge gain")
    header_icon = "pick"
    template_name = "assessments/admin/knowledge_gain.html"

    def dispatch(self, request, *args, **kwargs):
        _check_reporter(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        rows = reports.knowledge_gain(viewer=request.user)
        if request.GET.get("export") == "csv":
            return csv_response(
                f"knowledge-gain-{timezone.localdate():%Y-%m-%d}", GAIN_HEADER,
                [[row.course_title, row.cohort, row.learners, _percent(row.mean_pre),
                  _percent(row.mean_post), _percent(row.mean_gain), row.normalised_gain,
                  row.normalised_learners] for row in rows])
        return self.render_to_response(self.get_context_data(rows=rows))


# --- Import and export -----------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_(
        "GIFT (.gift, .txt) or Aiken (.aiken, .txt), saved as UTF-8 with or without BOM."))
    format = forms.ChoiceField(label=_("Format"), choices=[
        ("auto", _("From the file name (.gift or .aiken)")), ("gift", "GIFT"),
        ("aiken", "Aiken")])
    domain = forms.ChoiceField(label=_("Domain"), required=False,
                               choices=[("", _("From the file"))])
    topic = forms.CharField(label=_("Topic"), required=False, max_length=100,
                            help_text=_("Empty: the file's category, if any."))
    difficulty = forms.ChoiceField(label=_("Difficulty"), required=False,
                                   choices=[("", _("From the file (else medium)")),
                                            *Difficulty.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices += list(courses_api.WorkingGroup.choices)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        name = upload.name.lower()
        kind = data.get("format")
        if kind == "auto":
            kind = "aiken" if name.endswith(".aiken") else "gift" if name.endswith(
                ".gift") else ""
        if not kind:
            raise forms.ValidationError(_("Choose the format: the file name does not end "
                                          "in .gift or .aiken."))
        data["kind"], data["text"] = kind, _utf8_text(upload.read())
        return data


def _utf8_text(raw: bytes) -> str:
    for bom, encoding in _BOMS.items():
        if raw.startswith(bom):
            raise forms.ValidationError(_(
                "The file is %(encoding)s text. Save it as UTF-8 (with or without BOM) and "
                "upload it again.") % {"encoding": encoding})
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise forms.ValidationError(_(
            "The file is not UTF-8 text (the first character that is not is on line "
            "%(line)d). Save it as UTF-8 (with or without BOM) and upload it again; nothing "
            "was imported.") % {"line": line}) from None


def _may_import(user) -> bool:
    return user.has_perm("assessments.add_question") and user.has_perm(
        "assessments.change_question")


class ImportQuestionsView(WagtailAdminTemplateMixin, FormView):
    """Parse the whole file; import every question or, if any is bad, none."""

    page_title = _("Import questions")
    header_icon = "upload"
    template_name = "assessments/admin/import_questions.html"
    form_class = ImportForm

    def dispatch(self, request, *args, **kwargs):
        if not _may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        parse = gift.parse_gift if data["kind"] == "gift" else aiken.parse_aiken
        try:
            result = bank.import_questions(
                definitions=parse(data["text"]), domain=data["domain"], topic=data["topic"],
                difficulty=data["difficulty"], user=self.request.user,
                publish=self.request.user.has_perm("assessments.publish_question"),
                source=f"{data['file'].name} ({data['kind']})")
        except (ImportErrors, bank.BankImportError) as error:
            return self.render_to_response(self.get_context_data(
                form=form, issues=error.issues, kind=data["kind"]))
        messages.success(self.request, _(
            "Imported %(created)d new and updated %(updated)d existing questions.") % {
            "created": len(result.created), "updated": len(result.updated)})
        if not self.request.user.has_perm("assessments.publish_question"):
            messages.info(self.request, _(
                "They are drafts, submitted to the clinical reviewers: learners see them "
                "once a reviewer approves each one."))
        return redirect(reverse("wagtailsnippets_assessments_question:list"))


class ExportQuestionsView(View):
    """GIFT download of ``?id=…`` (repeatable) or of every question in ``?topic=…``
    (``?topic=`` alone: the whole bank)."""

    def get(self, request):
        if not request.user.has_perm("assessments.view_question") and not _may_import(
                request.user):
            raise PermissionDenied
        chosen = Question.objects.order_by("title", "pk")
        ids = [value for value in request.GET.getlist("id") if value.isdigit()]
        if ids:
            chosen = chosen.filter(pk__in=ids)
        elif "topic" in request.GET:
            topic = request.GET["topic"].strip()
            chosen = chosen.filter(topic__iexact=topic) if topic else chosen
        else:
            messages.error(request, _("Choose questions to export."))
            return redirect(reverse("wagtailsnippets_assessments_question:list"))
        what = (f"ids {', '.join(ids)}" if ids
                else f"topic {request.GET['topic'].strip() or '(all)'}")
        report = bank.export_questions(questions_=list(chosen), exported_by=request.user,
                                       description=what[:200])
        response = HttpResponse(report.text, content_type="text/plain; charset=utf-8")
        name = slugify(request.GET.get("topic", "")) or "questions"
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.gift"')
        response["X-Allele-Skipped"] = str(len(report.skipped))
        return response


# --- Registration (wagtail_hooks.py registers these) -----------------------------------------


class ReporterMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return courses_api.may_report_progress(user=request.user)


class ImporterMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return _may_import(request.user)


urlpatterns = [
    path("reports/quiz-analysis/", QuizAnalysisIndexView.as_view(),
         name="assessments_quiz_analysis_index"),
    path("reports/quiz-analysis/<int:quiz_id>/", QuizAnalysisView.as_view(),
         name="assessments_quiz_analysis"),
    path("reports/knowledge-gain/", KnowledgeGainView.as_view(),
         name="assessments_knowledge_gain"),
    path("assessments/import/", ImportQuestionsView.as_view(),
         name="assessments_import_questions"),
    path("assessments/export/", ExportQuestionsView.as_view(),
         name="assessments_export_questions"),
]


def report_menu_items() -> list[MenuItem]:
    return [
        ReporterMenuItem(_("Quiz analysis"), reverse("assessments_quiz_analysis_index"),
                         name="quiz-analysis", icon_name="form", order=110),
        ReporterMenuItem(_("Knowledge gain"), reverse("assessments_knowledge_gain"),
                         name="knowledge-gain", icon_name="pick", order=120),
    ]


def bank_menu_item() -> MenuItem:
    return ImporterMenuItem(_("Import and export questions"),
                            reverse("assessments_import_questions"),
                            name="import-questions", icon_name="upload", order=900)


def quiz_listing_buttons(snippet, user) -> list[ListingMenuItem]:
    """An "Analysis" button on each quiz in the Quizzes listing for those who may report
    (the view itself checks the quiz's course)."""
    if not isinstance(snippet, Quiz):
        return []
    if not hasattr(user, "_allele_may_report"):  # asked once per listing, not per row
        user._allele_may_report = courses_api.may_report_progress(user=user)
    if not user._allele_may_report:
        return []
    return [ListingMenuItem(_("Analysis"), reverse("assessments_quiz_analysis", args=[snippet.pk]),
                     icon_name="form", priority=90)]
