"""The Cohorts admin: list, create and edit cohorts, their members, CSV imports and
reminders. Every view parses, calls cohorts.api and renders; a cohort (or import)
the user may not see is a 404, never a 403, so identifiers cannot be probed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cohorts import api, csv_files
from cohorts.forms import (
    AddMemberForm,
    CohortForm,
    MemberSearchForm,
    ReminderForm,
    UploadForm,
)
from lms.core.ratelimit import rate_limit

MEMBERS_PER_PAGE = 50


def visible_cohort_or_404(request, cohort_id: int) -> api.Cohort:
    """The cohort ``request.user`` manages (or any, for site administrators): 403 for
    someone who manages no cohort at all, 404 for a cohort she may not see, so guessing
    identifiers reveals nothing."""
    if not api.may_manage_cohorts(user=request.user):
        raise PermissionDenied
    try:
        return api.get_visible_cohort(user=request.user, cohort_id=cohort_id)
    except api.Cohort.DoesNotExist:
        raise Http404 from None


def _page(request, template: str, title: str, **context):
    return render(request, template, {"page_title": title, "header_title": title,
                                      "header_icon": "group", **context})


def index(request):
    if not api.may_manage_cohorts(user=request.user):
        raise PermissionDenied
    search = MemberSearchForm(request.GET)
    cohorts = api.visible_cohorts(user=request.user)
    if search.is_valid() and search.cleaned_data["q"]:
        cohorts = cohorts.filter(name__icontains=search.cleaned_data["q"])
    page = Paginator(cohorts, 50).get_page(request.GET.get("p"))
    return _page(request, "cohorts/index.html", _("Cohorts"), page=page, search=search)


def edit(request, cohort_id: int | None = None):
    if not api.may_manage_cohorts(user=request.user):
        raise PermissionDenied
    cohort = visible_cohort_or_404(request, cohort_id) if cohort_id else None
    chooser = api.is_site_administrator(user=request.user)
    initial = CohortForm.initial_for(cohort) if cohort else {}
    form = CohortForm(request.POST or None, initial=initial, may_choose_managers=chooser)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = api.save_cohort(cohort=cohort, editor=request.user,
                                     is_site_administrator=chooser,
                                     managers=form.cleaned_data.get("managers"),
                                     **{key: form.cleaned_data[key] for key in _COHORT_FIELDS})
        except api.CohortError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cohort “%(name)s” is saved.") % {"name": cohort})
            return redirect("cohorts:detail", cohort.pk)
    title = _("Edit %(name)s") % {"name": cohort} if cohort else _("New cohort")
    return _page(request, "cohorts/edit.html", title, form=form, cohort=cohort)


_COHORT_FIELDS = ("name", "organisation", "country", "starts_on", "ends_on", "courses")


def detail(request, cohort_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    search = MemberSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    members = Paginator(api.list_members(cohort=cohort, search=query), MEMBERS_PER_PAGE)
    return _page(request, "cohorts/detail.html", str(cohort), cohort=cohort, search=search,
                 members=members.get_page(request.GET.get("p")), add_form=AddMemberForm(),
                 courses=cohort.courses.order_by("title"), imports=cohort.imports.all()[:20],
                 managers=cohort.managers.order_by("email"))


@require_POST
def add_member(request, cohort_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("cohorts:detail", cohort.pk)
    try:
        api.add_member(cohort=cohort, email=form.cleaned_data["email"])
    except api.CohortError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(email)s is now a member and enrolled in the cohort's "
                                    "courses.") % {"email": form.cleaned_data["email"]})
    return redirect("cohorts:detail", cohort.pk)


def remove_member(request, cohort_id: int, user_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    membership = api.list_members(cohort=cohort).filter(user_id=user_id).first()
    if membership is None:
        raise Http404
    if request.method == "POST":
        api.remove_member(cohort=cohort, user_id=user_id)
        messages.success(request, _("%(email)s has left the cohort; her progress is kept.")
                         % {"email": membership.user.email})
        return redirect("cohorts:detail", cohort.pk)
    return _page(request, "cohorts/remove_member.html", _("Remove a member"), cohort=cohort,
                 membership=membership)


@rate_limit("cohort_import")
def upload(request, cohort_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    form = UploadForm(request.POST or None, request.FILES or None,
                      initial={"idempotency_key": UploadForm.fresh_key(),
                               "default_country": cohort.country.code or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort_import = api.start_import(
                cohort=cohort, uploaded_by=request.user, upload=data["file"],
                idempotency_key=data["idempotency_key"],
                default_profession=data["default_profession"],
                default_country=data["default_country"])
        except api.CohortError as error:
            form.add_error(None, str(error))
        else:
            return redirect("cohorts:import", cohort.pk, cohort_import.pk)
    return _page(request, "cohorts/upload.html", _("Enroll learners from a CSV file"),
                 cohort=cohort, form=form)


def _import(request, cohort_id: int, import_id: int) -> api.CohortImport:
    if not api.may_manage_cohorts(user=request.user):
        raise PermissionDenied
    try:
        return api.get_cohort_import(user=request.user, cohort_id=cohort_id,
                                     import_id=import_id)
    except api.CohortImport.DoesNotExist:
        raise Http404 from None


def import_status(request, cohort_id: int, import_id: int):
    cohort_import = _import(request, cohort_id, import_id)
    return _page(request, "cohorts/import.html", _("Import of %(name)s")
                 % {"name": cohort_import.original_name}, cohort=cohort_import.cohort,
                 cohort_import=cohort_import,
                 status_url=reverse("cohorts:import_json", args=[cohort_id, import_id]))


def example_file(request, cohort_id: int):
    visible_cohort_or_404(request, cohort_id)
    return _csv_download(csv_files.example_csv(), "allele-learners-example.csv")


def import_errors(request, cohort_id: int, import_id: int):
    cohort_import = _import(request, cohort_id, import_id)
    return _csv_download(csv_files.errors_csv(cohort_import.errors),
                         f"problems-import-{cohort_import.pk}.csv")


def _csv_download(text: str, filename: str) -> HttpResponse:
    return HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@require_POST
@rate_limit("cohort_import")
def retry_import(request, cohort_id: int, import_id: int):
    cohort_import = _import(request, cohort_id, import_id)
    if api.retry_import(cohort_import=cohort_import):
        messages.success(request, _("The import runs again."))
    return redirect("cohorts:import", cohort_id, import_id)


def import_json(request, cohort_id: int, import_id: int):
    cohort_import = _import(request, cohort_id, import_id)
    return JsonResponse({
        "status": cohort_import.status, "label": cohort_import.get_status_display(),
        "running": cohort_import.is_running, "total_rows": cohort_import.total_rows,
        "processed_rows": cohort_import.processed_rows, "percent": cohort_import.percent,
        "errors": len(cohort_import.errors), "progress_text": _progress_text(cohort_import),
    }, headers={"Cache-Control": "no-store"})


def _progress_text(cohort_import) -> str:
    """The import page's progress sentence, in the request's language, numbers grouped
    (the page's script shows it while the import runs)."""
    done, total = cohort_import.processed_rows, cohort_import.total_rows
    if cohort_import.status in ("importing", "done"):
        return ngettext("%(done)s of %(rows)s row imported", "%(done)s of %(rows)s rows imported",
                        total) % {"done": number_format(done, force_grouping=True),
                                  "rows": number_format(total, force_grouping=True)}
    return ngettext("%(done)s row checked", "%(done)s rows checked", done) % {
        "done": number_format(done, force_grouping=True)}


def reminders(request, cohort_id: int):
    cohort = visible_cohort_or_404(request, cohort_id)
    form = ReminderForm(request.POST or None, cohort=cohort,
                        initial={"kind": "not_started", **api.default_text(),
                                 "course": request.GET.get("course")})
    if request.method == "POST" and form.is_valid():
        batch = api.send_reminders(cohort=cohort, sent_by=request.user, **form.cleaned_data)
        messages.success(request, ngettext(
            "%(count)d reminder queued. Learners reminded about the same course in the last "
            "24 hours are left out.",
            "%(count)d reminders queued. Learners reminded about the same course in the last "
            "24 hours are left out.", batch.recipients) % {"count": batch.recipients})
        return redirect("cohorts:reminders", cohort.pk)
    return _page(request, "cohorts/reminders.html", _("Reminders"), cohort=cohort, form=form,
                 history=api.reminder_history(cohort=cohort)[:50])
