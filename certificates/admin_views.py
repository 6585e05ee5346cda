"""The Wagtail admin for issued certificates: a read-only listing and inspect page (with the
audit trail), and revoke and reissue forms that require a reason. Site administrators only;
the writes go through certificates.api."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from certificates import api
from certificates.models import Certificate

SITE_ADMINISTRATOR_GROUP = "Site administrator"  # lms.core.roles.Role.SITE_ADMINISTRATOR


def is_site_administrator(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=SITE_ADMINISTRATOR_GROUP).exists()


class SiteAdministratorsMayView(BasePermissionPolicy):
    """Certificates are looked at in the admin, never edited there: site administrators may
    view them; revoke and reissue are separate views."""

    def user_has_permission(self, user, action):
        return action == "view" and is_site_administrator(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and is_site_administrator(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__name=SITE_ADMINISTRATOR_GROUP), is_active=True
        ).distinct()


class CertificateInspectView(InspectView):
    template_name = "certificates/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = self.object.actions.select_related("actor")
        context["revoke_url"] = reverse("certificates_admin_revoke", args=[self.object.pk])
        context["reissue_url"] = reverse("certificates_admin_reissue", args=[self.object.pk])
        return context


class CertificateViewSet(ModelViewSet):
    model = Certificate
    name = "issued_certificates"
    icon = "doc-full"
    menu_label = _("Issued certificates")
    add_to_admin_menu = False
    inspect_view_enabled = True
    inspect_view_class = CertificateInspectView
    inspect_view_fields = ["public_id", "learner_name", "course_title", "tier", "score",
                           "cpd_credit_hours", "completed_at", "issued_at", "expires_at",
                           "revoked_at", "revocation_reason", "superseded_by", "issuer_name",
                           "language"]
    list_display = ["learner_name", "course_title", "tier", "issued_at", "revoked_at",
                    "public_id"]
    list_filter = ["tier", "course", "issued_at"]
    search_fields = ["learner_name", "course_title", "public_id"]
    search_backend_name = None
    form_fields = []  # no add or edit: the permission policy refuses them anyway


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Recorded with your name and the time."))


class _CertificateActionView(WagtailAdminTemplateMixin, FormView):
    form_class = ReasonForm
    template_name = "certificates/admin/action_form.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, pk, **kwargs):
        if not is_site_administrator(request.user):
            raise PermissionDenied
        self.certificate = get_object_or_404(Certificate, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(certificate=self.certificate,
                                        action_label=self.action_label, **kwargs)

    def form_valid(self, form):
        try:
            result = self.act(reason=form.cleaned_data["reason"])
        except api.CertificateError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return redirect(reverse("issued_certificates:inspect", args=[result.pk]))


class RevokeView(_CertificateActionView):
    page_title = _("Revoke certificate")
    action_label = _("Revoke")
    done_message = _("The certificate is revoked.")

    def act(self, *, reason):
        return api.revoke(certificate=self.certificate, actor=self.request.user, reason=reason)


class ReissueView(_CertificateActionView):
    page_title = _("Reissue certificate")
    action_label = _("Reissue")
    done_message = _("A new certificate replaces the old one.")

    def act(self, *, reason):
        return api.reissue(certificate=self.certificate, actor=self.request.user, reason=reason)


urlpatterns = [
    path("certificates/issued/<int:pk>/revoke/", RevokeView.as_view(),
         name="certificates_admin_revoke"),
    path("certificates/issued/<int:pk>/reissue/", ReissueView.as_view(),
         name="certificates_admin_reissue"),
]
