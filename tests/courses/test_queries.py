"""Catalog, domain, course and module pages run a fixed number of SQL queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.caching import forget_process_copies
from tests import factories

pytestmark = pytest.mark.django_db


def _queries_for(client, url: str, *, cold: bool = False) -> int:
    """Queries for one request, with caches warm (as on a running server) or cold."""
    client.get(url)
    client.get(url)  # a first visit records a view, which makes a new page for the next
    if cold:
        cache.clear()
        forget_process_copies()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow_catalog(*, courses: int, modules: int):
    trees = [
        factories.make_course_tree(modules=modules, parent=factories.domain(slug))
        for slug, _ in zip(["pharmacogenomics", "evidence", "policy", "education"] * 5,
                           range(courses), strict=False)
    ]
    return trees


def test_catalog_queries_do_not_grow_with_courses(client, django_assert_max_num_queries):
    _grow_catalog(courses=1, modules=1)
    small = _queries_for(client, "/")
    _grow_catalog(courses=8, modules=3)
    client.get("/")
    with django_assert_max_num_queries(small):
        client.get("/")


def test_domain_page_queries_do_not_grow_with_courses(client, django_assert_max_num_queries):
    _grow_catalog(courses=1, modules=1)
    small = _queries_for(client, "/pharmacogenomics/")
    _grow_catalog(courses=8, modules=3)
    client.get("/pharmacogenomics/")
    with django_assert_max_num_queries(small):
        client.get("/pharmacogenomics/")


def test_course_page_queries_do_not_grow_with_modules(client):
    small_course = factories.make_course_tree(modules=1).course
    big_course = factories.make_course_tree(modules=12).course
    for cold in (True, False):
        assert _queries_for(client, big_course.url, cold=cold) <= _queries_for(
            client, small_course.url, cold=cold)


def test_module_page_queries_do_not_grow_with_modules(client):
    small_tree = factories.make_course_tree(modules=2)
    big_tree = factories.make_course_tree(modules=15)
    for cold in (True, False):
        assert _queries_for(client, big_tree.modules[7].url, cold=cold) <= _queries_for(
            client, small_tree.modules[1].url, cold=cold)


def _enrolled_in(learner, trees, *, complete: int = 1):
    from courses import api

    for tree in trees:
        api.enroll(user=learner, course=tree.course)
        for module in tree.modules[:complete]:
            api.complete_module(user=learner, module=module)


def test_learner_course_page_queries_do_not_grow_with_modules(
    auth_client, learner, django_assert_max_num_queries
):
    small, big = factories.make_course_tree(modules=2), factories.make_course_tree(modules=12)
    _enrolled_in(learner, [small, big])
    assert _queries_for(auth_client, big.course.url, cold=True) <= _queries_for(
        auth_client, small.course.url, cold=True)
    assert _queries_for(auth_client, big.course.url) <= _queries_for(auth_client, small.course.url)


def test_learner_module_page_queries_do_not_grow_with_modules(
    auth_client, learner, django_assert_max_num_queries
):
    small, big = factories.make_course_tree(modules=2), factories.make_course_tree(modules=12)
    _enrolled_in(learner, [small, big])
    assert _queries_for(auth_client, big.modules[1].url, cold=True) <= _queries_for(
        auth_client, small.modules[1].url, cold=True)
    assert _queries_for(auth_client, big.modules[1].url) <= _queries_for(
        auth_client, small.modules[1].url)


def test_dashboard_queries_do_not_grow_with_enrollments(
    auth_client, learner, django_assert_max_num_queries
):
    _enrolled_in(learner, [factories.make_course_tree(modules=2)])
    baseline = _queries_for(auth_client, "/dashboard/", cold=True)
    _enrolled_in(learner, [factories.make_course_tree(modules=4) for _ in range(6)])
    assert _queries_for(auth_client, "/dashboard/", cold=True) <= baseline


def test_a_learners_repeat_visit_is_served_from_cache_in_a_few_queries(auth_client, learner):
    tree = factories.make_course_tree(modules=4)
    _enrolled_in(learner, [tree])
    for url in (tree.modules[1].url, tree.course.url, "/dashboard/"):
        # session, user, catalog version, and Wagtail's check of the page's locale/alias
        assert _queries_for(auth_client, url) <= 4, url
