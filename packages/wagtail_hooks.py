"""Course packages in the Wagtail admin: a "Course packages" menu item (jobs and the
import form) and an "Export course package" action on each course's page header and
in the page listing's "More" menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from courses import api as courses_api
from packages import api


class PackagesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return api.may_use_packages(user=request.user)


@hooks.register("register_admin_urls")
def packages_admin_urls():
    return [path("packages/", include("packages.admin_urls", namespace="packages"))]


@hooks.register("register_admin_menu_item")
def packages_menu_item():
    return PackagesMenuItem(_("Course packages"), reverse("packages:index"), name="packages",
                            icon_name="download", order=260)


def _export_button(page, user, priority: int):
    if isinstance(page.specific_deferred, courses_api.CoursePage) and api.may_export(
            user=user, course=page):
        yield Button(_("Export course package"), reverse("packages:export", args=[page.pk]),
                     icon_name="download", priority=priority)


@hooks.register("register_page_header_buttons")
def export_header_button(page, user, view_name=None, next_url=None):
    yield from _export_button(page, user, priority=80)


@hooks.register("register_page_listing_more_buttons")
def export_listing_button(page, user, next_url=None):
    yield from _export_button(page, user, priority=80)
