"""Verifiable certificates: Open Badges 3.0 AchievementCredentials with an eddsa-jcs-2022 proof.

`build_credential` makes the unsigned credential (plain JSON), `sign_credential` adds a W3C
Data Integrity proof (JCS-canonical SHA-256 of the proof options, then of the document,
signed with Ed25519), and `verify_credential` checks the proof against Allele's keys
(current and rotated-out), the validity window, the issuer and, if given a lookup,
revocation. Offline (no lookup) revocation is reported as not checked.

Numbers: `creditsAvailable`/`creditsEarned` are JSON floats (Open Badges types them Float);
the score is a string in `result.value`, as Open Badges says. Any change to any signed
field, or to the proof itself, breaks verification.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature

from certificates import keys
from certificates.jcs import b58decode, b58encode, canonicalize

__all__ = ["CONTEXTS", "CredentialCheck", "build_credential", "credential_summary",
           "sign_credential", "verify_credential"]

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
CRYPTOSUITE = "eddsa-jcs-2022"
STATUS_TYPE = "AlleleVerificationStatus"
RevocationLookup = Callable[[str], "datetime | None"]


def _timestamp(value: datetime | date) -> str:
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal | int | float) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def build_credential(
    *, public_id: object, learner_name: str, course_title: str, course_description: str,
    tier: str, score: Decimal | int | float | None, cpd_credit_hours: Decimal | int | float | None,
    completed_at: datetime | date, issued_at: datetime, expires_at: datetime | None,
    issuer_name: str, issuer_url: str, verification_url: str, achievement_url: str,
    issuer_homepage: str | None = None, criteria_narrative: str | None = None,
) -> dict:
    """An unsigned Open Badges 3.0 AchievementCredential for one certificate.

    `issuer_url` identifies the issuer and resolves to its profile with the keys
    (the absolute URL of `/credentials/issuer.json`); `verification_url` is the
    certificate's public page and the credential's id.
    """
    parts = urlsplit(issuer_url)
    homepage = issuer_homepage or f"{parts.scheme}://{parts.netloc}/"
    achievement: dict = {
        "id": achievement_url, "type": ["Achievement"], "name": course_title,
        "description": course_description or course_title,
        "achievementType": "Certificate",
        "criteria": {"narrative": criteria_narrative or (
            f"Completed every module of {course_title} and passed its final assessment.")},
    }
    subject: dict = {
        "type": ["AchievementSubject"],
        "name": learner_name,
        "identifier": [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                        "identityHash": learner_name}],
        "activityEndDate": _timestamp(completed_at),
        "achievement": achievement,
    }
    descriptions, results = [], []
    if tier:
        descriptions.append({"id": f"{achievement_url}#tier", "type": ["ResultDescription"],
                             "name": "Tier", "resultType": "PerformanceLevel"})
        results.append({"type": ["Result"], "resultDescription": f"{achievement_url}#tier",
                        "value": str(tier)})
    if score is not None:
        descriptions.append({"id": f"{achievement_url}#score", "type": ["ResultDescription"],
                             "name": "Final assessment score", "resultType": "Percent"})
        results.append({"type": ["Result"], "resultDescription": f"{achievement_url}#score",
                        "value": str(score)})
    if descriptions:
        achievement["resultDescription"] = descriptions
        subject["result"] = results
    if cpd_credit_hours is not None:
        achievement["creditsAvailable"] = _number(cpd_credit_hours)
        subject["creditsEarned"] = _number(cpd_credit_hours)
    credential: dict = {
        "@context": list(CONTEXTS),
        "id": verification_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_url, "type": ["Profile"], "name": issuer_name, "url": homepage},
        "validFrom": _timestamp(issued_at),
        "name": f"{course_title}: certificate",
        "credentialSubject": subject,
        "credentialStatus": {"id": verification_url, "type": STATUS_TYPE,
                             "certificateId": str(public_id)},
    }
    if expires_at is not None:
        credential["validUntil"] = _timestamp(expires_at)
    return credential


def _hash_data(document: dict, proof_options: dict) -> bytes:
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    return (hashlib.sha256(canonicalize(config)).digest()
            + hashlib.sha256(canonicalize(unsecured)).digest())


def sign_credential(credential: dict, *, key_id: str | None = None,
                    created: datetime | None = None) -> dict:
    """A copy of `credential` with an eddsa-jcs-2022 DataIntegrityProof (current key by default)."""
    signing = keys.current_key() if key_id is None else keys.signing_key(key_id)
    document = copy.deepcopy({k: v for k, v in credential.items() if k != "proof"})
    proof = {
        "type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or datetime.now(UTC)),
        "verificationMethod": f"{document['issuer']['id']}#{signing.key_id}",
        "proofPurpose": "assertionMethod",
    }
    signature = signing.private_key.sign(_hash_data(document, proof))
    document["proof"] = {**proof, "proofValue": "z" + b58encode(signature)}
    return document


@dataclass(frozen=True)
class CredentialCheck:
    valid: bool
    reasons: list[str] = field(default_factory=list)


def verify_credential(credential: dict, *, revocation_lookup: RevocationLookup | None = None,
                      now: datetime | None = None) -> CredentialCheck:
    """Check the proof, key, validity window, issuer and (with a lookup) revocation.

    `revocation_lookup(public_id)` returns when the certificate was revoked (None if it
    is not), or raises LookupError if it does not know the certificate.
    """
    problems: list[str] = []
    notes: list[str] = []
    try:
        _check_proof(credential, problems, notes)
        _check_dates(credential, now or datetime.now(UTC), problems)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        problems.append(f"malformed credential ({type(error).__name__}: {error})")
        return CredentialCheck(False, problems)
    _check_revocation(credential, revocation_lookup, problems, notes)
    return CredentialCheck(not problems, problems + notes)


def _check_proof(credential: dict, problems: list[str], notes: list[str]) -> None:
    proof = credential["proof"]
    if not isinstance(proof, dict):
        raise TypeError("proof must be a single object")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        problems.append(f"unsupported proof (expected DataIntegrityProof {CRYPTOSUITE})")
        return
    if proof.get("proofPurpose") != "assertionMethod":
        problems.append("proof purpose is not assertionMethod")
    if "@context" in proof and proof["@context"] != credential["@context"][
            :len(proof["@context"])]:
        problems.append("proof @context does not match the credential")
    issuer_id = credential["issuer"]["id"]
    method = proof["verificationMethod"]
    base, _, key_id = method.rpartition("#")
    if base != issuer_id:
        problems.append(f"issuer mismatch: proof key {method!r} is not the issuer's {issuer_id!r}")
    public = keys.public_keys().get(key_id)
    if public is None:
        problems.append(f"unknown key: {key_id!r} is not one of this issuer's keys")
        return
    value = proof["proofValue"]
    if not isinstance(value, str) or not value.startswith("z"):
        problems.append("signature bad: proofValue is not base58btc multibase")
        return
    try:
        public.verify(b58decode(value[1:]), _hash_data(credential, proof))
    except (InvalidSignature, ValueError):
        problems.append("signature bad: the credential or its proof was changed")
        return
    current = keys.current_key().key_id
    notes.append(f"signature ok (key {key_id}{'' if key_id == current else ', rotated out'})")


def _parse_time(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _check_dates(credential: dict, now: datetime, problems: list[str]) -> None:
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if _parse_time(credential["validFrom"]) > now:
        problems.append(f"not yet valid (valid from {credential['validFrom']})")
    if "validUntil" in credential and _parse_time(credential["validUntil"]) < now:
        problems.append(f"expired on {credential['validUntil']}")


def _check_revocation(credential: dict, lookup: RevocationLookup | None,
                      problems: list[str], notes: list[str]) -> None:
    public_id = (credential.get("credentialStatus") or {}).get("certificateId")
    if lookup is None or not public_id:
        notes.append("revocation not checked (offline: ask the issuer's verification page)")
        return
    try:
        revoked_at = lookup(str(public_id))
    except LookupError:
        notes.append("revocation not checked (certificate unknown to this issuer)")
        return
    if revoked_at is not None:
        problems.append(f"revoked on {_timestamp(revoked_at)}")
    else:
        notes.append("not revoked")


def credential_summary(credential: dict) -> dict:
    """Who, what and when, as the credential states it (whether or not it verifies)."""
    try:
        subject = credential["credentialSubject"]
        return {"name": subject.get("name"), "course": subject["achievement"].get("name"),
                "issued": credential.get("validFrom"),
                "public_id": (credential.get("credentialStatus") or {}).get("certificateId")}
    except (KeyError, TypeError, AttributeError):
        return {"name": None, "course": None, "issued": None, "public_id": None}
