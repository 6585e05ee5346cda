"""The certificates app's settings, read in this one place.

`ALLELE_CREDENTIAL_KEYS`: a JSON object {key_id: base64url 32-byte Ed25519 seed}; every key
listed verifies, so keep rotated-out keys here. `ALLELE_CREDENTIAL_CURRENT_KEY`: the id that
signs new credentials (optional when only one key is listed). A Django setting of the same
name wins over the environment (tests set it that way); otherwise the environment (or
`.env`, already loaded by lms/settings.py) is read.
"""

from __future__ import annotations

import environ
from django.conf import settings

__all__ = ["CREDENTIAL_VERIFY_RATE", "credential_current_key_id", "credential_keys_raw",
           "development_keys_allowed"]

_env = environ.Env()

# Requests per IP address and window (seconds) for the public verification endpoint.
CREDENTIAL_VERIFY_RATE = (60, 600)


def credential_keys_raw() -> str | dict:
    """The configured keys: a dict (from a Django setting) or the JSON text, "" if none."""
    value = getattr(settings, "ALLELE_CREDENTIAL_KEYS", None)
    if value is None:
        value = _env.str("ALLELE_CREDENTIAL_KEYS", default="")
    return value


def credential_current_key_id() -> str:
    value = getattr(settings, "ALLELE_CREDENTIAL_CURRENT_KEY", None)
    if value is None:
        value = _env.str("ALLELE_CREDENTIAL_CURRENT_KEY", default="")
    return value.strip()


def development_keys_allowed() -> bool:
    """With no keys configured, DEBUG and the test run derive a key from SECRET_KEY."""
    return bool(settings.DEBUG or getattr(settings, "TESTING", False))
