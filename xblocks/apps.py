"""The xblocks app: syncs a module's components when it is published (see signals.py)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XBlocksConfig(AppConfig):
    name = "xblocks"
    verbose_name = _("Interactive components (XBlocks)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from xblocks import personal_data
        from xblocks.signals import sync_published_module

        page_published.connect(sync_published_module, dispatch_uid="xblocks_sync_module")
        personal_data.register()
