"""Quizzes and questions in a portable form (course packages), and back.

``export_assessments`` lists the quizzes placed on a course or in its modules, with
their settings and question links, and every question they use or may draw from the
bank, as JSON-ready dicts. ``import_assessments`` creates or updates them on this site.
The packages app calls both through ``assessments.api``.

Keys: a question is named by its definition id (its StreamField block UUID, which is
also what learners' responses and GIFT imports key on), so ``question:<id>``; a quiz
by ``quiz:<source site>:<pk>``. A question body crosses as raw StreamField JSON (block
and choice ids kept) walked by ``courses.api.walk_stream_value`` (unknown block types
refused, rich text sanitised), then validated by building its definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from assessments.models import Question, Quiz, QuizQuestion
from assessments.questions import QuestionDefinitionError
from courses import api as courses_api
from lms.core.html import sanitize_html

QUIZ_FIELDS = [
    "title", "introduction", "is_final_assessment", "pass_mark", "max_attempts",
    "min_minutes_between_attempts", "time_limit_minutes", "shuffle_questions",
    "shuffle_choices", "draw_count", "pool_domain", "pool_topic", "pool_difficulty",
    "feedback_timing", "is_pretest",
]
QUESTION_FIELDS = ["title", "domain", "topic", "difficulty"]

InterchangeError = courses_api.InterchangeError


def question_key(question: Question) -> str:
    return f"question:{question.body[0].id}" if len(question.body) else f"question:{question.pk}"


def _page_link_keys(page_keys: dict[int, str]):
    """Rich text export: page links to the package's pages become keys, others go."""
    def reference(kind: str, local_id: str) -> str | None:
        return page_keys.get(int(local_id)) if kind == "page" and local_id.isdigit() else None
    return lambda html: courses_api.map_rich_text(html or "", reference)


def _local_page_links(pages: dict[str, int]):
    def reference(kind: str, key: str) -> str | None:
        return str(pages[key]) if kind == "page" and key in pages else None
    return lambda html: sanitize_html(courses_api.map_rich_text(html or "", reference))


def _portable_body(stream_block, raw: list, where: str, rich_text) -> list:
    return courses_api.walk_stream_value(
        stream_block, raw, where=where,
        on_chooser=lambda _kind, _value, _where: None,
        on_rich_text=lambda html, _where: rich_text(html),
    )


def _content(obj):
    """Published content, or the latest draft of something never published."""
    if getattr(obj, "live", True) or not hasattr(obj, "get_latest_revision_as_object"):
        return obj
    return obj.get_latest_revision_as_object()


def _questions_of(quizzes: list[Quiz]) -> list[Question]:
    linked = {link.question_id for quiz in quizzes for link in quiz.quiz_questions.all()}
    pools = Q(pk__in=linked)
    for quiz in quizzes:
        if quiz.has_pool:
            pools |= Q(**{name: value for name, value in (
                ("domain", quiz.pool_domain), ("topic__iexact", quiz.pool_topic),
                ("difficulty", quiz.pool_difficulty)) if value})
    return list(Question.objects.filter(pools).order_by("pk"))


def export_assessments(*, course, page_keys: dict[int, str], site_id: str) -> dict:
    """The quizzes of ``course`` (placed on it or in the modules ``page_keys`` names)
    and the questions they link or may draw, as JSON-ready dicts."""
    quizzes = [_content(quiz) for quiz in Quiz.objects.filter(
        Q(course=course) | Q(module_id__in=list(page_keys))).order_by("pk")]
    questions = [_content(question) for question in _questions_of(quizzes)]
    keys = {question.pk: question_key(question) for question in questions}
    question_block = Question._meta.get_field("body").stream_block
    rich_text = _page_link_keys(page_keys)
    return {
        "quizzes": [{
            "key": f"quiz:{site_id}:{quiz.pk}",
            "live": getattr(quiz, "live", True),
            "placement": ({"course": page_keys[course.pk]} if quiz.course_id
                          else {"module": page_keys[quiz.module_id]}),
            "fields": {**{name: getattr(quiz, name) for name in QUIZ_FIELDS},
                       "introduction": rich_text(quiz.introduction)},
            "questions": [keys[link.question_id] for link in
                          quiz.quiz_questions.all().order_by("sort_order", "pk")],
        } for quiz in quizzes],
        "questions": [{
            "key": keys[question.pk],
            "live": getattr(question, "live", True),
            "fields": {name: getattr(question, name) for name in QUESTION_FIELDS},
            "body": _portable_body(question_block, list(question.body.raw_data),
                                   f"question {question.title!r}", rich_text),
            **_definition(question),
        } for question in questions],
    }


def _definition(question: Question) -> dict:
    """The validated definition, for readers of the package; none for a draft that is
    not valid yet (the importing site validates the body itself)."""
    try:
        return {"definition": question.definition().to_dict()}
    except QuestionDefinitionError:
        return {}


# --- Import ----------------------------------------------------------------------------------


@dataclass
class ImportedAssessments:
    objects: dict[str, int] = field(default_factory=dict)  # package key -> local pk
    quizzes: int = 0
    questions: int = 0


def _describe(error: ValidationError) -> str:
    return "; ".join(error.messages)[:500]


def _store(obj, *, values: dict, publish: bool, user, where: str):
    """Create ``obj`` (a draft unless ``publish``) or save a new revision of it; models
    without drafts are saved directly."""
    drafts = hasattr(obj, "save_revision")
    if obj.pk is not None and drafts:
        obj = obj.get_latest_revision_as_object()
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        obj.full_clean()
    except ValidationError as error:
        raise InterchangeError(f"{where}: {_describe(error)}") from error
    if not drafts:
        obj.save()
        return obj
    if obj.pk is None:
        obj.live = False
        obj.save()
    revision = obj.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return obj


def _field_values(values: dict, names: list[str], where: str, rich_text) -> dict:
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise InterchangeError(f"{where}: unknown field {unknown[0]!r}.")
    if "introduction" in values:
        values = {**values, "introduction": rich_text(values["introduction"])}
    return values


def _import_question(data: dict, existing: Question | None, *, pages: dict[str, int],
                     publish: bool, user) -> Question:
    where = f"Question {data['fields'].get('title', '')!r}"
    stream_block = Question._meta.get_field("body").stream_block
    rich_text = _local_page_links(pages)
    body = courses_api.walk_stream_value(
        stream_block, data["body"], where=where,
        on_chooser=lambda _kind, value, at: _no_chooser(value, at),
        on_rich_text=lambda html, _where: rich_text(html),
    )
    values = {**_field_values(data["fields"], QUESTION_FIELDS, where, rich_text), "body": body}
    question = _store(existing or Question(), values=values, user=user, where=where,
                      publish=publish and data.get("live", True))
    return question


def _no_chooser(value, where: str):
    raise InterchangeError(f"{where}: questions cannot refer to {value!r}.")


def _find_question(key: str, known: dict[str, int]) -> Question | None:
    pk = known.get(key)
    question = Question.objects.filter(pk=pk).first() if pk is not None else None
    if question is None:
        question = Question.objects.filter(body__0__id=key.removeprefix("question:")).first()
    return question


def _import_quiz(data: dict, existing: Quiz | None, *, pages: dict[str, int],
                 objects: dict[str, int], publish: bool, user) -> Quiz:
    where = f"Quiz {data['fields'].get('title', '')!r}"
    values = dict(_field_values(data["fields"], QUIZ_FIELDS, where, _local_page_links(pages)))
    placement = data["placement"]
    values["course_id"] = pages.get(placement["course"]) if "course" in placement else None
    values["module_id"] = pages.get(placement["module"]) if "module" in placement else None
    if not (values["course_id"] or values["module_id"]):
        raise InterchangeError(f"{where}: it is placed in a page that is not in the package.")
    missing = [key for key in data["questions"] if key not in objects]
    if missing:
        raise InterchangeError(f"{where}: question {missing[0]!r} is not in the package.")
    values["quiz_questions"] = [QuizQuestion(question_id=objects[key], sort_order=order)
                                for order, key in enumerate(data["questions"])]
    return _store(existing or Quiz(), values=values, user=user, where=where,
                  publish=publish and data.get("live", True))


def import_assessments(*, data: dict, pages: dict[str, int], known: dict[str, int],
                       own_site: bool, publish: bool = False, user=None,
                       progress: Callable[[str], None] | None = None) -> ImportedAssessments:
    """Create or update the questions, then the quizzes, of a package (call inside the
    import's transaction). ``known`` maps keys an earlier import recorded to local pks;
    ``own_site`` lets a quiz key name its original quiz when it came from this site."""
    result = ImportedAssessments()
    for question_data in data["questions"]:
        existing = _find_question(question_data["key"], known)
        question = _import_question(question_data, existing, pages=pages, publish=publish,
                                    user=user)
        result.objects[question_data["key"]] = question.pk
        result.questions += 1
    for quiz_data in data["quizzes"]:
        pk = known.get(quiz_data["key"])
        if pk is None and own_site:
            pk = int(quiz_data["key"].rsplit(":", 1)[1])
        existing = Quiz.objects.filter(pk=pk).first() if pk is not None else None
        quiz = _import_quiz(quiz_data, existing, pages=pages, objects=result.objects,
                            publish=publish, user=user)
        result.objects[quiz_data["key"]] = quiz.pk
        result.quizzes += 1
    return result
