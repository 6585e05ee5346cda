from django import forms

from lms.core import api
from lms.core.models import LearnerProfile


class ProfileForm(forms.ModelForm):
    """The learner's profile. Surrounding spaces are trimmed; nothing else is changed."""

    class Meta:
        model = LearnerProfile
        fields = [
            "full_name", "profession", "specialty", "country", "institution",
            "preferred_language", "lite_mode",
        ]
        widgets = {
            "full_name": forms.TextInput(
                attrs={"autocomplete": "name", "dir": "auto", "spellcheck": "false"}
            ),
            "specialty": forms.TextInput(attrs={"dir": "auto"}),
            "country": forms.Select(attrs={"autocomplete": "country"}),
            "institution": forms.TextInput(attrs={"autocomplete": "organization", "dir": "auto"}),
        }

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"]
        api.check_full_name(full_name=name)
        return name
