"""Questions and quizzes become translatable (wagtail-localize), with Wagtail's three steps
for adding TranslatableMixin to a model that has rows: nullable fields, then each
existing row in the default locale with its own translation key, then the constraints."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def populate(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    default, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    for name in ("Question", "Quiz"):
        model = apps.get_model("assessments", name)
        for pk in model.objects.filter(translation_key__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(translation_key=uuid.uuid4(), locale=default)


def fields(model_name: str, *, null: bool) -> list:
    return [
        migrations.AddField(
            model_name=model_name, name="translation_key",
            field=models.UUIDField(null=True, editable=False),
        ) if null else migrations.AlterField(
            model_name=model_name, name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        (migrations.AddField if null else migrations.AlterField)(
            model_name=model_name, name="locale",
            field=models.ForeignKey(
                null=null, editable=False, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="wagtailcore.locale", verbose_name="locale"),
        ),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0007_activity_scores"),
        ("courses", "0011_course_translations"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        *fields("question", null=True),
        *fields("quiz", null=True),
        migrations.RunPython(populate, migrations.RunPython.noop),
        *fields("question", null=False),
        *fields("quiz", null=False),
        migrations.AlterUniqueTogether(name="question",
                                       unique_together={("translation_key", "locale")}),
        migrations.AlterUniqueTogether(name="quiz",
                                       unique_together={("translation_key", "locale")}),
    ]
