"""Ed25519 keys that sign and verify credentials.

Configured in `ALLELE_CREDENTIAL_KEYS` / `ALLELE_CREDENTIAL_CURRENT_KEY` (see conf.py).
Rotation: add the new key, make it current, keep the old ones listed; credentials signed
with an old key still verify. With no keys configured, DEBUG and tests use a development
key derived from SECRET_KEY (id "dev-1"); with DEBUG off signing raises ImproperlyConfigured
and the deploy check certificates.E001 fails.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from certificates import conf
from certificates.jcs import b58decode, b58encode

__all__ = ["DEV_KEY_ID", "SigningKey", "current_key", "generate_key", "key_config",
           "public_key_from_multibase", "public_key_multibase", "public_keys"]

DEV_KEY_ID = "dev-1"
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_ED25519_MULTICODEC = b"\xed\x01"


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


@dataclass(frozen=True)
class KeyConfig:
    keys: dict[str, Ed25519PrivateKey]
    current_id: str
    development: bool  # True: derived from SECRET_KEY, never for production


def key_config() -> KeyConfig:
    """The parsed configuration; raises ImproperlyConfigured with what to fix."""
    raw = conf.credential_keys_raw()
    text = raw if isinstance(raw, str) else json.dumps(raw, sort_keys=True)
    current = conf.credential_current_key_id()
    if not text.strip():
        if not conf.development_keys_allowed():
            raise ImproperlyConfigured(
                "No credential signing key: set ALLELE_CREDENTIAL_KEYS (a JSON object "
                '{"key-id": "<base64url seed>"}) and ALLELE_CREDENTIAL_CURRENT_KEY. '
                "Generate one with `python manage.py generate_credential_key`."
            )
        return _development_config(settings.SECRET_KEY)
    return _parse(text, current)


@lru_cache(maxsize=8)
def _development_config(secret_key: str) -> KeyConfig:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"allele-credentials",
                info=b"development signing key dev-1").derive(secret_key.encode())
    return KeyConfig({DEV_KEY_ID: Ed25519PrivateKey.from_private_bytes(seed)}, DEV_KEY_ID, True)


@lru_cache(maxsize=8)
def _parse(text: str, current: str) -> KeyConfig:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ImproperlyConfigured(f"ALLELE_CREDENTIAL_KEYS is not JSON: {error}") from None
    if not isinstance(data, dict) or not data:
        raise ImproperlyConfigured("ALLELE_CREDENTIAL_KEYS must be a non-empty JSON object.")
    keys = {}
    for key_id, seed_text in data.items():
        if not KEY_ID_PATTERN.match(key_id):
            raise ImproperlyConfigured(
                f"Credential key id {key_id!r}: use 1-64 letters, digits, '.', '_' or '-'.")
        keys[key_id] = Ed25519PrivateKey.from_private_bytes(_decode_seed(key_id, seed_text))
    if not current:
        if len(keys) > 1:
            raise ImproperlyConfigured(
                "Several credential keys: set ALLELE_CREDENTIAL_CURRENT_KEY to the one that signs.")
        current = next(iter(keys))
    if current not in keys:
        raise ImproperlyConfigured(
            f"ALLELE_CREDENTIAL_CURRENT_KEY={current!r} is not in ALLELE_CREDENTIAL_KEYS.")
    return KeyConfig(keys, current, False)


def _decode_seed(key_id: str, seed_text: object) -> bytes:
    if isinstance(seed_text, str):
        try:
            seed = base64.urlsafe_b64decode(seed_text + "=" * (-len(seed_text) % 4))
        except (binascii.Error, ValueError):
            seed = b""
        if len(seed) == 32:
            return seed
    raise ImproperlyConfigured(
        f"Credential key {key_id!r}: the value must be a base64url-encoded 32-byte seed.")


def current_key() -> SigningKey:
    """The key that signs new credentials."""
    config = key_config()
    return SigningKey(config.current_id, config.keys[config.current_id])


def signing_key(key_id: str) -> SigningKey:
    config = key_config()
    if key_id not in config.keys:
        raise ImproperlyConfigured(f"No credential key {key_id!r} in ALLELE_CREDENTIAL_KEYS.")
    return SigningKey(key_id, config.keys[key_id])


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key that verifies, current and rotated-out, by id."""
    return {key_id: key.public_key() for key_id, key in key_config().keys.items()}


def public_key_multibase(key_id: str) -> str:
    """The Multikey form of a public key: "z6Mk..." (multicodec ed25519-pub, base58btc)."""
    return _multibase(public_keys()[key_id])


def _multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + b58encode(_ED25519_MULTICODEC + raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    if not text.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    data = b58decode(text[1:])
    if not data.startswith(_ED25519_MULTICODEC) or len(data) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(data[2:])


def generate_key() -> tuple[str, str]:
    """A new (key_id, base64url seed) to paste into ALLELE_CREDENTIAL_KEYS."""
    key_id = f"{datetime.now(UTC):%Y-%m}-{secrets.token_hex(3)}"
    seed = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return key_id, seed
