"""Running the same action from many threads at once, for race tests on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_concurrently(count: int, action, *, expected_errors: tuple[type[Exception], ...] = ()):
    """Start ``action`` in ``count`` threads released together by a barrier; return each
    result, or the ``code`` of an expected error (a refusal is a result, not a failure)."""
    barrier = threading.Barrier(count)

    def worker(_):
        try:
            barrier.wait(timeout=30)
            return action()
        except expected_errors as error:
            return getattr(error, "code", error)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(worker, range(count)))
