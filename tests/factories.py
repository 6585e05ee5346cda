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
    return DomainPage.objects.get(slug=slug)


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
