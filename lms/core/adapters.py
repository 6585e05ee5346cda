"""django-allauth adapter: where sign-up and sign-in meet Allele's profiles and roles."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from lms.core import api
from lms.core.roles import Role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            api.assign_role(user=user, role=Role.LEARNER)
        return user

    def post_login(self, request, user, **kwargs):
        """Every way in (password, e-mail confirmation, two-factor) ends here.

        allauth has already chosen a safe destination (its `next`, or the default);
        a learner without a profile is sent to complete it first, and then on there.
        Her preferred language, once known, becomes the interface language.
        """
        response = super().post_login(request, user, **kwargs)
        if not isinstance(response, HttpResponseRedirect):
            return response
        profile = api.get_profile(user=user)
        if profile is None:
            response["Location"] = f"{reverse('profile')}?{urlencode({'next': response.url})}"
        else:
            set_language_cookie(response, profile.preferred_language)
        return response


def set_language_cookie(response, language: str) -> None:
    """Remember the learner's language so LocaleMiddleware serves it on every page."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language,
        max_age=settings.LANGUAGE_COOKIE_AGE, path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN, secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def user_display(user) -> str:
    """How allauth names a user in messages and e-mails: her e-mail, not the internal username.

    Wired in by ACCOUNT_USER_DISPLAY in settings.
    """
    return user.email or user.get_username()
