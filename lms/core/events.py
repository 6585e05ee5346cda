"""The learning-event recorder: the one function that writes LearningEvent rows."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from lms.core.models import LearningEvent, User

Verb = LearningEvent.Verb


def record_event(
    *,
    user: User,
    verb: LearningEvent.Verb,
    page: Page | None,
    course: Page | None = None,
    context: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
) -> tuple[LearningEvent, bool]:
    """Record an event; return it and whether it is new.

    With an ``idempotency_key`` the event is recorded at most once: a retry or a
    concurrent duplicate gets the event that is already there (and ``False``).
    """
    fields = {
        "user": user, "verb": verb, "page": page, "course": course,
        "occurred_at": timezone.now(), "context": context or {},
    }
    if idempotency_key is None:
        return LearningEvent.objects.create(**fields), True
    try:
        with transaction.atomic():
            return LearningEvent.objects.create(idempotency_key=idempotency_key, **fields), True
    except IntegrityError:
        return LearningEvent.objects.get(idempotency_key=idempotency_key), False


def record_events_once(*, events: list[dict[str, Any]]) -> None:
    """Record many events in one statement, each at most once.

    Each dict has the ``record_event`` keyword arguments and a required
    ``idempotency_key``; an event whose key is already recorded is skipped, so a
    rerun or a concurrent duplicate adds nothing.
    """
    now = timezone.now()
    LearningEvent.objects.bulk_create(
        [LearningEvent(occurred_at=now, **{"context": {}, **event}) for event in events],
        ignore_conflicts=True, batch_size=500,
    )
