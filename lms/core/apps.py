from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"
    verbose_name = "Allele core"
