from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = _("Course packages")

    def ready(self) -> None:
        from packages import checks, personal_data, tasks  # noqa: F401  (check and tasks)

        personal_data.register()
