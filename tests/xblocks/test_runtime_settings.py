"""The site administrator's allow-list of component types, in Wagtail's Settings."""

import pytest

pytest.importorskip("xblock")

from xblocks import api
from xblocks.models import DEFAULT_ALLOWED_BLOCK_TYPES, XBlockSettings

URL = "/admin/settings/xblocks/xblocksettings/"


@pytest.fixture
def admin_client(client, db):
    from tests import factories

    client.force_login(factories.make_user(email="admin@example.org", is_superuser=True,
                                           is_staff=True))
    return client


def test_the_default_allow_list_has_the_sample_blocks(db):
    allowed = [value for value, _label in api.allowed_block_types()]
    assert {"thumbs", "problem_demo", "equality_demo", "vertical_demo"} <= set(allowed)
    assert set(allowed) <= set(DEFAULT_ALLOWED_BLOCK_TYPES)
    assert "allscopes_demo" not in allowed


def test_a_site_administrator_chooses_among_the_installed_types(admin_client):
    page = admin_client.get(URL, follow=True)
    assert page.status_code == 200
    assert 'value="allscopes_demo"' in page.content.decode()  # installed, offered
    assert 'value="poll_not_installed"' not in page.content.decode()

    response = admin_client.post(page.redirect_chain[-1][0] if page.redirect_chain else URL,
                                 {"allowed_block_types": ["thumbs", "allscopes_demo"]})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert XBlockSettings.load().allowed_block_types == ["thumbs", "allscopes_demo"]
    assert [value for value, _label in api.allowed_block_types()] == ["allscopes_demo", "thumbs"]
