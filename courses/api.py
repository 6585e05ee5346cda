"""Courses' front door: the published catalog and each learner's path through it.

Every read here runs a fixed number of queries, however many domains, courses
and modules there are; the catalog and module pages depend on it. The learning
use cases (enroll, complete a module...) live in courses.learning and are
re-exported here: other code imports them from this module only.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from courses import caching
from courses.components import component_refs
from courses.currency import (
    apply_review_defaults,
    may_see_all_reviews,
    may_see_review_report,
    review_interval,
    send_review_reminders,
)
from courses.extensions import ComponentRef
from courses.handbook import (
    HandbookPdf,
    HandbookStatus,
    build_handbook_pdf,
    may_read_handbook,
    request_handbook_pdf,
    stream_handbook_html,
)
from courses.interchange import (
    ImportedCourse,
    InterchangeError,
    export_course_tree,
    find_course,
    get_domain,
    import_course_tree,
    list_domains,
    map_rich_text,
    walk_stream_value,
)
from courses.learning import (
    CourseProgress,
    LearningError,
    ModuleState,
    ModuleStatus,
    SampleState,
    Standing,
    complete_course_if_done,
    complete_module,
    course_progress,
    course_standings,
    enroll,
    enroll_many,
    record_module_view,
    sample_progress,
    unenroll,
    view_period,
)
from courses.models import CompletionRule, Enrollment, ModuleProgress, WorkingGroup
from courses.pages import CoursePage, DomainPage, HomePage, ModulePage
from courses.search import CourseHit, CourseSearch, search_courses
from courses.summary import AssessmentScores, note_assessment_scores
from courses.summary import backfill as refill_enrollment_summaries
from courses.translations import (
    Language,
    active_locale_id,
    canonical_only,
    canonical_page,
    canonical_pages,
    in_language,
    language_name,
    languages_of,
    localized,
)
from lms.core.models import User
from lms.core.roles import Role

__all__ = [
    "AssessmentScores",
    "CatalogSection",
    "CompletionRule",
    "CourseHit",
    "CoursePage",
    "CourseProgress",
    "CourseSearch",
    "Enrollment",
    "HandbookPdf",
    "HandbookStatus",
    "ImportedCourse",
    "InterchangeError",
    "Language",
    "LearningError",
    "ModuleOutline",
    "ModulePage",
    "ModuleProgress",
    "ModuleState",
    "ModuleStatus",
    "SampleState",
    "Standing",
    "WorkingGroup",
    "active_locale_id",
    "apply_review_defaults",
    "build_handbook_pdf",
    "canonical_only",
    "canonical_page",
    "canonical_pages",
    "catalog_version",
    "complete_course_if_done",
    "complete_module",
    "course_progress",
    "course_score",
    "course_standings",
    "courses_in_language",
    "enroll",
    "enroll_many",
    "export_course_tree",
    "find_course",
    "get_course",
    "get_domain",
    "get_module",
    "import_course_tree",
    "in_language",
    "language_name",
    "languages_of",
    "list_catalog",
    "list_courses",
    "list_domains",
    "list_modules",
    "localized",
    "map_rich_text",
    "may_read_handbook",
    "may_report_progress",
    "may_see_all_reviews",
    "may_see_review_report",
    "module_components",
    "module_outline",
    "note_assessment_scores",
    "note_catalog_changed",
    "record_module_view",
    "refill_enrollment_summaries",
    "reportable_courses",
    "request_handbook_pdf",
    "review_interval",
    "sample_progress",
    "search_courses",
    "send_review_reminders",
    "stream_handbook_html",
    "unenroll",
    "view_period",
    "walk_stream_value",
]


@dataclass(frozen=True, slots=True)
class CatalogSection:
    domain: DomainPage
    courses: list[CoursePage]


@dataclass(frozen=True, slots=True)
class ModuleOutline:
    """Where a module sits in its course: the course, all its modules, and the neighbours."""

    course: CoursePage
    modules: list[ModulePage]
    position: int  # 1-based

    @property
    def previous(self) -> ModulePage | None:
        return self.modules[self.position - 2] if self.position > 1 else None

    @property
    def next(self) -> ModulePage | None:
        return self.modules[self.position] if self.position < len(self.modules) else None


def _published_courses():
    live_modules = (
        ModulePage.objects.live()
        .filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        canonical_only(CoursePage.objects.live().public())
        .select_related("cover_image")
        .annotate(
            module_count=Coalesce(
                Subquery(live_modules, output_field=IntegerField()), 0
            )
        )
        .order_by("path")
    )


def list_catalog(*, home: HomePage) -> list[CatalogSection]:
    """Every live domain under ``home`` (any translation of it: the canonical home is
    listed) with its live courses, in tree order, each course shown in the learner's
    language when it has a translation in it (see ``courses_in_language``; six queries)."""
    home = canonical_page(home)
    domains = list(DomainPage.objects.child_of(home).live().public().order_by("path"))
    courses = list(_published_courses().descendant_of(home))
    shown = dict(zip([course.pk for course in courses], courses_in_language(courses=courses),
                     strict=True))
    return [
        CatalogSection(
            domain=shown_domain,
            courses=[shown[course.pk] for course in courses
                     if course.path.startswith(domain.path)],
        )
        for domain, shown_domain in zip(domains, localized(domains), strict=True)
    ]


def list_courses(*, domain: DomainPage) -> list[CoursePage]:
    """The live courses of one domain (any translation of it), each annotated with
    ``module_count`` and shown in the learner's language (``courses_in_language``)."""
    return courses_in_language(courses=list(_published_courses().child_of(
        canonical_page(domain))))


def courses_in_language(*, courses: list[CoursePage],
                        language: str | None = None) -> list[CoursePage]:
    """Canonical courses as a learner reading ``language`` (default: the active one) sees
    them: each replaced by its live translation in that language when there is one, with
    ``available_languages`` (list[Language], in settings.LANGUAGES order), ``canonical_pk``
    and the given course's ``module_count``. Two queries however many courses."""
    return in_language(courses, language=language,
                       queryset=CoursePage.objects.select_related("cover_image"))


def list_modules(*, course: CoursePage) -> list[ModulePage]:
    """The live modules of a course in the order the educator set (cached per catalog
    version; bodies are not loaded). The structure is the canonical course's; on a
    translation of it, each module is shown in its translation in that course's
    language when it has a live one."""
    def load():
        canonical = canonical_page(course)
        modules = list(ModulePage.objects.child_of(canonical).live().public()
                       .defer_streamfields().order_by("path"))
        if canonical.pk == course.pk:
            return modules
        return localized(modules, locale_id=course.locale_id,
                         queryset=ModulePage.objects.public().defer_streamfields())

    return caching.cached(f"modules:{course.pk}", load)


def module_components(*, module: ModulePage) -> list[ComponentRef]:
    """The interactive components placed in ``module``'s body, in reading order."""
    return component_refs(module.body)


def module_outline(*, module: ModulePage) -> ModuleOutline:
    course = caching.cached(f"parent:{module.pk}",
                            lambda: CoursePage.objects.parent_of(module).get())
    modules = list(list_modules(course=course))
    position = next(
        (index for index, sibling in enumerate(modules, start=1) if sibling.pk == module.pk),
        len(modules) + 1,  # a draft previewed by its editor is not yet among the live modules
    )
    if position > len(modules):
        modules.append(module)
    return ModuleOutline(course=course, modules=modules, position=position)


def get_course(*, course_id: int) -> CoursePage:
    """A live course by id; raises CoursePage.DoesNotExist."""
    return CoursePage.objects.live().get(pk=course_id)


def get_module(*, module_id: int) -> ModulePage:
    """A live module by id; raises ModulePage.DoesNotExist."""
    return ModulePage.objects.live().get(pk=module_id)


# --- Progress reports: who may see which learners --------------------------------------------

REPORTING_ROLES = (Role.EDUCATOR, Role.SITE_ADMINISTRATOR)


def _reporting_roles(user: User) -> set[str]:
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(user.groups.filter(name__in=REPORTING_ROLES).values_list("name", flat=True))


def may_report_progress(*, user: User) -> bool:
    """Whether ``user`` may open the learner progress report at all: superusers, site
    administrators and educators (who then see only the courses they own)."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or bool(
        _reporting_roles(user)
    )


def reportable_courses(*, user: User) -> QuerySet[CoursePage]:
    """The courses, live or draft, whose learners' progress ``user`` may see.

    Every course for superusers and site administrators; for an educator, the
    courses she owns (Wagtail's page owner, who created the course unless changed);
    none for anyone else. Unevaluated, so callers can use it as a subquery.
    """
    courses = canonical_only(CoursePage.objects.order_by("title", "pk"))
    if user.is_authenticated and user.is_active and user.is_superuser:
        return courses
    roles = _reporting_roles(user)
    if Role.SITE_ADMINISTRATOR in roles:
        return courses
    if Role.EDUCATOR in roles:
        return courses.filter(owner=user)
    return courses.none()


catalog_version = caching.catalog_version


def note_catalog_changed(**_signal_kwargs) -> None:
    """Something learners see outside the page tree was published, unpublished or
    deleted (a quiz, a question): pages cached against the catalog version render
    afresh. Usable as a signal receiver."""
    caching.bump_catalog_version()


def course_score(*, user, course: CoursePage):
    """The learner's score for the course (a percentage, e.g. her best final-assessment
    result), from the apps that provide one; None if there is none."""
    from courses import extensions

    return extensions.course_score(user=user, course=canonical_page(course))
