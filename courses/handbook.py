"""The printable course handbook: every live module of a course, in order, on one page.

A learner downloads it to read without a connection or to pass on to colleagues who have
none, so it is one self-contained file: a title page (course, version, educators,
licence and figure credits), then each module's content: figures as small renditions
embedded in the page, videos as their transcript and links, references; quizzes and
interactive components only as a pointer to the course online. ``@media print`` rules
make it print cleanly.

The HTML streams straight to the browser, module by module. The PDF of the same page is
built by WeasyPrint in the background (courses.tasks.build_handbook_pdf_task) and stored
under a name made from the published revisions of the course and its modules, so every
request until the next publish gets the stored file at once.
"""

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courses import library
from courses.models import Enrollment
from courses.pages import CoursePage, ModulePage

__all__ = [
    "HandbookPdf",
    "HandbookStatus",
    "build_handbook_pdf",
    "handbook_html",
    "may_read_handbook",
    "request_handbook_pdf",
    "stream_handbook_html",
]

logger = logging.getLogger(__name__)

DIRECTORY = "handbooks"
# Blocks that make sense on paper; anything else (an interactive component) is replaced
# by a pointer to the module online.
PRINTABLE_BLOCKS = frozenset({
    "rich_text", "heading", "image", "video", "key_point", "case_vignette", "glossary_term",
    "references", "cite", "download",
})
DEFAULT_LICENCE = _("Copyright remains with the course's educators and the credited sources. "
                     "You may share this handbook with colleagues for their own learning.")
QUEUED_SECONDS = 15 * 60


class HandbookStatus(StrEnum):
    READY = "ready"
    PREPARING = "preparing"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class HandbookPdf:
    """Where the course's PDF handbook stands; ``name`` is its file in default storage."""

    status: HandbookStatus
    name: str
    download_name: str

    def open(self):
        return default_storage.open(self.name, "rb")


def may_read_handbook(*, course: CoursePage, request) -> bool:
    """Whoever may view the (live) course, and every learner enrolled in it."""
    if not course.live:
        return False
    if all(restriction.accept_request(request)
           for restriction in course.get_view_restrictions()):
        return True
    user = request.user
    return user.is_authenticated and Enrollment.objects.filter(
        user=user, course=course, is_active=True).exists()


def _modules(course: CoursePage) -> list[ModulePage]:
    """The live modules with their bodies (drafts never appear), in the course's order."""
    return list(ModulePage.objects.child_of(course).live().order_by("path"))


def _fingerprint(course: CoursePage, modules: list[ModulePage]) -> str:
    parts = [course.pk, course.live_revision_id, course.language,
             *((module.pk, module.live_revision_id) for module in modules)]
    # Keyed with the secret: the stored PDF may sit under MEDIA_ROOT, which the proxy serves,
    # so its name must not be guessable for a course restricted to a group.
    key = hashlib.sha256(settings.SECRET_KEY.encode()).digest()
    return hashlib.blake2b("|".join(map(str, parts)).encode(), key=key,
                           digest_size=16).hexdigest()


def _site_root(course: CoursePage) -> str:
    site = course.get_site()
    return site.root_url if site else getattr(settings, "WAGTAILADMIN_BASE_URL", "")


def _title_context(course: CoursePage, modules: list[ModulePage], site_root: str) -> dict:
    published = [page.last_published_at for page in (course, *modules) if page.last_published_at]
    credits = sorted({block.value["credit"] for module in modules for block in module.body
                      if block.block_type == "image" and block.value.get("credit")})
    return {
        "course": course,
        "modules": modules,
        "version": max(published) if published else None,
        "educators": [placement.educator for placement in course.educators.select_related(
            "educator")],
        "figure_credits": credits,
        "licence": settings.ALLELE_HANDBOOK_LICENCE or DEFAULT_LICENCE,
        "course_url": f"{site_root}{course.url}",
        "site_root": site_root,
    }


def _parts(course: CoursePage, *, site_root: str, lite_mode: bool,
           style_nonce: str = "") -> Iterator[str]:
    modules = _modules(course)
    with translation.override(course.language):
        yield render_to_string("courses/handbook/start.html", {
            **_title_context(course, modules, site_root), "style_nonce": style_nonce})
        for number, module in enumerate(modules, start=1):
            yield render_to_string("courses/handbook/module.html", {
                "module": module, "number": number, "handbook": True, "lite_mode": lite_mode,
                "site_root": site_root, "module_url": f"{site_root}{module.url}",
                "printable": PRINTABLE_BLOCKS,
                "citations": library.module_citations(module=module),
            })
        yield render_to_string("courses/handbook/end.html", {"course": course})


def stream_handbook_html(*, course: CoursePage, site_root: str, lite_mode: bool = False,
                         style_nonce: str = "") -> Iterator[str]:
    """The handbook as HTML, one module at a time (for a streaming response); its one
    ``<style>`` element carries ``style_nonce`` (the page's Content-Security-Policy nonce:
    the file stays self-contained when a learner saves it)."""
    return _parts(course, site_root=site_root, lite_mode=lite_mode, style_nonce=style_nonce)


def handbook_html(*, course: CoursePage, site_root: str | None = None) -> str:
    """The whole handbook as one HTML string (what the PDF is made from)."""
    root = _site_root(course) if site_root is None else site_root
    return "".join(_parts(course, site_root=root, lite_mode=False))


def _pdf_of(course: CoursePage) -> HandbookPdf:
    name = f"{DIRECTORY}/course-{course.pk}-{_fingerprint(course, _modules(course))}.pdf"
    download_name = f"{course.slug}-handbook.pdf"
    if default_storage.exists(name):
        return HandbookPdf(HandbookStatus.READY, name, download_name)
    failed = cache.get(f"allele:handbook:failed:{name}")
    return HandbookPdf(HandbookStatus.FAILED if failed else HandbookStatus.PREPARING,
                       name, download_name)


def request_handbook_pdf(*, course: CoursePage) -> HandbookPdf:
    """The course's PDF handbook if it is built for the published content; else queue its
    build (once, however often it is asked for) and say it is being prepared."""
    from courses.tasks import build_handbook_pdf_task

    pdf = _pdf_of(course)
    if pdf.status is HandbookStatus.PREPARING and cache.add(
            f"allele:handbook:queued:{pdf.name}", True, QUEUED_SECONDS):
        build_handbook_pdf_task.enqueue(course.pk)
        pdf = _pdf_of(course)  # built already by an immediate backend
    return pdf


def build_handbook_pdf(*, course_id: int) -> str | None:
    """Render and store the PDF handbook of the course as published now (nothing if it is
    stored already); older editions of it are deleted. Returns the stored file's name."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        return None
    pdf = _pdf_of(course)
    if pdf.status is HandbookStatus.READY:
        return pdf.name
    try:
        data = _render_pdf(handbook_html(course=course))
    except Exception:
        cache.set(f"allele:handbook:failed:{pdf.name}", True, QUEUED_SECONDS)
        cache.delete(f"allele:handbook:queued:{pdf.name}")
        raise
    if not default_storage.exists(pdf.name):
        default_storage.save(pdf.name, ContentFile(data))
    _delete_older_editions(course, keep=pdf.name)
    return pdf.name


def _render_pdf(html: str) -> bytes:
    """WeasyPrint, fetching nothing but the ``data:`` images embedded in the page."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def _delete_older_editions(course: CoursePage, *, keep: str) -> None:
    prefix = f"course-{course.pk}-"
    try:
        _dirs, files = default_storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return
    for file_name in files:
        name = f"{DIRECTORY}/{file_name}"
        if file_name.startswith(prefix) and name != keep:
            default_storage.delete(name)
