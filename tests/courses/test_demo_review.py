"""The demo sets up clinical review (courses.demo.review): a demo educator and reviewer
whose printed passwords work, and the educator's module waiting in the reviewer's queue,
submitted once however often the demo is loaded."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Revision, WorkflowState

from courses.demo.review import PENDING_MODULE_SLUG, PENDING_MODULE_TITLE
from courses.pages import ModulePage
from lms.core.models import User

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def credentials(output: str, label: str) -> tuple[str, str]:
    found = re.search(rf"Demo {label} .*?e-mail:\s*(\S+)\s+password:\s*(\S+)", output,
                      re.DOTALL)
    return found.group(1), found.group(2)


def test_the_demo_has_a_reviewer_an_educator_and_a_module_waiting_for_review(client,
                                                                             settings):
    settings.DEBUG = True
    settings.ALLELE_DEMO_ADMIN_EMAIL = "admin@example.org"

    output = run_demo()

    educator_email, educator_password = credentials(output, "educator")
    reviewer_email, reviewer_password = credentials(output, "clinical reviewer")
    assert (educator_email, reviewer_email) == ("educator@example.org", "reviewer@example.org")
    module = ModulePage.objects.get(slug=PENDING_MODULE_SLUG)
    assert not module.live and module.owner.email == educator_email
    assert module.current_workflow_state.requested_by.email == educator_email
    assert client.post(reverse("account_login"), {"login": reviewer_email,
                                                  "password": reviewer_password}
                       ).status_code == 302
    queue = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in queue and PENDING_MODULE_TITLE in queue
    client.logout()
    assert client.login(username=educator_email, password=educator_password)
    assert not User.objects.get(email=reviewer_email).is_superuser

    revisions = Revision.objects.count()
    run_demo()

    assert WorkflowState.objects.filter(object_id=str(module.pk)).count() == 1
    assert Revision.objects.count() == revisions
    assert not client.login(username=educator_email, password=educator_password)  # fresh
