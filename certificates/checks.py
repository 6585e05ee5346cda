"""System checks for credential signing keys.

certificates.E001 (deploy only): DEBUG is off and no signing key is configured, so no
certificate could be signed. certificates.E002 (always): the keys are configured but
malformed (bad JSON, a seed that is not 32 bytes, an unknown current key id).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from certificates import conf, keys

_HINT = ("Run `python manage.py generate_credential_key` and set ALLELE_CREDENTIAL_KEYS and "
         "ALLELE_CREDENTIAL_CURRENT_KEY (see README, Verifiable credentials).")


@register(Tags.security, deploy=True)
def credential_keys_configured(app_configs=None, **kwargs):
    raw = conf.credential_keys_raw()
    if settings.DEBUG or (raw if isinstance(raw, dict) else raw.strip()):
        return []
    return [Error("No credential signing key is configured (ALLELE_CREDENTIAL_KEYS).",
                  hint=_HINT, id="certificates.E001")]


@register(Tags.security)
def credential_keys_valid(app_configs=None, **kwargs):
    raw = conf.credential_keys_raw()
    if not (raw if isinstance(raw, dict) else raw.strip()):
        return []
    try:
        keys.key_config()
    except ImproperlyConfigured as error:
        return [Error(str(error), hint=_HINT, id="certificates.E002")]
    return []
