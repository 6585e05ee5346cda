"""Offline's front door: applying what a learner did offline, and what a device caches
to take a course offline.

``apply_batch`` applies a batch of queued learning actions (module completions, quiz
answers, submissions) once each, all or nothing, through courses.api and assessments.api;
``course_manifest`` lists the URLs (with sizes and a version) that make an enrolled
learner's course available offline. The HTTP API (``offline.http_api``) only calls these.
The contract the device codes against is docs/offline-sync.md.
"""

from offline.course_copy import CourseManifest, LockedModule, ManifestEntry, course_manifest
from offline.models import SyncedAction
from offline.sync import (
    ALREADY_APPLIED,
    APPLIED,
    MAX_ACTIONS,
    Action,
    ActionResult,
    BatchResult,
    CourseState,
    OfflineError,
    apply_batch,
)

__all__ = [
    "ALREADY_APPLIED",
    "APPLIED",
    "MAX_ACTIONS",
    "Action",
    "ActionResult",
    "BatchResult",
    "CourseManifest",
    "CourseState",
    "LockedModule",
    "ManifestEntry",
    "OfflineError",
    "SyncedAction",
    "apply_batch",
    "course_manifest",
]
