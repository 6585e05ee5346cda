"""Fixtures for account and profile tests: a browser-like sign-up and the link in an e-mail."""

import re

import pytest
from django.core import mail

from tests.factories import DEFAULT_PASSWORD

LINK = re.compile(r"https?://testserver(/\S+)")


@pytest.fixture
def sign_up(client, db):
    """POST the sign-up form as a visitor would; returns the response."""

    def _sign_up(email="zawadi@example.org", password=DEFAULT_PASSWORD, next_url=None):
        url = "/accounts/signup/" + (f"?next={next_url}" if next_url else "")
        return client.post(url, {"email": email, "password1": password, "password2": password})

    return _sign_up


@pytest.fixture
def link_in_mail():
    """The path of the only link in the last e-mail sent to `to`."""

    def _link(to):
        message = next(m for m in reversed(mail.outbox) if to in m.to)
        links = LINK.findall(message.body)
        assert len(links) == 1, message.body
        return links[0]

    return _link
