"""Demo translations: the SJS/TEN course in French and Arabic, made the way an educator
makes them, through wagtail-localize (ADR 0011).

Titles and summaries are translated; every other text stays in English until an editor
translates it in the admin's translation editor. Idempotent: a course that already has a
translation in a language is left alone (an editor may have worked on it since).
"""

from typing import TextIO

from django.db import transaction
from wagtail.models import Locale, Page

from courses.pages import CoursePage

COURSE_SLUG = "preventing-sjs-ten-with-hla-testing"

TEXTS = {
    "fr": {
        "Preventing SJS/TEN with HLA testing": "Prévenir le SJS/NET grâce au typage HLA",
        "How testing for HLA-B*15:02 and HLA-B*58:01 before carbamazepine, oxcarbazepine "
        "and allopurinol prevents Stevens-Johnson syndrome and toxic epidermal necrolysis.":
        "Comment le typage HLA-B*15:02 et HLA-B*58:01 avant la carbamazépine, "
        "l'oxcarbazépine et l'allopurinol prévient le syndrome de Stevens-Johnson et la "
        "nécrolyse épidermique toxique.",
        "SJS/TEN and the HLA story": "Le SJS/NET et l'histoire du HLA",
        "What Stevens-Johnson syndrome and toxic epidermal necrolysis are, and why a "
        "single HLA allele can predict them.":
        "Ce que sont le syndrome de Stevens-Johnson et la nécrolyse épidermique toxique, et "
        "pourquoi un seul allèle HLA permet de les prévoir.",
        "HLA-B*15:02, carbamazepine and oxcarbazepine":
        "HLA-B*15:02, carbamazépine et oxcarbazépine",
        "Who to test before carbamazepine or oxcarbazepine, how to read the result, and "
        "what CPIC recommends.":
        "Qui tester avant la carbamazépine ou l'oxcarbazépine, comment lire le résultat et "
        "ce que recommande le CPIC.",
        "HLA-B*58:01 and allopurinol": "HLA-B*58:01 et allopurinol",
        "Allopurinol is a common cause of SJS/TEN in Asia; testing for HLA-B*58:01 before "
        "the first dose prevents most cases.":
        "L'allopurinol est une cause fréquente de SJS/NET en Asie ; le typage HLA-B*58:01 "
        "avant la première dose prévient la plupart des cas.",
        "Putting pre-prescription HLA testing into practice":
        "Le typage HLA avant prescription en pratique",
        "Ordering, turnaround, recording the result for life, and what to tell patients.":
        "Prescrire le test, délais, consigner le résultat à vie et informer les patients.",
    },
    "ar": {
        "Preventing SJS/TEN with HLA testing":
        "الوقاية من متلازمة ستيفنز جونسون وانحلال البشرة النخري السمي بفحص HLA",
        "SJS/TEN and the HLA story": "متلازمة ستيفنز جونسون وقصة HLA",
        "HLA-B*15:02, carbamazepine and oxcarbazepine":
        "HLA-B*15:02 والكاربامازيبين والأوكسكاربازيبين",
        "HLA-B*58:01 and allopurinol": "HLA-B*58:01 والألوبيورينول",
        "Putting pre-prescription HLA testing into practice":
        "فحص HLA قبل وصف الدواء في الممارسة",
    },
}


def load_translations(*, stdout: TextIO | None = None) -> int:
    """Translate the demo course and its modules into each language of TEXTS that the
    site has and the course lacks; returns how many pages were translated."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    course = CoursePage.objects.filter(slug=COURSE_SLUG, locale=Locale.get_default()).first()
    if course is None:
        return 0
    made = 0
    for code, texts in TEXTS.items():
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None or CoursePage.objects.filter(
                translation_key=course.translation_key, locale=locale).exists():
            continue
        pages: list[Page] = [course, *course.get_children().live().specific()]
        with transaction.atomic():
            for page in pages:
                source, _created = TranslationSource.get_or_create_from_instance(page)
                Translation.objects.get_or_create(source=source, target_locale=locale)
                for segment in StringSegment.objects.filter(source=source).select_related(
                        "string", "context"):
                    if segment.string.data in texts:
                        StringTranslation.objects.update_or_create(
                            translation_of=segment.string, locale=locale,
                            context=segment.context,
                            defaults={"data": texts[segment.string.data]})
                # Saved as a draft, then published here and now (save_target would
                # publish when the transaction commits, after the modules need it).
                translated = source.create_or_update_translation(
                    locale, publish=False, copy_parent_pages=True, fallback=True)[0]
                translated.get_latest_revision().publish()
                made += 1
        if stdout is not None:
            stdout.write(f"Translated {course.title} into {code} ({len(pages)} pages)\n")
    return made
