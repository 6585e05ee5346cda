"""The personal data the XBlock runtime keeps: each learner's state in each component (her
poll votes, answers, preferences) and her completions. Registered by
``XBlocksConfig.ready()``; see lms/core/personal_data.py."""

from django.utils.translation import gettext_lazy as _

from lms.core.api import PersonalDataDeclaration, model_rows, register_personal_data
from xblocks.models import XBlockCompletion, XBlockPreference, XBlockUserInfo, XBlockUserState

_MODELS = (XBlockUserState, XBlockPreference, XBlockUserInfo, XBlockCompletion)


def export(user) -> dict:
    return {
        "xblock_state": model_rows(XBlockUserState.objects.filter(user=user)),
        "xblock_preferences": model_rows(XBlockPreference.objects.filter(user=user)),
        "xblock_user_info": model_rows(XBlockUserInfo.objects.filter(user=user)),
        "xblock_completions": model_rows(XBlockCompletion.objects.filter(user=user)),
    }


def erase(user) -> None:
    for model in _MODELS:
        model.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="xblocks",
        models=tuple(model._meta.label for model in _MODELS),
        export=export,
        erase=erase,
        kept_after_erasure=_(
            "Totals that interactive components show everyone (a poll's vote counts) keep "
            "your vote, which no longer says it was yours."
        ),
    ))
