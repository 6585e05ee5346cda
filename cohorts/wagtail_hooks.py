"""Cohorts in the Wagtail admin: the "Cohorts" menu item (for superusers, Site
administrators and Cohort managers) and the cohort pages under /admin/cohorts/."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cohorts import api


class CohortsMenuItem(MenuItem):
    def is_shown(self, request):
        return api.may_manage_cohorts(user=request.user)


@hooks.register("register_admin_urls")
def cohorts_admin_urls():
    return [path("cohorts/", include("cohorts.admin_urls", namespace="cohorts"))]


@hooks.register("register_admin_menu_item")
def cohorts_menu_item():
    return CohortsMenuItem(_("Cohorts"), reverse("cohorts:index"), name="cohorts",
                           icon_name="group", order=250)
