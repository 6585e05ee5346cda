"""What a certificate or transcript PDF shows: plain frozen dataclasses, no ORM.

``certificates.api`` (or a task) builds these from models and hands them to
``certificates.pdf``; the renderer never touches the database. Paths are local
filesystem paths the caller has already resolved (media files), never URLs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

__all__ = [
    "LANGUAGES",
    "TIERS",
    "CertificateContent",
    "Signatory",
    "TranscriptContent",
    "TranscriptRow",
    "wording_language",
]

TIERS = ("participation", "achievement")
LANGUAGES = ("en", "fr", "es", "pt", "ar")

Tier = Literal["participation", "achievement"]
Language = Literal["en", "fr", "es", "pt", "ar"]


def wording_language(code: str) -> Language:
    """The certificate wording for an interface or course language: its base language
    ("pt-br" is worded in "pt"), English for one the certificates are not worded in."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "en"  # type: ignore[return-value]


@dataclass(frozen=True)
class Signatory:
    name: str
    title: str
    # A signature image (PNG/JPEG/SVG) as a local path or a data: URI, or None to print the
    # name only.
    signature_path: str | None = None


@dataclass(frozen=True)
class CertificateContent:
    public_id: str
    learner_name: str  # exactly as she writes it; never normalised or transliterated
    course_title: str
    tier: Tier
    score: Decimal | None  # percentage 0-100, shown for the achievement tier
    completed_on: date
    cpd_credit_hours: Decimal
    issuer_name: str
    accrediting_body: str
    wording: str  # the attestation sentence, already in `language`
    signatories: tuple[Signatory, ...]
    logo_path: str | None
    verification_url: str  # encoded in the QR code and printed
    language: Language = "en"
    expires_on: date | None = None

    def __post_init__(self) -> None:
        if self.tier not in TIERS:
            raise ValueError(f"tier must be one of {TIERS}, not {self.tier!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")


@dataclass(frozen=True)
class TranscriptRow:
    course_title: str
    completed_on: date
    cpd_credit_hours: Decimal
    public_id: str
    verification_url: str


@dataclass(frozen=True)
class TranscriptContent:
    learner_name: str
    start: date
    end: date
    rows: tuple[TranscriptRow, ...]
    total_hours: Decimal
