"""Making translations the way educators do, through wagtail-localize's own API."""

from wagtail.models import Locale
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.operations import translate_object


def locale(code: str) -> Locale:
    return Locale.objects.get(language_code=code)


def translate(instance, code: str, texts: dict[str, str], *, publish: bool = True):
    """Translate ``instance`` (a page or snippet) into ``code`` with wagtail-localize:
    submit it for translation, translate the source strings found in ``texts`` (the rest
    stay as in the source), save the translation and return it, reloaded."""
    target = locale(code)
    translate_object(instance, [target])
    source = TranslationSource.objects.get_for_instance(instance)
    for segment in StringSegment.objects.filter(source=source).select_related(
            "string", "context"):
        if segment.string.data in texts:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string, locale=target, context=segment.context,
                defaults={"data": texts[segment.string.data]})
    Translation.objects.get(source=source, target_locale=target).save_target(publish=publish)
    model = type(instance)
    made = model._default_manager.get(translation_key=instance.translation_key, locale=target)
    if publish:  # wagtail-localize publishes on commit, which a test's transaction never sees
        made.get_latest_revision().publish()
        made = model._default_manager.get(pk=made.pk)
    return made
