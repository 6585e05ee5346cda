"""The course manifest: every URL the service worker caches to make a course available
offline, with sizes, and a version that moves when the copy would go stale.

Re-exported by offline.api; nothing else imports this. Images are found by rendering each
body block as the module page does and reading the ``src``, ``srcset`` and ``poster``
URLs under MEDIA_URL (so a change to a block's renditions needs no change here); the list
is cached per module and published revision. A page's HTML size is estimated (see
``page_bytes``): measuring it would mean rendering every page for this learner.
"""

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import api as assessments_api
from courses import api as courses_api
from lms.core.models import User
from offline import conf
from offline.sync import OfflineError

logger = logging.getLogger(__name__)

IMAGES_CACHE_SECONDS = 24 * 3600

_SRC = re.compile(r'\s(?:src|poster)="([^"]+)"')
_SRCSET = re.compile(r'\ssrcset="([^"]+)"')


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    url: str
    kind: str  # page, image, static, offline
    bytes: int | None
    estimated: bool


@dataclass(frozen=True, slots=True)
class LockedModule:
    id: int
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class CourseManifest:
    course_id: int
    title: str
    url: str
    version: str
    entries: list[ManifestEntry]
    locked: list[LockedModule] = field(default_factory=list)
    note: str = ""

    @property
    def total_bytes(self) -> int:
        return sum(entry.bytes for entry in self.entries if entry.bytes is not None)


def course_manifest(*, user: User, course_id: int) -> CourseManifest:
    """What to cache for ``user`` to take the course offline; OfflineError (404) unless
    the course is live and she is enrolled in it."""
    try:
        course = courses_api.get_course(course_id=course_id)
    except courses_api.CoursePage.DoesNotExist:
        course = None
    progress = courses_api.course_progress(user=user, course=course) if course else None
    if progress is None or not progress.is_enrolled:
        raise OfflineError(_("You are not enrolled in this course."), status=404,
                           code="not_found")
    open_modules = [s.module for s in progress.modules
                    if s.state is not courses_api.ModuleState.LOCKED]
    locked = [LockedModule(id=s.module.pk, title=s.module.title,
                           reason=_("Complete “%(module)s” first.") % {
                               "module": s.blocked_by.title})
              for s in progress.modules if s.state is courses_api.ModuleState.LOCKED]
    entries = _unique([_page_entry(course)]
                      + [_page_entry(module) for module in open_modules]
                      + _attempt_pages(user, course, open_modules)
                      + [image for module in open_modules for image in _images(module)]
                      + _static_entries() + _offline_page())
    version = _version(course, [s.module for s in progress.modules], open_modules, entries)
    return CourseManifest(course_id=course.pk, title=course.title, url=course.url or "",
                          version=version, entries=entries, locked=locked,
                          note=_note(len(locked)))


def _note(locked: int) -> str:
    note = _("Images are included; videos are not.")
    if locked:
        note += " " + ngettext(
            "%(count)d locked module is not included: make the course available offline "
            "again when it unlocks.",
            "%(count)d locked modules are not included: make the course available offline "
            "again when they unlock.", locked) % {"count": locked}
    return note


def page_bytes(page) -> int:
    """Estimated HTML size: ALLELE_OFFLINE_PAGE_BYTES for the shell, plus the length of
    the text the page's own class stores (body, summary, description...)."""
    own = 0
    for model_field in type(page)._meta.get_fields(include_parents=False):
        if getattr(model_field, "concrete", False) and (
                model_field.get_internal_type() in ("TextField", "JSONField")):
            own += len(model_field.value_to_string(page) or "")
    return conf.page_bytes() + own


def _page_entry(page) -> ManifestEntry:
    return ManifestEntry(url=page.url or "", kind="page", bytes=page_bytes(page),
                         estimated=True)


def _attempt_pages(user: User, course, modules) -> list[ManifestEntry]:
    """Her attempts in progress on the course's quizzes (started online: only the server
    draws the questions), so she can answer them offline."""
    return [ManifestEntry(url=reverse("attempt", args=[attempt.pk]), kind="page",
                          bytes=conf.page_bytes(), estimated=True)
            for attempt in assessments_api.attempts_in_progress(
                user=user, course=course, modules=modules)]


def _images(module) -> list[ManifestEntry]:
    key = f"allele:offline:images:{module.pk}:{module.live_revision_id}"
    found = cache.get(key)
    if found is None:
        found = [(url, _media_size(url)) for url in _image_urls(module)]
        cache.set(key, found, IMAGES_CACHE_SECONDS)
    return [ManifestEntry(url=url, kind="image", bytes=size, estimated=False)
            for url, size in found]


def _image_urls(module) -> list[str]:
    urls = []
    for child in module.body:
        try:
            html = str(child.render(context={"page": module}))
        except Exception:  # a block that needs a request: its images are not offered
            logger.warning("offline: could not render block %s of page %s",
                           child.block_type, module.pk, exc_info=True)
            continue
        urls += _SRC.findall(html)
        for srcset in _SRCSET.findall(html):
            urls += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
    return [url for url in dict.fromkeys(urls) if url.startswith(settings.MEDIA_URL)]


def _media_size(url: str) -> int | None:
    try:
        return default_storage.size(unquote(url[len(settings.MEDIA_URL):]))
    except (OSError, NotImplementedError, ValueError):
        return None


def _static_entries() -> list[ManifestEntry]:
    entries = []
    for name in conf.static_files():
        path = finders.find(name)
        if not path:
            continue
        entries.append(ManifestEntry(url=static(name), kind="static",
                                     bytes=os.path.getsize(path), estimated=False))
    return entries


def _offline_page() -> list[ManifestEntry]:
    try:
        url = reverse("offline_page")
    except NoReverseMatch:
        return []
    return [ManifestEntry(url=url, kind="offline", bytes=conf.page_bytes(), estimated=True)]


def _unique(entries: list[ManifestEntry]) -> list[ManifestEntry]:
    seen, unique = set(), []
    for entry in entries:
        if entry.url and entry.url not in seen:
            seen.add(entry.url)
            unique.append(entry)
    return unique


def _version(course, modules, open_modules, entries: list[ManifestEntry]) -> str:
    """Moves when the course or a module is republished, a module is added, removed or
    moved, a module unlocks for her, or a URL to cache changes (a new static build)."""
    state = [course.pk, course.live_revision_id,
             [(module.pk, module.live_revision_id) for module in modules],
             sorted(module.pk for module in open_modules),
             [entry.url for entry in entries]]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]
