from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = _("Course packages")

    def ready(self) -> None:
        from packages import checks, tasks  # noqa: F401  (registers the check and tasks)
