"""Let educators build the Library and site administrators look after it.

Educators add, change and choose references, glossary terms and educators, and choose
competencies; site administrators may also delete them and edit competency frameworks.
"""

from django.db import migrations

EDUCATOR = "Educator"
SITE_ADMINISTRATOR = "Site administrator"
AUTHORED = ("reference", "glossaryterm", "educator")
FRAMEWORKS = ("competencyframework", "competency")
GRANTS = {
    EDUCATOR: [(model, action) for model in AUTHORED for action in ("add", "change", "view")]
    + [(model, "view") for model in FRAMEWORKS],
    SITE_ADMINISTRATOR: [(model, action) for model in AUTHORED + FRAMEWORKS
                         for action in ("add", "change", "delete", "view")],
}


def _permission(apps, model, action):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="editorial", model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=f"{action}_{model}",
        defaults={"name": f"Can {action} {model}"},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, grants in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*(_permission(apps, m, a) for m, a in grants))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(
                content_type__app_label="editorial",
                codename__in=[f"{a}_{m}" for m, a in grants]))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_seed_genomic_medicine_framework"),
        ("core", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
