"""The demo's clinical review queue (ADR 0004), made only when DEBUG is on.

A demo educator and a demo clinical reviewer, each with a fresh password on every run
(printed by ``load_demo`` like the administrator's), and one module the educator wrote
and submitted for review, so the reviewer's dashboard shows a real queue. Idempotent:
the module is created once and submitted once; once a reviewer has approved it or asked
for changes, later runs leave it alone.
"""

import secrets
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

from courses.pages import CoursePage, ModulePage
from lms.core import api as core_api
from lms.core.models import User
from lms.core.roles import Role

PENDING_COURSE_SLUG = "preventing-sjs-ten-with-hla-testing"
PENDING_MODULE_SLUG = "whats-new-cpic-2024"
PENDING_MODULE_TITLE = "What is new in the 2024 guideline update"
PENDING_MODULE_BODY = (
    "<p>The 2024 update extends HLA-B*15:02 screening advice to oxcarbazepine and adds "
    "HLA-A*31:01 for patients of European and Japanese ancestry. This draft waits for a "
    "clinical reviewer to check it against the guideline before learners see it.</p>"
)


@dataclass(frozen=True)
class DemoAccount:
    label: str  # "educator", "clinical reviewer"
    email: str
    password: str = field(repr=False)


def demo_email(local_part: str) -> str:
    """An address beside the demo administrator's (admin@allele.local gives
    reviewer@allele.local)."""
    return f"{local_part}@{settings.ALLELE_DEMO_ADMIN_EMAIL.rpartition('@')[2]}"


@transaction.atomic
def ensure_demo_account(*, email: str, role: Role, label: str, full_name: str) -> DemoAccount:
    """Create or refresh a signed-in-ready demo account in ``role`` with a fresh random
    password: verified e-mail, complete profile, never staff or superuser."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo accounts are only created when DEBUG is on.")
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(Q(email__iexact=email) | Q(username=email)).order_by("pk").first()
    if user is None:
        user = User(username=email, email=email)
    user.is_active = True
    user.set_password(password)
    user.save()
    core_api.assign_role(user=user, role=role)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True})
    if not core_api.has_complete_profile(user=user):
        core_api.save_profile(user=user, full_name=full_name, profession="other",
                              country="KE", institution="Allele demo")
    return DemoAccount(label=label, email=user.email, password=password)


def ensure_pending_module(*, educator: User) -> ModulePage | None:
    """The educator's module waiting in the review queue (None without the demo course)."""
    course = CoursePage.objects.filter(slug=PENDING_COURSE_SLUG).first()
    if course is None:
        return None
    module = ModulePage.objects.child_of(course).filter(slug=PENDING_MODULE_SLUG).first()
    if module is None:
        module = ModulePage(
            title=PENDING_MODULE_TITLE, slug=PENDING_MODULE_SLUG, owner=educator, live=False,
            summary="Oxcarbazepine and HLA-A*31:01: what the update changes.",
            estimated_minutes=10, body=[("rich_text", PENDING_MODULE_BODY)],
        )
        course.add_child(instance=module)
        module.save_revision(user=educator, log_action=True)
    never_reviewed = not module.live and not module.workflow_states.exists()
    workflow = module.get_workflow()
    if never_reviewed and workflow is not None:
        workflow.start(module, educator)
    return module


def load_review_queue() -> list[DemoAccount]:
    """The demo educator and reviewer, and the module waiting for review (DEBUG only)."""
    if not settings.DEBUG:
        return []
    educator = ensure_demo_account(email=demo_email("educator"), role=Role.EDUCATOR,
                                   label="educator", full_name="Demo Educator")
    reviewer = ensure_demo_account(email=demo_email("reviewer"), role=Role.CLINICAL_REVIEWER,
                                   label="clinical reviewer",
                                   full_name="Demo Clinical Reviewer")
    ensure_pending_module(educator=User.objects.get(email__iexact=educator.email))
    return [educator, reviewer]
