"""What the offline app owns: the record of each learning action a device synced.

A ``SyncedAction`` is written in the same transaction as the action it records, under the
device's idempotency key; the unique (user, key) constraint is what makes a replayed or
concurrent batch apply once. Learner state itself (completions, answers, grades) stays in
courses and assessments.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncedAction(models.Model):
    class Type(models.TextChoices):
        COMPLETE_MODULE = "complete_module", _("Module completed")
        SAVE_ANSWERS = "save_answers", _("Answers saved")
        SUBMIT_ATTEMPT = "submit_attempt", _("Attempt submitted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="synced_actions")
    key = models.UUIDField(help_text=_("The idempotency key the device made for the action."))
    action_type = models.CharField(max_length=32, choices=Type.choices)
    payload_digest = models.CharField(
        max_length=64, help_text=_("SHA-256 of the action's canonical JSON (without its key)."))
    result = models.JSONField(default=dict, blank=True)
    made_at = models.DateTimeField(help_text=_("When the learner did it, by the device's clock."))
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="offline_synced_action_once"),
        ]
        indexes = [models.Index(fields=["user", "received_at"])]

    def __str__(self) -> str:
        return f"{self.action_type} {self.key}"
