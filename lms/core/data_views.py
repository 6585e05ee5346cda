"""A learner's data rights (lms.core.data_rights): "Your data" (ask for an export, see its
progress, download it), deleting the account, and the privacy page.

Asking for an export, downloading one and deleting the account are sensitive: each needs a
recent sign-in (allauth's reauthentication, ``ACCOUNT_REAUTHENTICATION_TIMEOUT``). Every page
but the privacy page is personal and sent with ``Cache-Control: no-store``
(lms.core.conditional does that for every signed-in response; ``never_cache`` here says so
again for these pages in particular).
"""

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.core import api
from lms.core.ratelimit import rate_limit

# The word typed to confirm a deletion: in the page's language, or the English one.
DELETE_CONFIRMATION = "DELETE"
DELETE_WORD = pgettext_lazy("the word a learner types to confirm deleting her account", "DELETE")


@login_required
@never_cache
@require_GET
def your_data(request: HttpRequest) -> HttpResponse:
    exports = api.list_data_exports(user=request.user)
    return render(request, "core/your_data.html", {
        "exports": exports, "keep_days": api.data_export_keep_for().days,
        "running": any(export.is_running for export in exports),
    })


@login_required
@never_cache
@require_POST
@reauthentication_required
@rate_limit("data_export")
def request_data_export(request: HttpRequest) -> HttpResponse:
    api.request_data_export(user=request.user, request=request)
    messages.success(request, _("Your export is being prepared. This page shows when it is "
                                "ready; reload it in a minute."))
    return redirect("your_data")


@login_required
@never_cache
@require_GET
@reauthentication_required(allow_get=False)
def download_data_export(request: HttpRequest, export_id: int) -> HttpResponse:
    data_export = api.downloadable_data_export(user=request.user, export_id=export_id)
    if data_export is None:
        raise Http404(_("No such export, or its file has expired."))
    built = data_export.finished_at or data_export.created_at
    return FileResponse(data_export.file.open("rb"), as_attachment=True,
                        filename=f"allele-data-{built:%Y-%m-%d}.zip",
                        content_type="application/zip")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def delete_account(request: HttpRequest) -> HttpResponse:
    typed = request.POST.get("confirmation", "").strip()
    if request.method == "POST" and typed in (DELETE_CONFIRMATION, str(DELETE_WORD)):
        api.delete_account(user=request.user, request=request)
        logout(request)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("privacy")
    error = (_("Type %(word)s exactly as shown to confirm.") % {"word": DELETE_WORD}
             if request.method == "POST" else "")
    return render(request, "core/delete_account.html", {
        "kept": _kept_after_erasure(), "word": DELETE_WORD, "error": error,
    }, status=400 if error else 200)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {
        "kept": _kept_after_erasure(), "keep_days": api.data_export_keep_for().days,
        "contact": api.privacy_contact(),
        "session_days": settings.SESSION_COOKIE_AGE // 86400,
    })


def _kept_after_erasure() -> list[str]:
    return [str(d.kept_after_erasure) for d in api.personal_data_declarations()
            if d.kept_after_erasure]
