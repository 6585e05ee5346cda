"""Taking a quiz over HTTP. Every action is a plain form POST that redirects; the small
script in static/js/quiz.js adds autosave through ``save`` (JSON)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import api, forms
from assessments.describe import describe, describe_result
from lms.core.ratelimit import rate_limit


def _attempt(request: HttpRequest, attempt_id: int):
    try:
        return api.get_attempt(user=request.user, attempt_id=attempt_id)
    except api.Attempt.DoesNotExist as missing:
        raise Http404(_("No such attempt.")) from missing


@require_POST
@login_required
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    try:
        quiz = api.get_quiz(quiz_id=quiz_id)
    except api.Quiz.DoesNotExist as missing:
        raise Http404(_("No such quiz.")) from missing
    try:
        attempt = api.start_attempt(user=request.user, quiz=quiz)
    except api.QuizError as error:
        messages.error(request, str(error))
        return redirect(api.placement_url(quiz=quiz))
    return redirect("attempt", attempt.pk)


@require_http_methods(["GET", "POST"])
@login_required
@rate_limit("quiz_submit", url_kwarg="attempt_id")
@never_cache
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.is_submitted or attempt.is_past_deadline(api.now() - api.SAVE_GRACE):
        return redirect("attempt_result", attempt.pk)
    view = api.attempt_view(user=request.user, attempt=attempt)
    if request.method == "POST":
        answers = forms.parse_answers(view.questions, request.POST)
        if "check" in request.POST:
            return _check(request, attempt, request.POST["check"], answers)
        try:
            api.save_responses(user=request.user, attempt=attempt, answers=answers)
        except api.QuizError as error:  # submitted meanwhile, or time ran out
            messages.info(request, str(error))
            return redirect("attempt_result", attempt.pk)
        if "submit" in request.POST:
            api.submit_attempt(user=request.user, attempt=attempt)
            return redirect("attempt_result", attempt.pk)
        messages.success(request, _("Your answers are saved."))
        return redirect("attempt", attempt.pk)
    return render(request, "assessments/attempt_page.html", {
        "view": view, "quiz": view.quiz, "attempt": attempt, "can_check": view.can_check,
        "questions": _display(view),
    })


def _display(view) -> list[dict]:
    checks = {question_id: describe(check.definition, check.answer, check.grade)
              for question_id, check in view.checks.items()}
    return forms.display_questions(view.questions, view.answers, checks,
                                   can_check=view.can_check)


def _check(request: HttpRequest, attempt, question_id: str, answers: dict) -> HttpResponse:
    """"Check answer" on one question (quizzes with immediate feedback): back to it."""
    try:
        api.check_answer(user=request.user, attempt=attempt, question_id=question_id,
                         answers=answers)
    except api.QuizError as error:
        if error.code in ("submitted", "time_up"):
            messages.info(request, str(error))
            return redirect("attempt_result", attempt.pk)
        messages.error(request, str(error))
        if error.code != "unanswered":
            return redirect("attempt", attempt.pk)
    return redirect(f"{reverse('attempt', args=[attempt.pk])}#{forms.anchor(question_id)}")


@require_POST
@login_required
@rate_limit("quiz_save", url_kwarg="attempt_id")
def save(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Autosave: the whole form (or ``{"answers": {id: response}}`` as JSON); answers
    nothing but which ids were stored."""
    attempt = _attempt(request, attempt_id)
    if request.content_type == "application/json":
        try:
            answers = json.loads(request.body or b"{}").get("answers", {})
        except (ValueError, AttributeError):
            return JsonResponse({"error": "bad_request"}, status=400)
    else:
        answers = forms.parse_answers(
            api.attempt_view(user=request.user, attempt=attempt).questions, request.POST)
    try:
        result = api.save_responses(user=request.user, attempt=attempt, answers=answers)
    except api.QuizError as error:
        return JsonResponse({"error": error.code, "message": str(error)}, status=409)
    return JsonResponse({"saved": result.saved, "ignored": result.ignored,
                         "saved_at": result.saved_at.isoformat()})


@require_POST
@login_required
@rate_limit("quiz_submit", url_kwarg="attempt_id")
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    api.submit_attempt(user=request.user, attempt=attempt)
    return redirect("attempt_result", attempt.pk)


@require_GET
@login_required
@never_cache
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    try:
        view = api.result_view(user=request.user, attempt=attempt)
    except api.QuizError:
        return redirect("attempt", attempt.pk)
    rows = [describe_result(item) for item in view.items]
    return render(request, "assessments/result.html", {
        "view": view, "quiz": view.quiz, "attempt": view.attempt, "rows": rows,
        "back_url": api.placement_url(quiz=view.quiz),
    })
