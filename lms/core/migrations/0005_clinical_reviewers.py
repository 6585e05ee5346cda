"""Create the Clinical reviewers group: it may use the admin. Its rights over pages,
quizzes and questions, and the workflow it approves in, are set up by assessments'
``0004_clinical_review_workflow`` (they need the catalog and the snippet models)."""

from django.db import migrations

CLINICAL_REVIEWERS = "Clinical reviewers"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group, _ = Group.objects.get_or_create(name=CLINICAL_REVIEWERS)
    group.permissions.add(access_admin)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLINICAL_REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_user_learning_state_version")]

    operations = [migrations.RunPython(create_group, remove_group)]
