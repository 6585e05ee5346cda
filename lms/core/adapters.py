"""django-allauth adapter: where sign-up and sign-in meet Allele's profiles and roles."""

from allauth.account.adapter import DefaultAccountAdapter
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

    def get_login_redirect_url(self, request):
        """Send a learner without a profile to complete it first, then on to where she was going."""
        destination = super().get_login_redirect_url(request)
        if not api.has_complete_profile(user=request.user):
            return f"{reverse('profile')}?{urlencode({'next': destination})}"
        return destination
