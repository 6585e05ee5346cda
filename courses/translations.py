"""Course translations (ADR 0011): which page is canonical, and pages in a language.

Educators translate courses and modules with wagtail-localize; every translation of a
page shares its ``translation_key``. The *canonical* page of a group is the one with the
lowest pk (normally the source). All learner state (enrollments, module progress,
attempts, certificates) is keyed on canonical pages, so a learner keeps her progress
whichever translation she opens; the course's structure (module order, completion rules,
unlocks) is the canonical course's. Re-exported by courses.api.

Reads are cached by the catalog version (a translation published, moved or deleted moves
it), so finding the canonical page of a page costs no query on a warm cache.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.models import Locale, Page

from courses import caching

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in its own language ("Français"), as the language menu shows it


def language_name(code: str) -> str:
    """The language's name in itself, as settings.LANGUAGES (else Django) gives it."""
    names = dict(settings.LANGUAGES)
    base = (code or "").split("-")[0].lower()
    try:
        return str(names.get(code) or names.get(base) or get_language_info(base)["name_local"])
    except KeyError:
        return code


def _locales() -> dict[str, int]:
    """Locale ids by language code (one query, cached)."""
    return caching.cached("locales", lambda: dict(
        Locale.objects.values_list("language_code", "pk")))


def _codes() -> dict[int, str]:
    return {pk: code for code, pk in _locales().items()}


def active_locale_id(language: str | None = None) -> int | None:
    """The Locale id of ``language`` (default: the request's active language), or None
    when the site has no such locale."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    locales = _locales()
    return locales.get(code) or locales.get(code.split("-")[0])


def canonical_only(queryset: QuerySet) -> QuerySet:
    """``queryset`` without the translations whose group has a lower pk."""
    model = queryset.model
    base = Page if issubclass(model, Page) else model.get_translation_model()
    earlier = base._default_manager.filter(
        translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    return queryset.filter(~Exists(earlier))


def _canonical_pk(obj) -> int:
    model = type(obj)
    base = Page if isinstance(obj, Page) else model.get_translation_model()
    label = base._meta.label_lower

    def load():
        return (base._default_manager.filter(translation_key=obj.translation_key)
                .order_by("pk").values_list("pk", flat=True).first())

    return caching.cached(f"canonical:{label}:{obj.translation_key}", load) or obj.pk


def canonical_page(page: P) -> P:
    """The canonical translation of ``page`` (itself when it is canonical), of the same
    specific class. Works for any translatable model (a quiz, a question) too."""
    if page is None or getattr(page, "translation_key", None) is None:
        return page
    pk = _canonical_pk(page)
    if pk == page.pk:
        return page
    found = type(page)._default_manager.filter(pk=pk).first()
    if found is None:  # a translation of another type: fall back to the specific page
        found = Page.objects.get(pk=pk).specific if isinstance(page, Page) else page
    return found


def canonical_pages(pages: Iterable[P]) -> dict[int, P]:
    """The canonical translation of each page, by the page's pk (at most two queries)."""
    pages = [page for page in pages if page is not None]
    if not pages:
        return {}
    model = type(pages[0])
    base = Page if issubclass(model, Page) else model.get_translation_model()
    keys = {page.translation_key for page in pages}
    lowest: dict = {}
    for pk, key in (base._default_manager.filter(translation_key__in=keys)
                    .order_by("-pk").values_list("pk", "translation_key")):
        lowest[key] = pk
    wanted = {lowest.get(page.translation_key, page.pk) for page in pages} - {
        page.pk for page in pages}
    fetched = {obj.pk: obj for obj in model._default_manager.filter(pk__in=wanted)}
    by_pk = {page.pk: page for page in pages}
    result = {}
    for page in pages:
        pk = lowest.get(page.translation_key, page.pk)
        result[page.pk] = by_pk.get(pk) or fetched.get(pk) or page
    return result


def localized(pages: Sequence[P], *, locale_id: int | None = None,
              queryset: QuerySet | None = None) -> list[P]:
    """Each page replaced by its live translation in ``locale_id`` (default: the active
    language) when it has one, else itself; one query (none when all are in it already).
    ``queryset`` (of the pages' model) chooses what is loaded, e.g. with select_related."""
    locale_id = active_locale_id() if locale_id is None else locale_id
    pending = [page for page in pages if page.locale_id != locale_id]
    if locale_id is None or not pending:
        return list(pages)
    source = queryset if queryset is not None else type(pending[0])._default_manager.all()
    if issubclass(source.model, Page):
        source = source.live()
    translations = {
        page.translation_key: page for page in
        source.filter(locale_id=locale_id,
                      translation_key__in={page.translation_key for page in pending})
    }
    return [translations.get(page.translation_key, page) for page in pages]


def languages_of(pages: Sequence[Page]) -> dict:
    """The languages each page is published in (its live translations' locales, in the
    order of settings.LANGUAGES), by translation key; one query."""
    if not pages:
        return {}
    model = type(pages[0])
    codes = _codes()
    found: dict = {}
    for key, locale_id in (model.objects.live().filter(
            translation_key__in={page.translation_key for page in pages})
            .values_list("translation_key", "locale_id")):
        found.setdefault(key, set()).add(codes.get(locale_id, ""))
    order = [code for code, _name in settings.LANGUAGES]
    return {key: [Language(code=code, name=language_name(code))
                  for code in order if code in present]
            for key, present in found.items()}


def in_language(courses: Sequence[P], *, language: str | None = None,
                queryset: QuerySet | None = None) -> list[P]:
    """Canonical courses as the learner should see them: each in ``language`` (default:
    the active one) when it has a live translation in it, else as given, each with
    ``available_languages`` (list[Language]) and the canonical course's ``module_count``
    when it was annotated. Two queries, whatever the number of courses."""
    shown = localized(courses, locale_id=active_locale_id(language), queryset=queryset)
    languages = languages_of(courses)
    for course, page in zip(courses, shown, strict=True):
        if page is not course and hasattr(course, "module_count"):
            page.module_count = course.module_count
        page.canonical_pk = course.pk
        page.available_languages = languages.get(course.translation_key, [])
    return shown
