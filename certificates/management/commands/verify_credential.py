"""Verify a signed credential file: prints VALID or INVALID with the reasons (exit 0 or 1).

Revocation is checked against this database when it knows the certificate; otherwise the
output says it was not checked.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.credential_views import MAX_CREDENTIAL_BYTES, revocation_lookup
from certificates.credentials import credential_summary, verify_credential


class Command(BaseCommand):
    help = "Verify an Open Badges 3.0 credential (JSON file, or - for standard input)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the credential JSON file, or - for standard input")

    def handle(self, *args, **options):
        credential = self._load(options["file"])
        check = verify_credential(credential, revocation_lookup=revocation_lookup)
        summary = credential_summary(credential)
        self.stdout.write("VALID" if check.valid else "INVALID")
        for label in ("name", "course", "issued"):
            self.stdout.write(f"  {label}: {summary[label]}")
        for reason in check.reasons:
            self.stdout.write(f"  - {reason}")
        if not check.valid:
            raise SystemExit(1)

    def _load(self, name: str) -> dict:
        try:
            if name == "-":
                import sys

                text = sys.stdin.read(MAX_CREDENTIAL_BYTES + 1)
            else:
                text = Path(name).read_text(encoding="utf-8")
            credential = json.loads(text)
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read a JSON credential from {name}: {error}") from None
        if not isinstance(credential, dict):
            raise CommandError("the credential must be a JSON object")
        return credential
