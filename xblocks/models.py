"""What the XBlock runtime keeps: usage and definition ids, field data per scope, completions.

All of this is learner and runtime state, not page data: the educator authors a component
in a module's StreamField (its OLX, or a block type and field values); publishing the module
(or rendering it for the first time) turns that into stable usages and definitions here, and
learners' state hangs off the usages. Written only through ``xblocks.api`` (and the runtime
modules it uses); the site administrator's allow-list of block types is a Wagtail setting.
"""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

USAGE_ID_PATTERN = r"^[A-Za-z0-9._:-]+$"
usage_id_validator = RegexValidator(USAGE_ID_PATTERN, _("Letters, digits and . _ : - only."))

# A sensible start: the xblock-sdk samples (with the checkers and inputs problem_demo
# contains), the common Open edX content blocks and the two third-party blocks Allele tests.
DEFAULT_ALLOWED_BLOCK_TYPES = [
    "html", "html_demo", "thumbs", "problem_demo", "equality_demo", "textinput_demo",
    "attempts_scoreboard_demo", "slider_demo", "view_counter_demo", "vertical_demo",
    "vertical", "sequence_demo", "sequence", "poll", "survey", "done",
]


def default_allowed_block_types() -> list[str]:
    return list(DEFAULT_ALLOWED_BLOCK_TYPES)


class XBlockDefinition(models.Model):
    """A block's authored data, parsed from its OLX: content and settings field values,
    and its children (usage ids). One per usage in Allele (no shared definitions)."""

    definition_id = models.CharField(max_length=255, unique=True,
                                     validators=[usage_id_validator])
    block_type = models.CharField(max_length=100)
    content = models.JSONField(default=dict, blank=True)
    settings = models.JSONField(default=dict, blank=True)
    children = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.definition_id


class XBlockUsage(models.Model):
    """One block placed in a module: the component's root block or one of its descendants.

    ``usage_id`` is derived from the module, the StreamField block id and the block's path
    inside the OLX, so it stays the same when the module is published or imported again. A
    usage that disappears from the OLX is kept, retired, with its learners' state.
    """

    usage_id = models.CharField(max_length=255, unique=True, validators=[usage_id_validator])
    definition = models.OneToOneField(XBlockDefinition, on_delete=models.CASCADE,
                                      related_name="usage")
    block_type = models.CharField(max_length=100)
    module = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE,
                               related_name="+")
    component_id = models.CharField(
        max_length=64, help_text=_("The id of the StreamField block the component sits in."),
    )
    url_name = models.CharField(max_length=200, help_text=_("The block's path inside the OLX."))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    position = models.PositiveIntegerField(default=0)
    source_hash = models.CharField(
        max_length=64, blank=True,
        help_text=_("Of the component as authored (root usages only), to notice edits."),
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "component_id", "url_name"],
                                    name="xblocks_usage_unique_path"),
        ]

    def __str__(self) -> str:
        return self.usage_id


class ScopeState(models.Model):
    """The field values of one XBlock scope, as JSON, and when they last changed."""

    state = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class XBlockUserState(ScopeState):
    """``Scope.user_state`` fields of one block for one learner."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    usage = models.ForeignKey(XBlockUsage, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "usage"],
                                               name="xblocks_user_state_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.usage_id}"


class XBlockSummaryState(ScopeState):
    """``Scope.user_state_summary`` fields of one block (shared by all its learners)."""

    usage = models.OneToOneField(XBlockUsage, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return str(self.usage_id)


class XBlockPreference(ScopeState):
    """``Scope.preferences`` fields: one learner's values for every block of one type."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    block_type = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "block_type"],
                                               name="xblocks_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.block_type}"


class XBlockUserInfo(ScopeState):
    """``Scope.user_info`` fields: one learner's values for every block."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")

    def __str__(self) -> str:
        return str(self.user_id)


class XBlockCompletion(models.Model):
    """How far a learner has completed one block (0 to 1); only ever raised."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    usage = models.ForeignKey(XBlockUsage, on_delete=models.CASCADE, related_name="+")
    completion = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "usage"], name="xblocks_completion_once"),
            models.CheckConstraint(condition=models.Q(completion__gte=0.0, completion__lte=1.0),
                                   name="xblocks_completion_between_0_and_1"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.usage_id}: {self.completion}"


def installed_block_type_choices() -> list[tuple[str, str]]:
    from xblocks.blocktypes import installed_block_types

    return [(name, name) for name in installed_block_types()]


class XBlockSettingsForm(WagtailAdminModelForm):
    allowed_block_types = forms.MultipleChoiceField(
        label=_("Allowed component types"), choices=installed_block_type_choices,
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Educators can embed only these installed XBlock types, and only these "
                    "may appear inside a component's OLX."),
    )


@register_setting(icon="code")
class XBlockSettings(BaseGenericSetting):
    """Which installed XBlock types educators may embed in modules."""

    allowed_block_types = models.JSONField(
        _("allowed component types"), default=default_allowed_block_types, blank=True,
        help_text=_("Educators can embed only these installed XBlock types (and only these "
                    "may appear inside a component's OLX)."),
    )

    panels = [FieldPanel("allowed_block_types")]
    base_form_class = XBlockSettingsForm

    class Meta:
        verbose_name = _("interactive components")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
