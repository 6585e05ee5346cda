from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from django.db.models.signals import post_delete
        from wagtail.signals import published, unpublished

        from assessments import personal_data
        from assessments.models import Question, Quiz
        from courses import api as courses_api

        # Module and course pages show quizzes; they are cached against the catalog
        # version, so publishing a quiz or a question must move it (ADR 0003, 0004).
        for model in (Quiz, Question):
            for signal in (published, unpublished, post_delete):
                signal.connect(courses_api.note_catalog_changed, sender=model,
                               dispatch_uid=f"allele-catalog-{model.__name__}-{signal!r}")
        personal_data.register()
