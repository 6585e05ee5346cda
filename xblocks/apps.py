"""Open edX XBlocks inside Allele modules: Allele's own XBlock runtime.

A top-level app because it stands on its own: it is optional (XBlock and most blocks are
AGPL-3.0 and come with the ``xblocks`` extra; without it the app is not installed and a
module shows a plain notice where a component was placed), it owns its own learner state
(XBlock field data per scope, usage ids, completions), and it sits above both courses and
assessments, whose APIs it calls to complete modules and record scores.
"""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XBlocksConfig(AppConfig):
    name = "xblocks"
    verbose_name = _("Interactive components (XBlocks)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from xblocks.signals import sync_published_module

        page_published.connect(sync_published_module, dispatch_uid="xblocks_sync_module")
