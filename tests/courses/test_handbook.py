"""The course handbook: every live module in order on one printable page (figures embedded,
videos as transcripts and links, references kept, quizzes left out), and the same as a
PDF built in the background and kept until the course is published again."""

import io
import re

import pypdf
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses import api, handbook
from courses.pages import ModulePage
from editorial.models import Reference
from tests import factories
from tests.media_builders import media_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    tree = factories.make_course_tree(modules=3)
    first = tree.modules[0]
    reference = Reference.objects.create(citation="Chung WH et al. Nature 2004;428:486.")
    first.body = [*media_body(), {"type": "references", "value": {
        "heading": "References", "references": [reference.pk]}}]
    factories.publish(first)
    return tree


def _html(client, course) -> str:
    response = client.get(reverse("course_handbook", args=[course.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/html")
    return b"".join(response.streaming_content).decode()


def test_the_course_page_offers_the_handbook(client, tree):
    page = BeautifulSoup(client.get(tree.course.url).content, "html.parser")
    links = {a["href"] for a in page.select(".handbook a")}
    assert links == {reverse("course_handbook", args=[tree.course.pk]),
                     reverse("course_handbook_pdf", args=[tree.course.pk])}


def test_every_live_module_appears_once_in_order_and_no_draft(client, tree):
    draft = ModulePage(title="Unpublished module", slug="unpublished", live=False,
                       body=[("rich_text", "<p>Not yet reviewed.</p>")])
    tree.course.add_child(instance=draft)
    draft.save_revision()  # a draft, never published
    second = tree.modules[1]
    second.body = [("rich_text", "<p>Draft rewrite of module 2.</p>")]
    second.save_revision()  # a draft change to a live module
    html = _html(client, tree.course)
    soup = BeautifulSoup(html, "html.parser")
    assert [h.get_text() for h in soup.select("section.module > h2.module-title")] == [
        "Module 1", "Module 2", "Module 3"]
    assert [section["id"] for section in soup.select("section.module")] == [
        f"module-{module.pk}" for module in tree.modules]
    assert "Module 2 text." in html
    assert "Draft rewrite" not in html
    assert "Unpublished module" not in html and "Not yet reviewed" not in html


def test_the_title_page_names_course_version_and_licence(client, tree):
    soup = BeautifulSoup(_html(client, tree.course), "html.parser")
    title_page = soup.find("section", class_="title-page")
    assert title_page.find("h1").get_text() == tree.course.title
    text = title_page.get_text(" ", strip=True)
    assert "As published on" in text
    assert "Licence" in text and str(handbook.DEFAULT_LICENCE) in text
    assert [li.get_text() for li in title_page.select("ol li")] == [
        "Module 1", "Module 2", "Module 3"]
    assert "@media print" in soup.find("style").get_text()


def test_figures_are_embedded_small_and_videos_become_transcripts_and_links(client, tree):
    soup = BeautifulSoup(_html(client, tree.course), "html.parser")
    image = soup.find("img")
    assert image["src"].startswith("data:image/webp;base64,")
    assert int(image["width"]) <= 400 and image["alt"] == "A karyotype with trisomy 21"
    assert soup.find_all(["video", "audio", "source", "track", "template"]) == []
    video = soup.find("figure", class_="video")
    assert "Doctor: Good morning." in video.get_text()
    watch = video.find("a", string=re.compile("Watch"))
    assert watch["href"].startswith("http://testserver/")  # works from a shared copy


def test_references_are_kept_and_quizzes_left_out(client, tree):
    factories.make_quiz(module=tree.modules[0], title="Check your HLA knowledge")
    html = _html(client, tree.course)
    assert "Chung WH et al. Nature 2004;428:486." in html
    assert "Check your HLA knowledge" not in html
    assert "Which drug needs HLA-B*15:02 screening first?" not in html


def test_lite_mode_handbook_has_no_images(client, tree):
    client.post(reverse("lite_mode"), {"lite": "on"})
    soup = BeautifulSoup(_html(client, tree.course), "html.parser")
    assert soup.find_all("img") == []
    assert soup.find("a", class_="lite-image").get_text().startswith("Image: A karyotype")


def test_a_restricted_course_handbook_is_only_for_those_who_may_view_it(client, learner, tree):
    group = Group.objects.create(name="Kenyatta hospital")
    restriction = PageViewRestriction.objects.create(
        page=tree.course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    url = reverse("course_handbook", args=[tree.course.pk])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(learner)
    assert client.get(url).status_code == 403
    assert client.get(reverse("course_handbook_pdf", args=[tree.course.pk])).status_code == 403
    api.enroll(user=learner, course=tree.course)
    assert client.get(url).status_code == 200
    learner.groups.add(group)
    api.unenroll(user=learner, course=tree.course)
    assert client.get(url).status_code == 200


def test_the_pdf_is_queued_once_and_the_page_waits_for_it(client, tree, monkeypatch):
    queued = []

    class Queue:  # a task backend that never runs anything
        enqueue = staticmethod(lambda *args: queued.append(args))

    monkeypatch.setattr("courses.tasks.build_handbook_pdf_task", Queue)
    url = reverse("course_handbook_pdf", args=[tree.course.pk])
    for _poll in range(3):
        response = client.get(url)
        assert response.status_code == 202
        assert b'http-equiv="refresh"' in response.content
        assert reverse("course_handbook", args=[tree.course.pk]).encode() in response.content
    assert queued == [(tree.course.pk,)]


@pytest.mark.pdf
def test_the_pdf_handbook_is_built_then_served_instantly_until_republished(
    client, tree, monkeypatch
):
    url = reverse("course_handbook_pdf", args=[tree.course.pk])
    response = client.get(url)  # the immediate task backend builds it during the request
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'{tree.course.slug}-handbook.pdf' in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    for expected in (tree.course.title, "Module 1", "Module 3", "Doctor: Good morning."):
        assert expected in text
    first_name = api.request_handbook_pdf(course=tree.course).name

    def refuse(_html):
        raise AssertionError("rendered again")

    monkeypatch.setattr(handbook, "_render_pdf", refuse)
    again = client.get(url)  # stored: no rendering
    assert again.status_code == 200 and b"".join(again.streaming_content) == data

    monkeypatch.undo()
    factories.publish(tree.modules[2])  # a new edition
    assert client.get(url).status_code == 200
    fresh = api.request_handbook_pdf(course=tree.course)
    assert fresh.status is api.HandbookStatus.READY and fresh.name != first_name
    assert not handbook.default_storage.exists(first_name)


def test_a_failed_pdf_build_points_to_the_web_page(client, tree, monkeypatch):
    def broken(_html):
        raise OSError("no fonts")

    monkeypatch.setattr(handbook, "_render_pdf", broken)
    response = client.get(reverse("course_handbook_pdf", args=[tree.course.pk]))
    assert response.status_code == 503
    assert b"could not be made" in response.content
    assert b'http-equiv="refresh"' not in response.content


def test_the_stored_pdf_name_cannot_be_guessed_without_the_secret_key(tree, settings):
    """The PDF may be stored under MEDIA_ROOT, which the proxy serves to anyone."""
    name = handbook._pdf_of(tree.course).name
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert handbook._pdf_of(tree.course).name != name
