"""Interactive components (XBlocks) in a module: the educator's block and its checks, each
learner's own fragment put into the shared cached body, the "not available" notice, the
"complete with its activities" rule, and packages carrying components unchanged."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail import hooks

from courses import api, extensions
from courses.blocks import InteractiveComponentBlock
from courses.models import ModulePage, ModuleProgress
from lms.core.models import LearningEvent
from tests import factories

pytestmark = pytest.mark.django_db

POLL = '<poll question="Would you test for HLA-B*15:02?"/>'
COMPONENT_HOOKS = (extensions.MODULE_COMPONENTS, extensions.COMPONENT_TYPES,
                   extensions.COMPONENT_ERRORS, extensions.MODULE_COMPONENT_RESOURCES)


@pytest.fixture(autouse=True)
def no_installed_renderer(monkeypatch):
    """Only what a test registers renders components (not the xblocks app, if installed)."""
    hooks.search_for_hooks()
    monkeypatch.setattr(hooks, "_hooks", {
        name: list(registered) for name, registered in hooks._hooks.items()
        if name not in COMPONENT_HOOKS})


def component(olx=POLL, block_type="", fields="", title="Testing poll"):
    return ("component", {"olx": olx, "block_type": block_type, "fields": fields,
                          "title": title})


@pytest.fixture
def tree(learner):
    tree = factories.make_course_tree(modules=2)
    module = tree.modules[0]
    module.body = [("rich_text", "<p>Before the poll.</p>"), component()]
    factories.publish(module)
    api.enroll(user=learner, course=tree.course)
    return tree


def block_id(module) -> str:
    return ModulePage.objects.get(pk=module.pk).body[1].id


def per_learner_renderer(calls: list):
    def render(*, request, module, components):
        calls.append([ref.block_id for ref in components])
        return {ref.block_id: f'<p class="frag">Poll for {request.user.email} #{len(calls)}</p>'
                for ref in components}
    return render


# --- The educator's block -----------------------------------------------------------------


def _clean(**value):
    block = InteractiveComponentBlock()
    return block.clean(block.to_python({"olx": "", "block_type": "", "fields": "",
                                        "title": "", **value}))


def _errors(**value) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        _clean(**value)
    return {name: " ".join(error.messages) for name, error in caught.value.block_errors.items()}


def _types():
    return [("poll", "Poll"), ("done", "Done")]


def test_olx_alone_is_accepted():
    assert _clean(olx=POLL)["olx"] == POLL


def test_both_olx_and_a_type_are_refused():
    with hooks.register_temporarily(extensions.COMPONENT_TYPES, _types):
        assert "not both" in _errors(olx=POLL, block_type="poll")["block_type"]


def test_neither_olx_nor_a_type_is_refused():
    assert "OLX" in _errors(title="Empty")["olx"]


@pytest.mark.parametrize(("fields", "message"), [
    ("{question: 1}", "not valid JSON"), ('["a list"]', "JSON object"), ("3", "JSON object"),
])
def test_field_values_must_be_a_json_object(fields, message):
    with hooks.register_temporarily(extensions.COMPONENT_TYPES, _types):
        assert message in _errors(block_type="poll", fields=fields)["fields"]
        assert _clean(block_type="poll", fields='{"question": "Test?"}')["block_type"] == "poll"


def test_a_type_the_site_does_not_allow_is_refused():
    assert "block_type" in _errors(block_type="poll")  # no component types at all


def test_a_registered_check_explains_what_is_wrong_with_the_olx():
    def check(*, component):
        return ["Unknown XBlock type 'pol'."] if "<pol " in component.olx else []

    with hooks.register_temporarily(extensions.COMPONENT_ERRORS, check):
        assert _errors(olx="<pol />")["olx"] == "Unknown XBlock type 'pol'."
        assert _clean(olx=POLL)


# --- Rendering ----------------------------------------------------------------------------


def test_each_learner_gets_her_own_fragment_in_the_shared_cached_body(
        auth_client, tree, monkeypatch):
    module = tree.modules[0]
    other = factories.make_user(email="ben@example.org")
    api.enroll(user=other, course=tree.course)
    client = Client()
    client.force_login(other)
    placeholders = []  # each time the body (with its placeholder) is rendered, not cached
    original = InteractiveComponentBlock.get_context
    monkeypatch.setattr(InteractiveComponentBlock, "get_context", lambda self, *args, **kw: (
        placeholders.append(1), original(self, *args, **kw))[1])
    calls = []
    with hooks.register_temporarily(extensions.MODULE_COMPONENTS, per_learner_renderer(calls)):
        first = auth_client.get(module.url).content.decode()
        second = client.get(module.url).content.decode()

    assert "Poll for amina@example.org #1" in first and "ben@example.org" not in first
    assert "Poll for ben@example.org #2" in second and "amina@example.org" not in second
    assert "Before the poll." in second and 'aria-label="Testing poll"' in second
    assert placeholders == [1]  # one rendering of the body, shared by both
    assert calls == [[block_id(module)]] * 2  # the fragments: once per page


def test_without_a_renderer_the_learner_sees_a_polite_notice(auth_client, tree):
    html = auth_client.get(tree.modules[0].url).content.decode()

    assert "This interactive activity is not available on this site." in html
    assert "data-allele-component" not in html


def test_a_component_the_renderer_skips_gets_the_notice(auth_client, tree):
    with hooks.register_temporarily(extensions.MODULE_COMPONENTS, lambda **kw: {}):
        html = auth_client.get(tree.modules[0].url).content.decode()
    assert "This interactive activity is not available on this site." in html


def test_the_head_carries_the_components_resources(auth_client, tree):
    def resources(*, request, module):
        return f'<link rel="stylesheet" href="/static/xblock/{module.slug}.css">'

    with hooks.register_temporarily(extensions.MODULE_COMPONENT_RESOURCES, resources):
        html = auth_client.get(tree.modules[0].url).content.decode()
        plain = auth_client.get(tree.modules[1].url).content.decode()

    head = html.split("</head>")[0]
    assert f'href="/static/xblock/{tree.modules[0].slug}.css"' in head
    assert "/static/xblock/" not in plain


def test_a_module_with_components_is_rendered_afresh_on_every_visit(auth_client, tree):
    calls = []
    with hooks.register_temporarily(extensions.MODULE_COMPONENTS, per_learner_renderer(calls)):
        pages = [auth_client.get(tree.modules[0].url).content.decode() for _ in range(3)]
        for _ in range(3):
            auth_client.get(tree.modules[1].url)

    assert [f"#{n}</p>" in page for n, page in enumerate(pages, start=1)] == [True] * 3
    assert len(calls) == 3  # the module without components never asked the renderer


# --- Completing with the activities -------------------------------------------------------


@pytest.fixture
def by_activities(tree):
    module = tree.modules[0]
    module.completion_rule = api.CompletionRule.ACTIVITIES
    return factories.publish(module)


def test_the_learner_cannot_mark_it_complete_herself(auth_client, learner, by_activities):
    with pytest.raises(api.LearningError, match="finish its activities"):
        api.complete_module(user=learner, module=by_activities)

    html = auth_client.get(by_activities.url).content.decode()
    assert "This module is complete when you finish its activities." in html
    assert "Mark as complete" not in html
    response = auth_client.post(reverse("complete_module", args=[by_activities.pk]), follow=True)
    assert "This module is complete when you finish its activities." in response.content.decode()
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_its_activities_complete_it_once(learner, by_activities):
    source = api.CompletionRule.ACTIVITIES

    assert api.complete_module(user=learner, module=by_activities, source=source) is True
    assert api.complete_module(user=learner, module=by_activities, source=source) is False

    assert ModuleProgress.objects.get(module=by_activities).completed_at is not None
    assert LearningEvent.objects.filter(verb="module_completed").count() == 1


def test_the_rule_needs_a_component_in_the_body(tree):
    module = tree.modules[1]
    module.completion_rule = api.CompletionRule.ACTIVITIES

    with pytest.raises(ValidationError) as caught:
        module.full_clean()
    assert "needs at least one interactive component" in str(caught.value.message_dict)

    module.body = [*module.body.raw_data, {"type": "component", "value": dict(component()[1])}]
    module.full_clean()


# --- Packages -----------------------------------------------------------------------------


def test_export_and_import_keep_the_component_and_its_block_id(tree):
    from packages.models import SiteIdentity
    from tests.packages import helpers

    original = block_id(tree.modules[0])
    package = helpers.export_bytes(tree.course)
    tree.course.delete()
    SiteIdentity.objects.all().delete()

    summary = helpers.import_bytes(package, publish=True)

    course = api.CoursePage.objects.get(pk=summary.course_id)
    imported = ModulePage.objects.child_of(course).get(slug=tree.modules[0].slug)
    child = imported.body[1]
    assert (child.block_type, child.id) == ("component", original)
    assert dict(child.value) == dict(component()[1])


# --- In the admin -------------------------------------------------------------------------


def _add_module(client, course, *, rule="manual", **component_value):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    value = {"olx": "", "block_type": "", "fields": "", "title": "", **component_value}
    form = nested_form_data({
        "title": "Vote", "slug": "vote", "summary": "", "estimated_minutes": "10",
        "body": streamfield([("component", value)]), "completion_rule": rule,
        "last_reviewed_on": "", "review_due_on": "",
    })
    return client.post(reverse("wagtailadmin_pages:add",
                               args=("courses", "modulepage", course.pk)), form)


def test_an_educator_adds_a_component_and_sees_what_is_wrong(client, tree):
    from lms.core import api as core_api
    from lms.core.roles import Role

    educator = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=educator, role=Role.EDUCATOR)
    client.force_login(educator)

    with hooks.register_temporarily(extensions.COMPONENT_TYPES, _types):
        refused = _add_module(client, tree.course, block_type="poll", fields="[1]")
        assert refused.status_code == 200
        assert "must be a JSON object" in refused.content.decode()

        assert _add_module(client, tree.course, olx=POLL, rule="activities").status_code == 302
    module = ModulePage.objects.get(slug="vote")
    assert module.completion_rule == "activities" and module.body[0].value["olx"] == POLL
