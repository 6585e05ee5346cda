from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XBlocksConfig(AppConfig):
    name = "xblocks"
    verbose_name = _("Interactive components (XBlocks)")
    default_auto_field = "django.db.models.BigAutoField"
