"""Certificate pages: public verification (HTML and JSON), and the learner's certificates,
downloads and CPD transcript. Each view parses, calls certificates.api, and renders."""

import csv
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certificates import api
from lms.core import ratelimit
from lms.core.spreadsheets import neutralise_formula


@require_GET
def verify(request: HttpRequest, public_id: str, as_json: bool = False) -> HttpResponse:
    """A certificate's public record. Unknown numbers count against the client address
    (guessing), past the limit every lookup from it is refused for the rest of the window."""
    as_json = as_json or request.GET.get("format") == "json"
    miss = ratelimit.hit(name="certificate_verify_miss",
                         key=f"ip:{ratelimit.client_ip(request)}")
    if not miss.allowed:
        return ratelimit.too_many_requests(request, miss, as_json=as_json, message=_(
            "Too many certificate numbers that do not exist were checked from your network."))
    view = api.verification(public_id=public_id)
    if view is None:
        if as_json:
            return JsonResponse({"status": "not_found", "public_id": public_id}, status=404)
        return render(request, "certificates/verify_not_found.html",
                      {"public_id": public_id}, status=404)
    ratelimit.undo(miss)  # a real certificate: not a guess
    if as_json:
        return JsonResponse(view.as_json(), json_dumps_params={"ensure_ascii": False})
    return render(request, "certificates/verify.html", {"verification": view})


@require_GET
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    certificates = api.certificates_of(user=request.user)
    return render(request, "certificates/certificate_list.html",
                  {"certificates": certificates, "today": date.today()})


def _own(request: HttpRequest, public_id: str):
    certificate = api.get_certificate(public_id=public_id, user=request.user)
    if certificate is None:
        raise Http404(_("No such certificate."))
    return certificate


def _being_prepared() -> HttpResponse:
    response = HttpResponse(_("Your certificate is being prepared. Please try again in a few "
                              "minutes."), status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "120"
    return response


@require_GET
@login_required
def certificate_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    certificate = _own(request, public_id)
    if not certificate.pdf:
        return _being_prepared()
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True,
                        filename=f"certificate-{certificate.public_id}.pdf",
                        content_type="application/pdf")


@require_GET
@login_required
def certificate_credential(request: HttpRequest, public_id: str) -> HttpResponse:
    certificate = _own(request, public_id)
    if not certificate.credential:
        return _being_prepared()
    response = JsonResponse(certificate.credential, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{certificate.public_id}.json"')
    return response


def _period(request: HttpRequest) -> tuple[date, date] | None:
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
        end = date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        return None
    return (start, end) if start <= end else None


@require_GET
@login_required
@ratelimit.rate_limit("transcript", methods=("GET",),
                      when=lambda request: request.GET.get("format") in ("csv", "pdf"))
def transcript(request: HttpRequest) -> HttpResponse:
    period, kind = _period(request), request.GET.get("format", "")
    if period is None or kind not in ("csv", "pdf"):
        return render(request, "certificates/transcript.html",
                      {"error": bool(request.GET), "today": date.today()},
                      status=400 if request.GET else 200)
    start, end = period
    if kind == "pdf":
        data = api.transcript_pdf(user=request.user, start=start, end=end)
        if data is None:
            return _being_prepared()
        response = HttpResponse(data, content_type="application/pdf")
    else:
        response = _transcript_csv(api.transcript_rows(user=request.user, start=start, end=end))
    response["Content-Disposition"] = f'attachment; filename="cpd-{start}-{end}.{kind}"'
    return response


def _transcript_csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so spreadsheets read UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Course"), _("Completed"), _("CPD credit hours"), _("Certificate"),
                     _("Verification link")])
    for row in rows:
        writer.writerow([neutralise_formula(row.course_title), row.completed_on.isoformat(),
                         str(row.cpd_credit_hours), row.public_id, row.verification_url])
    return response
