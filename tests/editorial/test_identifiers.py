"""DOIs, PMIDs and web addresses of references: one spelling stored, bad ones refused."""

import pytest
from django.core.exceptions import ValidationError

from editorial import identifiers
from lms.core.html import is_safe_url
from tests.badinput import corpus


@pytest.mark.parametrize("typed", [
    "10.1056/NEJMoa1013297", " 10.1056/NEJMoa1013297 ", "doi:10.1056/NEJMoa1013297",
    "https://doi.org/10.1056/NEJMoa1013297", "http://dx.doi.org/10.1056/NEJMoa1013297",
    "DOI:10.1056/NEJMoa1013297",
])
def test_a_doi_is_stored_bare_however_it_was_typed(typed):
    assert identifiers.normalize_doi(typed) == "10.1056/NEJMoa1013297"


@pytest.mark.parametrize("bad", [
    "NEJMoa1013297", "11.1056/x", "10.1/x", "10.1056/", "10.1056/has space",
    "javascript:alert(1)", "10.1056/x\u200b", "10.1056/x\nEvil", "10.1056/" + "x" * 200,
])
def test_anything_else_is_not_a_doi(bad):
    with pytest.raises(ValidationError, match="Enter a DOI"):
        identifiers.normalize_doi(bad)


def test_doi_and_pubmed_links():
    assert identifiers.doi_url("10.1056/NEJMoa1013297") == "https://doi.org/10.1056/NEJMoa1013297"
    assert identifiers.doi_url("10.1000/a<b>\"c") == "https://doi.org/10.1000/a%3Cb%3E%22c"
    assert identifiers.pubmed_url("21732829") == "https://pubmed.ncbi.nlm.nih.gov/21732829/"
    assert identifiers.pubmed_url("") == identifiers.doi_url("") == ""


@pytest.mark.parametrize(("typed", "stored"), [
    ("21732829", "21732829"), ("PMID: 21732829", "21732829"), ("pmid21732829", "21732829"),
    ("", ""),
])
def test_pmid_is_digits(typed, stored):
    assert identifiers.normalize_pmid(typed) == stored


@pytest.mark.parametrize("bad", ["0123", "12a", "1234567890", "-5", "١٢٣", "21732829;"])
def test_other_pmids_are_refused(bad):
    with pytest.raises(ValidationError, match="PubMed ID"):
        identifiers.normalize_pmid(bad)


@pytest.mark.parametrize("url", corpus("urls.txt"))
def test_only_plain_http_addresses_pass_from_the_url_corpus(url):
    try:
        stored = identifiers.normalize_url(url)
    except ValidationError as error:
        assert "https://" in error.messages[0]
        return
    assert stored.lower().startswith(("http://", "https://"))
    assert is_safe_url(stored)


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                                 "vbscript:x", "ftp://example.org/a", "//evil.example/", "/local",
                                 "https://exa mple.org", "https://example.org/\u202e"])
def test_script_and_other_schemes_are_refused(bad):
    with pytest.raises(ValidationError):
        identifiers.normalize_url(bad)
