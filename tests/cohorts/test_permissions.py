"""Who sees which cohort: a manager only hers (another's is a 404, whatever the id), a
learner nothing, site administrators and superusers everything."""

import pytest
from django.core import mail

from cohorts import api
from tests import factories
from tests.cohorts.helpers import (
    csv_bytes,
    import_file,
    make_cohort,
    make_manager,
    make_site_admin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course_tree):
    """Two cohorts, each with its own manager, member and import."""
    mine_manager = make_manager("mine@example.org")
    other_manager = make_manager("other@example.org")
    mine = make_cohort(name="Mine", managers=[mine_manager], courses=[course_tree.course])
    other = make_cohort(name="Other", managers=[other_manager], courses=[course_tree.course])
    other_import = import_file(cohort=other, by=other_manager, content=csv_bytes(
        ["secret.learner@example.org,Secret Learner,nurse,KE,"]))
    return mine, mine_manager, other, other_import


def other_cohort_urls(other, other_import):
    member = other.memberships.get().user_id
    base = f"/admin/cohorts/{other.pk}"
    return [f"{base}/", f"{base}/edit/", f"{base}/imports/new/", f"{base}/reminders/",
            f"{base}/members/{member}/remove/",
            f"{base}/imports/{other_import.pk}/", f"{base}/imports/{other_import.pk}/status.json"]


def test_manager_lists_only_her_cohorts(client, world):
    mine, manager, _other, _import = world
    client.force_login(manager)
    page = client.get("/admin/cohorts/").content.decode()
    assert "Mine" in page and "Other" not in page
    assert list(api.visible_cohorts(user=manager)) == [mine]


def test_manager_gets_404_for_everything_of_another_cohort(client, world):
    _mine, manager, other, other_import = world
    client.force_login(manager)
    for url in other_cohort_urls(other, other_import):
        assert client.get(url).status_code == 404, url
    posts = [f"/admin/cohorts/{other.pk}/members/add/", f"/admin/cohorts/{other.pk}/reminders/",
             f"/admin/cohorts/{other.pk}/edit/", f"/admin/cohorts/{other.pk}/imports/new/",
             f"/admin/cohorts/{other.pk}/members/{other.memberships.get().user_id}/remove/"]
    for url in posts:
        assert client.post(url, {"email": "mine@example.org", "name": "Taken"}).status_code == 404
    assert other.memberships.count() == 1 and other.name == "Other"
    assert api.Cohort.objects.get(pk=other.pk).name == "Other"


def test_manager_cannot_read_another_cohorts_import_through_her_own_cohort_id(client, world):
    mine, manager, _other, other_import = world
    client.force_login(manager)
    for suffix in ("", "status.json"):
        url = f"/admin/cohorts/{mine.pk}/imports/{other_import.pk}/{suffix}"
        assert client.get(url).status_code == 404


def test_unknown_ids_are_404_too(client, world):
    _mine, manager, _other, _import = world
    client.force_login(manager)
    assert client.get("/admin/cohorts/999999/").status_code == 404


def test_learner_gets_nothing(client, world):
    _mine, _manager, other, other_import = world
    learner = other.memberships.get().user
    learner.set_password("pw-for-this-test")
    learner.save()
    client.force_login(learner)
    for url in ["/admin/cohorts/", *other_cohort_urls(other, other_import)]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Secret Learner" not in response.content
    assert list(api.visible_cohorts(user=learner)) == []


def test_educator_with_admin_access_but_no_cohort_role_is_refused(client, world):
    from lms.core import api as core_api
    from lms.core.roles import Role

    _mine, _manager, other, _import = world
    educator = factories.make_user(email="educator@example.org")
    core_api.assign_role(user=educator, role=Role.EDUCATOR)
    client.force_login(educator)
    for url in ("/admin/cohorts/", f"/admin/cohorts/{other.pk}/"):
        response = client.get(url)  # Wagtail turns the 403 into a redirect with a message
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "/admin/cohorts/" not in client.get("/admin/").content.decode()  # no menu item


def test_managers_find_the_menu_item(client, world):
    _mine, manager, _other, _import = world
    client.force_login(manager)
    assert "/admin/cohorts/" in client.get("/admin/").content.decode()


def test_anonymous_is_sent_to_sign_in(client, world):
    _mine, _manager, other, _import = world
    response = client.get(f"/admin/cohorts/{other.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["site_admin", "superuser"])
def test_site_administrators_see_every_cohort(client, world, who):
    _mine, _manager, other, other_import = world
    admin = (make_site_admin() if who == "site_admin" else factories.make_user(
        email="root@example.org", is_superuser=True, is_staff=True))
    client.force_login(admin)
    page = client.get("/admin/cohorts/").content.decode()
    assert "Mine" in page and "Other" in page
    for url in other_cohort_urls(other, other_import):
        assert client.get(url).status_code == 200, url
    assert "Secret Learner" in client.get(f"/admin/cohorts/{other.pk}/").content.decode()


def test_lost_role_means_lost_access(client, world):
    mine, manager, _other, _import = world
    manager.groups.clear()
    client.force_login(manager)
    assert list(api.visible_cohorts(user=manager)) == []
    assert client.get(f"/admin/cohorts/{mine.pk}/").status_code in (302, 403)
    assert mail.outbox  # (the fixture's invitation went out: the world is real)
