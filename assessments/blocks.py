"""The question editor: one StreamField block per question type, and the conversion of
an edited block into a ``questions.py`` definition.

Ids come from Wagtail: the question's id is its StreamField block UUID, a choice's (or
an ordering item's, a matching pair's) is its ListBlock item id, so they survive edits
that reorder or reword. Choice texts and feedback are plain text (escaped here);
stems, explanations and vignettes are sanitised rich text.
"""

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from assessments.questions import SCHEMA_VERSION
from lms.core.blocks import SanitizedRichTextBlock

SCORING_CHOICES = [("partial", _("Partial credit")), ("all_or_nothing", _("All or nothing"))]


class AnswerChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(
        required=False, max_length=1000, help_text=_("Shown to a learner who picks this choice.")
    )


class AcceptedAnswerBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=1000)
    credit = blocks.DecimalBlock(default=1, min_value=0, max_value=1, decimal_places=2)
    feedback = blocks.CharBlock(required=False, max_length=1000)


class MatchPairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=500)
    answer = blocks.CharBlock(max_length=500)


def _stem():
    return [("stem", SanitizedRichTextBlock(label=_("Question")))]


def _cited():
    """References chosen from the Library; their citations are copied into the question's
    definition (so attempts keep them) after the ones typed above."""
    return blocks.ListBlock(
        SnippetChooserBlock("editorial.Reference"), default=[], required=False,
        label=_("References from the Library"),
    )


def _common():
    return [
        ("explanation", SanitizedRichTextBlock(
            required=False, help_text=_("Shown with the result, per the quiz's feedback setting."),
        )),
        ("references", blocks.ListBlock(blocks.CharBlock(max_length=500), default=[])),
        ("cited", _cited()),
        ("points", blocks.DecimalBlock(default=1, min_value=0, decimal_places=2)),
    ]


def _choices():
    return [("choices", blocks.ListBlock(AnswerChoiceBlock(), min_num=2))]


def _question_types():
    text = {"required": False, "max_length": 1000}
    return [
        ("single_choice", blocks.StructBlock(
            [*_stem(), *_choices(), *_common()], label=_("Single choice"), icon="radio-full")),
        ("multiple_response", blocks.StructBlock(
            [*_stem(), *_choices(),
             ("scoring", blocks.ChoiceBlock(SCORING_CHOICES, default="partial")), *_common()],
            label=_("Multiple response"), icon="tasks")),
        ("true_false", blocks.StructBlock(
            [*_stem(),
             ("answer", blocks.BooleanBlock(required=False, label=_("The statement is true"))),
             ("feedback_true", blocks.CharBlock(**text)),
             ("feedback_false", blocks.CharBlock(**text)), *_common()],
            label=_("True/false"), icon="tick")),
        ("numeric", blocks.StructBlock(
            [*_stem(), ("answer", blocks.DecimalBlock()),
             ("tolerance", blocks.DecimalBlock(default=0, min_value=0)),
             ("tolerance_kind", blocks.ChoiceBlock(
                 [("absolute", _("Absolute")), ("relative", _("Relative (0.05 = 5 %)"))],
                 default="absolute")),
             ("unit", blocks.CharBlock(required=False, max_length=50)),
             ("accepted_units", blocks.CharBlock(
                 required=False, max_length=200,
                 help_text=_("Other accepted spellings of the unit, separated by commas."))),
             ("feedback", blocks.CharBlock(**text)), *_common()],
            label=_("Numeric"), icon="decimal")),
        ("short_text", blocks.StructBlock(
            [*_stem(), ("answers", blocks.ListBlock(AcceptedAnswerBlock(), min_num=1)),
             ("case_sensitive", blocks.BooleanBlock(required=False)),
             ("accent_sensitive", blocks.BooleanBlock(required=False)), *_common()],
            label=_("Short text"), icon="edit")),
        ("matching", blocks.StructBlock(
            [*_stem(), ("pairs", blocks.ListBlock(MatchPairBlock(), min_num=2)),
             ("distractors", blocks.ListBlock(blocks.CharBlock(max_length=500), default=[],
                                              help_text=_("Answers that match no prompt."))),
             *_common()],
            label=_("Matching"), icon="link")),
        ("ordering", blocks.StructBlock(
            [*_stem(), ("items", blocks.ListBlock(
                blocks.CharBlock(max_length=500), min_num=2,
                help_text=_("In the correct order; learners see them shuffled."))),
             ("scoring", blocks.ChoiceBlock(SCORING_CHOICES, default="partial")), *_common()],
            label=_("Ordering"), icon="list-ol")),
    ]


class CasePartsBlock(blocks.StreamBlock):
    """The questions of a case set: any type but another case set."""

    def __init__(self, **kwargs):
        super().__init__(_question_types(), **kwargs)


class QuestionBlock(blocks.StreamBlock):
    """One question, of any type (a Question snippet holds exactly one)."""

    def __init__(self, **kwargs):
        case_set = blocks.StructBlock(
            [("vignette", SanitizedRichTextBlock()), ("parts", CasePartsBlock(min_num=1)),
             ("explanation", SanitizedRichTextBlock(required=False)),
             ("references", blocks.ListBlock(blocks.CharBlock(max_length=500), default=[])),
             ("cited", _cited())],
            label=_("Case-based set"), icon="doc-full",
        )
        super().__init__([*_question_types(), ("case_set", case_set)], **kwargs)


# --- Block value -> definition dict ---------------------------------------------------------


def _html(value: Any) -> str:
    return getattr(value, "source", value) or ""


def _plain(value: Any) -> str:
    return escape(value or "")


def _decimal(value: Any, default: str = "0") -> str:
    return str(value if isinstance(value, Decimal | int) else default)


def _items(list_value) -> list[tuple[str, Any]]:
    return [(child.id, child.value) for child in list_value.bound_blocks]


def _choice_list(value) -> list[dict]:
    return [{"id": item_id, "text": _plain(choice["text"]), "correct": bool(choice["correct"]),
             "feedback": _plain(choice["feedback"])}
            for item_id, choice in _items(value["choices"])]


def _matching(value) -> dict:
    answers: dict[str, dict] = {}  # answer text -> answer; two prompts may share an answer
    prompts = []
    for item_id, pair in _items(value["pairs"]):
        answer = answers.setdefault(pair["answer"].strip(),
                                    {"id": f"{item_id}-a", "text": _plain(pair["answer"])})
        prompts.append({"id": item_id, "text": _plain(pair["prompt"]), "answer_id": answer["id"]})
    for item_id, text in _items(value["distractors"]):
        answers.setdefault(text.strip(), {"id": item_id, "text": _plain(text)})
    return {"prompts": prompts, "answers": list(answers.values())}


_BODIES = {
    "single_choice": lambda v: {"choices": _choice_list(v)},
    "multiple_response": lambda v: {"choices": _choice_list(v), "scoring": v["scoring"]},
    "true_false": lambda v: {"answer": bool(v["answer"]),
                             "feedback_true": _plain(v["feedback_true"]),
                             "feedback_false": _plain(v["feedback_false"])},
    "numeric": lambda v: {
        "answer": _decimal(v["answer"]), "tolerance": _decimal(v["tolerance"]),
        "tolerance_kind": v["tolerance_kind"] or "absolute", "unit": (v["unit"] or "").strip(),
        "accepted_units": [u.strip() for u in (v["accepted_units"] or "").split(",") if u.strip()],
        "feedback": _plain(v["feedback"])},
    "short_text": lambda v: {
        "answers": [{"text": a["text"], "credit": _decimal(a["credit"], "1"),
                     "feedback": _plain(a["feedback"])} for a in v["answers"]],
        "case_sensitive": bool(v["case_sensitive"]),
        "accent_sensitive": bool(v["accent_sensitive"])},
    "matching": _matching,
    "ordering": lambda v: {"items": [{"id": item_id, "text": _plain(text)}
                                     for item_id, text in _items(v["items"])],
                           "scoring": v["scoring"]},
}


def _references(value) -> list[str]:
    typed = [ref.strip() for ref in value.get("references") or [] if ref.strip()]
    cited = [ref.as_text() for ref in value.get("cited") or [] if ref is not None]
    return list(dict.fromkeys([*typed, *cited]))


def definition_dict(block_type: str, value, block_id: str, *, title: str = "",
                    tags: dict | None = None) -> dict:
    """The ``questions.py`` JSON form of one question block (validate it with from_dict)."""
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "id": block_id, "type": block_type, "title": title,
        "tags": tags or {}, "explanation": _html(value.get("explanation")),
        "references": _references(value),
    }
    if block_type == "case_set":
        data["vignette"] = _html(value["vignette"])
        data["parts"] = [
            definition_dict(part.block_type, part.value, part.id or f"{block_id}-part-{index}")
            for index, part in enumerate(value["parts"], start=1)
        ]
        return data
    data["stem"] = _html(value["stem"])
    data["points"] = _decimal(value.get("points"), "1")
    data.update(_BODIES[block_type](value))
    return data
