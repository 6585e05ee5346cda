"""A package is untrusted input: every rich-text value it carries is sanitised on import.
Each payload of the public XSS corpus (tests/data/xss.txt) is put in every kind of rich
text a package holds; what is stored must be safe for a browser (html5lib's parse)."""

import pytest

from assessments.models import Question, Quiz
from courses.pages import CoursePage, ModulePage
from editorial.models import GlossaryTerm
from tests.badinput import corpus, unsafe_constructs
from tests.packages import helpers

pytestmark = pytest.mark.django_db

PAYLOADS = corpus("xss.txt")


def _poison(content: dict) -> None:
    joined = "".join(PAYLOADS)
    course = content["course"]
    course["fields"]["description"] = joined
    course["fields"]["prerequisites"] = joined
    body = course["modules"][0]["fields"]["body"]
    body += [{"type": "rich_text", "value": f"<p>Payload {number}</p>{payload}",
              "id": f"xss-{number}"}
             for number, payload in enumerate(PAYLOADS)]
    body.append({"type": "key_point", "id": "xss-key",
                 "value": {"title": "<script>alert(1)</script>", "text": joined}})
    question = next(q for q in content["assessments"]["questions"]
                    if q["body"][0]["type"] == "single_choice")
    question["body"][0]["value"]["stem"] = joined
    question["body"][0]["value"]["explanation"] = joined
    question["body"][0]["value"]["choices"][0]["value"]["text"] = PAYLOADS[0]
    content["assessments"]["quizzes"][0]["fields"]["introduction"] = joined
    for item in content["editorial"]["items"]:
        if item["model"] == "editorial.glossaryterm":
            item["fields"]["definition"] = joined


def test_a_package_carrying_xss_payloads_imports_sanitised(packaged_course):
    package = helpers.export_bytes(packaged_course.course)
    GlossaryTerm.objects.all().delete()  # so the package's terms are stored, not matched
    summary = helpers.import_bytes(helpers.with_content(package, _poison), publish=True)

    course = CoursePage.objects.get(pk=summary.course_id)
    module = ModulePage.objects.child_of(course).order_by("path").first()
    stored = [course.description, course.prerequisites]
    stored += [child.value.source for child in module.body if child.block_type == "rich_text"]
    stored += [child.value["text"].source for child in module.body
               if child.block_type == "key_point"]
    assert sum(child.id.startswith("xss-") for child in module.body) == len(PAYLOADS) + 1
    question = next(q for q in Question.objects.all() if q.question_type == "single_choice")
    definition = question.definition()
    stored += [definition.stem, definition.explanation, definition.choices[0].text]
    stored += [quiz.introduction for quiz in Quiz.objects.all()]
    stored += [term.definition for term in GlossaryTerm.objects.all()]
    assert len(stored) > len(PAYLOADS)
    for html in stored:
        assert unsafe_constructs(html) == [], html[:200]
