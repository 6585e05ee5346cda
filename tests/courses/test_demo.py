"""The demo catalog loader (courses.demo) and the demo administrator (lms.core.api)."""

import datetime
import io
import re
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from courses.demo import load_demo
from courses.pages import CoursePage, DomainPage, HomePage, ModulePage, WorkingGroup
from lms.core import api as core_api
from lms.core.roles import Role

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = "demo-admin@example.org"
ENGLISH = {"locale__language_code": "en"}  # the shipped pages, not their translations


@pytest.fixture
def demo(settings):
    """The demo catalog, loaded once with DEBUG off (so no administrator is made)."""
    settings.DEBUG = False
    return load_demo()


def _snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
    }


def _run_command() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_running_twice_changes_nothing(demo):
    before = _snapshot()
    again = load_demo()
    assert _snapshot() == before
    assert not again.changed
    assert again.courses_unchanged == demo.courses_created
    assert again.images_reused == demo.images_created
    for parent in Page.objects.filter(depth__lte=4):
        slugs = Counter(parent.get_children().values_list("slug", flat=True))
        assert all(count == 1 for count in slugs.values()), (parent, slugs)
    titles = Counter(get_image_model().objects.values_list("title", flat=True))
    assert all(count == 1 for count in titles.values())


def test_every_domain_has_courses_of_three_or_more_live_modules(demo):
    courses = CoursePage.objects.live().filter(**ENGLISH)
    assert courses.count() >= 6
    for domain in DomainPage.objects.filter(**ENGLISH):
        assert domain.introduction, domain
        assert CoursePage.objects.child_of(domain).live().exists(), domain
    assert {d.working_group for d in DomainPage.objects.filter(**ENGLISH)} == set(
        WorkingGroup.values)
    for course in courses:
        assert ModulePage.objects.child_of(course).live().count() >= 3, course
        assert course.summary and course.description and course.prerequisites
        assert course.intended_audience and len(course.learning_objectives) >= 3
        assert course.cover_image is not None and course.language == "en"
        assert course.cpd_credit_hours > 0 and course.educators.count() >= 1
        block_types = {
            block.block_type
            for module in ModulePage.objects.child_of(course)
            for block in module.body
        }
        assert {"case_vignette", "key_point", "glossary_term", "references"} <= block_types
        cover = course.cover_image
        assert (cover.width, cover.height) == (1200, 675) and cover.file.size < 30_000


def test_every_demo_page_renders(client, demo):
    pages = [
        *HomePage.objects.all(),
        *DomainPage.objects.all(),
        *CoursePage.objects.all(),
        *ModulePage.objects.all(),
    ]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
    found = CoursePage.objects.live().search("carbamazepine")
    assert any(course.slug == "preventing-sjs-ten-with-hla-testing" for course in found)


def test_running_again_restores_a_course_an_editor_changed(demo):
    course = CoursePage.objects.get(slug="preventing-sjs-ten-with-hla-testing", **ENGLISH)
    shipped_summary = course.summary
    course.summary = "Edited by an editor."
    course.save_revision().publish()
    module = ModulePage.objects.child_of(course).first()
    module.body = [("rich_text", "<p>An editor's draft.</p>")]
    module.save_revision()  # a draft, not published
    pages = Page.objects.count()

    again = load_demo()

    assert Page.objects.count() == pages
    assert (again.courses_updated, again.modules_updated) == (1, 1)
    course.refresh_from_db()
    module.refresh_from_db()
    assert course.summary == shipped_summary
    assert not module.has_unpublished_changes
    assert "editor" not in str(module.body)


def test_command_prints_a_working_administrator_when_debug_is_on(client, settings):
    settings.DEBUG = True
    settings.ALLELE_DEMO_ADMIN_EMAIL = ADMIN_EMAIL
    output = _run_command()

    password = re.search(r"password:\s*(\S+)", output).group(1)
    assert ADMIN_EMAIL in output
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff
    assert admin.groups.filter(name=Role.SITE_ADMINISTRATOR.value).exists()
    assert EmailAddress.objects.filter(
        user=admin, email=ADMIN_EMAIL, primary=True, verified=True
    ).exists()
    assert core_api.has_complete_profile(user=admin)
    assert client.login(username=admin.username, password=password)
    client.logout()
    response = client.post(reverse("account_login"), {"login": ADMIN_EMAIL, "password": password})
    assert response.status_code == 302
    assert reverse("profile") not in response.url  # the profile form is already done


def test_command_skips_the_administrator_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.ALLELE_DEMO_ADMIN_EMAIL = ADMIN_EMAIL
    output = _run_command()

    assert "createsuperuser" in output
    assert "password:" not in output
    assert not get_user_model().objects.filter(email=ADMIN_EMAIL).exists()
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_each_run_sets_a_fresh_password_on_the_same_account(settings):
    settings.DEBUG = True
    first, old_password = core_api.ensure_demo_administrator(email=ADMIN_EMAIL)
    second, new_password = core_api.ensure_demo_administrator(email=ADMIN_EMAIL)
    assert first.pk == second.pk and old_password != new_password
    second.refresh_from_db()
    assert second.check_password(new_password) and not second.check_password(old_password)
    assert EmailAddress.objects.filter(email=ADMIN_EMAIL).count() == 1


def test_the_administrator_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        core_api.ensure_demo_administrator(email=ADMIN_EMAIL)
    assert not get_user_model().objects.filter(email=ADMIN_EMAIL).exists()


def test_the_demo_gives_the_reviews_due_report_something_to_show(demo):
    """One demo course is overdue for clinical review and one falls due soon (fixed dates,
    so a second load changes nothing); the rest were reviewed in September 2026."""
    from courses import reports

    administrator = get_user_model().objects.create_superuser("root@example.org", "x")
    rows = reports.review_rows(
        viewer=administrator, today=datetime.date(2026, 11, 22), mine_only=False
    )
    statuses = {row.title: row.status for row in rows if row.kind == "course"}
    assert statuses == {"Genomic data standards: from VCF to FHIR": "overdue",
                        "Consent and data sharing in genomic medicine": "due_soon"}
    overdue_modules = [row for row in rows if row.kind == "module" and row.status == "overdue"]
    assert len(overdue_modules) == 3


def test_the_sjs_course_is_translated_into_french_and_arabic(client, demo):
    """Made through wagtail-localize: same path, titles in the reader's language."""
    course = CoursePage.objects.get(slug="preventing-sjs-ten-with-hla-testing", **ENGLISH)
    translations = {page.locale.language_code: page for page in CoursePage.objects.filter(
        translation_key=course.translation_key).select_related("locale")}
    assert set(translations) == {"en", "fr", "ar"}
    assert translations["fr"].title == "Prévenir le SJS/NET grâce au typage HLA"
    assert translations["fr"].url == course.url and translations["fr"].live
    assert ModulePage.objects.child_of(translations["fr"]).live().count() == 4
    client.cookies["django_language"] = "fr"
    html = client.get(course.url).content.decode()
    assert "Prévenir le SJS/NET grâce au typage HLA" in html
    assert "Le SJS/NET et l&#x27;histoire du HLA" in html
    catalog = client.get("/").content.decode()
    assert "Prévenir le SJS/NET grâce au typage HLA" in catalog
    assert "English" in catalog and "Français" in catalog and "العربية" in catalog
