from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = "Allele core"

    def ready(self) -> None:
        from lms.core import audit  # noqa: F401  (connects the role-change receiver)
