"""The audit trail in the Wagtail admin (Reports → Audit trail): read-only, for superusers
and site administrators; filterable by action, person, target and date; paginated; CSV.

There is no add, edit or delete view, in Wagtail or in Django's admin: entries are written
only by ``record_audit`` and never changed (see ``AuditEntry``).
"""

from __future__ import annotations

import csv
import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.core.audit import find_audit_entries
from lms.core.models import AuditAction, AuditEntry
from lms.core.roles import Role
from lms.core.spreadsheets import neutralise_formula

ENTRIES_PER_PAGE = 50
CSV_MAX_ROWS = 50_000


def may_view_audit_trail(user) -> bool:
    """Superusers and members of the Site administrator role."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=Role.SITE_ADMINISTRATOR).exists()


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Any")), *AuditAction.choices])
    actor = forms.CharField(label=_("Who (e-mail or name contains)"), required=False,
                            max_length=254)
    target = forms.CharField(label=_("Target or learner contains"), required=False,
                             max_length=255)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until (inclusive)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def entries(self) -> QuerySet[AuditEntry]:
        """The entries the (valid) filters select, newest first."""
        data = self.cleaned_data if self.is_valid() else {}
        return find_audit_entries(
            action=data.get("action") or "", actor_text=data.get("actor") or "",
            target_text=data.get("target") or "", since=data.get("since"),
            until=data.get("until"))


CSV_HEADER = [_("When (UTC)"), _("Who"), _("Action"), _("Target type"), _("Target id"),
              _("Target"), _("Learner"), _("Summary"), _("IP address"), _("User agent"),
              _("Details")]


def _csv(entries: QuerySet[AuditEntry]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="audit-trail-{timezone.localdate():%Y-%m-%d}.csv"')
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(title) for title in CSV_HEADER])
    for entry in entries[:CSV_MAX_ROWS]:
        writer.writerow([neutralise_formula(str(value)) for value in (
            entry.occurred_at.astimezone(datetime.UTC).isoformat(), entry.actor_label,
            entry.get_action_display(), entry.target_type, entry.target_id, entry.target_label,
            entry.subject.email if entry.subject else "", entry.summary,
            entry.ip_address or "", entry.user_agent, entry.details)])
    return response


class AuditTrailView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Audit trail")
    header_icon = "history"
    template_name = "core/admin/audit_trail.html"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_audit_trail(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = AuditFilterForm(request.GET or None)
        entries = form.entries()
        if request.GET.get("export") == "csv":
            return _csv(entries)
        page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("p"))
        query = request.GET.copy()
        query.pop("p", None)
        return self.render_to_response(self.get_context_data(
            form=form, page=page, query=query.urlencode()))


class AuditMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_view_audit_trail(request.user)


urlpatterns = [
    path("reports/audit-trail/", AuditTrailView.as_view(), name="core_audit_trail"),
]


def audit_menu_item() -> MenuItem:
    return AuditMenuItem(_("Audit trail"), reverse("core_audit_trail"), name="audit-trail",
                         icon_name="history", order=900)
