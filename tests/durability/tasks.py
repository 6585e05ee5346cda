"""TEST ONLY: a task the durability tests run in a real ``db_worker`` and kill mid-run.

``expiry_reminders_pausing_once_task`` is the project's own expiry reminders
(certificates.api.send_expiry_reminders), except that the first time it reaches an
e-mail it creates ``marker`` and sleeps there instead of sending, so the test can SIGKILL
the worker in the middle of the side effect. Later runs (``marker`` exists) send normally.
"""

import time
from pathlib import Path

from django_tasks import task

PAUSE_SECONDS = 120


@task()
def expiry_reminders_pausing_once_task(marker: str) -> int:
    from certificates import api

    send = api._send_reminder

    def pausing_send(certificate):
        if not Path(marker).exists():
            Path(marker).touch()
            time.sleep(PAUSE_SECONDS)  # killed here, inside the reminder's transaction
        send(certificate)

    api._send_reminder = pausing_send
    try:
        return api.send_expiry_reminders()
    finally:
        api._send_reminder = send
