"""Public verification, the learner's downloads and transcript, and who may see what."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from certificates import api
from certificates.models import Certificate
from lms.core import api as core_api
from lms.core import ratelimit
from tests import factories
from tests.certificates.conftest import complete_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, tree):
    complete_course(learner, tree)
    return api.issue_certificate(user=learner, course=tree.course)


def verify_url(public_id, json=False):
    return reverse("certificates:verify_json" if json else "certificates:verify", args=[public_id])


def test_verification_page_works_signed_out_and_shows_only_public_facts(client, certificate,
                                                                         learner):
    response = client.get(verify_url(certificate.public_id))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in page and "Amina Yusuf" in page and "Preventing SJS/TEN" in page
    assert learner.email not in page


def test_verification_json_leaks_no_email(client, certificate, learner):
    response = client.get(verify_url(certificate.public_id, json=True))
    data = response.json()
    assert data["status"] == "valid" and data["learner_name"] == "Amina Yusuf"
    assert data["score"] is None and data["tier"] == "participation"
    assert learner.email not in response.content.decode()
    assert client.get(verify_url(certificate.public_id) + "?format=json").json() == data


def test_revoked_certificate_shows_as_revoked_on_the_page_and_in_json(client, certificate, user):
    api.revoke(certificate=certificate, actor=user, reason="Issued in error")
    assert "Revoked" in client.get(verify_url(certificate.public_id)).content.decode()
    data = client.get(verify_url(certificate.public_id, json=True)).json()
    assert data["status"] == "revoked" and data["revoked_on"] == str(timezone.localdate())
    assert "Issued in error" not in client.get(verify_url(certificate.public_id)).content.decode()


def test_superseded_certificate_says_replaced(client, certificate, user):
    new = api.reissue(certificate=certificate, actor=user, reason="Name change")
    page = client.get(verify_url(certificate.public_id)).content.decode()
    assert "Replaced" in page and new.public_id in page


@pytest.mark.parametrize("name", ["أمينة يوسف", "अमीना यूसुफ़", "阿米娜·优素福", "Zoë O'Brien-Nɔ́"])
def test_name_shown_exactly_as_written_in_any_script(client, learner, tree, name):
    core_api.save_profile(user=learner, full_name=name, profession="nurse", country="KE")
    complete_course(learner, tree)
    certificate = api.issue_certificate(user=learner, course=tree.course)
    assert certificate.learner_name == name
    page = client.get(verify_url(certificate.public_id)).content.decode()
    from django.utils.html import escape
    assert escape(name) in page
    assert client.get(verify_url(certificate.public_id, json=True)).json()["learner_name"] == name


def test_unknown_id_is_a_clear_not_found(client, db):
    response = client.get(verify_url("no-such-certificate"))
    assert response.status_code == 404
    assert "Certificate not found" in response.content.decode()
    assert client.get(verify_url("nope", json=True)).json()["status"] == "not_found"


def _misses_allowed() -> int:
    return ratelimit.rate_of("certificate_verify_miss").limit


def test_guessing_is_rate_limited_per_client(client, certificate):
    with freeze_time() as clock:
        for number in range(_misses_allowed()):
            assert client.get(verify_url(f"guess{number}")).status_code == 404
        refused = client.get(verify_url("guess-more"))
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
        assert "Too many certificate numbers" in refused.content.decode()
        as_json = client.get(verify_url(certificate.public_id, json=True))
        assert as_json.status_code == 429 and as_json.json()["status"] == "rate_limited"
        other = client.get(verify_url(certificate.public_id), REMOTE_ADDR="10.0.0.9")
        assert other.status_code == 200
        clock.tick(int(refused["Retry-After"]))
        assert client.get(verify_url(certificate.public_id)).status_code == 200


def test_a_real_lookup_does_not_count_as_a_miss(client, certificate):
    with freeze_time():
        for _ in range(_misses_allowed() + 5):
            assert client.get(verify_url(certificate.public_id)).status_code == 200


@pytest.mark.pdf
def test_owner_downloads_her_pdf_and_credential(auth_client, certificate):
    api.render_certificate(certificate=certificate)
    api.sign_certificate(certificate=certificate)
    pdf = auth_client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    credential = auth_client.get(reverse("certificates:credential", args=[certificate.public_id]))
    assert credential.status_code == 200 and "proof" in credential.json()


def test_pdf_not_yet_rendered_is_being_prepared(auth_client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf=None)
    response = auth_client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 503 and "being prepared" in response.content.decode()


def test_another_learner_cannot_download_her_pdf_or_credential(client, certificate):
    client.force_login(factories.make_user(email="someone.else@example.org"))
    for name in ("certificates:pdf", "certificates:credential"):
        assert client.get(reverse(name, args=[certificate.public_id])).status_code == 404


def test_signed_out_downloads_go_to_sign_in(client, certificate):
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_and_dashboard_show_her_certificate_with_links(auth_client, certificate):
    for url in (reverse("certificates:list"), "/dashboard/"):
        page = auth_client.get(url).content.decode()
        assert "Preventing SJS/TEN" in page
        assert reverse("certificates:pdf", args=[certificate.public_id]) in page
        assert verify_url(certificate.public_id) in page


def test_transcript_csv_over_a_period(auth_client, learner, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(course_title="=HYPERLINK(\"x\")")
    today = timezone.localdate()
    response = auth_client.get(reverse("certificates:transcript"), {
        "from": str(today - timedelta(days=30)), "to": str(today), "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Course" and len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[1][2] == "2.0"
    empty = auth_client.get(reverse("certificates:transcript"), {
        "from": "2001-01-01", "to": "2001-12-31", "format": "csv"})
    assert len(list(csv.reader(io.StringIO(empty.content.decode("utf-8-sig"))))) == 1


@pytest.mark.pdf
def test_transcript_pdf(auth_client, certificate):
    today = timezone.localdate()
    response = auth_client.get(reverse("certificates:transcript"), {
        "from": str(today), "to": str(today), "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_transcript_downloads_are_rate_limited_per_learner(auth_client, certificate,
                                                          settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "transcript": "2/h"}
    today = timezone.localdate()
    query = {"from": str(today - timedelta(days=30)), "to": str(today), "format": "csv"}
    url = reverse("certificates:transcript")
    with freeze_time() as clock:
        assert [auth_client.get(url, query).status_code for _ in range(2)] == [200, 200]
        refused = auth_client.get(url, query)
        assert refused.status_code == 429 and int(refused["Retry-After"]) <= 3600
        assert auth_client.get(url).status_code == 200  # the form itself is not counted
        clock.tick(3600)
        assert auth_client.get(url, query).status_code == 200


def test_transcript_refuses_a_bad_period(auth_client, db):
    response = auth_client.get(reverse("certificates:transcript"),
                               {"from": "2025-02-01", "to": "2025-01-01", "format": "csv"})
    assert response.status_code == 400


def test_verification_is_one_query_however_many_certificates_exist(
    client, certificate, django_assert_max_num_queries
):
    """An employer's check must stay fast: the page and the JSON read one row."""
    for url in (verify_url(certificate.public_id), verify_url(certificate.public_id, json=True)):
        client.get(url)
        with django_assert_max_num_queries(1):
            assert client.get(url).status_code == 200


def test_a_revoked_certificates_credential_fails_verification(auth_client, client, certificate,
                                                               user):
    api.sign_certificate(certificate=certificate)  # the background task's work
    signed = auth_client.get(reverse("certificates:credential",
                                     args=[certificate.public_id])).json()
    answer = client.post("/credentials/verify/", signed, content_type="application/json").json()
    assert answer["valid"] is True and answer["revoked"] is False

    api.revoke(certificate=certificate, actor=user, reason="Issued in error")
    answer = client.post("/credentials/verify/", signed, content_type="application/json").json()
    assert answer["valid"] is False and answer["revoked"]
    assert any("revoked" in reason for reason in answer["reasons"])
