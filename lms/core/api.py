"""The core's front door: learner profiles and roles.

Views, allauth's adapter and management commands call these functions; nothing
else writes core models.
"""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

from lms.core.models import LearnerProfile, User
from lms.core.roles import Role

__all__ = [
    "assign_role",
    "ensure_demo_administrator",
    "get_profile",
    "has_complete_profile",
    "save_profile",
]


def get_profile(*, user: User) -> LearnerProfile | None:
    """The learner's profile, or None before she has completed it."""
    return LearnerProfile.objects.filter(user=user).first()


def has_complete_profile(*, user: User) -> bool:
    return LearnerProfile.objects.filter(user=user).exists()


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
