"""Load the demo catalog: domain introductions, courses, modules and cover images.

Idempotent by design. Pages are matched by slug and compared field by field with
the shipped content; only a page that differs (or has an unpublished draft, or
was unpublished) gets a new revision, so a second run writes nothing. Block ids
are derived from the course and module slugs, so they are stable across runs.
"""

import datetime
import html
import uuid
from dataclasses import dataclass, field
from typing import TextIO

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail.search import index

from courses.demo import content
from courses.demo.covers import ensure_cover
from courses.demo.review import DemoAccount, load_review_queue
from courses.demo.schema import Block, Course, Module
from courses.demo.translations import load_translations
from courses.pages import CourseEducator, CoursePage, DomainPage, ModulePage
from editorial import api as editorial_api
from lms.core import api as core_api

BLOCK_ID_NAMESPACE = uuid.UUID("5b0c1f4e-5d8a-4c55-9f59-5e2f8f0b6a11")
COURSE_FIELDS = [
    "title", "summary", "description", "learning_objectives", "intended_audience", "level",
    "estimated_hours", "cpd_credit_hours", "language", "prerequisites",
]
MODULE_FIELDS = ["title", "summary", "estimated_minutes", "body"]
DEMO_FRAMEWORK = "Allele genomic medicine competencies"
# Clinical review dates (fixed, so a second load changes nothing): most demo content was
# reviewed in September 2026; one course is overdue and one falls due soon, so the
# Reviews due report and its dashboard panel have something to show.
REVIEWED = (datetime.date(2026, 9, 1), datetime.date(2027, 9, 1))
REVIEW_DATES = {
    "genomic-data-standards": (datetime.date(2025, 6, 10), datetime.date(2026, 6, 10)),
    "consent-and-data-sharing": (datetime.date(2025, 12, 15), datetime.date(2026, 12, 15)),
}


@dataclass(frozen=True)
class DemoAdministrator:
    email: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class DemoSummary:
    """What a run of :func:`load_demo` did. A second run reports only ``unchanged`` pages."""

    domains_updated: int
    courses_created: int
    courses_updated: int
    courses_unchanged: int
    modules_created: int
    modules_updated: int
    modules_unchanged: int
    images_created: int
    images_reused: int
    administrator: DemoAdministrator | None  # None when DEBUG is off
    # The demo educator and clinical reviewer (DEBUG only), with a module in review.
    review_accounts: tuple[DemoAccount, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(
            self.domains_updated or self.courses_created or self.courses_updated
            or self.modules_created or self.modules_updated or self.images_created
        )


class _Tally(dict):
    def add(self, key: str) -> None:
        self[key] = self.get(key, 0) + 1


def load_demo(*, stdout: TextIO | None = None) -> DemoSummary:
    """Create or refresh the demo catalog and, when DEBUG is on, the local administrator."""
    tally = _Tally()
    touched: list[Page] = []
    with transaction.atomic():
        for slug, introduction in content.DOMAIN_INTRODUCTIONS.items():
            domain = DomainPage.objects.get(slug=slug, locale=Locale.get_default())
            if _set_fields(domain, {"introduction": introduction}):
                _publish(domain)
                touched.append(domain)
                tally.add("domains_updated")
                _say(stdout, f"Updated the introduction of {domain.title}")
        for course in content.COURSES:
            _load_course(course, tally=tally, touched=touched, stdout=stdout)
    load_translations(stdout=stdout)  # the SJS/TEN course in French and Arabic
    for page in touched:
        index.insert_or_update_object(page.specific)
    administrator = None
    if settings.DEBUG:
        user, password = core_api.ensure_demo_administrator(email=settings.ALLELE_DEMO_ADMIN_EMAIL)
        administrator = DemoAdministrator(email=user.email, password=password)
    review_accounts = tuple(load_review_queue())
    return DemoSummary(
        **{name: tally.get(name, 0) for name in (
            "domains_updated", "courses_created", "courses_updated", "courses_unchanged",
            "modules_created", "modules_updated", "modules_unchanged",
            "images_created", "images_reused",
        )},
        administrator=administrator,
        review_accounts=review_accounts,
    )


def _load_course(course: Course, *, tally: _Tally, touched: list, stdout: TextIO | None) -> None:
    domain = DomainPage.objects.get(slug=course.domain, locale=Locale.get_default())
    cover, created = ensure_cover(slug=course.slug, domain=course.domain, title=course.title)
    tally.add("images_created" if created else "images_reused")
    values = {
        name: getattr(course, name) for name in COURSE_FIELDS if name != "learning_objectives"
    }
    values["learning_objectives"] = _objectives(course)
    values["cover_image"] = cover
    values["last_reviewed_on"], values["review_due_on"] = REVIEW_DATES.get(course.slug, REVIEWED)
    page = CoursePage.objects.filter(slug=course.slug, locale=Locale.get_default()).first()
    if page is None:
        page = CoursePage(slug=course.slug, **values)
        page.educators = _educators(course)
        domain.add_child(instance=page)
        _publish(page)
        action = "created"
    else:
        if not page.is_child_of(domain):  # an editor moved it; the demo puts it back
            page.move(domain, pos="last-child")
            page.refresh_from_db()
        changed = _set_fields(page, values)
        if _educator_rows(page.educators.all()) != _educator_rows(_educators(course)):
            page.educators = _educators(course)
            changed = True
        if changed:
            _publish(page)
        action = "updated" if changed else "unchanged"
    tally.add(f"courses_{action}")
    if action != "unchanged":
        touched.append(page)
        _say(stdout, f"{action.capitalize()} course {course.title}")
    modules = [
        _load_module(page, course, module, tally=tally, touched=touched)
        for module in course.modules
    ]
    _keep_order(page, modules)


def _load_module(parent: CoursePage, course: Course, module: Module, *,
                 tally: _Tally, touched: list) -> ModulePage:
    values = {
        "title": module.title,
        "summary": module.summary,
        "estimated_minutes": module.estimated_minutes,
        "body": _stream(module.body, prefix=f"{course.slug}/{module.slug}",
                        language=course.language),
    }
    values["last_reviewed_on"], values["review_due_on"] = REVIEW_DATES.get(course.slug, REVIEWED)
    page = ModulePage.objects.child_of(parent).filter(slug=module.slug).first()
    if page is None:
        page = ModulePage(slug=module.slug, **values)
        parent.add_child(instance=page)
        _publish(page)
        tally.add("modules_created")
    elif _set_fields(page, values):
        _publish(page)
        tally.add("modules_updated")
    else:
        tally.add("modules_unchanged")
        return page
    touched.append(page)
    return page


def _set_fields(page: Page, values: dict) -> bool:
    """Set ``values`` on ``page``; True if anything differed or the page needs republishing."""
    changed = not page.live or page.has_unpublished_changes
    for name, target in values.items():
        model_field = page._meta.get_field(name)
        current = getattr(page, name)
        if name == "cover_image":
            differs = page.cover_image_id != target.pk
        else:
            target = model_field.to_python(target)
            differs = _comparable(model_field, target) != _comparable(model_field, current)
        if differs:
            setattr(page, name, target)
            changed = True
    return changed


def _comparable(model_field, value):
    """A value in a form that compares equal whenever two values store the same content."""
    if hasattr(value, "stream_block"):
        return [
            {"type": child.block_type, "id": child.id,
             "value": child.block.get_prep_value(child.value)}
            for child in value
        ]
    return model_field.get_prep_value(value)


def _objectives(course: Course) -> list[dict]:
    """Objectives as raw StreamField data, their competencies looked up by code."""
    stream = []
    for i, objective in enumerate(course.learning_objectives):
        competencies = editorial_api.competencies_by_code(
            codes=objective.competencies, framework=DEMO_FRAMEWORK
        )
        stream.append({"type": "objective", "id": _block_id(course.slug, "objective", i), "value": {
            "text": objective.text,
            "competencies": [
                {"type": "item", "value": competency.pk,
                 "id": _block_id(course.slug, f"objective-{i}-competency", n)}
                for n, competency in enumerate(competencies)
            ],
        }})
    return stream


def _stream(blocks: list[Block], *, prefix: str, language: str) -> list[dict]:
    """Raw StreamField data with ids derived from ``prefix`` and the block's position;
    references and glossary terms become (or are matched to) Library snippets."""
    stream = []
    for position, (block_type, value) in enumerate(blocks):
        if block_type in ("references", "cite"):
            value = {
                **value,
                "references": [
                    {"type": "item", "value": editorial_api.ensure_reference(**item).pk,
                     "id": _block_id(prefix, f"{position}-ref", number)}
                    for number, item in enumerate(value["references"])
                ],
            }
        elif block_type == "glossary_term":
            value = editorial_api.ensure_glossary_term(
                term=value["term"], language=language, synonyms=value.get("synonyms", ""),
                definition=f"<p>{html.escape(value['definition'])}</p>",
            ).pk
        stream.append(
            {"type": block_type, "value": value, "id": _block_id(prefix, block_type, position)}
        )
    return stream


def _block_id(prefix: str, kind: str, position: int) -> str:
    return str(uuid.uuid5(BLOCK_ID_NAMESPACE, f"{prefix}/{kind}/{position}"))


def _educators(course: Course) -> list[CourseEducator]:
    return [
        CourseEducator(
            educator=editorial_api.ensure_educator(
                name=e.name, title=e.title, affiliation=e.affiliation
            ),
            sort_order=i,
        )
        for i, e in enumerate(course.educators)
    ]


def _educator_rows(educators) -> list[int]:
    return [placement.educator_id for placement in educators]


def _keep_order(course: CoursePage, modules: list[ModulePage]) -> None:
    """Put the shipped modules first, in the shipped order (an editor's extra modules follow)."""
    siblings = ModulePage.objects.child_of(course).order_by("path")
    current = list(siblings.values_list("pk", flat=True))
    wanted = [module.pk for module in modules]
    if current[: len(wanted)] == wanted:
        return
    for module in modules:
        ModulePage.objects.get(pk=module.pk).move(course, pos="last-child")
    for pk in current:
        if pk not in wanted:
            ModulePage.objects.get(pk=pk).move(course, pos="last-child")


def _publish(page: Page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def _say(stdout: TextIO | None, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")
