"""E-mail addresses as a cohort manager's spreadsheet gives them: normalised, then checked.

Policy (see docs/decisions/0007): surrounding white space is stripped and the text put
in Unicode NFC; the whole address is then lower-cased (allauth compares addresses
case-insensitively and Allele treats ``Amina.Yusuf@Example.ORG`` and
``amina.yusuf@example.org`` as one person); an internationalised domain is stored in
its ASCII (IDNA/punycode) form so that ``exämple.org`` and ``xn--exmple-cua.org`` are one
address. Accepted addresses are the ordinary kind people use: an ASCII dot-atom local
part of at most 64 characters (``+tag`` allowed, quoted local parts, ``mailto:`` and
look-alike characters such as the fullwidth at sign (U+FF20) or Cyrillic letters refused) and a
public domain name with a dot (no ``localhost``, no IP literal), 254 characters at most.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_TLD = re.compile(r"([a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")


class AddressError(ValueError):
    """Why a text is not an acceptable e-mail address (``str()`` is the message)."""


def normalise_email(raw: str) -> str:
    """The canonical form of ``raw``; raises AddressError with a reason."""
    text = unicodedata.normalize("NFC", raw.strip())
    if len(text) > 320:
        raise AddressError(_("The e-mail address is longer than 254 characters."))
    if not text:
        raise AddressError(_("The e-mail address is empty."))
    if text.count("@") != 1:
        raise AddressError(_("“%(text)s” is not an e-mail address: it needs exactly one @.")
                           % {"text": text})
    local, domain = text.split("@")
    address = f"{_checked_local(local, text)}@{_checked_domain(domain, text)}"
    if len(address) > 254:
        raise AddressError(_("The e-mail address is longer than 254 characters."))
    return address


def _checked_local(local: str, text: str) -> str:
    if not local:
        raise AddressError(_("“%(text)s” has nothing before the @.") % {"text": text})
    if len(local) > 64:
        raise AddressError(_("The part before the @ is longer than 64 characters."))
    if not _LOCAL.match(local):
        raise AddressError(
            _("“%(text)s” has characters an e-mail address cannot have before the @ "
              "(only unaccented letters, digits, dots and ! # $ %% & ' * + / = ? ^ _ ` { | } ~ -)."
              ) % {"text": text})
    return local.lower()


def _checked_domain(domain: str, text: str) -> str:
    if domain.startswith("["):
        raise AddressError(_("“%(text)s” uses an IP address instead of a domain name.")
                           % {"text": text})
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower() if domain else ""
    except UnicodeError:
        raise AddressError(_("“%(text)s” does not have a valid domain name.")
                           % {"text": text}) from None
    labels = ascii_domain.split(".")
    if (len(labels) < 2 or len(ascii_domain) > 253
            or not all(_LABEL.match(label) for label in labels) or not _TLD.match(labels[-1])):
        raise AddressError(_("“%(text)s” does not have a valid domain name after the @.")
                           % {"text": text})
    return ascii_domain
