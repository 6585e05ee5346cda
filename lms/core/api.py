"""The core's front door: learner profiles, roles, the audit trail and data rights
(personal-data declarations, exports, account deletion).

Views, allauth's adapter and management commands call these functions; nothing
else writes core models.
"""

import secrets
import unicodedata
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lms.core.audit import AuditAction, AuditOrigin, AuditTarget, origin_of, record_audit
from lms.core.data_rights import (
    delete_account,
    downloadable_data_export,
    list_data_exports,
    privacy_contact,
    purge_expired_data_exports,
    request_data_export,
)
from lms.core.data_rights import keep_for as data_export_keep_for
from lms.core.lite import lite_mode
from lms.core.models import LearnerProfile, User
from lms.core.personal_data import (
    PersonalDataDeclaration,
    declared_models,
    detach,
    export_personal_data,
    model_rows,
    personal_data_declarations,
    register_personal_data,
)
from lms.core.roles import Role

__all__ = [
    "AuditAction",
    "AuditOrigin",
    "AuditTarget",
    "NewLearner",
    "PersonalDataDeclaration",
    "assign_role",
    "check_full_name",
    "create_invited_learners",
    "create_missing_profiles",
    "data_export_keep_for",
    "declared_models",
    "delete_account",
    "detach",
    "downloadable_data_export",
    "ensure_demo_administrator",
    "export_personal_data",
    "find_users_by_email",
    "get_profile",
    "has_complete_profile",
    "list_data_exports",
    "lite_mode",
    "mark_email_verified",
    "model_rows",
    "note_learning_state_changed",
    "note_learning_state_changed_for",
    "origin_of",
    "personal_data_declarations",
    "privacy_contact",
    "purge_expired_data_exports",
    "record_audit",
    "register_personal_data",
    "request_data_export",
    "save_profile",
    "set_preferred_language",
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
    lite_mode: bool | None = None,
) -> LearnerProfile:
    """Create or update the learner's profile with already-validated values.

    The name is stored exactly as written (no case folding, no Unicode
    normalisation) so that it prints on a certificate as the learner wrote it.
    ``lite_mode`` None leaves that setting as it is.
    """
    check_full_name(full_name=full_name)
    defaults = {
        "full_name": full_name,
        "profession": profession,
        "country": country,
        "specialty": specialty,
        "institution": institution,
        "preferred_language": preferred_language,
    }
    if lite_mode is not None:
        defaults["lite_mode"] = lite_mode
        note_learning_state_changed(user=user)  # her pages render with or without media
    profile, _ = LearnerProfile.objects.update_or_create(user=user, defaults=defaults)
    return profile


def set_preferred_language(*, user: User, language: str) -> bool:
    """Remember ``language`` (a code in settings.LANGUAGES) as the learner's interface
    language, restored at every sign-in. False when she has no profile yet to keep it in.

    Raises ValueError for a code the site does not offer.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown interface language: {language!r}")
    return LearnerProfile.objects.filter(user=user).update(preferred_language=language) > 0


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


def note_learning_state_changed_for(*, user_ids: list[int]) -> None:
    """``note_learning_state_changed`` for many learners at once (one UPDATE)."""
    User.objects.filter(pk__in=user_ids).update(
        learning_state_version=F("learning_state_version") + 1
    )


# --- Accounts made for learners by someone else (a cohort manager's CSV) ---------------------


@dataclass(frozen=True, slots=True)
class NewLearner:
    """A person to create an account for. ``email`` is already normalised (lower case)."""

    email: str
    full_name: str
    profession: str
    country: str
    institution: str = ""


def find_users_by_email(*, emails: list[str]) -> dict[str, User]:
    """The existing accounts for these (lower-case) addresses, by address.

    Matched case-insensitively against each account's e-mail and every address
    allauth knows for it, so a learner is never given a second account.
    """
    found: dict[str, User] = {}
    for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails):
        found.setdefault(user.email_lower, user)
    addresses = (EmailAddress.objects.annotate(email_lower=Lower("email"))
                 .filter(email_lower__in=emails).select_related("user"))
    for address in addresses:
        found.setdefault(address.email_lower, address.user)
    return found


def create_invited_learners(*, people: list[NewLearner]) -> dict[str, User]:
    """Accounts for people who have none, with their profiles; returns every account by
    address (those this call made and any made concurrently by another).

    The account has no usable password (she sets one from her invitation) and an
    unverified address; the username is the address, which makes a concurrent
    second insert of the same person a no-op. Existing profiles are never changed.
    """
    with transaction.atomic():
        User.objects.bulk_create(
            [_invited_user(person) for person in people], ignore_conflicts=True, batch_size=500
        )
        users = {user.username: user for user in
                 User.objects.filter(username__in=[person.email for person in people])}
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=users[p.email], email=p.email, primary=True, verified=False)
             for p in people if p.email in users],
            ignore_conflicts=True, batch_size=500,
        )
        create_missing_profiles(people=people, users=users)
    return users


def create_missing_profiles(*, people: list[NewLearner], users: dict[str, User]) -> None:
    """A profile from ``people`` for each of ``users`` who has none; never overwrites."""
    for person in people:
        check_full_name(full_name=person.full_name)
    LearnerProfile.objects.bulk_create(
        [LearnerProfile(user=users[p.email], full_name=p.full_name, profession=p.profession,
                        country=p.country, institution=p.institution)
         for p in people if p.email in users],
        ignore_conflicts=True, batch_size=500,
    )


def _invited_user(person: NewLearner) -> User:
    user = User(username=person.email, email=person.email, is_active=True)
    user.set_unusable_password()
    return user


def mark_email_verified(*, user: User) -> None:
    """Her primary address is proven (she followed a link sent to it): mark it verified."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
