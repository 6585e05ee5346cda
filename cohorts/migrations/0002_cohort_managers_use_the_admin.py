"""Cohort managers work in the Wagtail admin (the Cohorts area), so their group may
open it. What they see there is limited by cohorts.api, not by this permission."""

from django.db import migrations

COHORT_MANAGER = "Cohort manager"


def _access_admin(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=COHORT_MANAGER)
    group.permissions.add(_access_admin(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=COHORT_MANAGER):
        group.permissions.remove(_access_admin(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0001_cohorts_imports_reminders"),
        ("core", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
