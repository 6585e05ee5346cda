"""Template helpers for the editorial library on course and module pages."""

from django import template

from courses import library

register = template.Library()


class GlossaryMarkedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        rendered = self.nodelist.render(context)
        language, url = context.get("glossary_language"), context.get("glossary_url")
        if not language:
            return rendered
        return library.mark_glossary(html=rendered, language=language, glossary_url=url or "")


@register.tag
def glossary_marked(parser, token):
    """``{% glossary_marked %}…{% endglossary_marked %}``: the enclosed HTML with the first
    use of each of the course's glossary terms marked (see editorial/glossary.py)."""
    nodelist = parser.parse(("endglossary_marked",))
    parser.delete_first_token()
    return GlossaryMarkedNode(nodelist)


@register.simple_tag(takes_context=True)
def numbered_references(context, references):
    """The chosen references as the module numbers them (in number order); numbered by
    position when rendered outside a module page."""
    citations = context.get("citations")
    pks = [reference.pk for reference in references if reference is not None]
    if citations is None:
        citations = library.ModuleCitations(
            references=library.editorial_api.number_references(ids=pks)
        )
    return citations.numbered(pks)
