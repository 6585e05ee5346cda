"""Small builders for test data. Wagtail pages are built through the tree API, so these
are plain functions rather than factory_boy factories (which do not know treebeard)."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from courses.pages import CoursePage, DomainPage, HomePage, ModulePage

DEFAULT_PASSWORD = "correct horse battery staple"


def make_user(*, email: str = "learner@example.org", password: str = DEFAULT_PASSWORD,
              verified: bool = True, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0] + str(get_user_model().objects.count()),
        email=email, password=password, **extra,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def catalog_home() -> HomePage:
    return HomePage.objects.get()


def domain(slug: str = "pharmacogenomics") -> DomainPage:
    """The domain (in the default language: translations share its slug)."""
    return DomainPage.objects.filter(slug=slug).order_by("pk").first()


def make_course(*, parent: DomainPage | None = None, title: str = "Preventing SJS/TEN",
                slug: str | None = None, **fields) -> CoursePage:
    parent = parent or domain()
    course = CoursePage(
        title=title, slug=slug or f"course-{CoursePage.objects.count() + 1}",
        summary=fields.pop("summary", "HLA-B*15:02 screening before carbamazepine."),
        **fields,
    )
    parent.add_child(instance=course)
    return publish(course)


def make_module(*, course: CoursePage, title: str | None = None, body=None, **fields) -> ModulePage:
    number = ModulePage.objects.child_of(course).count() + 1
    module = ModulePage(
        title=title or f"Module {number}", slug=fields.pop("slug", f"module-{number}"),
        body=body or [("rich_text", f"<p>Module {number} text.</p>")], **fields,
    )
    course.add_child(instance=module)
    return publish(module)


@dataclass
class CourseTree:
    course: CoursePage
    modules: list[ModulePage]


def make_course_tree(*, modules: int = 3, parent: DomainPage | None = None, **fields) -> CourseTree:
    """A published course with ``modules`` published modules (the reference index, which
    these tests never read, is left alone to keep them fast)."""
    with disable_reference_index_auto_update():
        course = make_course(parent=parent, **fields)
        return CourseTree(
            course=course, modules=[make_module(course=course) for _ in range(modules)]
        )


# --- Assessments -------------------------------------------------------------------------

def single_choice_value(*, stem: str = "<p>Which drug needs HLA-B*15:02 screening first?</p>",
                        right: str = "Carbamazepine", wrong: tuple[str, ...] = ("Paracetamol",
                        "Amoxicillin"), prefix: str = "c", **extra) -> dict:
    """The raw StreamField value of a single-choice question (choice ids ``<prefix>1``...,
    the right one first)."""
    choices = [{"type": "item", "id": f"{prefix}1",
                "value": {"text": right, "correct": True, "feedback": "Right: SJS risk."}}]
    choices += [{"type": "item", "id": f"{prefix}{index}",
                 "value": {"text": text, "correct": False, "feedback": "Not this one."}}
                for index, text in enumerate(wrong, start=2)]
    return {"stem": stem, "choices": choices, "explanation": "<p>HLA-B*15:02 and SJS.</p>",
            "references": [], "points": "1", **extra}


def make_question(*, kind: str = "single_choice", value: dict | None = None,
                  block_id: str | None = None, title: str | None = None, **fields):
    """A question in the bank; ``value`` is the raw block value (single choice by default)."""
    from assessments.models import Question

    number = Question.objects.count() + 1
    return Question.objects.create(
        title=title or f"Question {number}",
        body=[{"type": kind, "id": block_id or f"q{number}-{kind}",
               "value": value if value is not None else single_choice_value()}],
        **fields,
    )


def make_quiz(*, module: ModulePage | None = None, course: CoursePage | None = None,
              questions=(), title: str = "Check your understanding", **settings):
    """A quiz placed in ``module`` (or on ``course``) over ``questions`` (one single-choice
    question when none are given)."""
    from assessments.models import Quiz, QuizQuestion

    quiz = Quiz.objects.create(title=title, module=module, course=course, **settings)
    for order, question in enumerate(questions or [make_question()]):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=order)
    return quiz
