"""``{% components_filled %}``: a module body, cached or not, with each interactive
component's placeholder replaced by the learner's own fragment (courses/components.py)."""

from django import template

from courses import components

register = template.Library()


class ComponentsFilledNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        rendered = self.nodelist.render(context)
        if components.PLACEHOLDER.search(rendered) is None:
            return rendered
        return components.fill(rendered, context.get("component_fragments") or {})


@register.tag
def components_filled(parser, token):
    """``{% components_filled %}…{% endcomponents_filled %}``: the enclosed HTML with the
    fragments of ``component_fragments`` (computed once by the page) in place of their
    placeholders, or a "not available" notice where there is none."""
    nodelist = parser.parse(("endcomponents_filled",))
    parser.delete_first_token()
    return ComponentsFilledNode(nodelist)
