"""Courses' front door: reading the published catalog.

Every read here runs a fixed number of queries, however many domains, courses
and modules there are; the catalog and module pages depend on it.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from courses.pages import CoursePage, DomainPage, HomePage, ModulePage

__all__ = [
    "CatalogSection",
    "ModuleOutline",
    "list_catalog",
    "list_courses",
    "list_modules",
    "module_outline",
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
        CoursePage.objects.live()
        .public()
        .select_related("cover_image")
        .annotate(
            module_count=Coalesce(
                Subquery(live_modules, output_field=IntegerField()), 0
            )
        )
        .order_by("path")
    )


def list_catalog(*, home: HomePage) -> list[CatalogSection]:
    """Every live domain under ``home`` with its live courses, in tree order (two queries)."""
    domains = list(DomainPage.objects.child_of(home).live().public().order_by("path"))
    courses = list(_published_courses().descendant_of(home))
    return [
        CatalogSection(
            domain=domain,
            courses=[course for course in courses if course.path.startswith(domain.path)],
        )
        for domain in domains
    ]


def list_courses(*, domain: DomainPage) -> list[CoursePage]:
    """The live courses of one domain, each annotated with ``module_count``."""
    return list(_published_courses().child_of(domain))


def list_modules(*, course: CoursePage) -> list[ModulePage]:
    """The live modules of a course in the order the educator set."""
    return list(ModulePage.objects.child_of(course).live().public().order_by("path"))


def module_outline(*, module: ModulePage) -> ModuleOutline:
    course = CoursePage.objects.parent_of(module).get()
    modules = list_modules(course=course)
    position = next(
        (index for index, sibling in enumerate(modules, start=1) if sibling.pk == module.pk),
        len(modules) + 1,  # a draft previewed by its editor is not yet among the live modules
    )
    if position > len(modules):
        modules.append(module)
    return ModuleOutline(course=course, modules=modules, position=position)
