"""The audit trail report in the Wagtail admin: site administrators read it (filter, page,
download); nobody else gets in, and nothing there adds, changes or deletes an entry."""

import datetime
from unittest import mock

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from lms.core import api
from lms.core.models import AuditEntry
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/reports/audit-trail/"


def person(email, role=None, **flags):
    user = factories.make_user(email=email)
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    if role is not None:
        api.assign_role(user=user, role=role)
    return user


@pytest.fixture
def superuser():
    return person("root@example.org", is_superuser=True, is_staff=True)


@pytest.fixture
def site_admin():
    return person("siteadmin@example.org", Role.SITE_ADMINISTRATOR)


def entry(actor, action=api.AuditAction.EXPORT_MADE, summary="Cohort Kisumu as CSV", **extra):
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT="Opera")
    return api.record_audit(actor=actor, action=action, summary=summary, request=request,
                            **extra)


def test_a_site_administrator_sees_who_did_what_when_and_from_where(client, site_admin,
                                                                     learner):
    made = entry(site_admin, api.AuditAction.GRADE_OVERRIDDEN, "Quiz #1, Q2: 0 → 1 / 1",
                 subject=learner)
    client.force_login(site_admin)
    page = client.get(URL).content.decode()
    assert "siteadmin@example.org" in page and "Grade overridden" in page
    assert timezone.localtime(made.occurred_at).strftime("%Y-%m-%dT%H:%M:%S") in page
    assert "198.51.100.23" in page and "Opera" in page
    assert "amina@example.org" in page and "Quiz #1, Q2: 0 → 1 / 1" in page


def test_the_report_is_in_the_reports_menu_for_administrators_only(client, site_admin):
    client.force_login(site_admin)
    assert URL in client.get("/admin/").content.decode()
    educator = person("grace@example.org", Role.EDUCATOR)
    client.force_login(educator)
    assert URL not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", [Role.EDUCATOR, Role.COHORT_MANAGER, Role.CLINICAL_REVIEWER,
                                  None])
def test_nobody_else_reads_it(client, superuser, role):
    entry(superuser, summary="secret-summary")
    client.force_login(person("someone@example.org", role, is_staff=role is not None))
    for response in (client.get(URL), client.get(URL + "?export=csv")):
        assert response.status_code in (302, 403)
        assert "secret-summary" not in response.content.decode()


def test_a_visitor_is_sent_to_sign_in(client, superuser):
    entry(superuser)
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_filters_by_action_person_target_and_dates(client, superuser, site_admin, learner):
    entry(superuser, api.AuditAction.EXPORT_MADE, "first export")
    entry(site_admin, api.AuditAction.IMPORT_RUN, "an import", target=learner)
    forty_days_ago = timezone.now() - datetime.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=forty_days_ago):
        entry(site_admin, api.AuditAction.IMPORT_RUN, "an old import")
    client.force_login(superuser)

    def shown(**query):
        page = client.get(URL, query).content.decode()
        return {text for text in ("first export", "an import", "an old import") if text in page}

    assert shown(action="import_run") == {"an import", "an old import"}
    assert shown(actor="siteadmin") == {"an import", "an old import"}
    assert shown(target="amina") == {"an import"}
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert shown(since=since) == {"first export", "an import"}
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert shown(until=until) == {"an old import"}
    page = client.get(URL, {"since": since, "until": until}).content.decode()
    assert "The start date is after the end date." in page


def test_it_is_paginated_and_downloads_as_csv(client, superuser):
    for number in range(55):
        entry(superuser, summary=f"entry-{number:02d}")
    entry(superuser, summary="=HYPERLINK(\"http://evil\")")
    client.force_login(superuser)
    first = client.get(URL).content.decode()
    assert "entry-54" in first and "entry-00" not in first
    assert "entry-00" in client.get(URL, {"p": 2}).content.decode()
    download = client.get(URL, {"export": "csv", "action": "export_made"})
    text = download.content.decode("utf-8-sig")
    assert download["Content-Type"].startswith("text/csv")
    assert text.count("\n") == 57  # header + 56 entries
    assert "'=HYPERLINK" in text and "198.51.100.23" in text


def test_there_is_no_way_to_add_change_or_delete_an_entry(client, superuser):
    made = entry(superuser, summary="as recorded")
    client.force_login(superuser)
    for name in ("add", "change", "delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:core_auditentry_{name}", args=[] if name == "add" else [made.pk])
    assert client.post(URL, {"summary": "rewritten"}).status_code == 405
    for path in (f"/django-admin/core/auditentry/{made.pk}/change/",
                 f"/django-admin/core/auditentry/{made.pk}/delete/",
                 "/django-admin/core/auditentry/add/"):
        assert client.post(path, {"summary": "rewritten", "post": "yes"}).status_code == 404
    assert AuditEntry.objects.get().summary == "as recorded"
