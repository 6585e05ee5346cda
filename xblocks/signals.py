"""Publishing a module writes its components' usages once the publish has committed."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def sync_published_module(sender, instance, **kwargs):
    from courses.api import ModulePage
    from xblocks import api

    if not isinstance(instance, ModulePage):
        return
    module = instance

    def sync():
        for error in api.sync_module(module=module):
            logger.warning("Module %s: component not usable: %s", module.pk, error)

    transaction.on_commit(sync)
