"""The authorisation matrix's table: for every route of Allele's own apps, a URL that names
someone else's record, the methods to try and what each actor must get; and prefix rules
for third-party route families (Wagtail's admin, Django's admin, allauth, documents).

How to add an entry (a new route fails ``test_every_route_has_an_entry`` until you do):
add an ``Entry`` to the list of its app below, keyed by the route's name (``namespace:name``,
or the pattern string for an unnamed route), with

- ``url``: a function of the ``World`` (tests/core/authz_world.py) building a URL whose
  identifiers belong to someone else (learner A's attempt, cohort C, course X...); add what
  you need to the world if it is not there yet;
- ``methods``: GET, and POST too when the view accepts it (``data`` builds the POST body
  from the world and the acting user, ``json=True`` sends it as JSON);
- ``expect``: one outcome per actor, built with the shorthands below (``own``, ``public``,
  ``signed_in``, ``cohort_staff``...) and overridden per actor where the route differs.

Outcomes: SEES (allowed, may show A's data: the owner, or staff with the right to), OK
(allowed, must not show any of A's data), LOGIN (anonymous: sent to a sign-in page, nothing
shown), DENIED (403/404, or the Wagtail admin's refusal redirect; nothing shown), ANSWERS
(third-party pages: any non-error answer, nothing of A's shown). ``shows`` names the
markers of A's data a public page is meant to show (certificate verification shows her name).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.urls import reverse

from tests.core.authz_world import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    COHORT_MANAGER,
    COURSE_EDUCATOR,
    EDUCATOR,
    LEARNER_A,
    LEARNER_B,
    MANAGER,
    World,
)

SEES, OK, LOGIN, DENIED, ANSWERS = "sees", "ok", "login", "denied", "answers"
SIGNED_IN = tuple(actor for actor in ACTORS if actor != ANONYMOUS)
LEARNERS = (LEARNER_A, LEARNER_B)


def outcomes(default: str, **by_actor: str) -> Mapping[str, str]:
    """``default`` for every actor, except those named (by actor: ``learner_b=DENIED``)."""
    unknown = set(by_actor) - set(ACTORS)
    assert not unknown, f"no such actor: {unknown} (actors: {ACTORS})"
    return MappingProxyType({actor: by_actor.get(actor, default) for actor in ACTORS})


def public(**by_actor) -> Mapping[str, str]:
    """Anyone, signed in or not; A's own view may show her data."""
    return outcomes(OK, **{LEARNER_A: SEES, **by_actor})


def signed_in(**by_actor) -> Mapping[str, str]:
    """Every signed-in user on her own data (A sees hers, nobody sees A's)."""
    return outcomes(OK, **{ANONYMOUS: LOGIN, LEARNER_A: SEES, **by_actor})


def own(**by_actor) -> Mapping[str, str]:
    """Learner A's own record: she alone; everyone else, administrators too, is refused."""
    return outcomes(DENIED, **{ANONYMOUS: LOGIN, LEARNER_A: SEES, **by_actor})


def cohort_staff(**by_actor) -> Mapping[str, str]:
    """Cohort C's pages: its manager and site administrators."""
    return outcomes(DENIED, **{ANONYMOUS: LOGIN, COHORT_MANAGER: SEES, ADMIN: SEES,
                               **by_actor})


def course_staff(**by_actor) -> Mapping[str, str]:
    """Course X's admin pages: its educator (page owner) and site administrators."""
    return outcomes(DENIED, **{ANONYMOUS: LOGIN, COURSE_EDUCATOR: SEES, ADMIN: SEES,
                               **by_actor})


def reporters(**by_actor) -> Mapping[str, str]:
    """Reports open to every educator (each sees her own courses) and administrators."""
    return outcomes(DENIED, **{ANONYMOUS: LOGIN, EDUCATOR: OK, COURSE_EDUCATOR: SEES,
                               ADMIN: SEES, **by_actor})


def administrators(**by_actor) -> Mapping[str, str]:
    return outcomes(DENIED, **{ANONYMOUS: LOGIN, ADMIN: SEES, **by_actor})


@dataclass(frozen=True)
class Entry:
    route: str
    url: Callable[[World], str]
    expect: Mapping[str, str]
    methods: tuple[str, ...] = ("GET",)
    data: Callable[[World, object], dict] | None = None
    json: bool = False
    shows: tuple[str, ...] = ()
    openapi: tuple[str, ...] = ()
    variant: str = ""  # names a second entry for the same route (other identifiers)


def _url(name: str, *args: Callable[[World], object]) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def _a_pk(world: World, user) -> dict:
    """A form naming learner A as the one whose progress to record."""
    return {"user": str(world.learner_a.pk)}


COURSE_X = lambda world: world.course_x.pk  # noqa: E731
COHORT_C = lambda world: world.cohort_c.pk  # noqa: E731
CERTIFICATE = lambda world: world.certificate.public_id  # noqa: E731

CORE = [
    Entry("healthz", _url("healthz"), public(learner_a=OK)),
    Entry("profile", _url("profile"), signed_in(), methods=("GET", "POST")),
    Entry("lite_mode", _url("lite_mode"), public(learner_a=OK), methods=("POST",),
          data=lambda world, user: {"lite": "1"}),
    Entry("set-language", _url("set-language"), public(learner_a=OK), methods=("POST",),
          data=lambda world, user: {"language": "fr"}),
    # Data rights: each signed-in actor acts on her own account (the matrix signs everyone
    # in with a fresh password, so the re-authentication step is passed).
    Entry("your_data", _url("your_data"), signed_in()),
    Entry("data_export_request", _url("data_export_request"), signed_in(), methods=("POST",)),
    Entry("data_export_download", _url("data_export_download",
                                       lambda world: world.data_export.pk), own()),
    Entry("delete_account", _url("delete_account"), signed_in(), methods=("GET", "POST"),
          data=lambda world, user: {"confirmation": "DELETE"}),
    Entry("privacy", _url("privacy"), public(learner_a=OK)),
    Entry("core_audit_trail", _url("core_audit_trail"), administrators()),
    # Wagtail's sign-in form, rate limited by lms.core.admin_login.
    Entry("admin/login/", lambda world: "/admin/login/", outcomes(ANSWERS)),
]

COURSES = [
    Entry("dashboard", _url("dashboard"), signed_in()),
    Entry("course_search", lambda world: reverse("course_search") + "?q=Course",
          public(learner_a=OK)),
    Entry("enroll", _url("enroll", COURSE_X), own(), methods=("POST",), data=_a_pk),
    Entry("leave", _url("leave", COURSE_X), own(), methods=("POST",), data=_a_pk),
    Entry("complete_module", _url("complete_module", lambda world: world.module_x.pk), own(),
          methods=("POST",), data=_a_pk),
    Entry("resume", _url("resume", COURSE_X), signed_in()),
    Entry("course_handbook", _url("course_handbook", COURSE_X), public(learner_a=OK)),
    Entry("course_handbook_pdf", _url("course_handbook_pdf", COURSE_X), public(learner_a=OK)),
    Entry("catalog_page", lambda world: world.course_x.url, public()),
    Entry("wagtail_serve", lambda world: world.module_x.url, public()),
]

ASSESSMENTS = [
    Entry("quiz_start", _url("quiz_start", lambda world: world.quiz_open.pk), signed_in(),
          methods=("POST",)),
    Entry("attempt", _url("attempt", lambda world: world.attempt_open.pk), own(),
          methods=("GET", "POST")),
    Entry("attempt_save", _url("attempt_save", lambda world: world.attempt_open.pk), own(),
          methods=("POST",), json=True,
          data=lambda world, user: {"answers": {"authz-text": {"text": "overwritten"}}}),
    Entry("attempt_submit", _url("attempt_submit", lambda world: world.attempt_open.pk), own(),
          methods=("POST",)),
    Entry("attempt_result", _url("attempt_result", lambda world: world.attempt_done.pk), own()),
]

CERTIFICATES = [
    Entry("certificates:list", _url("certificates:list"), signed_in()),
    Entry("certificates:transcript",
          lambda world: reverse("certificates:transcript")
          + "?from=2000-01-01&to=2100-01-01&format=csv", signed_in()),
    Entry("certificates:verify", _url("certificates:verify", CERTIFICATE), public(),
          shows=("name", "certificate")),
    Entry("certificates:verify_json", _url("certificates:verify_json", CERTIFICATE), public(),
          shows=("name", "certificate")),
    Entry("certificates:pdf", _url("certificates:pdf", CERTIFICATE), own()),
    Entry("certificates:credential", _url("certificates:credential", CERTIFICATE), own()),
    Entry("credentials:verify", _url("credentials:verify"), public(learner_a=OK),
          methods=("POST",), json=True,
          data=lambda world, user: {"credentialSubject": {"name": "forged"}}),
    Entry("credentials:issuer", _url("credentials:issuer"), public(learner_a=OK)),
]

OFFLINE = [
    Entry("offline_api:openapi-json", _url("offline_api:openapi-json"), signed_in(
        learner_a=OK)),
    Entry("offline_api:openapi-view", _url("offline_api:openapi-view"), signed_in(
        learner_a=OK)),
    Entry("offline_api:api-root", _url("offline_api:api-root"), outcomes(DENIED)),
    Entry("offline_api:sync", _url("offline_api:sync"), own(anonymous=DENIED),
          methods=("POST",), json=True, openapi=("POST /api/v1/offline/sync",),
          data=lambda world, user: {"learner": user.username if user else "", "actions": [
              {"key": "0d4f5a8e-8f55-4d8e-9d37-5c4a3e1b2f10", "type": "save_answers",
               "made_at": "2026-01-01T10:00:00+00:00", "attempt": world.attempt_open.pk,
               "responses": {"authz-text": {"text": "overwritten"}}}]}),
    # A batch naming learner A, sent from anyone else's session, is refused whole.
    Entry("offline_api:sync", _url("offline_api:sync"), own(anonymous=DENIED),
          methods=("POST",), json=True, variant="naming-a",
          data=lambda world, user: {"learner": world.learner_a.username, "actions": [
              {"key": "5b0e6f1c-2a8d-4c3e-9f41-7d2b8a6c4e90", "type": "complete_module",
               "made_at": "2026-01-01T10:00:00+00:00", "module": world.module_x.pk}]}),
    Entry("offline_api:course_manifest", _url("offline_api:course_manifest", COURSE_X),
          own(anonymous=DENIED, learner_a=OK),
          openapi=("GET /api/v1/offline/courses/{course_id}/manifest",)),
    Entry("web_app_manifest", _url("web_app_manifest"), public(learner_a=OK)),
    Entry("service_worker", _url("service_worker"), public(learner_a=OK)),
    Entry("offline_page", _url("offline_page"), public(learner_a=OK)),
]


def _xblock(name: str, handler: str, block: str = "usage_id"):
    return lambda world: reverse(name, args=[getattr(world, block), handler])


XBLOCKS = [
    # Handlers answer scripts: refusals are JSON 403/404, never a sign-in redirect. A's
    # state is out of reach by construction: a handler only ever sees its caller's state.
    Entry("xblocks:handler", _xblock("xblocks:handler", "vote"),
          outcomes(DENIED, learner_a=OK, site_admin=OK, educator_course_x=OK), methods=("POST",),
          json=True, data=lambda world, user: {"voteType": "up"}),
    Entry("xblocks:authoring_handler", _xblock("xblocks:authoring_handler", "studio_submit",
                                               "poll_usage_id"),
          outcomes(DENIED, site_admin=OK, educator_course_x=OK), methods=("POST",), json=True,
          data=lambda world, user: {"question": "Hijacked?"}),
    Entry("xblocks:resource", lambda world: "/xblock/resource/poll/public/js/poll.js",
          public(learner_a=OK)),
]

COHORT_IMPORT = lambda world: world.cohort_import.pk  # noqa: E731
COHORT_EXPORT = lambda world: world.cohort_export.pk  # noqa: E731
A_USER = lambda world: world.learner_a.pk  # noqa: E731

COHORT_D = lambda world: world.cohort_d.pk  # noqa: E731
MISMATCHED = outcomes(DENIED, anonymous=LOGIN)  # cohort D's id with cohort C's records

COHORTS = [
    # Manager D's list opens, without cohort C in it.
    Entry("cohorts:index", _url("cohorts:index"), cohort_staff(manager_other_cohort=OK)),
    Entry("cohorts:add", _url("cohorts:add"),
          cohort_staff(manager_other_cohort=OK, manager_cohort_c=OK)),
    Entry("cohorts:detail", _url("cohorts:detail", COHORT_C), cohort_staff()),
    Entry("cohorts:edit", _url("cohorts:edit", COHORT_C), cohort_staff(),
          methods=("GET", "POST"),
          data=lambda world, user: {"name": "Renamed", "organisation": "Elsewhere"}),
    Entry("cohorts:add_member", _url("cohorts:add_member", COHORT_C), cohort_staff(),
          methods=("POST",), data=lambda world, user: {"email": user.email if user else ""}),
    Entry("cohorts:remove_member", _url("cohorts:remove_member", COHORT_C, A_USER),
          cohort_staff(), methods=("GET", "POST")),
    Entry("cohorts:upload", _url("cohorts:upload", COHORT_C), cohort_staff(),
          methods=("GET", "POST")),
    Entry("cohorts:example_file", _url("cohorts:example_file", COHORT_C), cohort_staff()),
    Entry("cohorts:import_errors", _url("cohorts:import_errors", COHORT_C, COHORT_IMPORT),
          cohort_staff()),
    Entry("cohorts:import", _url("cohorts:import", COHORT_C, COHORT_IMPORT), cohort_staff()),
    Entry("cohorts:retry_import", _url("cohorts:retry_import", COHORT_C, COHORT_IMPORT),
          cohort_staff(), methods=("POST",)),
    Entry("cohorts:import_json", _url("cohorts:import_json", COHORT_C, COHORT_IMPORT),
          cohort_staff()),
    Entry("cohorts:reminders", _url("cohorts:reminders", COHORT_C), cohort_staff(),
          methods=("GET", "POST")),
    Entry("cohorts:dashboard", _url("cohorts:dashboard", COHORT_C), cohort_staff()),
    Entry("cohorts:course_dashboard", _url("cohorts:course_dashboard", COHORT_C, COURSE_X),
          cohort_staff()),
    Entry("cohorts:learner", _url("cohorts:learner", COHORT_C, A_USER), cohort_staff()),
    Entry("cohorts:export_csv", _url("cohorts:export_csv", COHORT_C), cohort_staff(),
          methods=("GET", "POST")),
    Entry("cohorts:export_xlsx", _url("cohorts:export_xlsx", COHORT_C), cohort_staff(),
          methods=("GET", "POST")),
    Entry("cohorts:export", _url("cohorts:export", COHORT_C, COHORT_EXPORT), cohort_staff()),
    Entry("cohorts:export_download", _url("cohorts:export_download", COHORT_C, COHORT_EXPORT),
          cohort_staff()),
    # Manager D's own cohort in the URL, with records of cohort C after it.
    Entry("cohorts:export_download", _url("cohorts:export_download", COHORT_D, COHORT_EXPORT),
          MISMATCHED, variant="cohort-d"),
    Entry("cohorts:export", _url("cohorts:export", COHORT_D, COHORT_EXPORT), MISMATCHED,
          variant="cohort-d"),
    Entry("cohorts:import", _url("cohorts:import", COHORT_D, COHORT_IMPORT), MISMATCHED,
          variant="cohort-d"),
    Entry("cohorts:import_errors", _url("cohorts:import_errors", COHORT_D, COHORT_IMPORT),
          MISMATCHED, variant="cohort-d"),
    Entry("cohorts:retry_import", _url("cohorts:retry_import", COHORT_D, COHORT_IMPORT),
          MISMATCHED, methods=("POST",), variant="cohort-d"),
    Entry("cohorts:learner", _url("cohorts:learner", COHORT_D, A_USER), MISMATCHED,
          variant="cohort-d"),
    Entry("cohorts:remove_member", _url("cohorts:remove_member", COHORT_D, A_USER), MISMATCHED,
          methods=("GET", "POST"), variant="cohort-d"),
    Entry("cohorts:course_dashboard", _url("cohorts:course_dashboard", COHORT_D, COURSE_X),
          MISMATCHED, variant="cohort-d"),
]

PACKAGE_JOB = lambda world: world.package_job.pk  # noqa: E731

PACKAGES = [
    Entry("packages:index", _url("packages:index"), course_staff(educator_other_course=OK)),
    Entry("packages:import", _url("packages:import"), course_staff(educator_other_course=OK)),
    Entry("packages:export", _url("packages:export", COURSE_X), course_staff(),
          methods=("GET", "POST")),
    Entry("packages:job", _url("packages:job", PACKAGE_JOB), course_staff()),
    Entry("packages:download", _url("packages:download", PACKAGE_JOB), course_staff()),
]

QUIZ_DONE = lambda world: world.quiz_done.pk  # noqa: E731

REPORTS = [
    Entry("courses_learner_progress", _url("courses_learner_progress"), reporters()),
    Entry("courses_learner_progress_results", _url("courses_learner_progress_results"),
          reporters()),
    Entry("courses_learner_progress_results", lambda world: reverse(
        "courses_learner_progress_results") + f"?course={world.course_x.pk}", reporters(),
        variant="course-x"),
    Entry("courses_reviews_due", _url("courses_reviews_due"), reporters()),
    Entry("courses_reviews_due_results", _url("courses_reviews_due_results"), reporters()),
    Entry("assessments_quiz_analysis_index", _url("assessments_quiz_analysis_index"),
          reporters()),
    Entry("assessments_quiz_analysis", _url("assessments_quiz_analysis", QUIZ_DONE),
          course_staff()),
    Entry("assessments_quiz_attempts", _url("assessments_quiz_attempts", QUIZ_DONE),
          course_staff()),
    # Grade overrides: A's answers, and a changed grade, for course X's staff only.
    Entry("assessments_attempt_review", _url("assessments_attempt_review", QUIZ_DONE,
                                             lambda world: world.attempt_done.pk),
          course_staff(), methods=("GET", "POST"), data=lambda world, user: {
              "question_id": "authz-text", "points": "1", "reason": "Checked by the matrix"}),
    Entry("assessments_knowledge_gain", _url("assessments_knowledge_gain"), reporters()),
    Entry("assessments_import_questions", _url("assessments_import_questions"),
          reporters(educator_other_course=OK, educator_course_x=OK, site_admin=OK)),
    Entry("assessments_export_questions", _url("assessments_export_questions"),
          reporters(educator_other_course=OK, educator_course_x=OK, site_admin=OK)),
]

CERTIFICATE_PK = lambda world: world.certificate.pk  # noqa: E731
_REASON = {"reason": "Checked by the authorisation matrix"}

CERTIFICATE_ADMIN = [
    Entry("certificates_admin_revoke", _url("certificates_admin_revoke", CERTIFICATE_PK),
          administrators(), methods=("GET", "POST"), data=lambda world, user: _REASON),
    Entry("certificates_admin_reissue", _url("certificates_admin_reissue", CERTIFICATE_PK),
          administrators(), methods=("GET", "POST"), data=lambda world, user: _REASON),
    Entry("issued_certificates:index", _url("issued_certificates:index"), administrators()),
    Entry("issued_certificates:index_results", _url("issued_certificates:index_results"),
          administrators()),
    Entry("issued_certificates:inspect", _url("issued_certificates:inspect", CERTIFICATE_PK),
          administrators()),
    # Wagtail's generic history and usage views are refused even to administrators (the
    # certificate's own actions are listed on its inspect page).
    Entry("issued_certificates:history", _url("issued_certificates:history", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN)),
    Entry("issued_certificates:history_results",
          _url("issued_certificates:history_results", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN)),
    Entry("issued_certificates:usage", _url("issued_certificates:usage", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN)),
    # Issued certificates are never created, edited, copied or deleted in the admin.
    Entry("issued_certificates:add", _url("issued_certificates:add"), outcomes(
        DENIED, anonymous=LOGIN), methods=("GET", "POST")),
    Entry("issued_certificates:edit", _url("issued_certificates:edit", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN), methods=("GET", "POST")),
    Entry("issued_certificates:copy", _url("issued_certificates:copy", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN)),
    Entry("issued_certificates:delete", _url("issued_certificates:delete", CERTIFICATE_PK),
          outcomes(DENIED, anonymous=LOGIN), methods=("GET", "POST")),
]

ENTRIES: list[Entry] = [*CORE, *COURSES, *ASSESSMENTS, *CERTIFICATES, *OFFLINE, *XBLOCKS,
                        *COHORTS, *PACKAGES, *REPORTS, *CERTIFICATE_ADMIN]


# --- Prefix rules for third-party route families ---------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Every collected pattern matching ``prefix`` (a regex on the full pattern) is
    covered. Patterns without arguments are requested with GET by each actor named in
    ``expect``; ``samples`` are extra entries for patterns with arguments."""

    name: str
    prefix: str
    expect: Mapping[str, str]
    samples: tuple[Entry, ...] = ()
    skip: tuple[str, ...] = ()  # patterns (regex) covered but not requested, with a reason
    reason: str = ""
    ours: bool = False  # may cover routes of our own apps (else those need an Entry)


def _admin_page(action: str) -> Callable[[World], str]:
    return lambda world: reverse(f"wagtailadmin_pages:{action}", args=[world.course_x.pk])


def _snippet(model: str, action: str, attribute: str) -> Callable[[World], str]:
    return lambda world: reverse(f"wagtailsnippets_{model}:{action}",
                                 args=[getattr(world, attribute).pk])


OUR_SNIPPETS = r"^admin/snippets/(choose/)?(assessments|certificates|editorial)/"
# Questions and quizzes are one shared bank: any educator edits drafts of any of them, and
# publishing goes through clinical review (ADR 0004). They hold no learner's data.

RULES: list[Rule] = [
    Rule("Our snippet viewsets (question bank, quizzes, certificate designs, library)",
         OUR_SNIPPETS, outcomes(DENIED, anonymous=LOGIN, **{actor: ANSWERS for actor in (
             EDUCATOR, MANAGER, ADMIN, COURSE_EDUCATOR, COHORT_MANAGER)}),
         samples=(
             Entry("wagtailsnippets_assessments_quiz:edit",
                   _snippet("assessments_quiz", "edit", "quiz_done"),
                   course_staff(educator_other_course=OK)),
             Entry("wagtailsnippets_assessments_question:edit",
                   _snippet("assessments_question", "edit", "question"),
                   course_staff(educator_other_course=OK)),
         ), ours=True),
    Rule("Wagtail's user admin, over our User model: site administrators only",
         r"^admin/users/", outcomes(DENIED, anonymous=LOGIN), samples=(
             Entry("wagtailusers_users:index", _url("wagtailusers_users:index"),
                   administrators()),
             Entry("wagtailusers_users:edit", _url("wagtailusers_users:edit", A_USER),
                   administrators(), methods=("GET", "POST")),
         ), ours=True),
    Rule("Sign-in, sign-out and password pages of the Wagtail admin, its icons and "
         "script translations", r"^admin/(login|logout|password_reset|sprite|jsi18n)/",
         outcomes(ANSWERS)),
    Rule("Wagtail's own admin", r"^admin/",
         outcomes(ANSWERS, anonymous=LOGIN, learner_a=DENIED, learner_b=DENIED),
         samples=(
             Entry("wagtailadmin_pages:edit", _admin_page("edit"),
                   course_staff(educator_course_x=OK, site_admin=OK)),
             # Deleting a live course needs the right to publish: not educators'.
             Entry("wagtailadmin_pages:delete", _admin_page("delete"),
                   course_staff(educator_course_x=DENIED, site_admin=OK)),
             Entry("wagtailadmin_explore", lambda world: reverse(
                 "wagtailadmin_explore", args=[world.course_x.pk]),
                 outcomes(OK, anonymous=LOGIN, learner_a=DENIED, learner_b=DENIED,
                          manager_other_cohort=DENIED, manager_cohort_c=DENIED)),
         )),
    Rule("Django's admin sign-in and sign-out", r"^django-admin/(login|logout)/",
         outcomes(ANSWERS)),
    Rule("Django's admin (superusers and staff only; nobody in the matrix is staff)",
         r"^django-admin/", outcomes(LOGIN)),
    Rule("allauth: sign-in, sign-up, password and e-mail pages (each on the visitor's "
         "own account)", r"^accounts/", outcomes(ANSWERS)),
    Rule("Wagtail documents (served with Wagtail's collection privacy)", r"^documents/",
         outcomes(DENIED), samples=(
             Entry("wagtaildocs_serve", lambda world: "/documents/999999/private.pdf",
                   outcomes(DENIED)),
         )),
    Rule("Wagtail's page sign-in and password forms", r"^_util/", outcomes(ANSWERS)),
    Rule("Media files, served by Django only when DEBUG is on", r"^\^media/",
         outcomes(ANSWERS), skip=(r".",), reason="not routed in production"),
]
