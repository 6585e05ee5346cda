"""The core's front door: learner profiles and roles.

Views, allauth's adapter and management commands call these functions; nothing
else writes core models.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from lms.core.models import LearnerProfile, User
from lms.core.roles import Role

__all__ = [
    "assign_role",
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
