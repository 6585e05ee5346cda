"""Course translations (ADR 0011): a Locale for every language of the site, and domains
unique per working group and locale instead of per working group (a translated course's
domain has a translation, or an alias, in the course's new language)."""

from django.conf import settings
from django.db import migrations, models


def create_locales(apps, schema_editor):
    """One Locale per configured language; idempotent."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0010_interactive_components"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunPython(create_locales, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="domainpage",
            name="working_group",
            field=models.CharField(
                choices=[("communications", "Communications"), ("education", "Education"),
                         ("evidence", "Evidence"), ("it-bioinformatics", "IT/Bioinformatics"),
                         ("pharmacogenomics", "Pharmacogenomics"), ("policy", "Policy")],
                db_index=True, max_length=32),
        ),
    ]
