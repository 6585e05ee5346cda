"""Cohort pages in the manager's language: dates and numbers in its formats (issue #10).

The assertions look at dates and numbers only, so they hold before and after the
translators' catalogues are compiled."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from cohorts import api
from cohorts.views import _progress_text
from tests import factories
from tests.cohorts.helpers import make_cohort, make_manager

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def figures(**overrides):
    gain = SimpleNamespace(learners=3, mean_pre=41.25, mean_post=87.5, mean_gain=46.25,
                           normalised_gain=0.79)
    values = dict(enrolled=1234, started=1000, completed=617, completion_rate=0.5,
                  median_days=12.5, mean_score=83.25, scored_learners=600, gain=gain,
                  certificates=2345)
    return SimpleNamespace(**{**values, **overrides})


def test_cohort_page_dates_follow_the_language(client):
    manager = make_manager()
    cohort = make_cohort(managers=[manager], starts_on=datetime.date(2026, 3, 2))
    learner = factories.make_user(email="amina@example.org")
    membership = api.CohortMembership.objects.create(cohort=cohort, user=learner)
    api.CohortMembership.objects.filter(pk=membership.pk).update(
        joined_at=datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC))
    client.force_login(manager)

    english = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    assert "2026-11-23" in english  # short dates stay ISO in English

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = client.get(f"/admin/cohorts/{cohort.pk}/").content.decode()
    assert "23/11/2026" in french and "2026-11-23" not in french
    assert "2 mars 2026" in french  # the cohort's start, in French (Django's catalogue)


def test_dashboard_figures_group_thousands_and_localise_decimals():
    context = {"figures": figures(), "members": 4321}
    with translation.override("en"):
        english = render_to_string("cohorts/reports/_figures.html", context)
    with translation.override("fr"):
        french = render_to_string("cohorts/reports/_figures.html", context)

    assert "4,321" in english and "1,234" in english and "2,345" in english
    assert "83.3 %" in english and "50 %" in english
    assert f"4{NBSP}321" in french and f"1{NBSP}234" in french and f"2{NBSP}345" in french
    assert "83,3" in french and "83.3" not in french
    assert "12,5" in french  # median days
    assert "0,79" in french  # normalised gain


def test_import_progress_sentence_for_the_page_script_uses_the_language_formats():
    running = SimpleNamespace(status="importing", processed_rows=1234, total_rows=20000)
    checking = SimpleNamespace(status="checking", processed_rows=1, total_rows=0)
    with translation.override("en"):
        assert _progress_text(running) == "1,234 of 20,000 rows imported"
        assert _progress_text(checking) == "1 row checked"
    with translation.override("fr"):
        text = _progress_text(running)
    assert f"1{NBSP}234" in text and f"20{NBSP}000" in text
