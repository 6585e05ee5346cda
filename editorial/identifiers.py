"""Checking and normalising what identifies a reference: DOI, PMID and web address.

Pure functions (no database): the model validators, the admin forms and the demo loader
all use them, so a DOI typed as "https://doi.org/10.1056/..." or "doi:10.1056/..." is
stored once, as "10.1056/...".
"""

import re
import unicodedata
from urllib.parse import quote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                "http://dx.doi.org/", "doi.org/", "doi:")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
_http_only = URLValidator(schemes=["http", "https"])


def _has_invisible(text: str) -> bool:
    return any(unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"} for char in text)


def normalize_doi(value: str) -> str:
    """``value`` as a bare DOI ("10.1056/NEJMoa1013297"), or "" if empty.

    Raises ValidationError for anything that is not a DOI.
    """
    doi = (value or "").strip()
    for prefix in DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix):].strip()
            break
    if not doi:
        return ""
    if _has_invisible(doi) or not DOI_PATTERN.match(doi) or len(doi) > 200:
        raise ValidationError(
            _("Enter a DOI such as 10.1056/NEJMoa1013297 (it starts with \"10.\")."),
            code="invalid_doi",
        )
    return doi


def normalize_pmid(value: str) -> str:
    """``value`` as PubMed's digits ("21732829"), or "" if empty; ValidationError otherwise."""
    pmid = (value or "").strip()
    if pmid.lower().startswith("pmid"):
        pmid = pmid[4:].lstrip(": ").strip()
    if not pmid:
        return ""
    if not PMID_PATTERN.match(pmid):
        raise ValidationError(
            _("Enter a PubMed ID: digits only, such as 21732829."), code="invalid_pmid"
        )
    return pmid


def normalize_url(value: str) -> str:
    """``value`` if it is an http(s) address without hidden characters, "" if empty."""
    url = (value or "").strip()
    if not url:
        return ""
    scheme = urlsplit(url).scheme.lower() if not _has_invisible(url) else ""
    try:
        if scheme not in {"http", "https"}:
            raise ValidationError("scheme")
        _http_only(url)
    except ValidationError:
        raise ValidationError(
            _("Enter a web address starting with https:// or http://."), code="invalid_url"
        ) from None
    return url


def doi_url(doi: str) -> str:
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else ""


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and pmid.isdigit() else ""


def validate_doi(value: str) -> None:
    normalize_doi(value)


def validate_pmid(value: str) -> None:
    normalize_pmid(value)


def validate_http_url(value: str) -> None:
    normalize_url(value)
