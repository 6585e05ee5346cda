"""Roles are groups made by migrations: learners sign up into Learner; educators and site
administrators use the Wagtail admin; educators may add courses under a domain and submit
them for clinical review."""

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.pages import CoursePage
from lms.core import api
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    """A verified user in the given role."""

    def _member(role: Role, email: str):
        person = factories.make_user(email=email)
        api.assign_role(user=person, role=role)
        return person

    return _member


@pytest.fixture
def educator(member):
    return member(Role.EDUCATOR, "educator@example.org")


def test_the_roles_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    assert [role.value for role in Role] == [
        "Learner", "Educator", "Cohort manager", "Site administrator", "Clinical reviewers"]


def test_a_new_sign_up_is_a_learner(sign_up, django_user_model):
    sign_up(email="zawadi@example.org")

    person = django_user_model.objects.get(email="zawadi@example.org")
    assert list(person.groups.values_list("name", flat=True)) == ["Learner"]


def test_a_learner_cannot_reach_the_admin(client, learner):
    api.assign_role(user=learner, role=Role.LEARNER)
    client.force_login(learner)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "You do not have permission to access the admin." in response.content.decode()
    assert client.get(f"/admin/pages/{factories.domain().pk}/").status_code == 302


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.LEARNER, False), (Role.COHORT_MANAGER, True), (Role.EDUCATOR, True),  # managers: Cohorts
    (Role.SITE_ADMINISTRATOR, True),
])
def test_who_can_reach_the_admin(client, member, role, allowed):
    client.force_login(member(role, "someone@example.org"))

    response = client.get("/admin/")

    assert (response.status_code == 200) is allowed


def test_an_educator_can_open_the_form_for_a_course_under_a_domain(client, educator):
    client.force_login(educator)
    domain = factories.domain()

    response = client.get(f"/admin/pages/add/courses/coursepage/{domain.pk}/")

    assert response.status_code == 200


def test_an_educator_can_create_a_course_and_submit_it_for_review(client, educator):
    """Educators may not publish: the course goes to the clinical reviewers (ADR 0004)."""
    client.force_login(educator)
    domain = factories.domain()

    response = client.post(
        f"/admin/pages/add/courses/coursepage/{domain.pk}/",
        nested_form_data({
            "title": "Carbamazepine and HLA-B*15:02",
            "slug": "carbamazepine-hla-b",
            "summary": "Screen before you prescribe.",
            "description": rich_text(""),
            "prerequisites": rich_text(""),
            "learning_objectives": streamfield([]),
            "educators": inline_formset([]),
            "level": "introductory",
            "language": "en",
            "estimated_hours": "1.0",
            "cpd_credit_hours": "0",
            "self_enrollment": "on",
            "action-submit": "submit",
        }),
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    course = CoursePage.objects.child_of(domain).get(slug="carbamazepine-hla-b")
    assert not course.live
    assert course.workflow_in_progress
    assert course.owner == educator


def test_an_educator_may_add_under_a_course_but_not_delete_it(educator):
    """Educators add and submit for review; deleting other people's pages is for site
    administrators."""
    course = factories.make_course()

    permissions = course.permissions_for_user(educator)

    assert permissions.can_add_subpage()
    assert not permissions.can_delete()
