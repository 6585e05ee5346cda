"""The runtime plugs into courses through the hooks named in ``courses/extensions.py``."""

from wagtail import hooks

from courses import extensions
from xblocks import api


@hooks.register(extensions.MODULE_COMPONENTS)
def render_module_components(*, request, module, components):
    return api.render_components(request=request, module=module, components=components)


@hooks.register(extensions.COMPONENT_TYPES)
def component_types():
    return api.allowed_block_types()


@hooks.register(extensions.COMPONENT_ERRORS)
def component_errors(*, component):
    return api.component_errors(component=component)


@hooks.register(extensions.MODULE_COMPONENT_RESOURCES)
def module_component_resources(*, request, module):
    return api.page_resources(request=request)
