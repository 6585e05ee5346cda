"""TEST ONLY: the Allele WSGI application with a pause inside one quiz transaction.

``ALLELE_TEST_PAUSE_IN=save`` pauses a save of answers after its rows are written and
before its transaction commits; ``=grade`` pauses a submission after its grades are
written, before it commits. At the pause the worker creates the file named by
``ALLELE_TEST_PAUSE_MARKER`` and sleeps, so a test can SIGKILL it mid-transaction. Never
imported by the project: tests start gunicorn with ``tests.durability.paused_wsgi``.
"""

import functools
import os
import time
from pathlib import Path

from lms.wsgi import application  # noqa: F401  (what gunicorn serves; sets Django up)

PAUSE_SECONDS = 120


def _pause_after(function):
    @functools.wraps(function)
    def paused(*args, **kwargs):
        result = function(*args, **kwargs)
        Path(os.environ["ALLELE_TEST_PAUSE_MARKER"]).touch()
        time.sleep(PAUSE_SECONDS)  # the test kills the whole server here
        return result

    return paused


def _install() -> None:
    from assessments import api  # only once Django is set up, by the import above

    where = os.environ.get("ALLELE_TEST_PAUSE_IN", "")
    if where == "save":
        api._save = _pause_after(api._save)
    elif where == "grade":
        api._grade = _pause_after(api._grade)


_install()
