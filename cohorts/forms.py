"""The forms of the Cohorts admin. They only parse and check input; cohorts.api acts."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from cohorts import conf
from cohorts.models import Cohort, ReminderBatch
from courses import api as courses_api
from lms.core.models import Profession
from lms.core.roles import Role


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    country = LazyTypedChoiceField(label=_("Country"), required=False,
                                   choices=[("", "---------"), *countries])
    starts_on = forms.DateField(label=_("Starts on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    courses = forms.ModelMultipleChoiceField(
        label=_("Assigned courses"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=courses_api.CoursePage.objects.none(),
        help_text=_("Every member is enrolled in each course assigned here."),
    )
    managers = forms.ModelMultipleChoiceField(
        label=_("Cohort managers"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=get_user_model().objects.none(),
        help_text=_("People in the Cohort manager role who see and manage this cohort."),
    )

    def __init__(self, *args, may_choose_managers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = courses_api.CoursePage.objects.live().order_by("title")
        if may_choose_managers:
            self.fields["managers"].queryset = get_user_model().objects.filter(
                Q(groups__name=Role.COHORT_MANAGER) | Q(groups__name=Role.SITE_ADMINISTRATOR),
                is_active=True,
            ).distinct().order_by("email")
        else:
            del self.fields["managers"]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        return data

    @staticmethod
    def initial_for(cohort: Cohort) -> dict:
        return {"name": cohort.name, "organisation": cohort.organisation,
                "country": cohort.country.code or "", "starts_on": cohort.starts_on,
                "ends_on": cohort.ends_on, "courses": list(cohort.courses.all()),
                "managers": list(cohort.managers.all())}


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of an existing learner"))


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: email, full_name (or first_name and last_name), profession, "
                    "country, and optionally institution. UTF-8 or UTF-16."),
    )
    default_profession = forms.ChoiceField(
        label=_("Profession for rows that give none"), required=False,
        choices=[("", _("None: every row must give one")), *Profession.choices],
    )
    default_country = LazyTypedChoiceField(
        label=_("Country for rows that give none"), required=False,
        choices=[("", _("None: every row must give one")), *countries],
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @staticmethod
    def fresh_key() -> str:
        return uuid.uuid4().hex

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > conf.import_max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it into smaller files.")
                % {"mb": conf.import_max_bytes() // (1024 * 1024)})
        return upload


class ReminderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Send to the learners who are"),
                             choices=ReminderBatch.Kind.choices, widget=forms.RadioSelect)
    course = forms.ModelChoiceField(label=_("Course"), required=False,
                                    queryset=courses_api.CoursePage.objects.none(),
                                    empty_label=_("Every assigned course"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. {name}, {course}, {cohort} and {link} are replaced for "
                    "each learner."),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = cohort.courses.order_by("title")
