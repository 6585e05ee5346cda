"""The core's front door: learner profiles and roles.

Views, allauth's adapter and management commands call these functions; nothing
else writes core models.
"""

import secrets
import unicodedata

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lms.core.models import LearnerProfile, User
from lms.core.roles import Role

__all__ = [
    "assign_role",
    "check_full_name",
    "ensure_demo_administrator",
    "get_profile",
    "has_complete_profile",
    "note_learning_state_changed",
    "save_profile",
]


def get_profile(*, user: User) -> LearnerProfile | None:
    """The learner's profile, or None before she has completed it."""
    return LearnerProfile.objects.filter(user=user).first()


def has_complete_profile(*, user: User) -> bool:
    return LearnerProfile.objects.filter(user=user).exists()


# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the text
# around them: "Mark\u202egnirts" prints as "Markstring". Marks (LRM, RLM) and the
# joiners that Persian and Indic names need (ZWNJ, ZWJ) stay allowed.
_BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def check_full_name(*, full_name: str) -> None:
    """Refuse a name that would not print as one line of what the learner sees.

    Any script, mark or joiner is fine; control characters, line and paragraph
    separators and bidirectional overrides are not. Raises ValidationError.
    """
    for char in full_name:
        category = unicodedata.category(char)
        if category == "Cc" or category in ("Zl", "Zp"):
            raise ValidationError(
                _("Your name cannot contain line breaks, tabs or other control characters."),
                code="control_character",
            )
        if ord(char) in _BIDI_CONTROLS:
            raise ValidationError(
                _("Your name cannot contain invisible characters that reverse the text "
                  "direction."),
                code="bidi_control",
            )


@transaction.atomic
def save_profile(
    *,
    user: User,
    full_name: str,
    profession: str,
    country: str,
    specialty: str = "",
    institution: str = "",
    preferred_language: str = "en",
) -> LearnerProfile:
    """Create or update the learner's profile with already-validated values.

    The name is stored exactly as written (no case folding, no Unicode
    normalisation) so that it prints on a certificate as the learner wrote it.
    """
    check_full_name(full_name=full_name)
    profile, _ = LearnerProfile.objects.update_or_create(
        user=user,
        defaults={
            "full_name": full_name,
            "profession": profession,
            "country": country,
            "specialty": specialty,
            "institution": institution,
            "preferred_language": preferred_language,
        },
    )
    return profile


def assign_role(*, user: User, role: Role) -> None:
    """Put the user in the role's group (created by core's migrations)."""
    user.groups.add(Group.objects.get(name=role.value))


@transaction.atomic
def ensure_demo_administrator(*, email: str) -> tuple[User, str]:
    """Create or refresh the local demo administrator and give it a fresh random password.

    A superuser in the Site administrator group, with a verified primary e-mail
    address (so allauth lets it sign in) and a profile (so sign-in does not stop
    at the profile form). Refuses to run when DEBUG is off: production
    administrators are made with ``createsuperuser``.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured("The demo administrator is only created when DEBUG is on.")
    password = secrets.token_urlsafe(12)
    user = (
        User.objects.filter(Q(email__iexact=email) | Q(username=email)).order_by("pk").first()
    )
    if user is None:
        user = User(username=email, email=email)
    user.is_staff = user.is_superuser = user.is_active = True
    user.set_password(password)
    user.save()
    assign_role(user=user, role=Role.SITE_ADMINISTRATOR)
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    if not has_complete_profile(user=user):
        save_profile(user=user, full_name="Demo Administrator", profession="other",
                     country="KE", institution="Allele demo")
    return user, password


def note_learning_state_changed(*, user: User) -> None:
    """Call inside the transaction that changes what a learner's pages show (enrollments,
    progress, results): pages cached against her state are then rendered afresh."""
    User.objects.filter(pk=user.pk).update(learning_state_version=F("learning_state_version") + 1)
