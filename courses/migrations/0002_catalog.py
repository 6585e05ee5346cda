"""Replace Wagtail's welcome page with the catalog home and the six G2MC domains,
and grant the roles their rights over the catalog."""

from django.db import migrations

DOMAINS = [
    ("communications", "Communications",
     "Talking about genomics with patients, families and the public."),
    ("education", "Education", "Teaching genomic medicine to every kind of clinician."),
    ("evidence", "Evidence", "Reading variant reports and weighing the evidence for genomic tests."),
    ("it-bioinformatics", "IT/Bioinformatics",
     "Data standards, pipelines and the systems that carry genomic results to the clinic."),
    ("pharmacogenomics", "Pharmacogenomics",
     "Choosing and dosing medicines by genotype, to prevent harm such as SJS/TEN."),
    ("policy", "Policy", "National strategies, consent, data sharing and paying for genomics."),
]
EDUCATOR_PAGE_PERMISSIONS = ["add_page", "publish_page"]
SITE_ADMINISTRATOR_PAGE_PERMISSIONS = [
    "add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page",
]


def _path(parent_path, position):
    return f"{parent_path}{position:04d}"


def create_catalog(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    HomePage = apps.get_model("courses", "HomePage")
    DomainPage = apps.get_model("courses", "DomainPage")

    if HomePage.objects.exists():
        return
    locale = Locale.objects.first() or Locale.objects.create(language_code="en")
    root = Page.objects.get(depth=1)
    # Wagtail's own migration made a "Welcome" page; the catalog takes its place.
    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    Site.objects.all().delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="courses", model="homepage")
    domain_type, _ = ContentType.objects.get_or_create(app_label="courses", model="domainpage")
    home_path = _path(root.path, 1)
    while Page.objects.filter(path=home_path).exists():
        home_path = _path(root.path, int(home_path[-4:]) + 1)
    home = HomePage.objects.create(
        title="Allele", draft_title="Allele", slug="home", content_type=home_type,
        path=home_path, depth=2, numchild=len(DOMAINS), url_path="/home/", live=True,
        locale=locale,
        introduction="<p>Free, short courses in genomic medicine for clinicians, "
                     "written by clinicians, light enough for any connection.</p>",
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    for position, (slug, title, description) in enumerate(DOMAINS, start=1):
        DomainPage.objects.create(
            title=title, draft_title=title, slug=slug, content_type=domain_type,
            path=_path(home.path, position), depth=3, numchild=0,
            url_path=f"/home/{slug}/", live=True, locale=locale,
            working_group=slug, short_description=description,
        )
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk,
                        is_default_site=True, site_name="Allele")

    for group_name, codenames in [("Educator", EDUCATOR_PAGE_PERMISSIONS),
                                  ("Site administrator", SITE_ADMINISTRATOR_PAGE_PERMISSIONS)]:
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=home.pk,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("core", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_catalog, migrations.RunPython.noop)]
