"""What assessments owns: the question bank and quizzes educators author (snippets), and
what learners do with them: attempts, their saved responses and the grade ledger.

An attempt is pinned to the content it started on: ``Attempt.questions`` is a snapshot
of the definitions drawn for it (``questions.py`` JSON, in the order shown, choices
already shuffled), so editing a question or a quiz later never changes it. Its score is
the fold of its ``GradeChange`` rows (append-only; an override appends a row). Writes go
through ``assessments.api``.

Questions and quizzes go through the clinical review workflow like pages (ADR 0004):
each has drafts, revisions and a ``live`` flag. The row is the live content; learners see
only live quizzes and draw only live questions (``api``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail_localize.fields import SynchronizedField

from assessments import questions
from assessments.blocks import QuestionBlock, definition_dict
from assessments.review import MidAttemptWarningPanel
from courses.api import WorkingGroup
from lms.core.fields import SanitizedRichTextField


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


def _revisions(related_query_name: str) -> GenericRelation:
    return GenericRelation("wagtailcore.Revision", content_type_field="base_content_type",
                           object_id_field="object_id", for_concrete_model=False,
                           related_query_name=related_query_name)


def _workflow_states(related_query_name: str) -> GenericRelation:
    return GenericRelation("wagtailcore.WorkflowState", content_type_field="base_content_type",
                           object_id_field="object_id", for_concrete_model=False,
                           related_query_name=related_query_name)


class Question(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, TranslatableMixin,
               models.Model):
    """One question in the bank, tagged by domain, topic and difficulty.

    Translatable (wagtail-localize): a translation keeps the body's block ids, so its
    question and choice ids are the source's; learners draw only the canonical question
    (the lowest pk of its translations) and see a translation's texts laid over it.
    """

    title = models.CharField(max_length=255, help_text=_("For finding it in the bank."))
    domain = models.CharField(max_length=32, choices=WorkingGroup.choices, blank=True)
    topic = models.CharField(max_length=100, blank=True, db_index=True)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices,
                                  default=Difficulty.MEDIUM)
    body = StreamField(QuestionBlock(), min_num=1, max_num=1, verbose_name=_("question"))
    updated_at = models.DateTimeField(auto_now=True)
    revisions = _revisions("question")
    workflow_states = _workflow_states("question")

    panels = [
        MidAttemptWarningPanel(),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("domain"), FieldPanel("topic"), FieldPanel("difficulty")]),
        FieldPanel("body"),
    ]

    # The topic selects questions for random draws: the same in every language.
    override_translatable_fields = [SynchronizedField("topic")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def question_type(self) -> str:
        return self.body[0].block_type if len(self.body) else ""

    def definition(self) -> questions.Question:
        """The validated definition; raises QuestionDefinitionError."""
        if not len(self.body):
            raise questions.QuestionDefinitionError(_("Add a question."))
        child = self.body[0]
        data = definition_dict(
            child.block_type, child.value, child.id or "unsaved", title=self.title,
            tags={"domain": self.domain, "topic": self.topic, "difficulty": self.difficulty},
        )
        return questions.question_from_dict(data)

    def clean(self) -> None:
        super().clean()
        try:
            self.definition()
        except questions.QuestionDefinitionError as error:
            raise ValidationError(
                _("This question cannot be used yet: %(reason)s") % {"reason": error}
            ) from error


class FeedbackTiming(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately (a Check button on each question)")
    AFTER_ATTEMPT = "after_attempt", _("After each attempt")
    AFTER_PASSING = "after_passing", _("Only after passing")
    NEVER = "never", _("Never (score only)")


class Quiz(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, TranslatableMixin,
           ClusterableModel):
    """A quiz placed in a module, or on a course (its final assessment).

    Translatable: a translation gives the title and introduction in another language;
    placement, settings and questions stay the canonical quiz's (wagtail-localize keeps
    page links and the question list synchronised), and attempts are always on it.
    """

    title = models.CharField(max_length=255)
    introduction = SanitizedRichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    module = models.ForeignKey("courses.ModulePage", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    is_final_assessment = models.BooleanField(
        default=False, help_text=_("The course is complete only once a learner passes it."))
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MaxValueValidator(100)])
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited attempts."))
    min_minutes_between_attempts = models.PositiveIntegerField(default=0)
    time_limit_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit. Enforced by the server."))
    shuffle_questions = models.BooleanField(default=False)
    shuffle_choices = models.BooleanField(default=False)
    draw_count = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Draw this many questions at random from the pool; empty for all."))
    pool_domain = models.CharField(max_length=32, choices=WorkingGroup.choices, blank=True)
    pool_topic = models.CharField(max_length=100, blank=True)
    pool_difficulty = models.CharField(max_length=10, choices=Difficulty.choices, blank=True)
    feedback_timing = models.CharField(max_length=20, choices=FeedbackTiming.choices,
                                       default=FeedbackTiming.AFTER_ATTEMPT)
    is_pretest = models.BooleanField(
        _("pre-test"), default=False,
        help_text=_("Ungraded: never passes, fails or completes anything; its score is kept "
                    "to measure knowledge gain."))
    revisions = _revisions("quiz")
    workflow_states = _workflow_states("quiz")

    panels = [
        MidAttemptWarningPanel(),
        FieldPanel("title"),
        FieldPanel("introduction"),
        MultiFieldPanel([FieldPanel("module"), FieldPanel("course"),
                         FieldPanel("is_final_assessment")], heading=_("Placement")),
        InlinePanel("quiz_questions", label=_("Questions")),
        MultiFieldPanel([
            FieldPanel("draw_count"),
            FieldRowPanel([FieldPanel("pool_domain"), FieldPanel("pool_topic"),
                           FieldPanel("pool_difficulty")]),
        ], heading=_("Random draw from the bank")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("max_attempts"),
                           FieldPanel("min_minutes_between_attempts")]),
            FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("feedback_timing")]),
            FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices"),
                           FieldPanel("is_pretest")]),
        ], heading=_("Settings")),
    ]

    override_translatable_fields = [SynchronizedField("pool_topic")]

    class Meta(TranslatableMixin.Meta):
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title

    @property
    def has_pool(self) -> bool:
        return bool(self.pool_domain or self.pool_topic or self.pool_difficulty)

    def clean(self) -> None:
        super().clean()
        if bool(self.module_id) == bool(self.course_id):
            raise ValidationError(_("Place the quiz either in a module or on a course."))
        if self.is_final_assessment and not self.course_id:
            raise ValidationError({"is_final_assessment": _(
                "Only a quiz placed on a course can be its final assessment.")})
        if self.is_final_assessment and self.is_pretest:
            raise ValidationError({"is_pretest": _(
                "A pre-test is ungraded, so it cannot be the final assessment.")})


class QuizQuestion(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("question")]

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.question_id}"


class QuizLearner(models.Model):
    """One row per learner and quiz, locked to serialise her starts (attempt limits)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "quiz"],
                                               name="one_quiz_learner_row")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.quiz_id}"


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    questions = models.JSONField(help_text=_("Snapshot of the definitions, as shown."))
    is_pretest = models.BooleanField(default=False)
    pass_mark = models.PositiveSmallIntegerField()
    score_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    max_points = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "quiz", "number"],
                                               name="one_attempt_number")]
        indexes = [models.Index(fields=["user", "quiz", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.quiz_id} #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    def is_past_deadline(self, now=None) -> bool:
        return self.deadline is not None and (now or timezone.now()) > self.deadline

    def definitions(self) -> dict[str, questions.Question]:
        loaded = (questions.question_from_dict(data) for data in self.questions)
        return {definition.id: definition for definition in loaded}


class Response(models.Model):
    """The learner's current answer to one question of an attempt (saving upserts).
    Once she has checked it (a quiz with immediate feedback), ``checked_at`` is set and
    the answer no longer changes in this attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question_id = models.CharField(max_length=100)
    answer = models.JSONField(null=True)
    saved_at = models.DateTimeField()
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"],
                                               name="one_response_per_question")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class GradeChange(models.Model):
    """Append-only: the points one question of an attempt earned, and why."""

    class Reason(models.TextChoices):
        AUTO = "auto", _("Graded automatically")
        OVERRIDE = "override", _("Overridden by an educator")

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="grade_changes")
    question_id = models.CharField(max_length=100)
    points = models.DecimalField(max_digits=10, decimal_places=4)
    max_points = models.DecimalField(max_digits=10, decimal_places=4)
    status = models.CharField(max_length=20)
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.AUTO)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    comment = models.CharField(max_length=500, blank=True,
                               help_text=_("Why an educator overrode the grade."))

    class Meta:
        indexes = [models.Index(fields=["attempt", "question_id"])]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {self.points}/{self.max_points}"



class ActivityScore(models.Model):
    """A learner's current score on one interactive activity (an XBlock's published
    grade): a summary row, one per learner and activity. Every change to it appends an
    ``ActivityGradeEvent``. Written only by ``assessments.api.record_activity_score``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="activity_scores")
    activity_key = models.CharField(max_length=255, help_text=_("The activity's stable id."))
    module = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", null=True, on_delete=models.CASCADE,
                               related_name="+")
    title = models.CharField(max_length=255, blank=True)
    earned = models.DecimalField(max_digits=10, decimal_places=4)
    possible = models.DecimalField(max_digits=10, decimal_places=4)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "activity_key"],
                                               name="one_activity_score")]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.activity_key}: {self.earned}/{self.possible}"


class ActivityGradeEvent(models.Model):
    """Append-only: one change to a learner's activity score (who, what, when)."""

    score = models.ForeignKey(ActivityScore, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    activity_key = models.CharField(max_length=255)
    earned = models.DecimalField(max_digits=10, decimal_places=4)
    possible = models.DecimalField(max_digits=10, decimal_places=4)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id} on {self.activity_key}: {self.earned}/{self.possible}"
