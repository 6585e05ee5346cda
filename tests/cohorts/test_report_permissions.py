"""Who may open a cohort's dashboards, drill-down and exports: its managers and site
administrators; another cohort's manager gets 404s (guessed ids reveal nothing), a learner
gets no access at all."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.cohorts import report_fixture

pytestmark = pytest.mark.django_db


def person(email, role=None, **extra):
    user = factories.make_user(email=email, **extra)
    if role is not None:
        core_api.assign_role(user=user, role=role)
    return user


@pytest.fixture
def fx():
    built = report_fixture.build()
    core_api.assign_role(user=built.manager, role=Role.COHORT_MANAGER)
    return built


def report_urls(fx, cohort_id=None):
    cohort_id = cohort_id or fx.cohort.pk
    ana = fx.learners["ana"].pk
    return [
        reverse("cohorts:dashboard", args=[cohort_id]),
        reverse("cohorts:course_dashboard", args=[cohort_id, fx.course_a.pk]),
        reverse("cohorts:learner", args=[cohort_id, ana]),
        reverse("cohorts:export_csv", args=[cohort_id]),
        reverse("cohorts:export_xlsx", args=[cohort_id]),
    ]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def test_the_cohorts_manager_opens_every_report(client, fx):
    client.force_login(fx.manager)
    for url in report_urls(fx):
        response = client.get(url)
        assert response.status_code == 200, url
    dashboard = client.get(report_urls(fx)[0]).content.decode()
    assert "Course A" in dashboard and "Ana" in dashboard and "Omar" not in dashboard


def test_another_cohorts_manager_gets_404_for_every_guessed_url(client, fx):
    other = person("other-manager@example.org", Role.COHORT_MANAGER)
    mine = Cohort.objects.create(name="Kampala pharmacists", organisation="MoH")
    mine.managers.add(other)
    mine.courses.add(fx.course_a)  # even sharing a course gives nothing away
    client.force_login(other)
    for url in report_urls(fx):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ana" not in body(response)
    # Her own cohort, with the other cohort's learner or course guessed into the URL
    ana = fx.learners["ana"].pk
    assert client.get(reverse("cohorts:learner", args=[mine.pk, ana])).status_code == 404
    assert client.get(reverse("cohorts:course_dashboard",
                              args=[mine.pk, fx.course_b.pk])).status_code == 404
    assert client.get(reverse("cohorts:dashboard", args=[mine.pk])).status_code == 200


def test_unassigned_courses_non_members_and_unknown_cohorts_are_404(client, fx):
    client.force_login(fx.manager)
    course_c = factories.make_course_tree(modules=1, title="Unassigned").course
    urls = [
        reverse("cohorts:course_dashboard", args=[fx.cohort.pk, course_c.pk]),
        reverse("cohorts:learner", args=[fx.cohort.pk, fx.outsider.pk]),
        reverse("cohorts:dashboard", args=[fx.cohort.pk + 1000]),
        reverse("cohorts:export_csv", args=[fx.cohort.pk]) + f"?course={course_c.pk}",
        reverse("cohorts:export_csv", args=[fx.cohort.pk]) + "?course=abc",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", [Role.LEARNER, Role.EDUCATOR, None])
def test_learners_and_educators_get_nothing(client, fx, role):
    client.force_login(person("nosy@example.org", role))
    for url in report_urls(fx):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Ana" not in body(response) and "ana@example.org" not in body(response)


def test_a_former_manager_who_lost_the_role_gets_nothing(client, fx):
    fx.manager.groups.clear()
    client.force_login(fx.manager)
    for url in report_urls(fx):
        assert client.get(url).status_code in (302, 403, 404), url


def test_signed_out_visitors_are_sent_to_sign_in(client, fx):
    for url in report_urls(fx):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("kind", ["superuser", "site administrator"])
def test_site_administrators_see_every_cohort(client, fx, kind):
    admin = (person("root@example.org", is_superuser=True, is_staff=True)
             if kind == "superuser" else person("siteadmin@example.org",
                                                Role.SITE_ADMINISTRATOR))
    client.force_login(admin)
    for url in report_urls(fx):
        assert client.get(url).status_code == 200, url
