"""Assessments in Wagtail: the question bank and quizzes as snippets, the quiz and
activity-score sections on module and course pages, and the final assessment as a course
completion requirement."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assessments import admin_grading, admin_views, api
from assessments.models import Question, Quiz
from courses import extensions


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["title", "question_type", "domain", "topic", "difficulty", "updated_at"]
    list_filter = ["domain", "difficulty", "topic"]
    search_fields = ["title", "topic"]
    search_backend_name = None
    ordering = ["title"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Quizzes")
    list_display = ["title", "module", "course", "is_final_assessment", "is_pretest"]
    list_filter = ["is_final_assessment", "is_pretest", "feedback_timing"]
    search_fields = ["title"]
    search_backend_name = None


class AssessmentsGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuizViewSet)
    menu_icon = "tasks"
    menu_label = _("Assessments")
    menu_name = "assessments"
    submenu_hook = "register_assessments_menu_item"


register_snippet(AssessmentsGroup)


def _sections(request, progress, **placement) -> list[str]:
    summaries = api.quiz_summaries(user=request.user, **placement)
    if not summaries:
        return []
    return [render_to_string("assessments/quiz_section.html",
                             {"summaries": summaries, "progress": progress}, request=request)]


@hooks.register(extensions.MODULE_SECTIONS)
def module_quiz_sections(*, request, module, progress):
    return _sections(request, progress, module=module)


@hooks.register(extensions.COURSE_SECTIONS)
def course_quiz_sections(*, request, course, progress):
    return _sections(request, progress, course=course)


def _activity_section(request, **placement) -> list[str]:
    scores = api.activity_scores(user=request.user, **placement)
    if not scores:
        return []
    return [render_to_string("assessments/activity_scores.html",
                             {"scores": scores, **placement}, request=request)]


@hooks.register(extensions.MODULE_SECTIONS)
def module_activity_scores(*, request, module, progress):
    return _activity_section(request, module=module)


@hooks.register(extensions.COURSE_SECTIONS)
def course_activity_scores(*, request, course, progress):
    return _activity_section(request, course=course)


@hooks.register(extensions.COURSE_SCORE)
def final_assessment_score(*, user, course):
    return api.best_final_assessment_score(user=user, course=course)


@hooks.register(extensions.COMPLETION_REQUIREMENTS)
def final_assessment_requirement(*, user, course):
    return api.unmet_final_assessments(user=user, course=course)


# Educators' reports (quiz analysis, knowledge gain) and the bank's import and export.

@hooks.register("register_admin_urls")
def educator_admin_urls():
    return admin_views.urlpatterns


@hooks.register("register_admin_urls")
def grading_admin_urls():
    return admin_grading.urlpatterns


@hooks.register("register_reports_menu_item")
def quiz_analysis_menu_item():
    return admin_views.report_menu_items()[0]


@hooks.register("register_reports_menu_item")
def knowledge_gain_menu_item():
    return admin_views.report_menu_items()[1]


@hooks.register("register_assessments_menu_item")
def import_questions_menu_item():
    return admin_views.bank_menu_item()


@hooks.register("register_snippet_listing_buttons")
def quiz_analysis_button(snippet, user, next_url=None):
    return admin_views.quiz_listing_buttons(snippet, user)


# A copied course (a new edition) or module takes copies of its quizzes, as drafts.

@hooks.register("after_copy_page")
def copy_quizzes_with_their_pages(request, page, new_page):
    api.copy_quizzes(source_page=page, target_page=new_page, user=request.user)
