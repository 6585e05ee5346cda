"""Public endpoints for signed credentials: verify one, and the issuer profile with its keys.

`verify_credential_view` is CSRF-exempt on purpose: it is a public, read-only check that
any verifier (a hospital's HR system, a `curl`) may POST a credential to; it changes no
state and uses no session, so a forged cross-site POST gains nothing. It is rate-limited
per client address instead (conf.CREDENTIAL_VERIFY_RATE, 429 past it).
"""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from certificates import conf, keys
from certificates.credentials import CONTEXTS, credential_summary, verify_credential

__all__ = ["MAX_CREDENTIAL_BYTES", "issuer_profile", "issuer_profile_view",
           "revocation_lookup", "verify_credential_view"]

MAX_CREDENTIAL_BYTES = 64 * 1024
_MULTIPART_OVERHEAD = 4 * 1024


def issuer_url() -> str:
    """The absolute URL of the issuer profile: the credentials' `issuer.id`."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("credentials:issuer")


def revocation_lookup(public_id: str) -> datetime | None:
    """When the certificate was revoked (None: it is not); LookupError if unknown here."""
    from certificates import api

    if hasattr(api, "revocation_status"):
        return api.revocation_status(public_id=public_id)
    from certificates.models import Certificate

    row = Certificate.objects.filter(public_id=public_id).values("revoked_at").first()
    if row is None:
        raise LookupError(public_id)
    return row["revoked_at"]


def _rate_limited(request: HttpRequest) -> bool:
    limit, window = conf.CREDENTIAL_VERIFY_RATE
    bucket = int(datetime.now().timestamp()) // window
    key = f"credentials:verify:{request.META.get('REMOTE_ADDR', '')}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


def _read_credential(request: HttpRequest) -> tuple[dict | None, str, int]:
    """(credential, error, status) from the body or the first uploaded file."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_CREDENTIAL_BYTES + _MULTIPART_OVERHEAD:
        return None, f"credential larger than {MAX_CREDENTIAL_BYTES // 1024} KB", 413
    upload = next(iter(request.FILES.values()), None) if request.FILES else None
    data = upload.read(MAX_CREDENTIAL_BYTES + 1) if upload else request.body
    if len(data) > MAX_CREDENTIAL_BYTES:
        return None, f"credential larger than {MAX_CREDENTIAL_BYTES // 1024} KB", 413
    try:
        credential = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None, "not JSON", 400
    if not isinstance(credential, dict):
        return None, "not a JSON object", 400
    return credential, "", 200


@csrf_exempt
@require_POST
def verify_credential_view(request: HttpRequest) -> JsonResponse:
    if _rate_limited(request):
        return JsonResponse({"error": "too many verifications; try again later"}, status=429)
    credential, error, status = _read_credential(request)
    if credential is None:
        return JsonResponse({"valid": False, "error": error}, status=status)
    check = verify_credential(credential, revocation_lookup=revocation_lookup)
    summary = credential_summary(credential)
    revoked = (True if any(r.startswith("revoked") for r in check.reasons)
               else False if "not revoked" in check.reasons else None)
    return JsonResponse({"valid": check.valid, "reasons": check.reasons, "name": summary["name"],
                         "course": summary["course"], "issued": summary["issued"],
                         "revoked": revoked}, json_dumps_params={"ensure_ascii": False})


def issuer_profile() -> dict:
    """The issuer's Open Badges Profile with every key that verifies (Multikey)."""
    from certificates.models import DEFAULT_ISSUER_NAME

    profile_id = issuer_url()
    methods = [{"id": f"{profile_id}#{key_id}", "type": "Multikey", "controller": profile_id,
                "publicKeyMultibase": keys.public_key_multibase(key_id)}
               for key_id in sorted(keys.public_keys())]
    return {"@context": [*CONTEXTS, "https://w3id.org/security/multikey/v1"],
            "id": profile_id, "type": ["Profile"], "name": DEFAULT_ISSUER_NAME,
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/",
            "verificationMethod": methods,
            "assertionMethod": [method["id"] for method in methods],
            "currentKey": f"{profile_id}#{keys.current_key().key_id}"}


@require_GET
@cache_control(public=True, max_age=300)
def issuer_profile_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(issuer_profile(), json_dumps_params={"ensure_ascii": False})
