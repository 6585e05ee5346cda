from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = "Allele core"

    def ready(self) -> None:
        from lms.core import (
            audit,  # noqa: F401  (connects the role-change receiver)
            personal_data_accounts,
            personal_data_wagtail,
        )
        from lms.core.personal_data import register_personal_data

        register_personal_data(personal_data_accounts.DECLARATION)
        register_personal_data(personal_data_wagtail.DECLARATION)
