from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.routing import serve as catalog_serve
from lms.core import data_views
from lms.core import views as core_views
from lms.core.admin_login import admin_login

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("profile/", core_views.profile, name="profile"),
    path("profile/data/", data_views.your_data, name="your_data"),
    path("profile/data/export/", data_views.request_data_export, name="data_export_request"),
    path("profile/data/<int:export_id>/download/", data_views.download_data_export,
         name="data_export_download"),
    path("profile/delete/", data_views.delete_account, name="delete_account"),
    path("privacy/", data_views.privacy, name="privacy"),
    path("lite-mode/", core_views.lite_mode_toggle, name="lite_mode"),
    path("language/", core_views.set_language, name="set-language"),
    path("", include("courses.urls")),
    path("", include("assessments.urls")),
    path("credentials/", include("certificates.credential_urls")),
    path("", include("certificates.urls")),
    path("", include("offline.urls")),
    path("admin/login/", admin_login),  # Wagtail's sign-in, rate limited
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

if "xblocks" in settings.INSTALLED_APPS:
    urlpatterns.append(path("xblock/", include("xblocks.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Catalog pages: a cached route to the page, then Wagtail's own serve view.
    re_path(r"^(?P<path>(?:[\w\-]+/)+)$", catalog_serve, name="catalog_page"),
    path("", include(wagtail_urls)),
]
