"""Rich text everywhere: a link to a document carries its size, which the stylesheet shows
after the link text ("Consent form (244.1 KB)"), so a learner knows what a download costs."""

from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from wagtail import hooks
from wagtail.documents.rich_text import DocumentLinkHandler


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
