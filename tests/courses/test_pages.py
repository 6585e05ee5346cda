import pytest

from courses.pages import CoursePage, DomainPage, HomePage, ModulePage
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_page_type_renders(client, course_tree):
    module = course_tree.modules[1]
    pages = [factories.catalog_home(), factories.domain(), course_tree.course, module]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page
        assert page.title.encode() in response.content


def test_module_page_links_to_neighbours_and_course(client, course_tree):
    first, second, third = course_tree.modules
    html = client.get(second.url).content.decode()
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html
    assert "Module 2 of 3" in html


def test_urls_follow_the_tree(course_tree):
    module = course_tree.modules[0]
    assert module.url == f"/pharmacogenomics/{course_tree.course.slug}/{module.slug}/"


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (DomainPage, HomePage, True),
        (CoursePage, DomainPage, True),
        (ModulePage, CoursePage, True),
        (CoursePage, HomePage, False),
        (ModulePage, DomainPage, False),
        (DomainPage, CoursePage, False),
    ],
)
def test_page_tree_rules(child, parent, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed
