"""Signed Open Badges 3.0 credentials: build, sign, verify, tamper, rotate, revoke; the
verification endpoint, the issuer profile and the verify_credential command."""

import base64
import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from certificates import conf, credential_views
from certificates.credentials import build_credential, sign_credential, verify_credential
from certificates.management.commands import verify_credential as verify_command

ISSUER = "https://learn.allele.example/credentials/issuer.json"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def seed(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode().rstrip("=")


@pytest.fixture
def keyring(settings):
    settings.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1)}
    settings.ALLELE_CREDENTIAL_CURRENT_KEY = "k1"
    return settings


def make_credential(**overrides) -> dict:
    fields = dict(
        public_id="A1B2C3", learner_name="Dr Amina Okafor", course_title="Pharmacogenomics",
        course_description="Prescribing with the genome in mind.", tier="distinction",
        score=Decimal("92.5"), cpd_credit_hours=Decimal("1.50"),
        completed_at=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
        issued_at=datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
        expires_at=datetime(2028, 3, 1, 10, 0, tzinfo=UTC),
        issuer_name="Allele", issuer_url=ISSUER,
        verification_url="https://learn.allele.example/certificates/A1B2C3/",
        achievement_url="https://learn.allele.example/pharmacogenomics/",
    )
    return build_credential(**{**fields, **overrides})


def problems(check) -> list[str]:
    return [r for r in check.reasons if not r.startswith(("signature ok", "revocation not",
                                                          "not revoked"))]


def test_an_open_badges_3_credential_with_an_eddsa_jcs_2022_proof(keyring):
    signed = sign_credential(make_credential())
    assert signed["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "Allele",
                                "url": "https://learn.allele.example/"}
    subject = signed["credentialSubject"]
    assert subject["achievement"]["creditsAvailable"] == 1.5
    assert [r["value"] for r in subject["result"]] == ["distinction", "92.5"]
    assert signed["validUntil"] == "2028-03-01T10:00:00Z"
    proof = signed["proof"]
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == ISSUER + "#k1"
    assert proof["proofValue"].startswith("z")
    check = verify_credential(signed, now=NOW)
    assert check.valid, check.reasons
    assert "revocation not checked" in check.reasons[-1]
    # What a file round trip does to it changes nothing.
    assert verify_credential(json.loads(json.dumps(signed)), now=NOW).valid


def test_optional_parts_may_be_absent(keyring):
    signed = sign_credential(make_credential(score=None, tier="", cpd_credit_hours=None,
                                             expires_at=None))
    assert "validUntil" not in signed and "result" not in signed["credentialSubject"]
    assert verify_credential(signed, now=datetime(2099, 1, 1, tzinfo=UTC)).valid


def _set(path):
    def change(credential, value):
        target = credential
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return change


@pytest.mark.parametrize(("path", "value"), [
    (("credentialSubject", "name"), "Dr Amina Okafor-Smith"),
    (("credentialSubject", "identifier", 0, "identityHash"), "Someone Else"),
    (("credentialSubject", "achievement", "name"), "Genomics for Everyone"),
    (("name",), "Another certificate"),
    (("validFrom",), "2025-03-02T10:00:00Z"),
    (("credentialSubject", "activityEndDate"), "2025-02-01T00:00:00Z"),
    (("credentialSubject", "result", 1, "value"), "99"),
    (("credentialSubject", "result", 0, "value"), "pass"),
    (("credentialSubject", "achievement", "creditsAvailable"), 15),
    (("credentialSubject", "creditsEarned"), 2),
    (("issuer", "name"), "Allele Academy"),
    (("validUntil",), "2099-03-01T10:00:00Z"),
    (("credentialStatus", "certificateId"), "ZZZZZZ"),
    (("proof", "created"), "2020-01-01T00:00:00Z"),
    (("proof", "proofPurpose"), "authentication"),
])
def test_any_change_breaks_verification(keyring, path, value):
    signed = sign_credential(make_credential())
    tampered = copy.deepcopy(signed)
    _set(path)(tampered, value)
    check = verify_credential(tampered, now=NOW)
    assert not check.valid
    assert problems(check)


def test_changed_proof_value_or_verification_method_breaks_it(keyring):
    keyring.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1), "k2": seed(2)}
    signed = sign_credential(make_credential())
    value = signed["proof"]["proofValue"]
    for proof_value in (value[:-2] + ("11" if value[-2:] != "11" else "22"), "z" + "1" * 80, "x"):
        tampered = copy.deepcopy(signed)
        tampered["proof"]["proofValue"] = proof_value
        assert any(r.startswith("signature bad") for r in verify_credential(tampered).reasons)
    tampered = copy.deepcopy(signed)
    tampered["proof"]["verificationMethod"] = ISSUER + "#k2"
    assert "signature bad" in problems(verify_credential(tampered, now=NOW))[0]
    tampered["proof"]["verificationMethod"] = "https://evil.example/issuer.json#k1"
    assert any(r.startswith("issuer mismatch") for r in verify_credential(tampered).reasons)


def test_key_rotation_keeps_old_credentials_valid(keyring):
    old = sign_credential(make_credential())
    keyring.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1), "k2": seed(2)}
    keyring.ALLELE_CREDENTIAL_CURRENT_KEY = "k2"
    new = sign_credential(make_credential())
    assert new["proof"]["verificationMethod"].endswith("#k2")
    old_check = verify_credential(old, now=NOW)
    assert old_check.valid and "signature ok (key k1, rotated out)" in old_check.reasons
    assert verify_credential(new, now=NOW).valid


def test_a_key_this_issuer_does_not_list_fails(keyring):
    keyring.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1), "stranger": seed(9)}
    signed = sign_credential(make_credential(), key_id="stranger")
    keyring.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1)}
    check = verify_credential(signed, now=NOW)
    assert not check.valid and problems(check)[0].startswith("unknown key")


def test_expired_and_not_yet_valid(keyring):
    signed = sign_credential(make_credential())
    expired = verify_credential(signed, now=datetime(2028, 3, 2, tzinfo=UTC))
    assert not expired.valid and problems(expired) == ["expired on 2028-03-01T10:00:00Z"]
    early = verify_credential(signed, now=datetime(2025, 1, 1, tzinfo=UTC))
    assert not early.valid and problems(early)[0].startswith("not yet valid")


def test_revocation_through_the_lookup(keyring):
    signed = sign_credential(make_credential())
    revoked_at = datetime(2025, 6, 1, tzinfo=UTC)
    seen = []
    check = verify_credential(signed, now=NOW,
                              revocation_lookup=lambda pid: seen.append(pid) or revoked_at)
    assert seen == ["A1B2C3"]
    assert not check.valid and problems(check) == ["revoked on 2025-06-01T00:00:00Z"]
    check = verify_credential(signed, now=NOW, revocation_lookup=lambda pid: None)
    assert check.valid and "not revoked" in check.reasons

    def unknown(pid):
        raise LookupError(pid)

    check = verify_credential(signed, now=NOW, revocation_lookup=unknown)
    assert check.valid and "certificate unknown" in check.reasons[-1]


@pytest.mark.parametrize("name", ["فاطمة الزهراء", "डॉ. प्रिया शर्मा", "王小明",
                                  "Zoë O'Brien-Łukasz"])
def test_names_in_any_script_round_trip_and_verify(keyring, name):
    signed = sign_credential(make_credential(learner_name=name, course_title="علم الوراثة"))
    reread = json.loads(json.dumps(signed, ensure_ascii=False).encode().decode())
    assert reread["credentialSubject"]["name"] == name
    assert verify_credential(reread, now=NOW).valid


def test_malformed_credentials_are_invalid_not_errors(keyring):
    signed = sign_credential(make_credential())
    for broken in ({}, {**signed, "proof": "x"}, {**signed, "validFrom": "yesterday"},
                   {k: v for k, v in signed.items() if k != "issuer"}):
        check = verify_credential(broken, now=NOW)
        assert not check.valid and check.reasons


# --- The endpoint and the issuer profile ------------------------------------------------

@pytest.fixture
def no_database_lookup(monkeypatch):
    monkeypatch.setattr(credential_views, "revocation_lookup", lambda pid: None)


def test_verify_endpoint_answers_valid_and_invalid(keyring, client, no_database_lookup):
    signed = sign_credential(make_credential(expires_at=None, learner_name="王小明"))
    answer = client.post("/credentials/verify/", signed, content_type="application/json").json()
    assert answer["valid"] is True
    assert (answer["name"], answer["course"], answer["revoked"]) == ("王小明", "Pharmacogenomics",
                                                                      False)
    assert answer["issued"] == "2025-03-01T10:00:00Z"
    signed["credentialSubject"]["name"] = "Someone Else"
    answer = client.post("/credentials/verify/", signed, content_type="application/json").json()
    assert answer["valid"] is False and answer["reasons"][0].startswith("signature bad")


def test_verify_endpoint_takes_an_uploaded_file(keyring, client, no_database_lookup):
    data = json.dumps(sign_credential(make_credential(expires_at=None))).encode()
    upload = SimpleUploadedFile("credential.json", data, content_type="application/json")
    assert client.post("/credentials/verify/", {"credential": upload}).json()["valid"] is True


def test_verify_endpoint_refuses_big_or_broken_bodies(keyring, client):
    big = json.dumps({"padding": "x" * (80 * 1024)})
    assert client.post("/credentials/verify/", big, content_type="application/json"
                       ).status_code == 413
    upload = SimpleUploadedFile("c.json", b" " * (65 * 1024) + b"{}")
    assert client.post("/credentials/verify/", {"f": upload}).status_code == 413
    response = client.post("/credentials/verify/", "not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["valid"] is False
    assert client.get("/credentials/verify/").status_code == 405


def test_verify_endpoint_is_rate_limited_per_address(keyring, client, monkeypatch):
    monkeypatch.setattr(conf, "CREDENTIAL_VERIFY_RATE", (2, 600))
    codes = [client.post("/credentials/verify/", "[]", content_type="application/json",
                         REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert client.post("/credentials/verify/", "[]", content_type="application/json",
                       REMOTE_ADDR="203.0.113.8").status_code == 400


def test_issuer_profile_lists_every_key_that_verifies(keyring, client):
    keyring.ALLELE_CREDENTIAL_KEYS = {"k1": seed(1), "k2": seed(2)}
    keyring.ALLELE_CREDENTIAL_CURRENT_KEY = "k2"
    profile = client.get("/credentials/issuer.json").json()
    assert profile["id"].endswith("/credentials/issuer.json")
    methods = {m["id"].rsplit("#", 1)[1]: m for m in profile["verificationMethod"]}
    assert set(methods) == {"k1", "k2"}
    assert all(m["type"] == "Multikey" and m["publicKeyMultibase"].startswith("z6Mk")
               for m in methods.values())
    assert profile["currentKey"].endswith("#k2")


@pytest.mark.django_db
def test_the_database_lookup_does_not_know_a_stranger(keyring):
    signed = sign_credential(make_credential(expires_at=None))
    check = verify_credential(signed, revocation_lookup=credential_views.revocation_lookup)
    assert check.valid and "certificate unknown" in check.reasons[-1]


# --- The management command ---------------------------------------------------------------

def test_verify_credential_command_exit_codes(keyring, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(verify_command, "revocation_lookup", lambda pid: None)
    path = tmp_path / "credential.json"
    signed = sign_credential(make_credential(expires_at=None))
    path.write_text(json.dumps(signed, ensure_ascii=False), encoding="utf-8")
    call_command("verify_credential", str(path))
    assert capsys.readouterr().out.startswith("VALID")
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    path.write_text(json.dumps(signed), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_credential", str(path))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert out.startswith("INVALID") and "signature bad" in out
