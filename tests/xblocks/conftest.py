"""Fixtures for the XBlock runtime tests: a published module, enrolled learners, requests
as a learner would send them, and helpers to render components and call handlers."""

import importlib.util
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from tests import factories

# The runtime needs the optional XBlock packages (the ``xblocks`` extra).
collect_ignore_glob = [] if importlib.util.find_spec("xblock") else ["test_*.py"]


@pytest.fixture
def xblock_course(db):
    return factories.make_course_tree(modules=2)


@pytest.fixture
def module(xblock_course):
    return xblock_course.modules[0]


def _enrolled(course, email, name):
    from courses import api as courses_api
    from lms.core import api as core_api

    person = factories.make_user(email=email)
    core_api.save_profile(user=person, full_name=name, profession="nurse", country="KE")
    courses_api.enroll(user=person, course=course)
    return person


@pytest.fixture
def amina(xblock_course):
    return _enrolled(xblock_course.course, "amina@example.org", "Amina Yusuf")


@pytest.fixture
def bongani(xblock_course):
    return _enrolled(xblock_course.course, "bongani@example.org", "Bongani Dlamini")


@pytest.fixture
def page_request():
    """A GET request for a module page, as ``user`` (anonymous when None)."""

    def build(user=None, *, preview: bool = False):
        request = RequestFactory().get("/module/")
        request.user = user or AnonymousUser()
        if preview:
            request.is_preview = True
        return request

    return build


@pytest.fixture
def render(page_request):
    """Render ``components`` of ``module`` for ``user``: {block id: html}."""
    from xblocks import api

    def run(module, components, user=None, *, preview: bool = False):
        return api.render_components(request=page_request(user, preview=preview),
                                     module=module, components=components)

    return run


@pytest.fixture
def call_handler():
    """Call a handler as ``user`` with a JSON body; returns (status, parsed JSON or text)."""
    import webob

    from xblocks import api

    def run(user, usage_id, handler_name, data=None, *, authoring=False, suffix=""):
        request = webob.Request.blank("/", method="POST", body=json.dumps(data or {}).encode(),
                                      content_type="application/json")
        response = api.handle_request(user=user, usage_id=usage_id, handler_name=handler_name,
                                      suffix=suffix, request=request, authoring=authoring)
        try:
            return response.status_code, json.loads(response.body or b"null")
        except ValueError:
            return response.status_code, response.text

    return run
