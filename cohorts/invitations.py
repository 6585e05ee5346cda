"""Invitations for the accounts a CSV import created: an e-mail with allauth's own
password-reset link ("set your password"), sent once per account.

Following the link proves she owns the address, so when she sets her password the
address is marked verified (she can then sign in at once) and the invitation accepted.
The link is allauth's password-reset key, valid for ``PASSWORD_RESET_TIMEOUT`` (three
days by default); after that "Forgot your password?" on the sign-in page sends a new one.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Invitation
from lms.core.api import mark_email_verified
from lms.core.models import User

SEND_CHUNK = 500


def invitation_url(*, user: User) -> str:
    """The absolute link at which she sets her first password."""
    path = reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user),
    })
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_invitations(*, import_id: int) -> int:
    """Send the unsent invitations of one import; returns how many were sent.

    Each invitation is claimed (marked sent, which locks its row), sent and committed in
    its own transaction, over one SMTP connection: a rerun or a second worker sends
    nothing twice, and when the mail server fails (or the worker dies) halfway, the
    invitations already sent stay marked and the rerun sends the rest.
    """
    sent, after = 0, 0
    templates = (get_template("cohorts/email/invitation_subject.txt"),
                 get_template("cohorts/email/invitation_body.txt"))
    unsent = (Invitation.objects.filter(cohort_import_id=import_id, sent_at__isnull=True)
              .select_related("user", "user__learner_profile", "cohort").order_by("pk"))
    with get_connection() as mail_connection:
        while chunk := list(unsent.filter(pk__gt=after)[:SEND_CHUNK]):
            after = chunk[-1].pk
            sent += sum(_send_once(invitation, mail_connection, templates)
                        for invitation in chunk)
    return sent


def _send_once(invitation: Invitation, mail_connection, templates) -> int:
    with transaction.atomic():
        # The UPDATE claims the row and holds its lock until the commit: a concurrent run
        # waits for it, then finds it sent.
        if not Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()):
            return 0
        mail_connection.send_messages([_message(invitation, *templates)])  # raising rolls back
    return 1


def _message(invitation: Invitation, subject_template, body_template) -> EmailMessage:
    user = invitation.user
    profile = getattr(user, "learner_profile", None)
    context = {"name": profile.full_name if profile else user.email,
               "cohort": invitation.cohort, "link": invitation_url(user=user),
               "sign_in": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("account_login")}
    subject = " ".join(subject_template.render(context).split())
    body = body_template.render(context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def accept_invitation(sender, *, user: User, **kwargs) -> None:
    """allauth's password_reset signal: she set her password from a link sent to her
    address, so the address is hers; the invitation, if any, is accepted."""
    accepted = Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now())
    if accepted:
        mark_email_verified(user=user)
