"""The personal data the certificates app keeps: issued certificates and who acted on them.
Registered by ``CertificatesConfig.ready()``; see lms/core/personal_data.py."""

from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate, CertificateAction
from lms.core.api import (
    PersonalDataDeclaration,
    detach,
    model_rows,
    register_personal_data,
)


def export(user) -> dict:
    certificates = Certificate.objects.filter(user=user)
    return {
        "certificates": model_rows(certificates),
        "certificate_history": model_rows(
            CertificateAction.objects.filter(certificate__in=certificates)),
    }


def erase(user) -> None:
    """A certificate is a statement made to others (an employer checks it by its number),
    so it stays as issued, with the name printed on it, but no longer belongs to an
    account; the history of actions on certificates keeps no actor."""
    detach(Certificate, "user", user)
    detach(CertificateAction, "actor", user)


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="certificates",
        models=("certificates.Certificate", "certificates.CertificateAction"),
        export=export,
        erase=erase,
        kept_after_erasure=_(
            "Each certificate you were issued is kept as issued, with the name printed on "
            "it, the course, the dates, the score and its certificate number, so that "
            "whoever you gave it to can still verify it; it no longer belongs to an account. "
            "Ask us to revoke a certificate if you want verification to say so."
        ),
        order=50,
    ))
