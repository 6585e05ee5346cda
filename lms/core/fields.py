"""Model fields that keep authored HTML safe whatever wrote it (admin, import, shell)."""

from wagtail.fields import RichTextField

from lms.core.html import sanitize_html


class SanitizedRichTextField(RichTextField):
    """A Wagtail rich-text field whose HTML is sanitised when stored and when read."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return sanitize_html(value) if value else value

    def from_db_value(self, value, expression, connection):
        return sanitize_html(value) if value else value
