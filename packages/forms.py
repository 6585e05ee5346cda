"""The import form: the package file, the domain to import into, and whether to publish."""

from django import forms
from django.utils.translation import gettext_lazy as _

from packages import conf


class ImportForm(forms.Form):
    package = forms.FileField(label=_("Course package (.allele.zip)"))
    domain = forms.ChoiceField(label=_("Import into the domain"))
    publish = forms.BooleanField(
        label=_("Publish at once (skip clinical review)"), required=False,
        help_text=_("Otherwise the course, its modules, quizzes and questions arrive as drafts "
                    "for review. Only site administrators may publish on import."))

    def __init__(self, *args, domains, may_publish, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [(d.slug, d.title) for d in domains]
        if not may_publish:
            del self.fields["publish"]

    def clean_package(self):
        upload = self.cleaned_data["package"]
        if upload.size > conf.max_bytes():
            raise forms.ValidationError(_("The file is larger than this site accepts."))
        return upload
