"""Signing keys: configuration, the development key, rotation, Multikey and the checks."""

import base64
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from certificates import checks, keys


def seed(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode().rstrip("=")


@pytest.fixture
def no_keys(settings):
    settings.ALLELE_CREDENTIAL_KEYS = ""
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = ""
    return settings


def test_tests_without_keys_use_a_development_key_derived_from_secret_key(no_keys):
    first = keys.current_key()
    assert first.key_id == keys.DEV_KEY_ID == "dev-1"
    assert keys.current_key().public_key == first.public_key
    multibase = keys.public_key_multibase("dev-1")
    no_keys.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert keys.public_key_multibase("dev-1") != multibase


def test_production_without_keys_refuses_to_sign(no_keys):
    no_keys.DEBUG, no_keys.TESTING = False, False
    with pytest.raises(ImproperlyConfigured, match="ALLELE_CREDENTIAL_KEYS"):
        keys.current_key()
    assert [error.id for error in checks.credential_keys_configured()] == ["certificates.E001"]


def test_debug_without_keys_is_fine_for_the_deploy_check(no_keys):
    no_keys.DEBUG, no_keys.TESTING = True, False
    assert keys.current_key().key_id == "dev-1"
    assert checks.credential_keys_configured() == []


def test_configured_keys_current_and_rotated_out(settings):
    settings.ALLELE_CREDENTIAL_KEYS = json.dumps({"k1": seed(1), "k2": seed(2)})
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = "k2"
    settings.DEBUG, settings.TESTING = False, False
    assert keys.current_key().key_id == "k2"
    assert set(keys.public_keys()) == {"k1", "k2"}
    assert checks.credential_keys_configured() == checks.credential_keys_valid() == []


def test_a_single_key_needs_no_current_key_id(settings):
    settings.ALLELE_CREDENTIAL_KEYS = {"only": seed(3)}
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = ""
    assert keys.current_key().key_id == "only"


@pytest.mark.parametrize(("configured", "current", "message"), [
    ("{not json", "", "not JSON"),
    ("[]", "", "non-empty JSON object"),
    (json.dumps({"k1": "too-short"}), "k1", "32-byte seed"),
    (json.dumps({"bad id!": seed(1)}), "", "letters, digits"),
    (json.dumps({"k1": seed(1), "k2": seed(2)}), "", "set ALLELE_CREDENTIAL_CURRENT_KEY"),
    (json.dumps({"k1": seed(1)}), "k9", "not in ALLELE_CREDENTIAL_KEYS"),
])
def test_malformed_configuration_says_what_to_fix(settings, configured, current, message):
    settings.ALLELE_CREDENTIAL_KEYS = configured
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = current
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.current_key()
    assert [error.id for error in checks.credential_keys_valid()] == ["certificates.E002"]


def test_multikey_round_trip(settings):
    settings.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1)}
    multibase = keys.public_key_multibase("k1")
    assert multibase.startswith("z6Mk")
    assert keys.public_key_from_multibase(multibase) == keys.public_keys()["k1"]
    with pytest.raises(ValueError):
        keys.public_key_from_multibase("u" + multibase[1:])


def test_generate_credential_key_prints_a_usable_key(settings, capsys):
    call_command("generate_credential_key")
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("ALLELE_CREDENTIAL_KEYS="))
    settings.ALLELE_CREDENTIAL_KEYS = line.split("=", 1)[1].strip("'")
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = ""
    key_id = keys.current_key().key_id
    assert f"key id: {key_id}" in out
    assert keys.public_key_multibase(key_id).startswith("z6Mk")
