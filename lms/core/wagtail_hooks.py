"""Rich text everywhere: a link to a document carries its size, which the stylesheet shows
after the link text ("Consent form (244.1 KB)"), so a learner knows what a download costs.
And the audit trail report for site administrators."""

from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from wagtail import hooks
from wagtail.documents.rich_text import DocumentLinkHandler

from lms.core import audit_views


class SizedDocumentLinkHandler(DocumentLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [_opening_tag(document) for document in cls.get_many(attrs_list)]


def _opening_tag(document) -> str:
    if document is None:
        return "<a>"
    if document.file_size:
        return format_html('<a href="{}" data-size="{}">', document.url,
                           filesizeformat(document.file_size))
    return format_html('<a href="{}">', document.url)


@hooks.register("register_rich_text_features", order=1)  # after wagtail.documents' own
def register_sized_document_links(features) -> None:
    features.register_link_type(SizedDocumentLinkHandler)


# The audit trail: a read-only report for site administrators (lms/core/audit_views.py).

@hooks.register("register_admin_urls")
def audit_trail_urls():
    return audit_views.urlpatterns


@hooks.register("register_reports_menu_item")
def audit_trail_menu_item():
    return audit_views.audit_menu_item()
