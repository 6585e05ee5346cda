"""The core's own personal data: the account, its e-mail addresses (allauth), second factors
(allauth.mfa), the learner profile, learning events, the audit trail, data exports and
sessions. Registered by ``CoreConfig.ready()``; see lms/core/personal_data.py."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _

from lms.core.models import AuditEntry, DataExport, LearnerProfile, LearningEvent, User
from lms.core.personal_data import PersonalDataDeclaration, model_rows

__all__ = ["DECLARATION"]


def export(user: User) -> dict:
    return {
        "account": model_rows(
            User.objects.filter(pk=user.pk),
            fields=("id", "username", "email", "first_name", "last_name", "date_joined",
                    "last_login", "is_active"),
        ),
        "email_addresses": model_rows(EmailAddress.objects.filter(user=user)),
        # The kind and dates of each second factor, never its secret.
        "second_factors": model_rows(Authenticator.objects.filter(user=user),
                                     fields=("id", "type", "created_at", "last_used_at")),
        "profile": model_rows(LearnerProfile.objects.filter(user=user)),
        "learning_events": model_rows(LearningEvent.objects.filter(user=user)),
        # Entries about her that someone else made keep that person's address and browser out.
        "audit_entries": model_rows(
            AuditEntry.objects.filter(actor=user).order_by("occurred_at")
        ) + model_rows(
            AuditEntry.objects.filter(subject=user).exclude(actor=user).order_by("occurred_at"),
            exclude=("ip_address", "user_agent"),
        ),
        "data_exports": model_rows(DataExport.objects.filter(user=user), exclude=("file",)),
    }


def erase(user: User) -> None:
    """The account row itself is deleted by ``lms.core.data_rights.delete_account`` after
    every app has erased; the audit trail keeps its entries (``record_audit`` snapshots)."""
    EmailAddress.objects.filter(user=user).delete()  # and their confirmations
    Authenticator.objects.filter(user=user).delete()
    LearnerProfile.objects.filter(user=user).delete()
    LearningEvent.objects.filter(user=user).delete()
    DataExport.objects.filter(user=user).delete()  # their files go on commit (data_rights)


DECLARATION = PersonalDataDeclaration(
    app_label="core",
    models=("core.User", "core.LearnerProfile", "core.LearningEvent", "core.AuditEntry",
            "core.DataExport", "account.EmailAddress", "account.EmailConfirmation",
            "mfa.Authenticator", "sessions.Session"),
    export=export,
    erase=erase,
    kept_after_erasure=_(
        "The audit trail keeps its entries about your account (what was done, when, from "
        "which address, and the e-mail address of whoever did it), including the record "
        "that you deleted your account: programmes must be able to account for grades, "
        "certificates and deletions. Other devices you were signed in on are signed out."
    ),
    order=900,  # last: other apps' rows may point at the profile or the account
)
