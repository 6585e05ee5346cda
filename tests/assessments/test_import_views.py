"""Importing and exporting questions in the Wagtail admin: all or nothing, every bad line
shown, no duplicates on re-upload, UTF-8 only, GIFT export round trip, permissions."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.gift import parse_gift
from assessments.grading import grade
from assessments.models import Question
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/admin/assessments/import/"
EXPORT = "/admin/assessments/export/"
BROKEN = Path(__file__).parents[1] / "data" / "gift" / "mixed_errors.gift"

GIFT = """// Three questions for the bank.
$CATEGORY: $course$/top/Pharmacogenomics

::HLA-B*15\\:02::Which drug needs HLA-B*15\\:02 screening first? {
=Carbamazepine#Right: SJS risk.
~Paracetamol
~Amoxicillin
}

::Warfarin T/F::VKORC1 variants change the warfarin dose.{T}

::Carrier risk::Carrier risk of an unaffected sibling? {#0.6667:0.01}
"""

AIKEN = """Which gene is mutated in cystic fibrosis?
A. CFTR
B. BRCA1
ANSWER: A
"""


@pytest.fixture
def author(client):
    """An educator who may add and change questions in the bank."""
    person = factories.make_user(email="grace@example.org")
    core_api.assign_role(user=person, role=Role.EDUCATOR)
    person.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=["add_question", "change_question", "view_question"]))
    client.force_login(person)
    return person


def upload(client, content: bytes | str, name: str = "bank.gift", **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data), "format": "auto",
                             "domain": "", "topic": "", "difficulty": "", **fields})


def test_a_valid_file_creates_gradable_questions(client, author):
    response = upload(client, GIFT)
    assert response.status_code == 302
    types = {q.title: q.question_type for q in Question.objects.all()}
    assert types == {"HLA-B*15:02": "single_choice", "Warfarin T/F": "true_false",
                     "Carrier risk": "numeric"}
    hla = Question.objects.get(title="HLA-B*15:02").definition()
    right = next(choice for choice in hla.choices if choice.text == "Carbamazepine")
    assert grade(hla, {"choice": right.id}).correct
    assert not grade(hla, {"choice": hla.choices[1].id}).correct
    assert grade(Question.objects.get(title="Carrier risk").definition(),
                 {"value": "0.67"}).correct
    assert Question.objects.get(title="Warfarin T/F").topic == "Pharmacogenomics"


def test_form_tags_apply_and_aiken_by_extension(client, author):
    response = upload(client, AIKEN, name="cf.aiken", domain="education", topic="CF",
                      difficulty="easy")
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.question_type, question.domain, question.topic, question.difficulty) == (
        "single_choice", "education", "CF", "easy")
    assert question.title == "Which gene is mutated in cystic fibrosis?"


def test_a_broken_file_imports_nothing_and_lists_every_line(client, author):
    response = upload(client, BROKEN.read_bytes())
    assert response.status_code == 200
    assert not Question.objects.exists()
    page = response.content.decode()
    assert "Nothing was imported: 8 problems." in page
    for line in (5, 7, 12, 14, 16, 20, 22, 26):
        assert f"Line {line}:" in page
    assert "is not a number" in page


def test_reupload_updates_instead_of_duplicating(client, author):
    upload(client, GIFT)
    ids = sorted(Question.objects.values_list("pk", flat=True))
    upload(client, GIFT.replace("~Amoxicillin", "~Amoxicillin#No."))
    assert sorted(Question.objects.values_list("pk", flat=True)) == ids


@pytest.mark.parametrize(("content", "expected"), [
    ("Which gene? {=CFTR ~BRCA1}\n".encode("latin-1") + "Zoë {=a ~b}".encode("latin-1"),
     "not UTF-8 text (the first character that is not is on line 2)"),
    ("Which gene? {=CFTR ~BRCA1}".encode("utf-16"), "UTF-16 text"),
])
def test_other_encodings_are_refused(client, author, content, expected):
    response = upload(client, content)
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Question.objects.exists()


def test_utf8_with_bom_is_accepted(client, author):
    assert upload(client, "\ufeff" + GIFT).status_code == 302
    assert Question.objects.count() == 3


def test_unknown_extension_asks_for_the_format(client, author):
    response = upload(client, GIFT, name="bank.txt")
    assert "Choose the format" in response.content.decode()
    assert upload(client, GIFT, name="bank.txt", format="gift").status_code == 302


def test_export_round_trips(client, author):
    upload(client, GIFT)
    response = client.get(EXPORT, {"topic": "pharmacogenomics"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.gift"')
    exported = {d.id: d for d in parse_gift(response.content)}
    for question in Question.objects.all():
        definition = question.definition()
        assert exported[definition.id].to_dict() | {"tags": None} == (
            definition.to_dict() | {"tags": None})
    some = Question.objects.get(title="Carrier risk")
    assert len(parse_gift(client.get(EXPORT, {"id": some.pk}).content)) == 1


def test_learners_cannot_import(client, learner):
    client.force_login(learner)
    assert client.get(URL).status_code == 302  # no admin access: to the login page
    assert upload(client, GIFT).status_code == 302
    assert client.get(EXPORT, {"topic": ""}).status_code == 302
    assert not Question.objects.exists()


def test_any_educator_may_import_and_her_questions_wait_for_review(client):
    """Educators author questions without a per-person grant (the review workflow, not a
    missing permission, keeps unreviewed questions from learners)."""
    educator = factories.make_user(email="educator@example.org")
    core_api.assign_role(user=educator, role=Role.EDUCATOR)
    client.force_login(educator)
    assert upload(client, GIFT).status_code == 302
    assert Question.objects.exists()
    assert not Question.objects.filter(live=True).exists()


def test_the_bank_menu_links_to_import(client, author):
    assert URL in client.get("/admin/").content.decode()
