"""The rate limiter (lms/core/ratelimit.py): counting per window in the cache, the 429
answer, the client address, and the Wagtail admin sign-in it guards."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory
from freezegun import freeze_time

from lms.core import ratelimit
from tests import factories

START = "2026-11-23 10:00:00"


@pytest.fixture
def limits(settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "probe": "3/m"}
    return settings


@pytest.mark.parametrize(("text", "limit", "seconds"), [
    ("30/10m", 30, 600), ("5/m", 5, 60), ("20/h", 20, 3600), ("1/d", 1, 86400),
    (" 7 / 2s ", 7, 2),
])
def test_rates_parse(text, limit, seconds):
    assert ratelimit.Rate.parse(text) == ratelimit.Rate(limit=limit, seconds=seconds)


@pytest.mark.parametrize("text", ["30", "0/m", "5/0m", "5/w", "five/m", "5/m/ip"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ImproperlyConfigured):
        ratelimit.Rate.parse(text)


def test_every_configured_limit_parses(settings):
    for name in settings.ALLELE_RATE_LIMITS:
        assert ratelimit.rate_of(name) is not None, name


def test_an_unknown_limit_name_fails_loudly(limits):
    with pytest.raises(ImproperlyConfigured):
        ratelimit.hit(name="no-such-limit", key="k")


def test_the_n_plus_first_hit_is_refused_with_the_time_to_wait(limits):
    with freeze_time(START):
        decisions = [ratelimit.hit(name="probe", key="a") for _ in range(4)]
    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 60


def test_the_window_resets(limits):
    with freeze_time(START) as clock:
        for _ in range(3):
            ratelimit.hit(name="probe", key="a")
        clock.tick(30)
        refused = ratelimit.hit(name="probe", key="a")
        assert not refused.allowed and refused.retry_after == 30
        clock.tick(30)
        assert ratelimit.hit(name="probe", key="a").allowed


def test_keys_and_limits_count_apart(limits):
    with freeze_time(START):
        for _ in range(3):
            ratelimit.hit(name="probe", key="a")
        assert not ratelimit.hit(name="probe", key="a").allowed
        assert ratelimit.hit(name="probe", key="b").allowed


def test_undo_gives_a_request_back(limits):
    with freeze_time(START):
        for _ in range(3):
            ratelimit.undo(ratelimit.hit(name="probe", key="a"))
        assert all(ratelimit.hit(name="probe", key="a").allowed for _ in range(3))


def test_an_empty_rate_switches_the_limit_off(settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "probe": ""}
    assert all(ratelimit.hit(name="probe", key="a").allowed for _ in range(50))


# --- The client address -------------------------------------------------------------------

def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_the_address_is_remote_addr_and_forwarded_headers_are_ignored_by_default(settings):
    request = _request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert ratelimit.client_ip(request) == "198.51.100.7"


def test_a_trusted_proxy_header_is_read_from_the_right(settings):
    settings.ALLELE_RATE_LIMIT_PROXY_HEADER = "X-Forwarded-For"
    settings.ALLELE_RATE_LIMIT_PROXY_COUNT = 1
    # The client forged the first entry; the load balancer appended what it saw.
    request = _request(REMOTE_ADDR="10.0.0.2",
                       HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7")
    assert ratelimit.client_ip(request) == "198.51.100.7"
    settings.ALLELE_RATE_LIMIT_PROXY_COUNT = 2
    assert ratelimit.client_ip(request) == "203.0.113.1"


def test_ipv6_clients_count_per_64(settings):
    one = _request(REMOTE_ADDR="2001:db8:1:2::1")
    same_block = _request(REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other = _request(REMOTE_ADDR="2001:db8:1:3::1")
    assert ratelimit.client_ip(one) == ratelimit.client_ip(same_block) == "2001:db8:1:2::/64"
    assert ratelimit.client_ip(other) != ratelimit.client_ip(one)


# --- The decorator and its answer --------------------------------------------------------

def _counting_view(limits_name: str = "probe", **options):
    calls = []

    @ratelimit.rate_limit(limits_name, **options)
    def view(request, **kwargs):
        calls.append(kwargs)
        return HttpResponse("done")

    return view, calls


def test_a_refused_request_does_not_reach_the_view(limits, rf):
    view, calls = _counting_view()
    with freeze_time(START):
        answers = [view(rf.post("/", REMOTE_ADDR="198.51.100.7")) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert len(calls) == 3
    assert answers[-1]["Retry-After"] == "60"
    assert "Please wait 1 minute and try again." in answers[-1].content.decode()


def test_only_the_chosen_methods_count(limits, rf):
    view, calls = _counting_view()
    for _ in range(5):
        assert view(rf.get("/")).status_code == 200
    assert len(calls) == 5


def test_the_url_argument_makes_its_own_bucket(limits, rf):
    view, _calls = _counting_view(url_kwarg="attempt_id")
    for _ in range(3):
        view(rf.post("/"), attempt_id=1)
    assert view(rf.post("/"), attempt_id=1).status_code == 429
    assert view(rf.post("/"), attempt_id=2).status_code == 200


def test_json_clients_get_json(limits, rf):
    view, _calls = _counting_view()
    for _ in range(3):
        view(rf.post("/", HTTP_ACCEPT="application/json"))
    refused = view(rf.post("/", HTTP_ACCEPT="application/json"))
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    body = json.loads(refused.content)
    assert body["error"] == "rate_limited" and body["retry_after"] > 0


@pytest.mark.django_db
def test_users_count_apart_and_visitors_by_address(limits, rf):
    view, _calls = _counting_view()
    one, two = factories.make_user(email="one@example.org"), factories.make_user(
        email="two@example.org")

    def post(user=None, address="198.51.100.7"):
        request = rf.post("/", REMOTE_ADDR=address)
        request.user = user if user is not None else _Visitor()
        return view(request).status_code

    assert [post(one) for _ in range(4)] == [200, 200, 200, 429]
    assert post(two) == 200
    assert [post() for _ in range(4)] == [200, 200, 200, 429]
    assert post(address="198.51.100.8") == 200


class _Visitor:
    is_authenticated = False


def test_the_refusal_page_says_what_happened(limits, rf):
    view, _calls = _counting_view()
    for _ in range(3):
        view(rf.post("/"))
    page = view(rf.post("/")).content.decode()
    assert "Too many requests" in page and "Nothing was changed" in page


# --- Wagtail admin sign-in ---------------------------------------------------------------

@pytest.fixture
def editor(db):
    user = factories.make_user(email="editor@example.org")
    user.is_superuser = True
    user.save()
    return user


def _admin_login(client, username, given="wrong", address="198.51.100.7"):
    return client.post("/admin/login/", {"username": username, "password": given},
                       REMOTE_ADDR=address)


def test_admin_sign_in_failures_are_limited_per_username(client, editor, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "admin_login_user": "3/5m"}
    with freeze_time(START) as clock:
        for number in range(3):
            assert _admin_login(client, editor.username, address=f"198.51.100.{number}"
                                ).status_code == 200  # the form again, with its error
        # The right password from a fresh address: still refused, and not signed in.
        refused = _admin_login(client, editor.username, factories.DEFAULT_PASSWORD,
                               address="198.51.100.99")
        assert refused.status_code == 429 and int(refused["Retry-After"]) == 300
        assert "_auth_user_id" not in client.session
        assert _admin_login(client, "someone-else").status_code == 200
        clock.tick(300)
        signed_in = _admin_login(client, editor.username, factories.DEFAULT_PASSWORD)
        assert signed_in.status_code == 302
        assert client.session["_auth_user_id"] == str(editor.pk)


def test_admin_sign_in_failures_are_limited_per_address(client, db, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "admin_login_ip": "3/5m"}
    with freeze_time(START):
        for number in range(3):
            assert _admin_login(client, f"user{number}").status_code == 200
        assert _admin_login(client, "user9").status_code == 429
        assert _admin_login(client, "user9", address="198.51.100.8").status_code == 200


def test_successful_admin_sign_ins_do_not_count(client, editor, settings):
    settings.ALLELE_RATE_LIMITS = {**settings.ALLELE_RATE_LIMITS, "admin_login_user": "2/5m"}
    for _ in range(4):
        assert _admin_login(client, editor.username, factories.DEFAULT_PASSWORD
                            ).status_code == 302
        client.logout()
    assert _admin_login(client, editor.username).status_code == 200


def test_the_admin_sign_in_page_still_shows(client, db):
    assert client.get("/admin/login/").status_code == 200
