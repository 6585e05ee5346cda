"""A block's static files: only its public folder, only allowed types, no way out."""

import pytest

pytest.importorskip("xblock")

from xblocks import api
from xblocks.models import XBlockSettings

pytestmark = pytest.mark.django_db


def test_a_public_file_of_an_allowed_block_is_served():
    content, content_type = api.resource(block_type="equality_demo",
                                         path="public/images/correct-icon.png")
    with content:
        assert content.read(8) == b"\x89PNG\r\n\x1a\n"
    assert content_type == "image/png"


@pytest.mark.parametrize("path", [
    "public/../problem.py",
    "public/images/../../problem.py",
    "public/./images/correct-icon.png",
    "templates/problem.html",
    "problem.py",
    "/etc/passwd",
    "public//images/correct-icon.png",
    "public/images/missing.png",
    "public\\..\\problem.py",
])
def test_anything_outside_the_public_folder_is_refused(path):
    with pytest.raises(api.XBlockNotFound):
        api.resource(block_type="equality_demo", path=path)


def test_a_symlink_out_of_the_public_folder_is_refused(tmp_path, monkeypatch):
    from xblock.core import XBlock

    from xblocks import blocktypes

    package = tmp_path / "leaky_block"
    (package / "public").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from xblock.core import XBlock\nclass Leaky(XBlock):\n    pass\n")
    (package / "secret.txt").write_text("not for the web")
    (package / "public" / "link.txt").symlink_to(package / "secret.txt")
    monkeypatch.syspath_prepend(str(tmp_path))
    import leaky_block

    assert issubclass(leaky_block.Leaky, XBlock)
    installed = dict(blocktypes._installed())
    monkeypatch.setattr(blocktypes, "_installed", lambda: {**installed, "leaky": leaky_block.Leaky})
    settings = XBlockSettings.load()
    settings.allowed_block_types = ["leaky"]
    settings.save()

    with pytest.raises(api.XBlockNotFound):
        api.resource(block_type="leaky", path="public/link.txt")


def test_types_the_site_does_not_allow_or_install_are_refused():
    settings = XBlockSettings.load()
    settings.allowed_block_types = ["thumbs"]
    settings.save()

    with pytest.raises(api.XBlockNotFound):
        api.resource(block_type="equality_demo", path="public/images/correct-icon.png")
    with pytest.raises(api.XBlockNotFound):
        api.resource(block_type="no_such_block", path="public/x.png")


def test_local_resource_urls_point_at_the_resource_route_and_refuse_other_folders():
    from types import SimpleNamespace

    from xblock.fields import ScopeIds

    from xblocks.fields import PageState
    from xblocks.runtime import AlleleRuntime, CourseKey

    runtime = AlleleRuntime(user=None, state=PageState(user=None), module=None,
                            course_key=CourseKey(1), allowed=set())
    block = SimpleNamespace(scope_ids=ScopeIds(None, "equality_demo", "d", "u"))

    assert runtime.local_resource_url(block, "public/images/correct-icon.png") == (
        "/xblock/resource/equality_demo/public/images/correct-icon.png")
    for uri in ("templates/problem.html", "public/../problem.py", "/public/x.png"):
        with pytest.raises(ValueError, match="Only files under public/"):
            runtime.local_resource_url(block, uri)
