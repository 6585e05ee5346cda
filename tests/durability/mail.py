"""TEST ONLY: an e-mail backend that fails like a mail server does, one message at a time.

Messages are delivered (to ``django.core.mail.outbox``) in order until one is addressed to
an address in ``FlakyEmailBackend.failing``, which raises ``error`` instead (once per
count); the messages before it stay delivered, as with a real SMTP server.
"""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends import locmem


class FlakyEmailBackend(locmem.EmailBackend):
    failing: dict[str, int] = {}  # address -> how many more sends to it fail
    error: type[BaseException] = SMTPServerDisconnected

    def send_messages(self, messages):
        delivered = 0
        for message in messages:
            for address in message.to:
                if FlakyEmailBackend.failing.get(address, 0) > 0:
                    FlakyEmailBackend.failing[address] -= 1
                    raise FlakyEmailBackend.error(f"connection lost sending to {address}")
            delivered += super().send_messages([message])
        return delivered
