"""Course search: Wagtail search over courses and their modules, shown in the learner's
language.

A course matches when every word of the query is in its title, summary, description,
objectives, audience or domain name; it also matches when every word is in one of its
modules (title, summary, body text), and then says which module. Results are one per
course (all translations of a course share its ``translation_key``) and shown in the
learner's language when the course has a live translation in it, else in the default
language, else as found. Only live pages without a view restriction (on themselves or an
ancestor) are searched and shown; drafts and previews never are.

The query is reduced to plain words before it reaches the search backend, so quotes,
``*``, ``-``, ``OR``, ``NEAR(`` and control characters are never read as operators
(SQLite FTS5 and PostgreSQL ``tsquery`` would otherwise reject or interpret them).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from courses.pages import CoursePage, DomainPage, ModulePage
from courses.translations import Language, language_name

MAX_QUERY_CHARS = 200  # longer input is cut here (a few words is what search needs)
MAX_TERMS = 8
MAX_TERM_CHARS = 40
CANDIDATES = 100  # hits read from the index per kind before grouping by course
STEPLEN = 4  # treebeard's path step: a page's parent path is its path minus one step
_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script


@dataclass(frozen=True, slots=True)
class CourseHit:
    """One course found, in the language it is shown in."""

    course: CoursePage
    domain: DomainPage | None
    module: ModulePage | None  # the module whose text matched; None when the course did
    language: Language  # the language the course is shown in
    in_requested_language: bool
    languages: list[Language]  # every language the course is published in

    @property
    def other_languages(self) -> list[Language]:
        return [language for language in self.languages if language.code != self.language.code]


@dataclass(frozen=True, slots=True)
class CourseSearch:
    """What a search found: ``words`` is what was searched for (empty when nothing
    usable was typed, and then ``problem`` says why)."""

    words: tuple[str, ...]
    results: list[CourseHit]
    has_more: bool = False
    problem: str = ""


def query_words(query: str) -> tuple[str, ...]:
    """The words of ``query`` the index is asked for: letters and digits only, each
    once, at most MAX_TERMS words of MAX_TERM_CHARS characters."""
    query = str(query or "")
    text = query[:MAX_QUERY_CHARS]
    if len(query) > MAX_QUERY_CHARS and " " in text:
        text = text.rsplit(" ", 1)[0]  # not half a word
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in text)
    words, seen = [], set()
    for word in _WORD.findall(unicodedata.normalize("NFKC", text)):
        word = word[:MAX_TERM_CHARS]
        if word.casefold() not in seen:  # the index ignores case; the heading keeps it
            seen.add(word.casefold())
            words.append(word)
    return tuple(words[:MAX_TERMS])


def search_courses(*, query: str, language: str, limit: int = 20) -> CourseSearch:
    words = query_words(query)
    if not words:
        problem = (
            _("Type a word or two to search the courses.") if not str(query or "").strip()
            else _("Search with words: letters and numbers, without symbols.")
        )
        return CourseSearch(words=(), results=[], problem=problem)
    text = " ".join(words)
    private = _private_q()
    course_hits = list(
        CoursePage.objects.live().exclude(private).defer_streamfields()
        .search(text, operator="and")[:CANDIDATES]
    )
    module_hits = list(
        ModulePage.objects.live().exclude(private).defer_streamfields()
        .search(text, operator="and")[:CANDIDATES]
    )
    found = _group_by_course(course_hits, module_hits, private=private)
    keys = list(found)[: limit + 1]
    results = _in_language(keys, found, language=language, private=private)
    return CourseSearch(words=words, results=results[:limit], has_more=len(results) > limit)


def _private_q() -> Q:
    """Pages under a view restriction (of any kind), on themselves or an ancestor: what
    Wagtail's ``public()`` excludes, read once for the whole search (one query)."""
    private = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        private |= Q(path__startswith=path)
    return private


def _group_by_course(course_hits, module_hits, *, private: Q) -> dict:
    """translation_key of each course found -> the module that matched (None when the
    course itself did), best first: course matches, then module matches. A module counts
    only while its course is live and public too."""
    found = {course.translation_key: None for course in course_hits}
    parents = {
        course.path: course.translation_key
        for course in CoursePage.objects.live().exclude(private)
        .filter(path__in={module.path[:-STEPLEN] for module in module_hits})
        .only("path", "translation_key")
    }
    for module in module_hits:
        key = parents.get(module.path[:-STEPLEN])
        if key is not None and key not in found:
            found[key] = module
    return found


def _in_language(keys: list, found: dict, *, language: str, private: Q) -> list[CourseHit]:
    """The courses for ``keys`` in ``language`` when published in it, else in the default
    language, else in the language they were found in; with their domain and module."""
    translations = {}
    for course in (
        CoursePage.objects.live().exclude(private).defer_streamfields()
        .filter(translation_key__in=keys).select_related("locale").order_by("pk")
    ):
        translations.setdefault(course.translation_key, []).append(course)
    wanted, default = _language_code(language), _language_code(settings.LANGUAGE_CODE)
    shown = {}
    for key in keys:
        courses = translations.get(key)
        if courses:
            shown[key] = next(
                (c for c in courses if _language_code(c.locale.language_code) == wanted),
                next((c for c in courses if _language_code(c.locale.language_code) == default),
                     courses[0]),
            )
    domains = {
        domain.path: domain
        for domain in DomainPage.objects.filter(
            path__in={course.path[:-STEPLEN] for course in shown.values()}
        )
    }
    modules = _modules_in_courses(shown, found, private=private)
    return [
        CourseHit(
            course=course,
            domain=domains.get(course.path[:-STEPLEN]),
            module=modules.get(key),
            language=_language(course.locale.language_code),
            in_requested_language=_language_code(course.locale.language_code) == wanted,
            languages=[_language(c.locale.language_code) for c in translations[key]],
        )
        for key, course in shown.items()
    ]


def _modules_in_courses(shown: dict, found: dict, *, private: Q) -> dict:
    """For each course found through a module: that module's translation inside the
    course shown (same language), else the module as found."""
    matched = {key: module for key, module in found.items() if module and key in shown}
    if not matched:
        return {}
    translated = {
        (module.translation_key, module.path[:-STEPLEN]): module
        for module in ModulePage.objects.live().exclude(private).defer_streamfields().filter(
            translation_key__in={module.translation_key for module in matched.values()},
            locale__in={shown[key].locale_id for key in matched},
        )
    }
    return {
        key: translated.get((module.translation_key, shown[key].path), module)
        for key, module in matched.items()
    }


def _language_code(code: str) -> str:
    return (code or "").split("-")[0].lower()


def _language(code: str) -> Language:
    return Language(code=code, name=language_name(code))

