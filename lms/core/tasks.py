"""Background work for the core, run by django-tasks (``manage.py db_worker``, RQ workers in
the scale-out profile, immediately in tests): learners' data exports. Each task takes ids
and is safe to run twice."""

from django_tasks import task

from lms.core import data_rights


@task()
def run_data_export_task(export_id: int) -> str | None:
    """Build one learner's data export (does nothing once it is done or failed)."""
    data_export = data_rights.run_data_export(export_id=export_id)
    data_rights.purge_expired_data_exports()
    return data_export.status if data_export else None
