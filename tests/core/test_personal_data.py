"""Every model that holds personal data is declared by some app (lms/core/personal_data.py).

A model holds personal data when it points at the user model (a foreign key, one-to-one or
many-to-many) or has a field named like a person's details. It must be named by an app's
``PersonalDataDeclaration`` (which exports and erases it) or listed in ``NOT_DECLARED`` with
the reason nobody needs to.
"""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from lms.core.personal_data import (
    PersonalDataDeclaration,
    declared_models,
    model_rows,
    personal_data_declarations,
)

# Field names that say "a person's details" wherever they appear.
PERSONAL_FIELD_NAMES = frozenset({
    "email", "email_address", "full_name", "first_name", "last_name", "learner_name",
    "ip_address", "user_agent", "phone", "phone_number", "date_of_birth", "recipient",
})

# Models that match the rule above but hold no one's personal data, or whose personal data
# is handled elsewhere. Each entry says why.
NOT_DECLARED = {
    # A public biography editors write about a course author, not linked to any account:
    # it is course content, changed or removed by editors on request.
    "editorial.Educator": "editorial content, not an account's data",
}


def _local_relations_to_user(model) -> list[str]:
    user_model = get_user_model()
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [field.name for field in fields
            if field.is_relation and field.related_model is user_model]


def _personal_fields(model) -> list[str]:
    return [field.name for field in model._meta.local_fields
            if field.name in PERSONAL_FIELD_NAMES]


def holds_personal_data(model) -> bool:
    return bool(_local_relations_to_user(model) or _personal_fields(model))


def undeclared_models(declarations) -> list[str]:
    declared = declared_models(declarations) | set(NOT_DECLARED)
    return sorted(
        model._meta.label for model in apps.get_models()
        if holds_personal_data(model) and model._meta.label not in declared
    )


def test_every_model_holding_personal_data_is_declared():
    missing = undeclared_models(personal_data_declarations())
    assert missing == [], (
        "These models hold personal data (a link to the user or a person's details) but no "
        "app declares them (see lms/core/personal_data.py): " + ", ".join(missing))


def test_a_model_missing_from_the_declarations_is_reported():
    """The check above can fail: drop the courses app's declaration and its models show up."""
    without_courses = [d for d in personal_data_declarations() if d.app_label != "courses"]
    assert {"courses.Enrollment", "courses.ModuleProgress", "courses.ReviewReminder"} <= set(
        undeclared_models(without_courses))


def test_a_new_model_with_a_personal_field_counts_as_personal_data():
    """A model no app has heard of, with an e-mail column, or a link to the user."""
    emailed = SimpleNamespace(_meta=SimpleNamespace(
        local_fields=[models.EmailField(name="email")], local_many_to_many=[]))
    linked_field = models.ForeignKey(get_user_model(), on_delete=models.CASCADE)
    linked_field.name = "owner"
    linked = SimpleNamespace(_meta=SimpleNamespace(local_fields=[linked_field],
                                                   local_many_to_many=[]))
    plain = SimpleNamespace(_meta=SimpleNamespace(
        local_fields=[models.CharField(name="title")], local_many_to_many=[]))
    assert holds_personal_data(emailed)
    assert holds_personal_data(linked)
    assert not holds_personal_data(plain)


def test_every_allow_listed_and_declared_model_exists():
    """A renamed model would otherwise leave a stale entry that hides nothing."""
    labels = {model._meta.label for model in apps.get_models()}
    assert set(NOT_DECLARED) <= labels
    assert declared_models() - labels == set()


def test_every_declaration_says_what_it_keeps_in_a_sentence_or_nothing():
    for declaration in personal_data_declarations():
        statement = str(declaration.kept_after_erasure)
        assert statement == "" or statement.endswith("."), declaration.app_label


@pytest.mark.django_db
def test_model_rows_are_plain_json_values(learner):
    import json

    from lms.core.models import LearnerProfile

    rows = model_rows(LearnerProfile.objects.filter(user=learner))
    assert rows[0]["full_name"] == "Amina Yusuf"
    assert rows[0]["country"] == "KE"
    assert rows[0]["user_id"] == learner.pk
    json.dumps(rows)  # dates, countries and ids all serialise


def test_declarations_are_data():
    declaration = PersonalDataDeclaration(app_label="x", models=("x.Y",),
                                          export=lambda user: {}, erase=lambda user: None)
    assert declared_models([declaration]) == {"x.Y"}
