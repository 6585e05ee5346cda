"""Print a new Ed25519 credential signing key to paste into the environment."""

import json

from django.core.management.base import BaseCommand

from certificates import keys


class Command(BaseCommand):
    help = ("Generate a credential signing key. Add it to ALLELE_CREDENTIAL_KEYS (keep the old "
            "keys there so earlier certificates still verify) and make it "
            "ALLELE_CREDENTIAL_CURRENT_KEY.")

    def handle(self, *args, **options):
        key_id, seed = keys.generate_key()
        self.stdout.write(f"key id: {key_id}\nseed:   {seed}\n")
        self.stdout.write("For a first key, set:\n"
                          f"ALLELE_CREDENTIAL_KEYS='{json.dumps({key_id: seed})}'\n"
                          f"ALLELE_CREDENTIAL_CURRENT_KEY={key_id}\n"
                          "To rotate, add the pair to the existing JSON object instead, switch "
                          "ALLELE_CREDENTIAL_CURRENT_KEY, and keep the old keys.\n"
                          "The seed is a secret: store it like SECRET_KEY.")
