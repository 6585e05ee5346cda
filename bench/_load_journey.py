"""The load scenario's simulated learner (a locust user): one journey through the course of
_load_course.py, doing what her browser does (CSRF token from the page's form, the form's
own fields, redirects not followed, so each answer's status is checked), with the retries
and double submits a flaky network and an impatient learner make.

Not a benchmark itself: bench/load_scenario.py drives it. Import locust (which
monkey-patches with gevent) before anything that opens sockets.
"""

import itertools
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import gevent
from _forms import csrf_token, form_to
from locust import HttpUser, task
from locust.exception import StopUser
from requests.adapters import HTTPAdapter

FREE_TEXT = ("CFTR, confirmed by sequencing", "CFTR")  # the first save, then her correction


class JourneyError(Exception):
    """A step got an answer a browser's learner would not expect: the journey stops."""


@dataclass
class Outcome:
    """What the journeys did, for the run's summary (shared by every simulated learner)."""

    finished: int = 0
    dropped: int = 0  # autosaves sent and dropped before the answer
    aborted: list[str] = field(default_factory=list)


class _FromAddress(HTTPAdapter):
    """Each learner connects from her own loopback address (127.0.x.y), as real learners
    come from their own: per-address limits (allauth's 30 sign-ins a minute) see her alone."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def loopback_address(number: int) -> str:
    return f"127.0.{1 + number // 250}.{2 + number % 250}"


class Learner(HttpUser):
    """Set by load_scenario.py before the run: ``plan`` (the JSON of _load_course.py) and
    ``outcome``."""

    plan: dict = {}
    outcome = Outcome()
    _numbers = itertools.count()

    def on_start(self):
        number = next(Learner._numbers)
        self.email = self.plan["learners"][number]
        self.address = loopback_address(number)
        self.client.mount("http://", _FromAddress(self.address))

    @task
    def journey(self):
        try:
            self._sign_in()
            self._get("catalogue", "/")
            self._enroll()
            for module in self.plan["modules"][:-1]:
                self._complete(module)
            self._take_quiz(self.plan["modules"][-1])
            self._get("dashboard", "/dashboard/")
            Learner.outcome.finished += 1
        except Exception as error:  # any failure ends her journey, recorded
            Learner.outcome.aborted.append(f"{self.email}: {error}")
        raise StopUser()

    # --- requests, each checked against what the site answers on purpose ------------------

    def _request(self, method: str, name: str, path: str, *, expect: int,
                 location: str | None = None, **kwargs):
        with self.client.request(method, path, name=name, allow_redirects=False,
                                 catch_response=True, **kwargs) as response:
            where = response.headers.get("Location", "")
            if response.status_code != expect:
                response.failure(f"{response.status_code}, expected {expect}")
                raise JourneyError(f"{name}: {response.status_code} for {path}")
            if location is not None and not re.fullmatch(location, urlsplit(where).path):
                response.failure(f"redirected to {where}, expected {location}")
                raise JourneyError(f"{name}: redirected to {where}")
            response.success()
            return response

    def _get(self, name: str, path: str) -> str:
        return self._request("GET", name, path, expect=200).text

    def _post(self, name: str, path: str, data, *, location: str | None = None, expect: int = 302,
              **kwargs):
        return self._request("POST", name, path, expect=expect, location=location, data=data,
                             **kwargs)

    def _form(self, html: str, action: str):
        form = form_to(html, action)
        if form is None:
            raise JourneyError(f"no form to {action} on the page")
        return form

    # --- the journey --------------------------------------------------------------------------

    def _sign_in(self) -> None:
        page = self._get("sign-in form", "/accounts/login/")
        form = self._form(page, "/accounts/login/")
        self._post("sign in", "/accounts/login/", {
            "csrfmiddlewaretoken": csrf_token(form), "login": self.email,
            "password": self.plan["password"],
        }, location="/")

    def _enroll(self) -> None:
        course = self.plan["course"]
        page = self._get("course page", course["url"])
        action = f"/learn/courses/{course['id']}/enroll/"
        data = self._form(page, action).hidden
        self._post("enroll", action, data, location=re.escape(course["url"]))
        # Her tap went through but the page did not come back: she taps again.
        self._post("enroll (repeated)", action, data, location=re.escape(course["url"]))

    def _complete(self, module: dict) -> None:
        page = self._get("module page", module["url"])
        action = f"/learn/modules/{module['id']}/complete/"
        data = self._form(page, action).hidden
        self._post("complete module", action, data, location=r"/.+")
        self._post("complete module (repeated)", action, data, location=r"/.+")

    def _take_quiz(self, module: dict) -> None:
        page = self._get("module page", module["url"])
        start = f"/quizzes/{self.plan['quiz']['id']}/start/"
        started = self._post("start quiz", start, self._form(page, start).hidden,
                             location=r"/attempts/\d+/")
        attempt = urlsplit(started.headers["Location"]).path
        form = self._form(self._get("attempt page", attempt), attempt)
        answers = form.filled(text=FREE_TEXT[0], number="37.25", unit="mg")
        autosave = f"{attempt}save/"
        headers = {"X-Requested-With": "fetch", "Accept": "application/json"}
        self._post("autosave", autosave, answers, expect=200, headers=headers)
        corrected = form.filled(text=FREE_TEXT[1], number="37.25", unit="mg")
        self._send_and_drop(autosave, corrected, headers)
        self._post("autosave (retried after a drop)", autosave, corrected, expect=200,
                   headers=headers)
        self._double_submit(attempt, corrected)
        self._get("result page", f"{attempt}result/")

    def _double_submit(self, attempt: str, answers: list[tuple[str, str]]) -> None:
        """A double click on "Submit answers": two POSTs of the form at the same time."""
        data = [*answers, ("submit", "1")]
        clicks = [gevent.spawn(self._post, "submit (double click)", attempt, data,
                               location=re.escape(f"{attempt}result/")) for _ in range(2)]
        gevent.joinall(clicks)
        for click in clicks:
            if click.exception is not None:
                raise click.exception

    def _send_and_drop(self, path: str, data: list[tuple[str, str]], headers: dict) -> None:
        """Send a POST and close the connection before the answer comes (the train enters a
        tunnel): the server may or may not store it; the retry that follows must not
        double anything."""
        host = urlsplit(self.host)
        cookies = "; ".join(f"{name}={value}" for name, value in self.client.cookies.items())
        body = urlencode(data).encode()
        head = "".join(f"{name}: {value}\r\n" for name, value in {
            **headers, "Host": host.netloc, "Cookie": cookies, "Content-Length": len(body),
            "Content-Type": "application/x-www-form-urlencoded", "Connection": "close",
        }.items())
        with socket.create_connection((host.hostname, host.port), timeout=10,
                                      source_address=(self.address, 0)) as connection:
            connection.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body)
        Learner.outcome.dropped += 1
