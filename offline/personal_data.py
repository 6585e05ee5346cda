"""The personal data the offline app keeps: the record of each action a learner's device
synced. Registered by ``OfflineConfig.ready()``; see lms/core/personal_data.py."""

from lms.core.api import PersonalDataDeclaration, model_rows, register_personal_data
from offline.models import SyncedAction


def export(user) -> dict:
    return {"offline_synced_actions": model_rows(SyncedAction.objects.filter(user=user))}


def erase(user) -> None:
    SyncedAction.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data(PersonalDataDeclaration(
        app_label="offline", models=("offline.SyncedAction",), export=export, erase=erase,
    ))
