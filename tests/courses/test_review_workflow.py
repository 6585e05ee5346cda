"""Clinical review (ADR 0004): a module, course or quiz reaches learners only once a member
of the Clinical reviewers group approves it. Educators submit for review; reviewers
approve or request changes with a comment the educator sees; the dashboards show where
each page stands; an approved change reaches a learner's already-cached page."""

import pytest
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses import api as courses_api
from courses.pages import ModulePage
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

NEW_TEXT = "Test for HLA-B*15:02 before the first dose of carbamazepine."


@pytest.fixture
def educator(db):
    person = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=person, role=Role.EDUCATOR)
    return person


@pytest.fixture
def reviewer(db):
    person = factories.make_user(email="dr.okafor@example.org")
    core_api.assign_role(user=person, role=Role.CLINICAL_REVIEWER)
    return person


@pytest.fixture
def course(educator):
    course = factories.make_course(owner=educator)
    factories.make_module(course=course, title="Why screen")
    return course


def module_form(title: str, text: str, **actions) -> dict:
    return nested_form_data({
        "title": title, "slug": "when-to-test", "summary": "Who to test and when.",
        "estimated_minutes": "10",
        "body": streamfield([("rich_text", rich_text(f"<p>{text}</p>"))]),
        "completion_rule": "manual", "last_reviewed_on": "", "review_due_on": "",
        **actions,
    })


def add_module(client, course, **actions):
    return client.post(reverse("wagtailadmin_pages:add",
                               args=("courses", "modulepage", course.pk)),
                       module_form("When to test", NEW_TEXT, **actions))


def submitted_module(client, educator, course) -> ModulePage:
    client.force_login(educator)
    response = add_module(client, course, **{"action-submit": "submit"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ModulePage.objects.get(slug="when-to-test")


def act(client, page, action: str, comment: str = ""):
    task_state = TaskState.objects.get(workflow_state__object_id=str(page.pk),
                                       status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment} if comment else {})


def test_the_catalog_is_under_the_clinical_review_workflow(course):
    module = ModulePage.objects.child_of(course).get()

    for page in (factories.catalog_home(), factories.domain(), course, module):
        workflow = page.get_workflow()
        assert workflow is not None and workflow.name == "Clinical review"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Clinical reviewers"]


def test_educators_may_not_publish_reviewers_and_administrators_may(educator, reviewer, course):
    administrator = factories.make_user(email="admin@example.org")
    core_api.assign_role(user=administrator, role=Role.SITE_ADMINISTRATOR)

    assert course.permissions_for_user(educator).can_edit()
    assert not course.permissions_for_user(educator).can_publish()
    assert not course.permissions_for_user(educator).can_publish_subpage()
    assert course.permissions_for_user(reviewer).can_edit()
    assert course.permissions_for_user(reviewer).can_publish()  # approving publishes
    assert course.permissions_for_user(administrator).can_publish()
    assert not educator.has_perm("assessments.publish_quiz")
    assert not educator.has_perm("assessments.publish_question")
    assert reviewer.has_perm("assessments.change_quiz")
    assert reviewer.has_perm("assessments.publish_question")
    assert administrator.has_perm("assessments.publish_quiz")


def test_a_page_cannot_be_published_without_reviewer_approval(client, educator, reviewer,
                                                              learner, course):
    """The educator's "publish" only saves a draft; submitting puts it in the reviewers'
    queue; learners get 404 until a reviewer approves, then see the text."""
    courses_api.enroll(user=learner, course=course)
    client.force_login(educator)

    response = add_module(client, course, **{"action-publish": "publish"})

    assert response.status_code == 302
    module = ModulePage.objects.get(slug="when-to-test")
    assert not module.live and module.owner == educator
    client.force_login(learner)
    assert client.get(module.url_path.removeprefix("/home")).status_code == 404

    client.force_login(educator)
    edit = reverse("wagtailadmin_pages:edit", args=(module.pk,))
    assert client.post(edit, module_form("When to test", NEW_TEXT, **{"action-submit": "1"})
                       ).status_code == 302
    module.refresh_from_db()
    assert not module.live
    assert module.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(reviewer)
    assert act(client, module, "approve", "Checked against CPIC 2024.").status_code == 302
    module.refresh_from_db()
    assert module.live
    client.force_login(learner)
    response = client.get(module.url)
    assert response.status_code == 200 and NEW_TEXT in response.content.decode()


def test_an_educator_cannot_approve_her_own_submission(client, educator, course):
    module = submitted_module(client, educator, course)

    response = act(client, module, "approve")

    assert response.status_code in (302, 403)
    module.refresh_from_db()
    assert not module.live


def test_a_reviewers_request_for_changes_reaches_the_educator(client, educator, reviewer,
                                                             course):
    module = submitted_module(client, educator, course)
    client.force_login(reviewer)

    act(client, module, "reject", "Cite the 2024 CPIC carbamazepine guideline.")

    module.refresh_from_db()
    assert not module.live
    state = WorkflowState.objects.get(object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(educator)
    history = client.get(reverse("wagtailadmin_pages:workflow_history_detail",
                                 args=(module.pk, state.pk)))
    assert history.status_code == 200
    assert "Cite the 2024 CPIC carbamazepine guideline." in history.content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=(module.pk,))).content.decode()
    assert "Changes requested" in edit


def test_dashboards_show_where_each_page_stands(client, educator, reviewer, course):
    module = submitted_module(client, educator, course)

    client.force_login(educator)
    mine = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Your pages and snippets in a workflow" in mine
    assert module.title in mine and "Clinical reviewer approval" in mine

    client.force_login(reviewer)
    queue = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in queue and module.title in queue


def test_an_approved_change_reaches_a_learners_cached_module_page(client, educator, reviewer,
                                                                 learner, course):
    module = ModulePage.objects.child_of(course).get()
    courses_api.enroll(user=learner, course=course)
    client.force_login(learner)
    before = client.get(module.url)
    assert before.status_code == 200 and NEW_TEXT not in before.content.decode()
    assert NEW_TEXT not in client.get(module.url).content.decode()  # served from cache

    draft = Page.objects.get(pk=module.pk).specific
    draft.body = [("rich_text", f"<p>{NEW_TEXT}</p>")]
    draft.save_revision(user=educator)
    draft.get_workflow().start(draft, educator)
    client.force_login(reviewer)
    act(client, draft, "approve")

    client.force_login(learner)
    assert NEW_TEXT in client.get(module.url).content.decode()
