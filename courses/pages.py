"""The pages educators author: the catalog home, G2MC domains, courses and modules.

The tree is the URL: ``/<domain>/<course>/<module>/``. Pages hold only what an
editor writes; what learners do lives in plain models.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from courses import components, extensions, library
from courses.blocks import ModuleBodyBlock, ObjectiveBlock
from lms.core.fields import SanitizedRichTextField

INTRO_FEATURES = ["bold", "italic", "link", "ul", "ol"]
GLOSSARY_SLUG = "glossary"


class WorkingGroup(models.TextChoices):
    """The G2MC working groups, whose slugs are the catalog's top-level URLs."""

    COMMUNICATIONS = "communications", _("Communications")
    EDUCATION = "education", _("Education")
    EVIDENCE = "evidence", _("Evidence")
    IT_BIOINFORMATICS = "it-bioinformatics", _("IT/Bioinformatics")
    PHARMACOGENOMICS = "pharmacogenomics", _("Pharmacogenomics")
    POLICY = "policy", _("Policy")


class CourseLevel(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CompletionRule(models.TextChoices):
    ON_VIEW = "view", _("When the learner opens it")
    MANUAL = "manual", _("When the learner marks it complete")
    QUIZ = "quiz", _("When the learner passes its quiz")
    ACTIVITIES = "activities", _("When the learner completes its interactive activities")


class ReviewDatesMixin(models.Model):
    """When a clinical expert last checked the content, and when it must be checked again.

    Genomic guidance changes fast (CPIC guidelines, variant classifications), so every course
    and module carries both dates; the admin lists pages overdue or due soon.
    """

    last_reviewed_on = models.DateField(
        _("last reviewed"), null=True, blank=True,
        help_text=_("The day a clinical reviewer last confirmed the content is current."),
    )
    review_due_on = models.DateField(
        _("review due"), null=True, blank=True,
        help_text=_("The day by which the content must be reviewed again."),
    )

    review_panels = [FieldRowPanel([FieldPanel("last_reviewed_on"), FieldPanel("review_due_on")])]
    # A copy (a new edition) has not been reviewed yet.
    exclude_fields_in_copy = ["last_reviewed_on", "review_due_on"]

    class Meta:
        abstract = True

    def clean(self):
        from courses import currency

        super().clean()
        currency.apply_review_defaults(self)

    @property
    def review_overdue_since(self):
        """The due date when the review is overdue (shown quietly to learners), else None."""
        due = self.review_due_on
        return due if due and due < timezone.localdate() else None


class CachedViewRestrictionsMixin:
    """Wagtail checks a page's view restrictions (two queries) on every request; they
    change rarely, and every change bumps the catalog version, so cache them by it."""

    def get_view_restrictions(self):
        """A queryset (the admin's copy and privacy views call ``exists()``/``order_by()``
        on it) whose rows come from the cache: iterating or ``exists()`` runs no query."""
        from courses import caching

        restrictions = super().get_view_restrictions()
        rows = caching.cached(f"restrictions:{self.pk}", lambda: list(restrictions.all()))
        restrictions._result_cache, restrictions._prefetch_done = list(rows), True
        return restrictions


class EditionCopyForm(CopyForm):
    """Copying a course or module starts a new edition: always a draft (learners see it only
    once it is reviewed and published), never an alias, whose quizzes could not follow."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)


class LearnerPreviewMixin:
    """Editors preview a course or module as a learner at a sample stage (Wagtail preview
    modes). The sample progress is made up in memory (courses.learning.sample_progress):
    a preview writes no enrollment, progress or learning event."""

    copy_form_class = EditionCopyForm
    preview_modes = [
        ("new", _("As a new learner (enrolled, nothing done)")),
        ("halfway", _("As a learner halfway through")),
        ("completed", _("As a learner who completed the course")),
        ("visitor", _("As a visitor (signed out)")),
    ]

    def serve_preview(self, request, mode_name):
        if mode_name == "visitor":
            request.user = AnonymousUser()
        return self.serve(request)

    def serve(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            return super().serve(request, *args, **kwargs)
        # Render as Page.serve does, without its resetting request.is_preview.
        return TemplateResponse(request, self.get_template(request, *args, **kwargs),
                                self.get_context(request, *args, **kwargs))


def learner_progress(request, *, course, modules):
    """The progress a page shows: a sample one in a learner preview, else the user's own."""
    from courses import api

    mode = getattr(request, "preview_mode", None) if getattr(request, "is_preview", False) else None
    if mode in set(api.SampleState):
        return api.sample_progress(course=course, modules=modules, state=api.SampleState(mode))
    return api.course_progress(user=request.user, course=course, modules=modules)


class HomePage(CachedViewRestrictionsMixin, Page):
    """The catalog: every domain and its published courses."""

    introduction = SanitizedRichTextField(blank=True, features=INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.DomainPage"]
    max_count_per_parent = 1
    template = "courses/home_page.html"

    class Meta:
        verbose_name = _("catalog home")

    def route(self, request, path_components):
        """Route in this home's language, else from the canonical home: a course not yet
        translated into the learner's language is served in its own (ADR 0011)."""
        try:
            return super().route(request, path_components)
        except Http404:
            from courses.translations import canonical_page

            canonical = canonical_page(self)
            if canonical.pk == self.pk:
                raise
            return canonical.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = api.list_catalog(home=self)
        return context


class DomainPage(CachedViewRestrictionsMixin, Page):
    """One G2MC working-group domain and the courses filed under it."""

    # One domain per working group and locale (a translation, or the alias Wagtail makes
    # when a course in it is translated, shares its source's group): see clean().
    working_group = models.CharField(max_length=32, choices=WorkingGroup.choices, db_index=True)
    short_description = models.CharField(max_length=250, blank=True)
    introduction = SanitizedRichTextField(blank=True, features=INTRO_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("working_group"),
        FieldPanel("short_description"),
        FieldPanel("introduction"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("short_description")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/domain_page.html"

    class Meta:
        verbose_name = _("domain")

    def clean(self):
        super().clean()
        twins = DomainPage.objects.filter(working_group=self.working_group, locale=self.locale_id)
        if twins.exclude(pk=self.pk).exists():
            raise ValidationError({"working_group": _(
                "This working group already has a domain in this language.")})

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = api.list_courses(domain=self)
        return context


class CoursePageForm(WagtailAdminPageForm):
    """The course editor: a cover image needs alternative text or an explicit "decorative"
    (WCAG 1.1.1). Checked in the editor only, so courses saved before keep working."""

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("cover_image") and not (cleaned.get("cover_image_alt") or "").strip()
                and not cleaned.get("cover_image_decorative")):
            self.add_error("cover_image_alt", _(
                "Describe the cover image, or tick \"the cover image is decorative\"."))
        return cleaned


class CoursePage(LearnerPreviewMixin, CachedViewRestrictionsMixin, ReviewDatesMixin, Page):  # noqa: DJ008 (Page.__str__ is the title)
    """A course: what it teaches, to whom, for how much CPD credit; its modules are its children."""

    summary = models.TextField(
        max_length=400, help_text=_("One or two sentences shown in the catalog.")
    )
    description = SanitizedRichTextField(blank=True, features=INTRO_FEATURES)
    learning_objectives = StreamField(
        [("objective", ObjectiveBlock())],
        blank=True,
        help_text=_("What a learner will be able to do after the course."),
    )
    intended_audience = models.TextField(blank=True)
    level = models.CharField(
        max_length=20, choices=CourseLevel.choices, default=CourseLevel.INTRODUCTORY
    )
    estimated_hours = models.DecimalField(max_digits=5, decimal_places=1, default=1)
    cpd_credit_hours = models.DecimalField(
        _("CPD credit hours"), max_digits=5, decimal_places=1, default=0
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="en")
    prerequisites = SanitizedRichTextField(blank=True, features=INTRO_FEATURES)
    cover_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover_image_alt = models.CharField(
        _("cover image alternative text"), max_length=300, blank=True,
        help_text=_("What the cover image shows, for learners who cannot see it."),
    )
    cover_image_decorative = models.BooleanField(
        _("the cover image is decorative"), default=False,
        help_text=_("Tick if the image adds nothing to the course title: screen readers "
                    "then skip it."),
    )
    self_enrollment = models.BooleanField(
        _("open to self-enrollment"), default=True,
        help_text=_("Untick to open the course only to learners enrolled through a cohort."),
    )
    sequential = models.BooleanField(
        _("modules in order"), default=False,
        help_text=_("Lock each module until the required modules before it are complete."),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True,
        help_text=_("After this day no one can enroll; enrolled learners keep their access."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([
            FieldPanel("cover_image"),
            FieldPanel("cover_image_alt"),
            FieldPanel("cover_image_decorative"),
        ], heading=_("Cover image")),
        FieldPanel("description"),
        FieldPanel("learning_objectives"),
        MultiFieldPanel(
            [
                FieldPanel("intended_audience"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("estimated_hours"), FieldPanel("cpd_credit_hours")]),
                FieldPanel("prerequisites"),
            ],
            heading=_("Audience and credit"),
        ),
        InlinePanel("educators", label=_("Educators")),
        MultiFieldPanel(
            [
                FieldPanel("self_enrollment"),
                FieldPanel("sequential"),
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            ],
            heading=_("Enrollment and progression"),
        ),
        MultiFieldPanel(ReviewDatesMixin.review_panels, heading=_("Clinical review")),
    ]
    # Course search (courses/search.py): the title counts most, then the summary; the
    # domain's name and the objectives make "pharmacogenomics" or "interpret" find it too.
    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=4),
        index.SearchField("summary", boost=2),
        index.SearchField("description"),
        index.SearchField("learning_objectives"),
        index.SearchField("intended_audience"),
        index.SearchField("domain_name"),
        index.FilterField("language"),
    ]
    parent_page_types = ["courses.DomainPage"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/course_page.html"

    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")

    def save(self, *args, **kwargs):
        """A translation is in its locale's language (wagtail-localize copies the source's
        ``language``, a synchronised field, into every translation)."""
        code = self.locale.language_code if self.locale_id else ""
        if (self.pk and code != self.language and code in dict(settings.LANGUAGES)
                and Page.objects.filter(translation_key=self.translation_key,
                                        pk__lt=self.pk).exists()):
            self.language = code
        return super().save(*args, **kwargs)

    @property
    def cover_alt(self) -> str:
        """The cover's alt attribute: empty for a decorative image (or one never described)."""
        return "" if self.cover_image_decorative else self.cover_image_alt

    def domain_name(self) -> str:
        """The title of the domain the course is filed under (indexed for search)."""
        parent = self.get_parent() if self.depth and self.depth > 1 else None
        return parent.title if parent else ""

    def route(self, request, path_components):
        """``<course>/glossary/`` is the course glossary, unless a module took that slug."""
        if path_components == [GLOSSARY_SLUG] and self.live:
            try:
                return super().route(request, path_components)
            except Http404:
                return RouteResult(self, kwargs={"glossary": True})
        return super().route(request, path_components)

    def serve(self, request, *args, glossary: bool = False, **kwargs):
        from courses import caching
        from lms.core import pagecache

        if glossary:
            return self.serve_glossary(request)
        key = None if getattr(request, "is_preview", False) else pagecache.personal_page_key(
            request, "course", self.pk, self.live_revision_id, caching.catalog_version_for(request)
        )
        if (cached_page := pagecache.get_cached_page(key)) is not None:
            return cached_page
        return pagecache.cache_page_response(key, super().serve(request, *args, **kwargs))

    def get_context(self, request, *args, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        modules = api.list_modules(course=self)
        context["modules"] = modules
        context["progress"] = learner_progress(request, course=self, modules=modules)
        context["sections"] = extensions.sections(
            extensions.COURSE_SECTIONS, request=request, course=self, progress=context["progress"]
        )
        context["educators"] = [
            placement.educator
            for placement in self.educators.select_related("educator", "educator__photo")
        ]
        context["competency_groups"] = library.competencies_built(courses=[self])
        context["glossary_url"] = (
            f"{self.url}{GLOSSARY_SLUG}/" if library.course_glossary(course=self) else ""
        )
        context["trail"] = [self.get_parent()]
        return context

    def serve_glossary(self, request):
        """The terms this course's modules use or define, alphabetically, with anchors."""
        return TemplateResponse(request, "editorial/course_glossary.html", {
            "page": self, "entries": library.course_glossary(course=self),
            "trail": [self.get_parent(), self],
        })


class CourseEducator(Orderable):
    """An educator (a Library snippet) teaching the course, in the order its page lists them."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="educators")
    educator = models.ForeignKey(
        "editorial.Educator", on_delete=models.CASCADE, related_name="course_placements"
    )

    panels = [FieldPanel("educator")]

    def __str__(self) -> str:
        return str(self.educator)

    # Read-through for code that shows a placement as a person.
    name = property(lambda self: self.educator.name)
    title = property(lambda self: self.educator.title)
    affiliation = property(lambda self: self.educator.affiliation)


class ModulePage(LearnerPreviewMixin, CachedViewRestrictionsMixin, ReviewDatesMixin, Page):  # noqa: DJ008 (Page.__str__ is the title)
    """One unit of a course, in the order the course lists its children."""

    summary = models.TextField(max_length=400, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(default=15)
    body = StreamField(ModuleBodyBlock(), blank=True)
    completion_rule = models.CharField(
        _("completes"), max_length=10, choices=CompletionRule.choices,
        default=CompletionRule.MANUAL,
    )
    is_optional = models.BooleanField(
        _("optional"), default=False,
        help_text=_("Optional modules do not count towards completing the course."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        MultiFieldPanel(ReviewDatesMixin.review_panels, heading=_("Clinical review")),
    ]
    settings_panels = [
        MultiFieldPanel(
            [FieldPanel("completion_rule"), FieldPanel("is_optional")],
            heading=_("Completion"),
        ),
        *Page.settings_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    template = "courses/module_page.html"

    class Meta:
        verbose_name = _("module")

    def clean(self):
        super().clean()
        if (self.completion_rule == CompletionRule.ACTIVITIES
                and not components.has_components(self.body)):
            raise ValidationError({"completion_rule": _(
                "A module that completes with its interactive activities needs at least "
                "one interactive component in its body.")})

    def serve(self, request, *args, **kwargs):
        """Show the module, or why it is locked; note the visit of an enrolled learner.

        A learner's rendered page is cached against the catalog version, her learning
        state and the current view period (see lms/core/pagecache.py), unless it embeds
        interactive components (their state changes without moving her learning state).
        """
        from courses import api, caching
        from lms.core import pagecache

        uncached = getattr(request, "is_preview", False) or components.has_components(self.body)
        key = None if uncached else pagecache.personal_page_key(
            request, "module", self.pk, self.live_revision_id,
            caching.catalog_version_for(request), api.view_period(),
        )
        if (cached_page := pagecache.get_cached_page(key)) is not None:
            return cached_page
        outline = api.module_outline(module=self)
        progress = learner_progress(request, course=outline.course, modules=outline.modules)
        status = progress.status_of(self)
        if status is not None and status.state is api.ModuleState.LOCKED:
            return TemplateResponse(
                request, "courses/module_locked.html",
                {"page": self, "outline": outline, "status": status}, status=403,
            )
        if not getattr(request, "is_preview", False) and api.record_module_view(
            user=request.user, module=self, progress=progress
        ):
            progress = api.course_progress(
                user=request.user, course=outline.course, modules=outline.modules
            )
        response = super().serve(request, *args, outline=outline, progress=progress, **kwargs)
        return pagecache.cache_page_response(key, response)

    def get_context(self, request, *args, outline=None, progress=None, **kwargs):
        from courses import api

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = outline or api.module_outline(module=self)
        context["progress"] = progress
        context["status"] = progress.status_of(self) if progress else None
        context["sections"] = extensions.sections(
            extensions.MODULE_SECTIONS, request=request, module=self, progress=progress
        )
        # The rendered body is cached per published revision; a preview renders afresh.
        context["draft_token"] = uuid.uuid4().hex if getattr(request, "is_preview", False) else ""
        context.update(_library_context(request, self, context["outline"].course))
        context.update(_component_context(request, self))
        return context


def _component_context(request, module: ModulePage) -> dict:
    """The learner's fragment of each interactive component, computed once for the page,
    and the head HTML they need (none without components)."""
    refs = components.component_refs(module.body)  # read from raw JSON: no queries
    if not refs:
        return {"component_fragments": {}, "component_resources": ""}
    fragments = extensions.component_fragments(request=request, module=module, components=refs)
    return {
        "component_fragments": fragments,
        "component_resources": extensions.component_resources(request=request, module=module),
    }


def _library_context(request, module: ModulePage, course: CoursePage) -> dict:
    """What a module's body needs of the Library: its numbered citations, the course's
    glossary (language and address) and the catalog version its cached body depends on."""
    from courses import caching

    preview = getattr(request, "is_preview", False)
    return {
        "citations": library.module_citations(module=module, preview=preview),
        "glossary_language": course.language,
        "glossary_url": f"{course.url}{GLOSSARY_SLUG}/" if course.url else "",
        "catalog_version": caching.catalog_version_for(request),
    }
