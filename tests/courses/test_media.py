"""Media on module pages costs nothing until the learner asks: figures are small, lazy
WebP renditions of known size; a video fetches nothing (not even its poster) before she
presses Watch, and every file shows its size first."""

import pytest
from bs4 import BeautifulSoup

from tests import factories
from tests.media_builders import make_document, make_image, media_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(course_tree):
    module = course_tree.modules[0]
    module.body = [*media_body(poster=make_image(title="Poster")),
                   {"type": "download", "value": {"document": make_document(
                       title="Consent form", name="consent.pdf", size=250_000).pk,
                       "title": "", "description": ""}}]
    return factories.publish(module)


def _soup(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _outside_templates(tags):
    return [tag for tag in tags if tag.find_parent("template") is None]


def test_the_video_player_waits_in_an_inert_template(client, module):
    video = _soup(client, module.url).find("figure", class_="video")
    players = video.find_all("video")
    assert len(players) == 1
    assert players[0].find_parent("template") is not None
    assert players[0]["preload"] == "none"
    assert "autoplay" not in players[0].attrs


def test_nothing_in_a_video_figure_is_fetched_before_the_learner_asks(client, module):
    video = _soup(client, module.url).find("figure", class_="video")
    eager = _outside_templates(video.find_all(lambda tag: tag.has_attr("src")
                                              or tag.has_attr("poster")
                                              or tag.has_attr("srcset")))
    assert eager == []
    assert _outside_templates(video.find_all(["video", "audio", "source", "track", "img"])) == []
    poster = video.find("template").find("video")["poster"]  # fetched once the player exists
    assert poster.endswith(".webp")


def test_every_video_file_shows_its_size_and_the_transcript_is_offered(client, module):
    video = _soup(client, module.url).find("figure", class_="video")
    links = [a.get_text(" ", strip=True).replace("\xa0", " ")
             for a in video.select(".video-links a")]
    assert links[:4] == ["Watch (12.4 MB)", "Low resolution (3.1 MB)", "Audio only (1.2 MB)",
                         "Transcript"]
    assert "Captions (WebVTT)" in links
    transcript = video.find("details", id=video.select(".video-links a")[3]["href"][1:])
    assert "Doctor: Good morning." in transcript.get_text()
    track = video.find("template").find("track")
    assert track["kind"] == "captions" and track["srclang"] == "en"


def test_a_figure_is_a_lazy_width_capped_webp_with_dimensions(client, module):
    figure = _soup(client, module.url).find("figure", class_=None)
    image = figure.find("img")
    assert image["loading"] == "lazy"
    assert image["alt"] == "A karyotype with trisomy 21"
    assert int(image["width"]) <= 800 and int(image["height"]) > 0
    candidates = [part.split()[0] for part in image["srcset"].split(",")]
    assert candidates and all(url.endswith(".webp") for url in candidates)
    assert max(int(part.split()[1].rstrip("w")) for part in image["srcset"].split(",")) <= 800


def test_a_course_cover_has_dimensions_and_loads_lazily(client, db):
    course = factories.make_course_tree(modules=1, cover_image=make_image(title="Cover")).course
    cover = _soup(client, course.url).find("img", class_="cover")
    assert cover["loading"] == "lazy"
    assert (cover["width"], cover["height"]) == ("480", "270")


def test_a_download_shows_its_size(client, module):
    download = _soup(client, module.url).find("p", class_="download")
    assert "244.1 KB" in download.get_text().replace("\xa0", " ")


def test_a_document_linked_from_rich_text_carries_its_size(client, course_tree):
    document = make_document(title="Consent form", name="consent.pdf", size=250_000)
    module = course_tree.modules[1]
    module.body = [{"type": "rich_text", "value": (
        f'<p>Use the <a linktype="document" id="{document.pk}">consent form</a>.</p>')}]
    factories.publish(module)
    link = _soup(client, module.url).find("a", string="consent form")
    assert link["href"] == document.url
    assert link["data-size"].replace("\xa0", " ") == "244.1 KB"  # shown by the stylesheet
