"""Content currency: review-date defaults and validation, the "Last reviewed" line learners
see, and the reviews-due report and dashboard panel in the admin (who sees what, the
statuses, the CSV export and a fixed number of queries)."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses import reports
from courses.models import ModulePage
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/reports/reviews-due/"
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _member(role: str, email: str):
    from django.contrib.auth.models import Group

    person = factories.make_user(email=email)
    person.groups.add(Group.objects.get_or_create(name=str(role))[0])
    if role == Role.CLINICAL_REVIEWER:
        from django.contrib.auth.models import Permission

        person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return person


@pytest.fixture
def educator():
    return _member(Role.EDUCATOR, "grace@example.org")


@pytest.fixture
def tree(educator):
    """Grace's course (current) with modules overdue, due soon, current and never reviewed."""
    tree = factories.make_course_tree(modules=4, title="Pharmacogenomics basics",
                                      owner=educator)
    dates = [(days(-400), days(-35)), (days(-340), days(20)), (days(-10), days(355)),
             (None, None)]
    for module, (last, due) in zip(tree.modules, dates, strict=True):
        module.last_reviewed_on, module.review_due_on = last, due
        factories.publish(module)
    tree.course.last_reviewed_on, tree.course.review_due_on = days(-5), days(360)
    factories.publish(tree.course)
    return tree


@pytest.fixture
def others_tree():
    owner = _member(Role.EDUCATOR, "other@example.org")
    tree = factories.make_course_tree(modules=1, title="Someone else's course", owner=owner,
                                      parent=factories.domain("evidence"))
    tree.modules[0].last_reviewed_on, tree.modules[0].review_due_on = days(-800), days(-70)
    factories.publish(tree.modules[0])
    return tree


# --- Defaults and validation ---------------------------------------------------------------


def test_a_blank_due_date_defaults_to_last_review_plus_the_interval(settings):
    settings.ALLELE_REVIEW_INTERVAL_DAYS = 180
    tree = factories.make_course_tree(modules=1)
    module = tree.modules[0]
    module.last_reviewed_on = datetime.date(2026, 3, 1)
    factories.publish(module)
    assert module.review_due_on == datetime.date(2026, 8, 28)
    assert ModulePage.objects.get(pk=module.pk).review_due_on == datetime.date(2026, 8, 28)


def test_a_due_date_the_editor_set_is_kept():
    tree = factories.make_course_tree(modules=1)
    module = tree.modules[0]
    module.last_reviewed_on, module.review_due_on = days(-10), days(30)
    factories.publish(module)
    assert ModulePage.objects.get(pk=module.pk).review_due_on == days(30)


def test_no_dates_stay_no_dates():
    module = factories.make_course_tree(modules=1).modules[0]
    module.full_clean()
    assert module.last_reviewed_on is None and module.review_due_on is None


def test_a_due_date_before_the_last_review_is_refused():
    module = factories.make_course_tree(modules=1).modules[0]
    module.last_reviewed_on, module.review_due_on = days(0), days(-1)
    with pytest.raises(ValidationError) as raised:
        module.full_clean()
    assert "review_due_on" in raised.value.message_dict


def _module_form(**fields) -> dict:
    return nested_form_data({
        "title": "CYP2C19 and clopidogrel", "slug": "cyp2c19", "summary": "",
        "estimated_minutes": "15", "body": streamfield([]), "completion_rule": "manual",
        **fields,
    })


def test_the_admin_form_shows_a_clear_error_and_saves_nothing(admin_client):
    course = factories.make_course()
    response = admin_client.post(
        f"/admin/pages/add/courses/modulepage/{course.pk}/",
        _module_form(last_reviewed_on="2026-05-10", review_due_on="2026-05-01"),
    )
    assert response.status_code == 200
    assert "cannot be due before the last review" in response.content.decode()
    assert not ModulePage.objects.filter(slug="cyp2c19").exists()


def test_the_admin_form_fills_the_due_date(admin_client, settings):
    settings.ALLELE_REVIEW_INTERVAL_DAYS = 365
    course = factories.make_course()
    response = admin_client.post(
        f"/admin/pages/add/courses/modulepage/{course.pk}/",
        _module_form(last_reviewed_on="2026-05-10", review_due_on=""),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    module = ModulePage.objects.get(slug="cyp2c19")
    assert module.review_due_on == datetime.date(2027, 5, 10)
    assert module.get_latest_revision_as_object().review_due_on == datetime.date(2027, 5, 10)


# --- What learners see -----------------------------------------------------------------------


def test_learners_see_when_a_module_and_its_course_were_last_reviewed(auth_client, tree):
    reviewed = tree.modules[2]
    html = auth_client.get(reviewed.url).content.decode()
    expected = date_format(reviewed.last_reviewed_on, "DATE_FORMAT")
    assert (f'Last reviewed <time datetime="{reviewed.last_reviewed_on.isoformat()}">'
            f"{expected}</time>") in html
    assert "Next review due since" not in html
    course_html = auth_client.get(tree.course.url).content.decode()
    assert f'<time datetime="{days(-5).isoformat()}">' in course_html


def test_an_overdue_module_says_so_quietly(auth_client, tree):
    html = auth_client.get(tree.modules[0].url).content.decode()
    assert f'Next review due since <time datetime="{days(-35).isoformat()}">' in html


def test_a_never_reviewed_module_shows_no_review_line(auth_client, tree):
    html = auth_client.get(tree.modules[3].url).content.decode()
    assert "Last reviewed" not in html


# --- The reviews-due report --------------------------------------------------------------------


def _titles(viewer, **kwargs) -> list[str]:
    return [row.title for row in reports.review_rows(viewer=viewer, today=TODAY, **kwargs)]


def test_rows_list_overdue_soon_and_undated_pages_most_urgent_first(educator, tree):
    rows = list(reports.review_rows(viewer=educator, today=TODAY))
    assert [(row.title, row.status) for row in rows] == [
        ("Module 1", "overdue"), ("Module 2", "due_soon"), ("Module 4", "never_reviewed"),
    ]
    first = rows[0]
    assert first.course_title == "Pharmacogenomics basics"
    assert first.kind == "module" and first.owner_name == "grace@example.org"
    assert first.last_reviewed == days(-400) and first.review_due == days(-35)


def test_a_course_with_a_date_but_no_due_date_is_listed(educator, tree):
    from courses.models import CoursePage

    CoursePage.objects.filter(pk=tree.course.pk).update(review_due_on=None)
    row = next(r for r in reports.review_rows(viewer=educator, today=TODAY) if r.kind == "course")
    assert row.status == "no_due_date" and row.course_title == "Pharmacogenomics basics"


def test_status_filter_can_show_current_pages(educator, tree):
    assert _titles(educator, statuses=["current"]) == ["Module 3", "Pharmacogenomics basics"]


def test_educator_sees_her_pages_by_default_on_the_panel_and_mine_filter(
    client, educator, tree, others_tree
):
    assert "Module 1" in _titles(educator, mine_only=True)
    assert "Someone else's course" not in str(
        [r.course_title for r in reports.review_rows(viewer=educator, today=TODAY)]
    )
    client.force_login(educator)
    html = client.get(URL, {"scope": "mine"}).content.decode()
    assert "Module 1" in html and "Someone else" not in html
    assert f"/admin/pages/{tree.modules[0].pk}/edit/" in html


def test_a_module_in_her_course_owned_by_someone_else_is_hers_to_watch(educator, tree):
    colleague = _member(Role.EDUCATOR, "colleague@example.org")
    ModulePage.objects.filter(pk=tree.modules[0].pk).update(owner=colleague)
    assert "Module 1" in _titles(educator, mine_only=True)
    assert "Module 1" in _titles(colleague, mine_only=True)


@pytest.mark.parametrize("role", [Role.SITE_ADMINISTRATOR, Role.CLINICAL_REVIEWER])
def test_reviewers_and_administrators_see_every_page(client, role, tree, others_tree):
    person = _member(role, "overseer@example.org")
    client.force_login(person)
    html = client.get(URL).content.decode()
    assert "Someone else&#x27;s course" in html and "Pharmacogenomics basics" in html
    assert "Someone else's course" not in str(
        [r.course_title for r in reports.review_rows(viewer=person, today=TODAY)]
    )  # "mine" is still hers alone


@pytest.mark.parametrize("role", [Role.LEARNER, Role.COHORT_MANAGER])
def test_learners_and_cohort_managers_cannot_open_it(client, role, tree):
    from django.contrib.auth.models import Permission

    person = _member(role, "someone@example.org")
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)
    for url in (URL, URL + "results/", URL + "?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Module 1" not in response.content
    assert b"reviews-due" not in client.get("/admin/").content


def test_anonymous_visitors_are_sent_to_sign_in(client, tree):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_dashboard_panel_counts_what_needs_attention(client, educator, tree, others_tree):
    client.force_login(educator)
    html = " ".join(client.get("/admin/").content.decode().split())
    assert "Clinical reviews" in html
    assert "1 overdue</a>, 1 due within 30 days, 1 without a review date (your pages)." in html
    assert f'href="{URL}?scope=mine"' in html
    assert "reviews-due" in html  # the Reports menu item


def test_dashboard_panel_for_a_reviewer_counts_every_page(client, tree, others_tree):
    client.force_login(_member(Role.CLINICAL_REVIEWER, "rev@example.org"))
    html = " ".join(client.get("/admin/").content.decode().split())
    assert "2 overdue</a>, 1 due within 30 days" in html


def test_csv_export_lists_the_rows_formula_safe(client, educator, tree):
    ModulePage.objects.filter(pk=tree.modules[0].pk).update(title="=HYPERLINK(\"x\")")
    client.force_login(educator)
    response = client.get(URL, {"export": "csv", "scope": "mine"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Page", "Type", "Course", "Owner", "Last reviewed", "Review due",
                       "Status", "Live"]
    assert rows[1][0] == "'=HYPERLINK(\"x\")"
    assert rows[1][1:4] == ["Module", "Pharmacogenomics basics", "grace@example.org"]
    assert rows[1][6] == "Overdue"
    assert len(rows) == 4


def _count_queries(callback) -> int:
    with CaptureQueriesContext(connection) as captured:
        callback()
    return len(captured)


def test_report_queries_do_not_grow_with_pages(client, educator, django_assert_max_num_queries):
    factories.make_course_tree(modules=1, owner=educator)
    client.force_login(educator)
    client.get(URL)
    page = _count_queries(lambda: client.get(URL))
    rows = _count_queries(lambda: list(reports.review_rows(viewer=educator, today=TODAY)))
    counts = _count_queries(lambda: reports.review_counts(viewer=educator, today=TODAY,
                                                          mine_only=True))
    for _ in range(3):
        factories.make_course_tree(modules=4, owner=educator)
    with django_assert_max_num_queries(page):
        assert client.get(URL).content.decode().count("Module 4") == 3
    with django_assert_max_num_queries(rows):
        assert len(list(reports.review_rows(viewer=educator, today=TODAY))) == 2 + 3 * 5
    with django_assert_max_num_queries(counts):
        reports.review_counts(viewer=educator, today=TODAY, mine_only=True)
    assert rows <= 2 and counts <= 2


def test_xlsx_export_downloads_the_rows(client, educator, tree):
    from openpyxl import load_workbook

    client.force_login(educator)
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Page", "Type", "Course"]
    assert [row[0] for row in values[1:]] == ["Module 1", "Module 2", "Module 4"]
    assert values[1][6] == "Overdue"
