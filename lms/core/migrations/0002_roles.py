"""Create the four roles as groups, with the model permissions each needs.

Page permissions (what an educator may edit in the catalog) are granted in
courses' migrations, once the catalog's home page exists.
"""

from django.db import migrations

LEARNER = "Learner"
EDUCATOR = "Educator"
COHORT_MANAGER = "Cohort manager"
SITE_ADMINISTRATOR = "Site administrator"

MEDIA_PERMISSIONS = {
    "wagtailimages": ("image", ["add_image", "change_image", "choose_image"]),
    "wagtaildocs": ("document", ["add_document", "change_document", "choose_document"]),
}
SITE_ADMIN_MEDIA = {
    "wagtailimages": ("image", ["delete_image"]),
    "wagtaildocs": ("document", ["delete_document"]),
}
SITE_ADMIN_MODEL_PERMISSIONS = [
    ("core", "user", ["add_user", "change_user", "view_user"]),
    ("auth", "group", ["view_group"]),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0]
              for name in (LEARNER, EDUCATOR, COHORT_MANAGER, SITE_ADMINISTRATOR)}
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for name in (EDUCATOR, SITE_ADMINISTRATOR):
        groups[name].permissions.add(access_admin)
    for app_label, model, codenames in SITE_ADMIN_MODEL_PERMISSIONS:
        for codename in codenames:
            groups[SITE_ADMINISTRATOR].permissions.add(
                _permission(apps, app_label, model, codename)
            )

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is None:
        return
    grants = [(EDUCATOR, MEDIA_PERMISSIONS), (SITE_ADMINISTRATOR, MEDIA_PERMISSIONS),
              (SITE_ADMINISTRATOR, SITE_ADMIN_MEDIA)]
    for group_name, by_app in grants:
        for app_label, (model, codenames) in by_app.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[group_name],
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[LEARNER, EDUCATOR, COHORT_MANAGER, SITE_ADMINISTRATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
