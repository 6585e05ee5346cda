"""Educators write quizzes and questions: they may add, change, view and lock them, never
publish. With the clinical review workflow on both snippets (0004), an educator's work
reaches learners only once a clinical reviewer approves it, so authoring no longer needs
a per-person grant from a site administrator."""

from django.db import migrations

EDUCATOR = "Educator"
MODELS = ["quiz", "question"]
ACTIONS = ["add", "change", "view", "lock"]


def _permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        content_type = ContentType.objects.get_or_create(app_label="assessments", model=model)[0]
        for action in ACTIONS:
            yield Permission.objects.get_or_create(
                content_type=content_type, codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )[0]


def grant(apps, schema_editor):
    educators = apps.get_model("auth", "Group").objects.filter(name=EDUCATOR).first()
    if educators is not None:
        educators.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    educators = apps.get_model("auth", "Group").objects.filter(name=EDUCATOR).first()
    if educators is not None:
        educators.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_question_cites_library_references")]

    operations = [migrations.RunPython(grant, revoke)]
