"""Wagtail admin views for grading by hand: a quiz's submitted attempts, and one attempt's
answers and grades, where an educator who may review the quiz overrides a question's
points with a reason (``api.override_grade`` does the work and records the audit entry).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments import api, grading, overrides, reports
from assessments.describe import describe
from assessments.models import Attempt, GradeChange, Quiz
from courses import api as courses_api

ATTEMPTS_PER_PAGE = 50


class OverrideForm(forms.Form):
    question_id = forms.CharField(widget=forms.HiddenInput, max_length=100)
    points = forms.CharField(label=_("New points"), max_length=20)
    reason = forms.CharField(label=_("Reason (kept in the audit trail)"),
                             max_length=overrides.REASON_MAX_CHARS,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _quiz_for(user, quiz_id: int) -> Quiz:
    if not courses_api.may_report_progress(user=user):
        raise PermissionDenied
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    if not reports.may_analyse(user=user, quiz=quiz):
        raise PermissionDenied
    return quiz


class QuizAttemptsView(WagtailAdminTemplateMixin, TemplateView):
    """The quiz's submitted attempts, newest first, each linking to its review."""

    header_icon = "form"
    template_name = "assessments/admin/quiz_attempts.html"

    def dispatch(self, request, *args, quiz_id: int, **kwargs):
        self.quiz = _quiz_for(request.user, quiz_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Attempts: %(quiz)s") % {"quiz": self.quiz.title}

    def get_context_data(self, **kwargs):
        attempts = (Attempt.objects.filter(quiz=self.quiz, state=Attempt.State.SUBMITTED)
                    .select_related("user__learner_profile")
                    .order_by("-submitted_at", "-pk"))
        page = Paginator(attempts, ATTEMPTS_PER_PAGE).get_page(self.request.GET.get("p"))
        reviewed = set(GradeChange.objects.filter(
            attempt__in=[attempt.pk for attempt in page], reason=GradeChange.Reason.OVERRIDE)
            .values_list("attempt_id", flat=True))
        return super().get_context_data(quiz=self.quiz, page=page, reviewed=reviewed, **kwargs)


class AttemptReviewView(WagtailAdminTemplateMixin, TemplateView):
    """One attempt's answers and grades; POST overrides one question's points."""

    header_icon = "form"
    template_name = "assessments/admin/attempt_review.html"

    def dispatch(self, request, *args, quiz_id: int, attempt_id: int, **kwargs):
        self.quiz = _quiz_for(request.user, quiz_id)
        self.attempt = (Attempt.objects.filter(pk=attempt_id, quiz=self.quiz)
                        .select_related("user__learner_profile").first())
        if self.attempt is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Attempt %(number)d: %(quiz)s") % {"number": self.attempt.number,
                                                     "quiz": self.quiz.title}

    def post(self, request, *args, **kwargs):
        form = OverrideForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = api.override_grade(actor=request.user, attempt=self.attempt,
                                          question_id=data["question_id"],
                                          points=data["points"], reason=data["reason"])
            except api.OverrideError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The grade is changed and the learner's score "
                                            "recalculated.") if done.created else
                                 _("That grade was already recorded; nothing changed."))
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(failed=form), status=400)

    def get_context_data(self, failed: OverrideForm | None = None, **kwargs):
        self.attempt.refresh_from_db()
        rows = []
        for item in overrides.attempt_review(attempt=self.attempt):
            row = describe(item.definition, item.answer, grading.grade(item.definition,
                                                                       item.answer))
            mine = failed is not None and failed.data.get("question_id") == item.question_id
            form = failed if mine else OverrideForm(initial={
                "question_id": item.question_id, "points": f"{item.points.normalize():f}"})
            rows.append({"item": item, "row": row, "form": form})
        return super().get_context_data(quiz=self.quiz, attempt=self.attempt, rows=rows,
                                        **kwargs)


urlpatterns = [
    path("reports/quiz-analysis/<int:quiz_id>/attempts/", QuizAttemptsView.as_view(),
         name="assessments_quiz_attempts"),
    path("reports/quiz-analysis/<int:quiz_id>/attempts/<int:attempt_id>/",
         AttemptReviewView.as_view(), name="assessments_attempt_review"),
]
