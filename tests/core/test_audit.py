"""The audit trail's core: what an entry holds, that it is written with the change it
records (or not at all), that it cannot be changed, and that role changes are recorded
however they are made."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import RequestFactory

from lms.core import api
from lms.core.models import AuditEntry
from lms.core.roles import Role
from tests import factories


@pytest.fixture
def admin_user(db):
    person = factories.make_user(email="admin@example.org")
    person.is_superuser = person.is_staff = True
    person.save()
    return person


def _request(**meta):
    return RequestFactory().post("/", HTTP_USER_AGENT="Mozilla/5.0 (Android 10) " + "x" * 400,
                                 **meta)


def test_an_entry_holds_who_what_when_and_from_where(admin_user, learner):
    entry = api.record_audit(
        actor=admin_user, action=api.AuditAction.EXPORT_MADE, target=learner, subject=learner,
        summary="Exported", details={"rows": 3}, request=_request(REMOTE_ADDR="203.0.113.9"),
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_label, entry.action) == (
        admin_user, "admin@example.org", "export_made")
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "core.user", str(learner.pk), str(learner))
    assert entry.subject == learner and entry.details == {"rows": 3}
    assert entry.ip_address == "203.0.113.9"
    assert entry.user_agent.startswith("Mozilla/5.0") and len(entry.user_agent) == 300
    assert entry.occurred_at is not None


def test_the_address_behind_a_trusted_proxy_is_the_clients_whole_address(settings, admin_user):
    settings.ALLELE_RATE_LIMIT_PROXY_HEADER = "X-Forwarded-For"
    settings.ALLELE_RATE_LIMIT_PROXY_COUNT = 1
    request = _request(REMOTE_ADDR="10.0.0.2",
                       HTTP_X_FORWARDED_FOR="1.2.3.4, 2001:db8::1234:5678")
    entry = api.record_audit(actor=admin_user, action=api.AuditAction.EXPORT_MADE,
                             request=request)
    assert entry.ip_address == "2001:db8::1234:5678"  # not the /64 rate limits count


def test_a_request_with_no_usable_address_is_recorded_without_one(admin_user):
    entry = api.record_audit(actor=admin_user, action=api.AuditAction.IMPORT_RUN,
                             request=_request(REMOTE_ADDR="not-an-address"))
    assert entry.ip_address is None


def test_a_rolled_back_change_leaves_no_entry(admin_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        api.record_audit(actor=admin_user, action=api.AuditAction.IMPORT_RUN)
        raise RuntimeError("the import failed")
    assert not AuditEntry.objects.exists()


def test_entries_cannot_be_changed_or_deleted_in_code(admin_user):
    entry = api.record_audit(actor=admin_user, action=api.AuditAction.IMPORT_RUN, summary="a")
    entry.summary = "b"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="b")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().summary == "a"


def test_the_entry_outlives_the_accounts_it_names(admin_user, learner):
    api.record_audit(actor=admin_user, action=api.AuditAction.GRADE_OVERRIDDEN,
                     target=learner, subject=learner)
    admin_user.delete()
    learner.delete()
    entry = AuditEntry.objects.get(action=api.AuditAction.GRADE_OVERRIDDEN)
    assert entry.actor is None and entry.subject is None
    assert entry.actor_label == "admin@example.org"
    # Each deletion is itself recorded (as the system: no request here).
    assert AuditEntry.objects.filter(action=api.AuditAction.ACCOUNT_DELETED).count() == 2


@pytest.mark.postgres
def test_postgresql_refuses_changing_or_deleting_an_entry_behind_djangos_back(admin_user):
    entry = api.record_audit(actor=admin_user, action=api.AuditAction.IMPORT_RUN, summary="a")
    for sql in ("UPDATE core_auditentry SET summary = 'b'",
                "UPDATE core_auditentry SET actor_id = NULL, action = 'export_made'",
                "DELETE FROM core_auditentry"):
        with (pytest.raises(Exception, match="audit entries cannot"), transaction.atomic(),
              connection.cursor() as cursor):
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).summary == "a"


# --- Role changes -------------------------------------------------------------------------


def test_granting_and_removing_a_role_is_recorded_with_no_actor_outside_a_request(learner):
    api.assign_role(user=learner, role=Role.EDUCATOR)
    api.assign_role(user=learner, role=Role.EDUCATOR)  # already in it: nothing new
    learner.groups.remove(Group.objects.get(name=Role.COHORT_MANAGER))  # never in it
    learner.groups.clear()
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "summary", "actor"))
    assert entries == [("role_granted", "Educator", None), ("role_revoked", "Educator", None)]
    assert AuditEntry.objects.filter(subject=learner).count() == 2


def test_groups_that_are_not_roles_are_not_recorded(learner):
    learner.groups.add(Group.objects.create(name="Reading club"))
    assert not AuditEntry.objects.exists()


def test_a_group_members_change_is_recorded_per_member(learner):
    other = factories.make_user(email="other@example.org")
    group = Group.objects.get(name=Role.EDUCATOR)
    group.user_set.add(learner, other)
    group.user_set.remove(other)
    assert sorted(AuditEntry.objects.values_list("action", "subject")) == sorted([
        ("role_granted", learner.pk), ("role_granted", other.pk), ("role_revoked", other.pk)])


def test_a_role_change_in_the_user_admin_names_the_administrator_and_address(
        client, admin_user, learner):
    client.force_login(admin_user)
    educators = Group.objects.get(name=Role.EDUCATOR)
    response = client.post(f"/admin/users/edit/{learner.pk}/", {
        "username": learner.username, "email": learner.email, "first_name": "Amina",
        "last_name": "Yusuf", "is_active": "on", "groups": [educators.pk],
        "password1": "", "password2": "",
    }, REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox/140")
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.summary, entry.actor, entry.subject) == (
        "role_granted", "Educator", admin_user, learner)
    assert (entry.ip_address, entry.user_agent) == ("198.51.100.7", "Firefox/140")
