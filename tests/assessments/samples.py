"""Sample definitions, one per type, whose secrets (answers, feedback) are distinctive
words so a leak into ``public_dict`` is easy to spot."""

from decimal import Decimal

from assessments.questions import (
    CaseSet,
    Choice,
    Item,
    Matching,
    MatchPrompt,
    MultipleResponse,
    Numeric,
    NumericAnswer,
    Ordering,
    Question,
    ShortText,
    SingleChoice,
    Tags,
    TextAnswer,
    TrueFalse,
)

SECRETS = ("zebrafeedback", "walrusexplanation", "okapianswer", "narwhal", "quokka",
           "37.25", "axolotl", "pangolin")


def single(question_id: str = "q-single", **overrides) -> SingleChoice:
    fields = {
        "id": question_id, "title": "CF inheritance", "stem": "<p>How is CF inherited?</p>",
        "explanation": "<p>walrusexplanation</p>", "references": ("GeneReviews: CF",),
        "tags": Tags(domain="genetics", topic="inheritance", difficulty="easy"),
        "choices": (
            Choice(id="c-ar", text="Autosomal recessive", correct=True,
                   feedback="zebrafeedback right"),
            Choice(id="c-ad", text="Autosomal dominant", feedback="zebrafeedback wrong"),
            Choice(id="c-xl", text="X-linked"),
        ),
    }
    return SingleChoice(**(fields | overrides))


def multiple(scoring: str = "partial", **overrides) -> MultipleResponse:
    fields = {
        "id": "q-multi", "stem": "Which are tumour suppressors?", "scoring": scoring,
        "choices": (
            Choice(id="tp53", text="TP53", correct=True, feedback="zebrafeedback tp53"),
            Choice(id="brca1", text="BRCA1", correct=True),
            Choice(id="kras", text="KRAS", feedback="zebrafeedback kras"),
            Choice(id="myc", text="MYC"),
        ),
    }
    return MultipleResponse(**(fields | overrides))


def true_false(**overrides) -> TrueFalse:
    fields = {"id": "q-tf", "stem": "Trisomy 21 causes Down syndrome.", "answer": True,
              "feedback_true": "zebrafeedback yes", "feedback_false": "zebrafeedback no"}
    return TrueFalse(**(fields | overrides))


def numeric(**overrides) -> Numeric:
    fields = {"id": "q-num", "stem": "Dose in mg?", "answer": Decimal("37.25"),
              "tolerance": Decimal("0.25"), "feedback": "zebrafeedback"}
    return Numeric(**(fields | overrides))


def short_text(**overrides) -> ShortText:
    fields = {"id": "q-text", "stem": "Name the animal.",
              "answers": (TextAnswer("okapianswer", feedback="zebrafeedback"),
                          TextAnswer("narwhal", credit=Decimal("0.5")))}
    return ShortText(**(fields | overrides))


def matching(**overrides) -> Matching:
    fields = {
        "id": "q-match", "stem": "Match condition to inheritance.",
        "prompts": (MatchPrompt("p-hd", "Huntington disease", "a-ad"),
                    MatchPrompt("p-ha", "Haemophilia A", "a-xl"),
                    MatchPrompt("p-ach", "Achondroplasia", "a-ad")),
        "answers": (Item("a-ad", "Autosomal dominant"), Item("a-xl", "X-linked recessive"),
                    Item("a-mt", "Mitochondrial")),
    }
    return Matching(**(fields | overrides))


def ordering(scoring: str = "partial", **overrides) -> Ordering:
    fields = {"id": "q-order", "stem": "Order the steps of Sanger sequencing.",
              "scoring": scoring,
              "items": tuple(Item(f"step-{name}", name.title())
                             for name in ("extract", "amplify", "sequence", "analyse"))}
    return Ordering(**(fields | overrides))


def case_set(**overrides) -> CaseSet:
    fields = {
        "id": "q-case", "vignette": "<p>A 4-year-old with recurrent chest infections.</p>",
        "parts": (single("case-single", points=Decimal(2)), true_false(id="case-tf"),
                  numeric(id="case-num", unit="mg", accepted_units=("milligram",))),
    }
    return CaseSet(**(fields | overrides))


def every_type() -> list[Question]:
    return [single(), multiple(), true_false(), numeric(), short_text(), matching(),
            ordering(), case_set()]


def gift_types() -> list[Question]:
    """Definitions using every field GIFT (with its metadata comment) carries."""
    return [
        single(points=Decimal("2.5")),
        multiple(),
        multiple("all_or_nothing", id="q-multi-aon"),
        true_false(),
        true_false(id="q-tf-false", answer=False, feedback_true=""),
        numeric(unit="mg", accepted_units=("milligram", "mgs"), unit_penalty=Decimal("0.25")),
        numeric(id="q-num-rel", answer=Decimal(200), tolerance=Decimal("0.05"),
                tolerance_kind="relative",
                alternatives=(NumericAnswer(Decimal(100), Decimal("0.1"), Decimal("0.5"),
                                            "zebrafeedback half"),)),
        short_text(),
        short_text(id="q-text-cs", case_sensitive=True, accent_sensitive=True,
                   answers=(TextAnswer("التليف الكيسي"), TextAnswer("सिस्टिक फाइब्रोसिस"),
                            TextAnswer("囊性纤维化"))),
        matching(),
        single("q-untopical", tags=Tags(), stem="<p>a = b: {c} #d ~e \\ f</p>\n<p>line</p>"),
    ]
