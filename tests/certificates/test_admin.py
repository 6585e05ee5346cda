"""The issued-certificates admin: site administrators list, search, filter, revoke and
reissue (each with a reason, recorded); nobody else gets in."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import api
from certificates.models import Certificate, CertificateAction
from lms.core import api as core_api
from lms.core.roles import Role
from tests import factories
from tests.certificates.conftest import complete_course

pytestmark = pytest.mark.django_db

INDEX = "issued_certificates:index"


@pytest.fixture
def certificate(learner, tree):
    complete_course(learner, tree)
    return api.issue_certificate(user=learner, course=tree.course)


@pytest.fixture
def other_certificate(db):
    """Another learner's certificate for another course, in the achievement tier."""
    person = factories.make_user(email="ravi@example.org")
    core_api.save_profile(user=person, full_name="रवि शर्मा", profession="doctor", country="IN")
    other = factories.make_course_tree(modules=1, title="Warfarin dosing")
    complete_course(person, other)
    certificate = api.issue_certificate(user=person, course=other.course)
    Certificate.objects.filter(pk=certificate.pk).update(tier=Certificate.Tier.ACHIEVEMENT)
    return certificate


def make_person(email, role=None, **extra):
    person = factories.make_user(email=email, **extra)
    if role is not None:
        core_api.assign_role(user=person, role=role)
    return person


@pytest.fixture(params=["superuser", "group"])
def administrator(request, db):
    if request.param == "superuser":
        return make_person("root@example.org", is_superuser=True, is_staff=True)
    return make_person("admin@example.org", Role.SITE_ADMINISTRATOR)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def listing(client, **params):
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return response.content.decode()


def test_administrator_lists_searches_and_filters(admin_client, certificate, other_certificate):
    page = listing(admin_client)
    assert "Amina Yusuf" in page and "रवि शर्मा" in page

    page = listing(admin_client, q="Amina")
    assert "Amina Yusuf" in page and "रवि शर्मा" not in page
    page = listing(admin_client, q=other_certificate.public_id)
    assert "रवि शर्मा" in page and "Amina Yusuf" not in page

    page = listing(admin_client, tier=Certificate.Tier.ACHIEVEMENT)
    assert "रवि शर्मा" in page and "Amina Yusuf" not in page
    page = listing(admin_client, course=certificate.course_id)
    assert "Amina Yusuf" in page and "रवि शर्मा" not in page


def test_administrator_inspects_a_certificate(admin_client, certificate):
    response = admin_client.get(reverse("issued_certificates:inspect", args=[certificate.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert certificate.public_id in page and "Issued" in page
    assert reverse("certificates_admin_revoke", args=[certificate.pk]) in page


@pytest.mark.parametrize("role", [Role.EDUCATOR, Role.LEARNER, None])
def test_non_administrators_get_no_access(client, certificate, role):
    client.force_login(make_person("someone@example.org", role))
    urls = [
        reverse(INDEX),
        reverse("issued_certificates:inspect", args=[certificate.pk]),
        reverse("certificates_admin_revoke", args=[certificate.pk]),
        reverse("certificates_admin_reissue", args=[certificate.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert certificate.public_id not in response.content.decode()
    revoke = client.post(urls[2], {"reason": "Because I can"})
    assert revoke.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert not CertificateAction.objects.filter(action=CertificateAction.Kind.REVOKED).exists()


def test_revoke_requires_a_reason(admin_client, certificate):
    url = reverse("certificates_admin_revoke", args=[certificate.pk])
    for reason in ("", "   "):
        response = admin_client.post(url, {"reason": reason})
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].errors
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.revocation_reason == ""
    assert list(certificate.actions.values_list("action", flat=True)) == ["issued"]


def test_revoke_shows_on_the_public_page_json_and_audit_trail(admin_client, administrator,
                                                             certificate):
    response = admin_client.post(reverse("certificates_admin_revoke", args=[certificate.pk]),
                                 {"reason": "Issued in error: wrong cohort"})
    inspect_url = reverse("issued_certificates:inspect", args=[certificate.pk])
    assert response.status_code == 302 and response["Location"] == inspect_url

    public = admin_client.get(reverse("certificates:verify", args=[certificate.public_id]))
    assert "Revoked" in public.content.decode()
    data = admin_client.get(
        reverse("certificates:verify_json", args=[certificate.public_id])).json()
    assert data["status"] == "revoked" and data["revoked_on"] == str(timezone.localdate())

    action = certificate.actions.get(action=CertificateAction.Kind.REVOKED)
    assert action.actor == administrator and action.reason == "Issued in error: wrong cohort"
    page = admin_client.get(inspect_url).content.decode()
    assert "Revoked" in page and "Issued in error: wrong cohort" in page
    assert str(administrator) in page


def test_reissue_after_a_name_change_replaces_the_certificate(admin_client, administrator,
                                                             certificate, learner):
    core_api.save_profile(user=learner, full_name="Amina Yusuf Odhiambo", profession="nurse",
                          country="KE")
    url = reverse("certificates_admin_reissue", args=[certificate.pk])
    assert admin_client.post(url, {"reason": ""}).status_code == 200
    assert Certificate.objects.count() == 1

    response = admin_client.post(url, {"reason": "Name changed on marriage"})
    new = Certificate.objects.exclude(pk=certificate.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("issued_certificates:inspect", args=[new.pk])
    assert new.learner_name == "Amina Yusuf Odhiambo" and new.public_id != certificate.public_id
    assert new.superseded_at is None

    old_page = admin_client.get(
        reverse("certificates:verify", args=[certificate.public_id])).content.decode()
    assert "Replaced" in old_page and new.public_id in old_page
    action = certificate.actions.get(action=CertificateAction.Kind.REISSUED)
    assert action.actor == administrator and action.reason == "Name changed on marriage"
