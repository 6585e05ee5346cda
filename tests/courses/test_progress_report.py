"""The educators' learner progress report: who sees which learners, the figures, the
filters, the CSV export (formula-safe) and its constant number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from courses import api, reports
from lms.core import api as core_api
from lms.core.models import LearnerProfile
from lms.core.roles import Role
from lms.core.spreadsheets import neutralise_formula
from tests import factories
from tests.badinput import corpus

pytestmark = pytest.mark.django_db

URL = "/admin/reports/learner-progress/"


def _member(role: Role, email: str):
    person = factories.make_user(email=email)
    core_api.assign_role(user=person, role=role)
    return person


def _learner(email: str, full_name: str = "", **profile):
    person = factories.make_user(email=email)
    if full_name:
        core_api.save_profile(user=person, full_name=full_name,
                              **{"profession": "nurse", "country": "KE", **profile})
    return person


@pytest.fixture
def educator():
    return _member(Role.EDUCATOR, "grace@example.org")


@pytest.fixture
def course(educator):
    """Grace's course: three required modules and an optional fourth."""
    tree = factories.make_course_tree(modules=3, title="Pharmacogenomics basics", owner=educator)
    optional = factories.make_module(course=tree.course, title="Further reading",
                                     is_optional=True)
    return factories.CourseTree(course=tree.course, modules=[*tree.modules, optional])


@pytest.fixture
def others_course():
    owner = _member(Role.EDUCATOR, "other.educator@example.org")
    tree = factories.make_course_tree(modules=2, title="Secret course", owner=owner,
                                      parent=factories.domain("evidence"))
    person = _learner("hidden@example.org", "Hidden Learner", country="GB")
    api.enroll(user=person, course=tree.course)
    return tree


@pytest.fixture
def enrolled(course):
    """Amina: 2 of 3 required modules and the optional one. Ben: left after one module.
    Chen: completed all three. Dana: no profile, nothing done yet."""
    first, second, third, optional = course.modules
    amina = _learner("amina@example.org", "Amina Yusuf")
    ben = _learner("ben@example.org", "Ben Okafor", profession="physician", country="NG")
    chen = _learner("chen@example.org", "Chen Wei", profession="pharmacist", country="SG")
    dana = _learner("dana@example.org")
    for person in (amina, ben, chen, dana):
        api.enroll(user=person, course=course.course)
    for module in (first, second, optional):
        api.complete_module(user=amina, module=module)
    api.complete_module(user=ben, module=first)
    api.unenroll(user=ben, course=course.course)
    for module in (first, second, third):
        api.complete_module(user=chen, module=module)
    return {"amina": amina, "ben": ben, "chen": chen, "dana": dana}


def _rows(viewer, **kwargs) -> dict[str, object]:
    return {row.learner_email: row for row in reports.learner_progress_rows(viewer=viewer,
                                                                           **kwargs)}


def test_rows_carry_hand_computed_figures(educator, course, enrolled):
    rows = _rows(educator)
    assert set(rows) == {"amina@example.org", "ben@example.org", "chen@example.org",
                         "dana@example.org"}
    amina, ben, chen, dana = (rows[f"{n}@example.org"] for n in ("amina", "ben", "chen", "dana"))
    assert (amina.required_complete, amina.required_total, amina.percent) == (2, 3, 67)
    assert (amina.status, amina.completed_at) == (reports.ProgressStatus.IN_PROGRESS, None)
    assert (ben.required_complete, ben.percent, ben.status) == (1, 33, reports.ProgressStatus.LEFT)
    assert (chen.required_complete, chen.percent, chen.status) == (
        3, 100, reports.ProgressStatus.COMPLETED)
    assert chen.completed_at is not None
    assert (dana.learner_name, dana.required_complete, dana.percent) == ("dana@example.org", 0, 0)
    assert dana.last_activity is None
    assert (amina.learner_name, amina.learner_profession, amina.learner_country) == (
        "Amina Yusuf", "nurse", "KE")
    assert amina.last_activity is not None


def test_only_the_courses_own_live_required_modules_count(educator, course, enrolled):
    factories.make_course_tree(modules=5, owner=educator)  # a sibling course, later in the tree
    course.modules[2].unpublish()
    rows = _rows(educator)
    assert (rows["amina@example.org"].required_complete,
            rows["amina@example.org"].required_total) == (2, 2)
    assert rows["amina@example.org"].percent == 100


def test_percent_rounds_half_up(educator):
    tree = factories.make_course_tree(modules=8, owner=educator)
    person = _learner("eight@example.org", "Eight Modules")
    api.enroll(user=person, course=tree.course)
    api.complete_module(user=person, module=tree.modules[0])
    assert _rows(educator)["eight@example.org"].percent == 13  # 12.5


def test_last_activity_is_the_latest_view_or_completion(educator, course, enrolled):
    from courses.models import ModuleProgress

    later = timezone.now() + timedelta(days=2)
    ModuleProgress.objects.filter(user=enrolled["amina"], module=course.modules[1]).update(
        last_viewed_at=later)
    assert _rows(educator)["amina@example.org"].last_activity == later


def test_educator_sees_her_learners_with_figures(client, educator, course, enrolled):
    client.force_login(educator)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    chen = reports.learner_progress_rows(viewer=educator).get(user=enrolled["chen"])
    for expected in ("Amina Yusuf", "2/3 (67%)", "Left", "Ben Okafor", "1/3 (33%)",
                     "Chen Wei", "3/3 (100%)", "Completed", "dana@example.org", "Kenya",
                     "Nurse", date_format(timezone.localtime(chen.completed_at),
                                          "SHORT_DATE_FORMAT")):
        assert expected in html, expected


def test_filters_narrow_the_rows(client, educator, course, enrolled):
    client.force_login(educator)
    html = client.get(URL, {"status": "left"}).content.decode()
    assert "Ben Okafor" in html and "Amina Yusuf" not in html
    html = client.get(URL, {"learner_country": "SG"}).content.decode()
    assert "Chen Wei" in html and "Ben Okafor" not in html
    html = client.get(URL, {"learner_profession": "physician"}).content.decode()
    assert "Ben Okafor" in html and "Chen Wei" not in html
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = client.get(URL, {"enrolled_at_from": tomorrow}).content.decode()
    assert "Amina Yusuf" not in html and "No enrollments match your query" in html
    today = timezone.localdate().isoformat()
    html = client.get(URL, {"enrolled_at_from": today, "enrolled_at_to": today}).content.decode()
    assert "Amina Yusuf" in html
    html = client.get(URL, {"course": course.course.pk, "ordering": "percent"}).content.decode()
    assert html.index("dana@example.org") < html.index("Ben Okafor") < html.index("Chen Wei")


def test_educator_never_sees_another_educators_learners(
    client, educator, course, enrolled, others_course
):
    client.force_login(educator)
    for params in ({}, {"course": others_course.course.pk}, {"course": "999999"}):
        response = client.get(URL, params)
        html = response.content.decode()
        assert "Hidden Learner" not in html and "hidden@example.org" not in html, params
        assert "Secret course" not in html, params
    csv_text = _csv(client, {"course": others_course.course.pk})
    assert "hidden@example.org" not in csv_text and "Secret course" not in csv_text
    assert not reports.learner_progress_rows(
        viewer=educator, course_ids=[others_course.course.pk]).exists()
    assert list(api.reportable_courses(user=educator)) == [course.course]


def test_site_administrator_sees_every_course(client, course, enrolled, others_course):
    admin = _member(Role.SITE_ADMINISTRATOR, "admin@example.org")
    assert len(_rows(admin)) == 5
    client.force_login(admin)
    html = client.get(URL, {"course": others_course.course.pk}).content.decode()
    assert "Hidden Learner" in html and "Amina Yusuf" not in html


def test_superuser_sees_every_course(client, course, enrolled, others_course):
    root = factories.make_user(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(root)
    html = client.get(URL).content.decode()
    assert "Hidden Learner" in html and "Amina Yusuf" in html


@pytest.mark.parametrize("role", [Role.LEARNER, Role.COHORT_MANAGER])
def test_learners_and_cohort_managers_get_no_access(client, role, course, enrolled):
    person = _member(role, "someone@example.org")
    client.force_login(person)
    for url in (URL, URL + "results/", URL + "?export=csv"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"Amina Yusuf" not in response.content
    assert not api.may_report_progress(user=person)
    assert not api.reportable_courses(user=person).exists()


def test_admin_access_without_a_reporting_role_is_refused(client, course, enrolled):
    from django.contrib.auth.models import Permission

    person = _member(Role.COHORT_MANAGER, "manager@example.org")
    person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(person)
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert b"Amina Yusuf" not in response.content
    assert b"learner-progress" not in client.get("/admin/").content


def test_menu_item_is_shown_to_educators(client, educator):
    client.force_login(educator)
    assert b"learner-progress" in client.get("/admin/").content


def test_anonymous_visitors_are_sent_to_sign_in(client, course, enrolled):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def _csv(client, params: dict | None = None) -> str:
    response = client.get(URL, {**(params or {}), "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode()


def test_csv_export_has_headings_and_rows(client, educator, course, enrolled):
    client.force_login(educator)
    rows = list(csv.reader(io.StringIO(_csv(client, {"ordering": "learner_name"}))))
    assert rows[0] == ["Learner", "E-mail", "Profession", "Country", "Course", "Enrolled at",
                       "Status", "Required modules complete", "Required modules",
                       "Percent complete", "Completed at", "Last activity"]
    by_email = {row[1]: row for row in rows[1:]}
    assert len(by_email) == 4
    amina = by_email["amina@example.org"]
    assert amina[:5] == ["Amina Yusuf", "amina@example.org", "Nurse", "Kenya",
                         "Pharmacogenomics basics"]
    assert amina[6:11] == ["In progress", "2", "3", "67", ""]
    assert by_email["ben@example.org"][6] == "Left"
    chen = by_email["chen@example.org"]
    assert chen[6:10] == ["Completed", "3", "3", "100"] and chen[10].startswith("20")


def test_xlsx_export_downloads(client, educator, course, enrolled):
    from openpyxl import load_workbook

    client.force_login(educator)
    response = client.get(URL, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Learner" and len(values) == 5


INJECTIONS = [entry for entry in corpus("csv_injection.txt") if "\x00" not in entry]


def test_csv_export_neutralises_formulas_in_learner_names(client, educator, course):
    """Every payload of the corpus comes back as text that round-trips: a cell a
    spreadsheet would evaluate gains one leading quote, any other is untouched. The
    profiles are written directly: save_profile refuses control characters, but an
    export must not trust that every stored name went through it."""
    for number, payload in enumerate(INJECTIONS):
        person = factories.make_user(email=f"learner{number}@example.org")
        LearnerProfile.objects.create(user=person, full_name=payload, profession="nurse",
                                      country="KE")
        api.enroll(user=person, course=course.course)
    client.force_login(educator)
    exported = {row[1]: row[0] for row in csv.reader(io.StringIO(_csv(client)), strict=True)}
    names = [exported[f"learner{number}@example.org"] for number in range(len(INJECTIONS))]
    for payload, name in zip(INJECTIONS, names, strict=True):
        assert name == neutralise_formula(payload), payload
        assert name in (payload, "'" + payload), payload
    by_payload = dict(zip(INJECTIONS, names, strict=True))
    hyperlink = next(p for p in INJECTIONS if p.startswith("=HYPERLINK("))
    assert by_payload[hyperlink] == "'" + hyperlink
    assert by_payload["+254 712 345 678"] == "'+254 712 345 678"
    assert by_payload["\t=1+1"] == "'\t=1+1"
    assert by_payload["Smith,=1+1"] == "Smith,=1+1"


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\n=1", "'\n=1"), ("\x00=1", "'\x00=1"),
    (" =1+1", "' =1+1"), ("\uff1d1+1", "'\uff1d1+1"), ("\ufe661+1", "'\ufe661+1"),
    ("Amina Yusuf", "Amina Yusuf"), ("", ""), ("Smith,=1+1", "Smith,=1+1"),
    ("%0A=1+1", "%0A=1+1"), ("'quoted'", "'quoted'"),
])
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_xlsx_export_keeps_formulas_as_text(client, educator, course):
    from openpyxl import load_workbook

    person = _learner("mallory@example.org", '=HYPERLINK("https://attacker.example","x")')
    api.enroll(user=person, course=course.course)
    client.force_login(educator)
    response = client.get(URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(row[0] for row in sheet.iter_rows(min_row=2))
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("https://attacker.example","x")'


# --- A fixed number of queries ----------------------------------------------------------


def _grow(owner, *, courses: int, modules: int, learners: int) -> None:
    for _ in range(courses):
        tree = factories.make_course_tree(modules=modules, owner=owner)
        factories.make_module(course=tree.course, is_optional=True)
        for index in range(learners):
            person = _learner(f"c{tree.course.pk}l{index}@example.org", f"Learner {index}")
            api.enroll(user=person, course=tree.course)
            for module in tree.modules[: index % (modules + 1)]:
                api.complete_module(user=person, module=module)


def _count_queries(callback) -> int:
    with CaptureQueriesContext(connection) as captured:
        callback()
    return len(captured)


def test_report_queries_do_not_grow_with_learners_or_modules(
    client, educator, django_assert_max_num_queries
):
    _grow(educator, courses=1, modules=1, learners=1)
    client.force_login(educator)
    client.get(URL)  # warm the site-root cache
    page = _count_queries(lambda: client.get(URL))
    export = _count_queries(lambda: _csv(client))
    rows = _count_queries(lambda: list(reports.learner_progress_rows(viewer=educator)))
    _grow(educator, courses=3, modules=5, learners=6)
    with django_assert_max_num_queries(page):
        assert "Learner 5" in client.get(URL).content.decode()
    with django_assert_max_num_queries(export):
        assert _csv(client).count("\n") == 1 + 1 + 3 * 6
    with django_assert_max_num_queries(rows):
        assert len(list(reports.learner_progress_rows(viewer=educator))) == 19
