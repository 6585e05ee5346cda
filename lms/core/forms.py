from django import forms
from django.utils.translation import gettext_lazy as _

from lms.core.models import LearnerProfile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = LearnerProfile
        fields = [
            "full_name", "profession", "specialty", "country", "institution",
            "preferred_language",
        ]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
            "specialty": forms.TextInput(attrs={"dir": "auto"}),
            "institution": forms.TextInput(attrs={"autocomplete": "organization", "dir": "auto"}),
        }

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"]
        if any(ord(char) < 32 for char in name):
            raise forms.ValidationError(_("Your name cannot contain control characters."))
        return name
