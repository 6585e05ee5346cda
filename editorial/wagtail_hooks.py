"""The "Library" admin menu: references, glossary, educators and competency frameworks."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from editorial.models import Competency, CompetencyFramework, Educator, GlossaryTerm, Reference


class ReferenceViewSet(SnippetViewSet):
    model = Reference
    icon = "list-ol"
    menu_label = _("References")
    list_display = ["citation", "year", "doi", "pmid"]
    list_filter = ["year"]
    search_fields = ["citation", "label", "doi", "pmid"]
    search_backend_name = None
    ordering = ["citation"]


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Glossary")
    list_display = ["term", "synonyms", "language"]
    list_filter = ["language"]
    search_fields = ["term", "synonyms"]
    search_backend_name = None


class EducatorViewSet(SnippetViewSet):
    model = Educator
    icon = "user"
    menu_label = _("Educators")
    list_display = ["name", "title", "affiliation"]
    search_fields = ["name", "title", "affiliation"]
    search_backend_name = None


class CompetencyFrameworkViewSet(SnippetViewSet):
    model = CompetencyFramework
    icon = "tasks"
    menu_label = _("Competency frameworks")
    list_display = ["name", "version", "source"]
    search_fields = ["name", "description"]
    search_backend_name = None


class CompetencyViewSet(SnippetViewSet):
    """Single competencies, for finding and choosing them; each belongs to one framework."""

    model = Competency
    icon = "tick"
    menu_label = _("Competencies")
    list_display = ["code", "title", "profession", "level", "framework"]
    list_filter = ["framework", "profession", "level"]
    search_fields = ["code", "title", "description"]
    search_backend_name = None
    panels = [
        FieldPanel("framework"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("profession"), FieldPanel("level")]),
        FieldPanel("title"),
        FieldPanel("description"),
    ]


class LibraryGroup(SnippetViewSetGroup):
    items = (ReferenceViewSet, GlossaryTermViewSet, EducatorViewSet,
             CompetencyFrameworkViewSet, CompetencyViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Library")
    menu_name = "library"


register_snippet(LibraryGroup)
