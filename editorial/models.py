"""The editorial library: the objects editors write once and reuse across courses and quizzes.

References (a citation with its DOI, PMID or address), glossary terms (a definition and its
synonyms, per language), educators (who teaches), and competency frameworks with their
competencies. All are Wagtail snippets; pages and question blocks point at them.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

from editorial import identifiers
from lms.core.fields import SanitizedRichTextField
from lms.core.models import Profession

DEFINITION_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]


class Reference(index.Indexed, models.Model):
    """A published source: its formatted citation and where to find it."""

    label = models.CharField(
        _("short label"), max_length=80, blank=True,
        help_text=_("How editors find it, e.g. \"Richards 2015 (ACMG/AMP)\"."),
    )
    citation = models.TextField(
        _("citation"), max_length=1000,
        help_text=_("Authors. Title. Journal. Year;Volume:Pages. Plain text."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    doi = models.CharField(
        "DOI", max_length=200, blank=True, validators=[identifiers.validate_doi],
        help_text=_("e.g. 10.1056/NEJMoa1013297 (a doi.org link is accepted)."),
    )
    pmid = models.CharField(
        "PMID", max_length=12, blank=True, validators=[identifiers.validate_pmid],
        help_text=_("PubMed ID, digits only."),
    )
    url = models.CharField(
        _("web address"), max_length=500, blank=True,
        validators=[identifiers.validate_http_url],
        help_text=_("For sources without a DOI: an https:// or http:// address."),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("citation"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("doi"), FieldPanel("pmid")]),
        FieldPanel("url"),
    ]
    search_fields = [
        index.SearchField("citation"), index.SearchField("label"),
        index.AutocompleteField("citation"), index.AutocompleteField("label"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("reference")
        ordering = ["citation"]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"), condition=~models.Q(doi=""), name="editorial_reference_unique_doi",
                violation_error_message=_("Another reference already has this DOI."),
            ),
            models.UniqueConstraint(
                "pmid", condition=~models.Q(pmid=""), name="editorial_reference_unique_pmid",
                violation_error_message=_("Another reference already has this PMID."),
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.citation[:80]

    def clean_fields(self, exclude=None) -> None:
        # Store one spelling of each identifier, so uniqueness means what it says; a bad
        # one is left as typed for its field's validator to report.
        for name, normalize in (("doi", identifiers.normalize_doi),
                                ("pmid", identifiers.normalize_pmid),
                                ("url", identifiers.normalize_url)):
            with contextlib.suppress(ValidationError):
                setattr(self, name, normalize(getattr(self, name)))
        super().clean_fields(exclude=exclude)

    @property
    def doi_url(self) -> str:
        return identifiers.doi_url(self.doi)

    @property
    def pubmed_url(self) -> str:
        return identifiers.pubmed_url(self.pmid)

    @property
    def link(self) -> str:
        """Where the reference is read: its DOI, else PubMed, else its web address."""
        return self.doi_url or self.pubmed_url or self.url

    def as_text(self) -> str:
        """The citation as one line of plain text, identifiers included."""
        parts = [self.citation.strip()]
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.pmid:
            parts.append(f"PMID: {self.pmid}")
        if self.url and not self.doi:
            parts.append(self.url)
        return " ".join(parts)


class GlossaryTerm(index.Indexed, models.Model):
    """A term a learner may not know, its definition and the other words for it."""

    term = models.CharField(_("term"), max_length=120)
    definition = SanitizedRichTextField(_("definition"), features=DEFINITION_FEATURES)
    synonyms = models.CharField(
        _("synonyms"), max_length=500, blank=True,
        help_text=_("Other words or abbreviations for it, separated by commas, e.g. \"VUS\"."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    panels = [
        FieldRowPanel([FieldPanel("term"), FieldPanel("language")]),
        FieldPanel("definition"),
        FieldPanel("synonyms"),
    ]
    search_fields = [
        index.SearchField("term"), index.SearchField("synonyms"),
        index.AutocompleteField("term"), index.FilterField("language"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                Lower("term"), "language", name="editorial_glossaryterm_unique_term",
                violation_error_message=_("This term is already in the glossary in this language."),
            ),
        ]

    def __str__(self) -> str:
        return self.term

    def clean(self) -> None:
        self.term = self.term.strip()
        self.synonyms = ", ".join(self.synonym_list)

    @property
    def synonym_list(self) -> list[str]:
        seen, words = {self.term.strip().casefold()}, []
        for word in (self.synonyms or "").split(","):
            word = " ".join(word.split())
            if word and word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(word)
        return words

    @property
    def anchor(self) -> str:
        """The id of the term's entry on a course glossary page."""
        slug = slugify(self.term, allow_unicode=True)[:60]
        return f"term-{self.pk}-{slug}" if slug else f"term-{self.pk}"

    @property
    def definition_text(self) -> str:
        return " ".join(strip_tags(self.definition or "").split())


class Educator(index.Indexed, models.Model):
    """Someone who teaches: shown on the pages of the courses she teaches."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("e.g. Clinical geneticist")
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    bio = models.TextField(_("short biography"), max_length=600, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("title"), FieldPanel("affiliation")]),
        FieldPanel("photo"),
        FieldPanel("bio"),
    ]
    search_fields = [
        index.SearchField("name"), index.SearchField("affiliation"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("educator")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else self.name


class CompetencyLevel(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


ALL_PROFESSIONS = "all"
PROFESSION_CHOICES = [(ALL_PROFESSIONS, _("All professions")), *Profession.choices]


class CompetencyFramework(index.Indexed, ClusterableModel):
    """A published set of competencies, such as Allele's genomic-medicine framework."""

    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40, default="1")
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=300, blank=True,
        help_text=_("Who wrote it, or where it is published."),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("version")]),
        FieldPanel("description"),
        FieldPanel("source"),
        MultiFieldPanel([InlinePanel("competencies", label=_("Competency"))],
                        heading=_("Competencies")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("competency framework")
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                "name", "version", name="editorial_framework_unique_version",
                violation_error_message=_("This framework already has this version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Competency(index.Indexed, models.Model):
    """One thing a professional can do, at a level, within a framework."""

    framework = ParentalKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. PGx.2"))
    title = models.CharField(_("competency"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    profession = models.CharField(
        _("profession"), max_length=32, choices=PROFESSION_CHOICES, default=ALL_PROFESSIONS
    )
    level = models.CharField(
        _("level"), max_length=20, choices=CompetencyLevel.choices,
        default=CompetencyLevel.FOUNDATION,
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("profession"), FieldPanel("level")]),
        FieldPanel("title"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("title"), index.SearchField("code"),
        index.AutocompleteField("title"), index.AutocompleteField("code"),
        index.FilterField("profession"), index.FilterField("level"),
        index.FilterField("framework"),
    ]

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework__name", "code"]
        constraints = [
            models.UniqueConstraint(
                "framework", "code", name="editorial_competency_unique_code",
                violation_error_message=_(
                    "This framework already has a competency with this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
