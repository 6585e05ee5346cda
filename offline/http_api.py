"""The offline-sync JSON API (django-ninja): parse, call offline.api, answer.

Mounted at /api/v1/offline/ by offline/urls.py; the contract is docs/offline-sync.md.
Session authentication (``django_auth``), which also enforces CSRF on every POST.
"""

import json
from typing import Annotated, Any, Literal
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import ValidationError
from ninja.security import django_auth
from pydantic import AwareDatetime

from offline import api as offline_api

api = NinjaAPI(
    title="Allele offline sync", version="1",
    description="Learning actions made offline, sent when the connection returns; "
                "what a device caches to take a course offline. See docs/offline-sync.md.",
    urls_namespace="offline_api", auth=django_auth, docs_decorator=login_required,
)


# --- Schemas -------------------------------------------------------------------------------


class _ActionIn(Schema):
    key: UUID = Field(description="A UUID made on the device: the idempotency key.")
    made_at: AwareDatetime = Field(description="When the learner did it (device clock).")


class CompleteModuleIn(_ActionIn):
    type: Literal["complete_module"]
    module: int = Field(description="The module page's id.")


class SaveAnswersIn(_ActionIn):
    type: Literal["save_answers"]
    attempt: int = Field(description="An attempt the learner started online.")
    responses: dict[str, Any] = Field(
        description="Answers by question id, shaped as the quiz autosave sends them.")


class SubmitAttemptIn(_ActionIn):
    type: Literal["submit_attempt"]
    attempt: int


ActionIn = Annotated[CompleteModuleIn | SaveAnswersIn | SubmitAttemptIn,
                     Field(discriminator="type")]


class SyncIn(Schema):
    learner: str = Field(max_length=150, description="The username the device recorded.")
    actions: list[ActionIn] = Field(min_length=1, max_length=offline_api.MAX_ACTIONS)


class ResultOut(Schema):
    key: UUID
    status: Literal["applied", "already_applied"]
    detail: str


class CourseStateOut(Schema):
    id: int
    percent: int
    complete: bool


class LearningStateOut(Schema):
    courses: list[CourseStateOut]


class SyncOut(Schema):
    results: list[ResultOut]
    learning_state: LearningStateOut | None = None


class ErrorOut(Schema):
    error: str
    action: UUID | None = None


class InvalidOut(ErrorOut):
    detail: list[dict[str, Any]]


class ManifestUrlOut(Schema):
    url: str
    kind: Literal["page", "image", "static", "offline"]
    bytes: int | None
    estimated: bool


class CourseOut(Schema):
    id: int
    title: str
    url: str


class LockedModuleOut(Schema):
    id: int
    title: str
    reason: str


class ManifestOut(Schema):
    course: CourseOut
    version: str
    urls: list[ManifestUrlOut]
    total_bytes: int
    locked_modules: list[LockedModuleOut]
    note: str


# --- Endpoints -----------------------------------------------------------------------------


def _action(item: CompleteModuleIn | SaveAnswersIn | SubmitAttemptIn) -> offline_api.Action:
    return offline_api.Action(
        key=item.key, type=item.type, made_at=item.made_at,
        module=getattr(item, "module", None), attempt=getattr(item, "attempt", None),
        responses=getattr(item, "responses", None))


def _refusal(error: offline_api.OfflineError):
    return Status(error.status, {"error": str(error), "action": error.action})


@api.post("/sync", url_name="sync", summary="Send learning actions made offline",
          response={200: SyncOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                    422: InvalidOut})
def sync(request: HttpRequest, batch: SyncIn):
    try:
        result = offline_api.apply_batch(user=request.user, learner=batch.learner,
                                         actions=[_action(item) for item in batch.actions])
    except offline_api.OfflineError as error:
        return _refusal(error)
    return Status(200, {
        "results": [{"key": r.key, "status": r.status, "detail": r.detail}
                    for r in result.results],
        "learning_state": {"courses": [{"id": c.id, "percent": c.percent,
                                        "complete": c.complete} for c in result.courses]},
    })


@api.get("/courses/{course_id}/manifest", url_name="course_manifest",
         summary="What to cache to make a course available offline",
         response={200: ManifestOut, 404: ErrorOut})
def course_manifest(request: HttpRequest, course_id: int):
    try:
        manifest = offline_api.course_manifest(user=request.user, course_id=course_id)
    except offline_api.OfflineError as error:
        return _refusal(error)
    return Status(200, {
        "course": {"id": manifest.course_id, "title": manifest.title, "url": manifest.url},
        "version": manifest.version, "total_bytes": manifest.total_bytes,
        "urls": [{"url": e.url, "kind": e.kind, "bytes": e.bytes, "estimated": e.estimated}
                 for e in manifest.entries],
        "locked_modules": [{"id": m.id, "title": m.title, "reason": m.reason}
                           for m in manifest.locked],
        "note": manifest.note,
    })


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError):
    """422 in the contract's shape: a message, the failing action's key when it can be
    read, and ninja's validation errors."""
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())[2:])
    message = _("This batch could not be read (%(where)s: %(problem)s).") % {
        "where": where or _("body"), "problem": first.get("msg", _("invalid"))}
    return api.create_response(request, {
        "error": message, "action": _failing_key(request, first.get("loc", ())),
        "detail": exc.errors,
    }, status=422)


def _failing_key(request: HttpRequest, loc) -> str | None:
    loc = list(loc)
    if "actions" not in loc or loc.index("actions") + 1 >= len(loc):
        return None
    index = loc[loc.index("actions") + 1]
    try:
        key = json.loads(request.body)["actions"][index]["key"]
        return str(UUID(str(key)))
    except (ValueError, KeyError, IndexError, TypeError):
        return None

