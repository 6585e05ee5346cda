"""The audit trail: who did what, when and from where, for actions a programme must be able
to account for (grade overrides, certificate revocation and reissue, role changes, imports,
exports, account deletions).

Every app records through ``record_audit`` (re-exported by ``lms.core.api``), inside the
transaction of the change it records: a rolled-back change leaves no entry and a committed
change always has one. Entries are append-only (see ``AuditEntry``).

"From where" is the request's client address (honouring a trusted proxy's header the same
way rate limits do) and user agent. Code that has no request at hand (a signal receiver such
as the role-change one below, a form's ``save``) gets the one being served from
``current_request()``, which ``AuditRequestMiddleware`` sets for the length of each request;
a management command or background job has none, so its entries carry no address unless
the caller passes ``request`` or ``origin`` (an ``AuditOrigin`` saved when the job was asked for).
"""

from __future__ import annotations

import contextvars
import datetime
import ipaddress
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from lms.core.models import AuditAction, AuditEntry, User
from lms.core.ratelimit import request_address
from lms.core.roles import Role

__all__ = ["AuditAction", "AuditEntry", "AuditOrigin", "AuditRequestMiddleware",
           "AuditTarget", "current_request", "find_audit_entries", "origin_of", "record_audit"]

_USER_AGENT_LENGTH = AuditEntry._meta.get_field("user_agent").max_length
_LABEL_LENGTH = AuditEntry._meta.get_field("target_label").max_length
_SUMMARY_LENGTH = AuditEntry._meta.get_field("summary").max_length

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "allele_audit_request", default=None)


class AuditRequestMiddleware:
    """Makes the request being served available to ``current_request()``. Put it after
    AuthenticationMiddleware so that ``request.user`` is the actor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request() -> HttpRequest | None:
    """The request this thread (or task) is serving, or None outside one."""
    return _current_request.get()


@dataclass(frozen=True, slots=True)
class AuditOrigin:
    """Where a request came from, kept for a background job that records later."""

    ip_address: str | None = None
    user_agent: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"ip_address": self.ip_address, "user_agent": self.user_agent}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> AuditOrigin:
        data = data or {}
        return cls(ip_address=data.get("ip_address"), user_agent=data.get("user_agent", ""))


@dataclass(frozen=True, slots=True)
class AuditTarget:
    """What an entry is about when that is not one model instance (a file that was
    imported, a course's export)."""

    type: str
    id: str = ""
    label: str = ""


def origin_of(request: HttpRequest | None) -> AuditOrigin:
    """The client address (a valid IP or None) and user agent (truncated) of ``request``."""
    if request is None:
        return AuditOrigin()
    address: str | None = request_address(request)
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:
        address = None
    agent = request.META.get("HTTP_USER_AGENT", "")[:_USER_AGENT_LENGTH]
    return AuditOrigin(ip_address=address, user_agent=agent)


def record_audit(
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model | AuditTarget | None = None,
    subject: User | None = None,
    summary: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    origin: AuditOrigin | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail. Call it inside the transaction of the change.

    ``actor`` None means the system (a management command, a scheduled job). ``request``
    defaults to the one being served; ``origin`` overrides both (a job recording what a
    request asked for earlier). ``details`` must be JSON-serialisable.
    """
    if origin is None:
        origin = origin_of(request if request is not None else current_request())
    target_type, target_id, target_label = _describe(target)
    with transaction.atomic():  # a savepoint: a failed insert does not poison the caller's
        return AuditEntry.objects.create(
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=_label_of(actor),
            action=AuditAction(action),
            target_type=target_type, target_id=target_id, target_label=target_label,
            subject=subject,
            summary=summary[:_SUMMARY_LENGTH],
            details=details or {},
            ip_address=origin.ip_address,
            user_agent=origin.user_agent[:_USER_AGENT_LENGTH],
        )


def _label_of(actor: User | None) -> str:
    if actor is None or not actor.pk:
        return ""
    return (actor.email or actor.get_username())[:254]


def _describe(target: models.Model | AuditTarget | None) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, AuditTarget):
        return target.type, str(target.id)[:64], target.label[:_LABEL_LENGTH]
    model = target._meta.concrete_model._meta if hasattr(target, "_meta") else None
    if model is None:
        raise TypeError(f"An audit target is a model instance or AuditTarget, not {target!r}")
    return model.label_lower, str(target.pk)[:64], str(target)[:_LABEL_LENGTH]


# --- Role changes, however they are made ------------------------------------------------------

_ROLE_NAMES = frozenset(role.value for role in Role)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_role_changes")
def record_role_changes(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """A user joined or left a role's group: through Wagtail's or Django's user admin, a
    group's member list, a cohort manager being named, ``assign_role``, a command. The actor
    is whoever is signed in to the request being served (None for a command)."""
    if action not in ("post_add", "pre_remove", "pre_clear"):
        return
    grant = action == "post_add"
    for user, group in _pairs(instance, reverse, action, pk_set):
        if group.name not in _ROLE_NAMES:
            continue
        request = current_request()
        actor = getattr(request, "user", None)
        record_audit(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=AuditAction.ROLE_GRANTED if grant else AuditAction.ROLE_REVOKED,
            target=user, subject=user,
            summary=group.name, details={"role": group.name}, request=request,
        )


def _pairs(instance, reverse: bool, action: str, pk_set: set[int] | None):
    """(user, group) pairs a groups change touches: those added, or the current memberships
    that a removal or clear ends (a removal's ``pk_set`` may name groups she is not in)."""
    if not reverse:  # user.groups.add(groups...)
        groups = (Group.objects.filter(pk__in=pk_set or ()) if action == "post_add"
                  else instance.groups.all())  # removing: only groups she is in
        if action == "pre_remove":
            groups = groups.filter(pk__in=pk_set or ())
        return [(instance, group) for group in groups.order_by("name")]
    users = (User.objects.filter(pk__in=pk_set or ()) if action == "post_add"
             else instance.user_set.all())
    if action == "pre_remove":
        users = users.filter(pk__in=pk_set or ())
    return [(user, instance) for user in users.order_by("pk")]


# --- Reading the trail ------------------------------------------------------------------------


def find_audit_entries(*, action: str = "", actor_text: str = "", target_text: str = "",
                       since: datetime.date | None = None,
                       until: datetime.date | None = None) -> models.QuerySet[AuditEntry]:
    """Entries matching the report's filters (each optional), newest first; ``until`` is
    inclusive."""
    entries = AuditEntry.objects.select_related("actor", "subject").order_by(
        "-occurred_at", "-pk")
    if action:
        entries = entries.filter(action=action)
    if text := actor_text.strip():
        entries = entries.filter(Q(actor_label__icontains=text)
                                 | Q(actor__username__icontains=text))
    if text := target_text.strip():
        entries = entries.filter(Q(target_label__icontains=text) | Q(target_id=text)
                                 | Q(summary__icontains=text)
                                 | Q(subject__email__icontains=text))
    if since:
        entries = entries.filter(occurred_at__gte=_day_start(since))
    if until:
        entries = entries.filter(occurred_at__lt=_day_start(until + datetime.timedelta(days=1)))
    return entries


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
