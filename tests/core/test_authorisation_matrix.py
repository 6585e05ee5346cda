"""The authorisation matrix (#11, item 1): every URL pattern and every operation of the
offline API's OpenAPI document, requested as anonymous, learner A (the owner), learner B,
the educator of another course, the manager of another cohort and a site administrator
(plus course X's educator and cohort C's manager, to show the "allowed" side), with
identifiers that belong to someone else.

Routes are collected from the URLconf (``get_resolver()``, walked recursively: included
apps, the admin URLs our apps register with ``register_admin_urls``, allauth, xblock/ and
the django-ninja API) and from ``offline.http_api.api.get_openapi_schema()``.

To add a route: give it an ``Entry`` in tests/core/authz_table.py (its docstring says how);
a route without an entry or a prefix rule fails ``test_every_route_has_an_entry``. The
people and records requested live in tests/core/authz_world.py, built once per module.
"""

import json
import re
import time
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.core.authz_table import (
    ANSWERS,
    DENIED,
    ENTRIES,
    LOGIN,
    OK,
    RULES,
    SEES,
    Entry,
    Rule,
)
from tests.core.authz_world import ANONYMOUS, LEARNER_B, World, build_world

TABLE_FILE = "tests/core/authz_table.py"
LOGIN_PATHS = {"/accounts/login/", "/admin/login/", "/django-admin/login/"}
ADMIN_HOME = "/admin/"
REAUTHENTICATE = "/accounts/reauthenticate/"  # never an answer: the matrix signs in afresh
RULE_ACTORS = (ANONYMOUS, LEARNER_B)  # who probes each argument-free third-party route
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
SIGN_IN_KEPT = 24 * 3600  # the world's sign-ins count as recent for the whole module


# --- Collecting the routes --------------------------------------------------------------------


OUR_APPS = ("lms", "courses", "assessments", "certificates", "cohorts", "packages", "offline",
            "xblocks", "editorial")
OUR_APP_LABELS = {"core", *OUR_APPS}


class Route(NamedTuple):
    key: str  # the route's name with its namespace, or the pattern of an unnamed route
    pattern: str
    ours: bool  # its view, or the model its generic view shows, belongs to one of our apps


def _is_ours(callback) -> bool:
    view = getattr(callback, "view_class", callback)
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model") or getattr(
        view, "model", None)
    meta = getattr(model, "_meta", None)  # a class attribute may be a descriptor
    if meta is not None and meta.app_label in OUR_APP_LABELS:
        return True
    module = getattr(view, "__module__", "") or ""
    return module.split(".")[0] in OUR_APPS


def _walk(resolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            full = prefix + str(pattern.pattern)
            yield Route(name or full, full, _is_ours(pattern.callback))


def collected_routes() -> dict[str, Route]:
    """Every route by key. Two patterns sharing a name (a handler with and without its
    suffix) share the key and the entry."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver()):
        routes.setdefault(route.key, route)
    return routes


def all_patterns() -> list[Route]:
    return list(_walk(get_resolver()))


def openapi_operations() -> list[str]:
    """"METHOD path" for every operation of the offline API's OpenAPI document."""
    from offline.http_api import api

    schema = api.get_openapi_schema()
    return [f"{method.upper()} {path}" for path, operations in schema["paths"].items()
            for method in operations]


def _rule_for(route: Route) -> Rule | None:
    """The prefix rule covering a route; a route of our own apps needs an explicit entry
    unless the rule is one written for our apps (``Rule.ours``)."""
    return next((rule for rule in RULES if re.search(rule.prefix, route.pattern)
                 and (rule.ours or not route.ours)), None)


def _plain_path(pattern: str) -> str | None:
    """The URL of a pattern without arguments, or None for one with arguments."""
    path = pattern.replace("^", "").replace("$", "").replace(r"\.", ".")
    if re.search(r"[<>()\[\]?*+\\|{}]", path):
        return None
    return "/" + path


# --- The cases --------------------------------------------------------------------------------

ENTRY_KEYS = {entry.route for entry in ENTRIES}


def _entry_cases(entry: Entry, label: str = ""):
    for method in entry.methods:
        for actor in entry.expect:
            variant = f"[{entry.variant}]" if entry.variant else ""
            yield pytest.param(entry, actor, method,
                               id=f"{label}{entry.route}{variant}-{method}-{actor}")


def _rule_cases():
    seen = set()
    for route in all_patterns():
        if route.key in ENTRY_KEYS:
            continue
        rule = _rule_for(route)
        if rule is None or any(re.search(skip, route.pattern) for skip in rule.skip):
            continue
        path = _plain_path(route.pattern)
        if path is None or path in seen:
            continue
        seen.add(path)
        entry = Entry(route.key, lambda world, path=path: path, rule.expect)
        for actor in RULE_ACTORS:
            yield pytest.param(entry, actor, "GET", id=f"rule:{path}-{actor}")
    for rule in RULES:
        for sample in rule.samples:
            yield from _entry_cases(sample, "sample:")


def all_cases():
    for entry in ENTRIES:
        yield from _entry_cases(entry)
    yield from _rule_cases()


# --- The world --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def files_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("authz")


@pytest.fixture(autouse=True)
def _test_settings(_test_settings, settings, files_dir):
    """The shared test settings, with the world's files (certificate PDF, cohort export,
    course package) kept for the whole module, and background tasks queued but not run
    (a handbook PDF is not built for every actor: its route answers "being prepared")."""
    settings.MEDIA_ROOT = files_dir / "media"
    settings.TASKS = DUMMY_TASKS
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = SIGN_IN_KEPT


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, files_dir):
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=files_dir / "media",
            TASKS=DUMMY_TASKS,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            transaction.atomic():
        built = build_world()
        built.sessions = {actor: _session_cookie(user) for actor, user in built.users.items()}
        yield built
        transaction.set_rollback(True)


# --- Asserting one case -----------------------------------------------------------------------


def _session_cookie(user) -> str:
    """A session for ``user``, made once with the world (each test's changes to it roll
    back), with a password typed just now: views asking for re-authentication then judge
    ownership, not the sign-in's age."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return session.session_key


def signed_in_client(world: World, actor: str) -> Client:
    """A browser signed in as ``actor`` (not at all for the anonymous visitor)."""
    client = Client()
    if actor in world.sessions:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    return client


def _request(client: Client, world: World, entry: Entry, method: str, user):
    url = entry.url(world)
    if method == "GET":
        return client.get(url)
    data = entry.data(world, user) if entry.data else {}
    if entry.json:
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _redirect_path(response) -> str | None:
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    return urlsplit(response["Location"]).path


def check_outcome(response, expected: str) -> str | None:
    """Why ``response`` is not the ``expected`` outcome, or None."""
    status, target = response.status_code, _redirect_path(response)
    refused_redirect = target is not None and (target in LOGIN_PATHS or target == ADMIN_HOME)
    if expected == LOGIN:
        ok = target in LOGIN_PATHS
    elif expected == DENIED:
        ok = status in (401, 403, 404) or refused_redirect
    elif expected in (OK, SEES):
        ok = 200 <= status < 400 and not refused_redirect and target != REAUTHENTICATE
    else:  # ANSWERS
        ok = status < 500
    if ok:
        return None
    return f"expected {expected}, got {status} {response.get('Location', '')}"


def leaked(body: str, world: World, entry: Entry, expected: str) -> list[str]:
    """A's data found in a response whose reader may not see it."""
    if expected == SEES:
        return []
    allowed = set(entry.shows) if expected in (OK, ANSWERS) else set()
    return [f"{kind}={marker!r}" for kind, marker in world.markers.items()
            if kind not in allowed and marker in body]


@pytest.mark.django_db
@pytest.mark.parametrize(("entry", "actor", "method"), list(all_cases()))
def test_authorisation(world, entry, actor, method):
    expected = entry.expect[actor]
    user = world.user(actor)
    response = _request(signed_in_client(world, actor), world, entry, method, user)
    problem = check_outcome(response, expected)
    assert problem is None, f"{method} {entry.url(world)} as {actor}: {problem}"
    found = leaked(_body(response), world, entry, expected)
    assert not found, f"{method} {entry.url(world)} as {actor} shows A's data: {found}"


# --- Coverage ---------------------------------------------------------------------------------


def test_every_route_has_an_entry():
    """New routes without an entry fail: give each one an Entry (or a prefix rule)."""
    missing = [f"{key}  ({route.pattern})" for key, route in sorted(collected_routes().items())
               if key not in ENTRY_KEYS and _rule_for(route) is None]
    assert not missing, (f"routes without an entry in {TABLE_FILE} (add an Entry, see its "
                         "docstring):\n" + "\n".join(missing))


def test_every_api_operation_has_an_entry():
    claimed = {operation for entry in ENTRIES for operation in entry.openapi}
    missing = sorted(set(openapi_operations()) - claimed)
    assert not missing, (f"offline API operations without an entry in {TABLE_FILE} (list "
                         "them in the Entry's openapi=...):\n" + "\n".join(missing))


def test_every_entry_names_a_real_route():
    """An entry left behind by a renamed or removed route is a mistake, not coverage."""
    routes = collected_routes()
    samples = {sample.route for rule in RULES for sample in rule.samples}
    stale = sorted((ENTRY_KEYS | samples) - set(routes))
    assert not stale, f"entries for routes that do not exist: {stale}"
    operations = set(openapi_operations())
    stale_ops = sorted(op for entry in ENTRIES for op in entry.openapi if op not in operations)
    assert not stale_ops, f"OpenAPI operations that do not exist: {stale_ops}"


def test_the_collection_reaches_every_kind_of_route():
    """The walk sees included apps, the admin URLs our apps register, allauth, xblock/ and
    the ninja API: if it stopped descending, the matrix would pass while covering little."""
    routes = collected_routes()
    for key in ("attempt", "cohorts:export_download", "packages:download",
                "certificates_admin_revoke", "account_login", "offline_api:sync",
                "xblocks:handler", "wagtailadmin_home"):
        assert key in routes, key
    assert len(openapi_operations()) >= 2


# The leak checks are only as good as the markers: those who may see A's data do see them
# here, so a refusal that let the page through would show them too.
MARKERS_SHOWN = [
    ("attempt", "GET", "learner_a", "answer"),
    ("certificates:verify", "GET", "anonymous", "name"),
    ("certificates:list", "GET", "learner_a", "certificate"),
    ("cohorts:detail", "GET", "manager_cohort_c", "email"),
    ("cohorts:learner", "GET", "site_admin", "name"),
    ("cohorts:index", "GET", "manager_cohort_c", "cohort"),
    ("cohorts:export_download", "GET", "manager_cohort_c", "name"),
    ("cohorts:import_errors", "GET", "manager_cohort_c", "email"),
    ("courses_learner_progress_results", "GET", "educator_course_x", "name"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "actor", "marker"), MARKERS_SHOWN)
def test_those_allowed_see_the_markers(world, route, method, actor, marker):
    entry = next(entry for entry in ENTRIES if entry.route == route and not entry.variant)
    client = signed_in_client(world, actor)
    response = _request(client, world, entry, method, world.user(actor))
    assert response.status_code == 200
    assert world.markers[marker] in _body(response)


def test_a_new_admin_view_of_ours_needs_its_own_entry():
    """The prefix rules cover Wagtail's and Django's own routes only: an admin view one of
    our apps registers (say an audit trail) is reported until it has an Entry."""
    routes = collected_routes()
    assert routes["cohorts:index"].ours and routes["issued_certificates:edit"].ours
    assert not routes["wagtailadmin_home"].ours
    assert _rule_for(Route("audit_trail", "admin/audit/", ours=True)) is None
    assert _rule_for(Route("wagtailadmin_home", "admin/", ours=False)) is not None
