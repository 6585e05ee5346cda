"""Certificates in Wagtail: the "Certificates" admin menu (policies, designs, issued
certificates with revoke and reissue), and the learner's certificates on her dashboard and
on the course page."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views, api
from certificates.models import Certificate, CertificateDesign, CertificatePolicy
from courses import extensions

register_permission_policy(Certificate, admin_views.SiteAdministratorsMayView(Certificate))


class CertificatePolicyViewSet(SnippetViewSet):
    model = CertificatePolicy
    icon = "tasks"
    menu_label = _("Policies")
    list_display = ["course", "offers_participation", "offers_achievement",
                    "achievement_threshold", "expiry_months", "design"]
    list_filter = ["offers_achievement"]


class CertificateDesignViewSet(SnippetViewSet):
    model = CertificateDesign
    icon = "image"
    menu_label = _("Designs")
    list_display = ["name", "issuer_name", "accrediting_body"]
    search_fields = ["name", "issuer_name"]
    search_backend_name = None


class CertificatesGroup(ViewSetGroup):
    items = (admin_views.CertificateViewSet, CertificatePolicyViewSet, CertificateDesignViewSet)
    menu_icon = "doc-full"
    menu_label = _("Certificates")
    menu_name = "certificates"


@hooks.register("register_admin_viewset")
def register_certificates_viewsets():
    return CertificatesGroup()


@hooks.register("register_admin_urls")
def certificate_admin_urls():
    return admin_views.urlpatterns


@hooks.register(extensions.DASHBOARD_SECTIONS)
def dashboard_certificates(*, request, dashboard):
    certificates = list(api.certificates_of(user=request.user))
    if not certificates:
        return []
    return [render_to_string("certificates/dashboard_section.html",
                             {"certificates": certificates}, request=request)]


@hooks.register(extensions.COURSE_SECTIONS)
def course_certificate(*, request, course, progress):
    if not request.user.is_authenticated:
        return []
    certificates = list(api.certificates_of(user=request.user, course=course))
    if not certificates:
        return []
    return [render_to_string("certificates/course_section.html",
                             {"certificates": certificates}, request=request)]
