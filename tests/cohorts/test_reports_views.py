"""The dashboards as a manager sees them: figures, filters (and a bad filter), the chart
with its table, the course page and a learner's drill-down."""

import pytest
from django.urls import reverse

from lms.core import api as core_api
from lms.core.roles import Role
from tests.cohorts import report_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    fx = report_fixture.build()
    core_api.assign_role(user=fx.manager, role=Role.COHORT_MANAGER)
    client.force_login(fx.manager)
    return client, fx


def test_dashboard_shows_figures_chart_table_and_named_members(manager_client):
    client, fx = manager_client
    html = client.get(reverse("cohorts:dashboard", args=[fx.cohort.pk])).content.decode()
    assert "<svg" in html and 'role="img"' in html and "<script" not in html.split(
        "cohort-chart")[1].split("</section>")[0]
    assert "<caption>Completions per day</caption>" in html
    assert "<td>2026-03-06</td><td>1</td>" in html  # the table behind the chart
    assert "50 %" in html  # completion rate: 4 of 8
    assert "5.0 days" in html  # median of 2, 4, 6, 10
    assert "<td>Kenya</td>" in html and "<td>Nurse</td>" in html


def test_filters_narrow_the_dashboard_and_keep_the_query_in_links(manager_client):
    client, fx = manager_client
    url = reverse("cohorts:dashboard", args=[fx.cohort.pk])
    html = client.get(url, {"country": "UG"}).content.decode()
    assert ">Chen<" in html and ">Dina<" in html and ">Ana<" not in html
    assert "export.xlsx?country=UG" in html


def test_a_bad_date_range_is_reported_and_no_filter_applies(manager_client):
    client, fx = manager_client
    url = reverse("cohorts:dashboard", args=[fx.cohort.pk])
    html = client.get(url, {"start": "2026-03-10", "end": "2026-03-01",
                            "country": "UG"}).content.decode()
    assert "The end date is before the start date." in html
    assert ">Ana<" in html  # unfiltered: every member is listed
    html = client.get(url, {"start": "not-a-date"}).content.decode()
    assert "Enter a valid date." in html


def test_course_page_and_learner_drill_down(manager_client):
    client, fx = manager_client
    course = client.get(reverse("cohorts:course_dashboard",
                                args=[fx.cohort.pk, fx.course_a.pk])).content.decode()
    assert "60 %" in course and "2/2" in course and "40 → 80" in course
    learner = client.get(reverse("cohorts:learner",
                                 args=[fx.cohort.pk, fx.learners["ana"].pk])).content.decode()
    assert "A pre-test (pre-test)" in learner and "90.0 %" in learner
    assert "Course A" in learner and "Course B" in learner and "Kenya" in learner
