"""The services Allele's runtime offers blocks: i18n, user, settings and replace_urls."""

import hashlib
import hmac
import re

from django.conf import settings
from django.utils import dateformat, translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from xblock.reference.plugins import Service
from xblock.reference.user_service import UserService, XBlockUser

ROLE_STAFF = "staff"
ROLE_STUDENT = "student"


def anonymous_user_id(*, user, course_key: str) -> str:
    """A stable id for ``user`` in one course that reveals neither her pk nor her other
    courses (an HMAC under the site's secret key)."""
    message = f"{user.pk}:{course_key}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


class I18nService(Service):
    """Django's translations for the active language, with the names blocks expect."""

    gettext = staticmethod(gettext)
    ugettext = staticmethod(gettext)
    ngettext = staticmethod(ngettext)
    ungettext = staticmethod(ngettext)
    pgettext = staticmethod(pgettext)
    npgettext = staticmethod(npgettext)

    def strftime(self, dtime, format):
        named = {"SHORT_DATE": "SHORT_DATE_FORMAT", "LONG_DATE": "DATE_FORMAT",
                 "DATE_TIME": "DATETIME_FORMAT", "TIME": "TIME_FORMAT"}
        if format in named:
            from django.utils.formats import get_format

            return dateformat.format(dtime, get_format(named[format]))
        return dtime.strftime(format)

    def get_language(self) -> str:
        return translation.get_language() or settings.LANGUAGE_CODE

    def get_javascript_i18n_catalog_url(self, block):
        return None


class AlleleUserService(UserService):
    """The current user, always the authenticated request user the runtime was built for."""

    def __init__(self, *, user, course_key: str, user_is_staff: bool, **kwargs):
        super().__init__(**kwargs)
        self._user = user
        self._course_key = course_key
        self._user_is_staff = user_is_staff

    def get_current_user(self) -> XBlockUser:
        user = self._user
        authenticated = bool(user is not None and user.is_authenticated)
        xblock_user = XBlockUser(
            is_current_user=True,
            emails=[user.email] if authenticated and user.email else [],
            full_name=(user.get_full_name() or user.get_username()) if authenticated else None,
        )
        language = translation.get_language() or settings.LANGUAGE_CODE
        xblock_user.opt_attrs = {
            "edx-platform.is_authenticated": authenticated,
            "edx-platform.user_id": user.pk if authenticated else None,
            "edx-platform.username": user.get_username() if authenticated else None,
            "edx-platform.anonymous_user_id": (
                anonymous_user_id(user=user, course_key=self._course_key)
                if authenticated else None),
            "edx-platform.user_role": ROLE_STAFF if self._user_is_staff else ROLE_STUDENT,
            "edx-platform.user_is_staff": self._user_is_staff,
            "edx-platform.user_preferences": {"pref-lang": language},
        }
        return xblock_user

    def get_anonymous_user_id(self, username, course_id):
        """Only for the current user: blocks cannot look other learners up."""
        user = self._user
        if user is None or not user.is_authenticated or username != user.get_username():
            return None
        return anonymous_user_id(user=user, course_key=str(course_id or self._course_key))

    def get_user_by_anonymous_id(self, uid=None):
        if uid is None or uid == self.get_anonymous_user_id(
                getattr(self._user, "username", None), self._course_key):
            return self.get_current_user()
        return None


class SettingsService:
    """``settings.XBLOCK_SETTINGS[<bucket>]`` for a block (the bucket is its
    ``block_settings_key`` or its class name)."""

    def get_settings_bucket(self, block, default=None):
        cls = type(block)
        key = getattr(block, "block_settings_key", None) or getattr(
            cls, "unmixed_class", cls).__name__
        buckets = getattr(settings, "XBLOCK_SETTINGS", {})
        return buckets.get(key, {} if default is None else default)


_STATIC_REFERENCE = re.compile(r"""(?P<quote>["'(])/static/(?P<path>[^"')\s?#]+)""")


class ReplaceURLService:
    """Rewrites ``/static/<file>`` references in a block's HTML to the block's public
    resources (``public/<file>``), served by the resource route."""

    def __init__(self, *, block, runtime):
        self.block = block
        self.runtime = runtime

    def replace_urls(self, text, static_replace_only=False):
        def replace(match):
            path = match.group("path")
            if ".." in path.split("/"):
                return match.group(0)
            url = self.runtime.local_resource_url(self.block, f"public/{path}")
            return f"{match.group('quote')}{url}"

        return _STATIC_REFERENCE.sub(replace, text or "")
