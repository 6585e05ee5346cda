from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "offline"
    verbose_name = _("Offline learning")

    def ready(self) -> None:
        from offline import personal_data

        personal_data.register()
