"""Text and number normalisation for grading typed answers; pure, no Django.

Owns two rules that learners meet directly (see docs/decisions/0002-*):

``normalize_answer``
    Unicode NFKC (full-width Latin, Arabic presentation forms and ligatures fold to
    their ordinary letters); invisible format characters that keyboards and copy-paste
    add (bidi marks, zero-width space, soft hyphen, BOM) are removed, but ZWJ/ZWNJ are
    kept because they change words in Persian and Indic scripts; runs of whitespace
    become one space. Unless case-sensitive, the text is casefolded. Unless
    accent-sensitive, combining marks are dropped **only** on Latin, Greek and Cyrillic
    letters (é → e), Arabic harakat/tashkeel and the tatweel are dropped, and Hebrew
    points are dropped. Marks of every other script are kept: Devanagari vowel signs
    (matras), virama and nukta change the word, so कुल never matches कल.

``parse_number``
    Accepts what people in many countries type: ``1.5``, ``1,5``, ``+1.5``, ``-1.5``
    (also with a Unicode minus sign), ``1 234,5``, ``1,234.5``, ``1.234,5``, ``1.5e-3``,
    and digits of any script (Arabic-Indic digits with the Arabic decimal separator,
    Devanagari digits). When ``.`` and ``,`` both appear,
    the last one is the decimal separator and the other groups thousands. A lone
    separator followed by exactly three digits (``1,500`` or ``1.500``) means 1.5 in
    half the world and 1500 in the other half; it is rejected as ambiguous rather than
    guessed. NaN, infinities, bad grouping and more than 100 characters are rejected.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_NUMBER_CHARS = 100
MAX_EXPONENT = 100

_STRIP_MARKS_ON = ("LATIN", "GREEK", "CYRILLIC")
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\ufeff"
)
_WHITESPACE = re.compile(r"\s+")
# Letters with a stroke or bar that Unicode does not decompose into base + mark.
_UNDECOMPOSED = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                               "ħ": "h", "Ħ": "H", "\u0131": "i"})


def _is_arabic_or_hebrew_mark(char: str) -> bool:
    code = ord(char)
    return (
        0x064B <= code <= 0x065F  # Arabic harakat: fatha, damma, kasra, shadda, sukun, ...
        or code == 0x0670  # superscript alef
        or 0x06D6 <= code <= 0x06ED  # Quranic annotation marks
        or code == 0x0640  # tatweel (kashida), a stretching stroke
        or (0x0591 <= code <= 0x05C7 and unicodedata.category(char) == "Mn")  # Hebrew
    )


def _script_of(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


def strip_accents(text: str) -> str:
    """Drop accents from Latin, Greek and Cyrillic letters and vowel marks from Arabic
    and Hebrew; keep the marks of every other script (they are letters' parts there)."""
    kept: list[str] = []
    base_script = ""
    for char in unicodedata.normalize("NFD", text):
        if _is_arabic_or_hebrew_mark(char):
            continue
        if unicodedata.combining(char) or unicodedata.category(char) == "Mn":
            if base_script in _STRIP_MARKS_ON:
                continue
        else:
            base_script = _script_of(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_UNDECOMPOSED)


def normalize_answer(text: str, *, case_sensitive: bool = False,
                     accent_sensitive: bool = False) -> str:
    """The form in which a typed answer and an accepted answer are compared."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if char not in _INVISIBLE)
    text = _WHITESPACE.sub(" ", text).strip()
    if not case_sensitive:
        text = unicodedata.normalize("NFKC", text.casefold())
    if not accent_sensitive:
        text = strip_accents(text)
    return text


def normalize_unit(unit: str) -> str:
    """Units compare case-sensitively (mU is not MU) after NFKC, without any spaces;
    NFKC makes the micro sign µ and the Greek μ the same letter."""
    return "".join(unicodedata.normalize("NFKC", unit).split())


class NumberFormatError(ValueError):
    """A typed number that cannot be read safely; the message says why."""


_SPACES = frozenset(" '")  # after NFKC every no-break and thin space is a plain space
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<body>[0-9][0-9.,]*|[.,][0-9]+)(?:[eE](?P<exp>[+-]?[0-9]{1,4}))?"
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")


def _ascii_digits(text: str) -> str:
    chars = []
    for char in text:
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            chars.append(str(digit))
        elif char == "\u066b":  # Arabic decimal separator
            chars.append(".")
        elif char == "\u066c":  # Arabic thousands separator
            chars.append(",")
        elif char in "\u2212\u2012\u2013\ufe63\uff0d":  # minus sign and dashes
            chars.append("-")
        else:
            chars.append(char)
    return "".join(chars)


def split_number_and_unit(text: str) -> tuple[str, str]:
    """``"1.5 mg"`` → ``("1.5", "mg")``; the unit is whatever follows the number."""
    text = _ascii_digits(unicodedata.normalize("NFKC", text)).strip()
    match = re.match(r"[+-]?[0-9.,\s\u00a0\u2009\u202f'eE+-]*[0-9]", text)
    if not match:
        return text, ""
    return match.group(0), text[match.end():].strip()


def _canonical_body(body: str) -> str:
    """Digits with one '.' as decimal point, after deciding what each separator means."""
    last_dot, last_comma = body.rfind("."), body.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal_sep = "." if last_dot > last_comma else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = body.rpartition(decimal_sep)
        if decimal_sep in whole or not _GROUPED.fullmatch(whole.replace(group_sep, ",")):
            raise NumberFormatError("thousands separators are not in groups of three")
        return whole.replace(group_sep, "") + "." + fraction
    sep = "." if last_dot >= 0 else "," if last_comma >= 0 else ""
    if not sep:
        return body
    if body.count(sep) > 1:
        if not _GROUPED.fullmatch(body.replace(sep, ",")):
            raise NumberFormatError("thousands separators are not in groups of three")
        return body.replace(sep, "")
    whole, _, fraction = body.partition(sep)
    if len(fraction) == 3 and whole not in ("", "0") and len(whole) <= 3:
        raise NumberFormatError(
            f"{body!r} is ambiguous: write {whole}{fraction} or {whole}.{fraction}"
        )
    return (whole or "0") + "." + (fraction or "0")


def parse_number(text: str) -> Decimal:
    """Read a typed number (see the module docstring); raise NumberFormatError if unsafe."""
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberFormatError("too long to be a number")
    text = _ascii_digits(unicodedata.normalize("NFKC", text)).strip()
    grouped = r"[+-]?[0-9]{1,3}(?:[ '][0-9]{3})+(?:[.,][0-9]*)?(?:[eE].*)?"
    if re.search(r"[0-9][ '][0-9]", text) and not re.fullmatch(grouped, text):  # "1 234,5"
        raise NumberFormatError("thousands separators are not in groups of three")
    text = "".join(char for char in text if char not in _SPACES)
    match = _NUMBER.fullmatch(text)
    if not match:
        raise NumberFormatError(f"{text[:20]!r} is not a number")
    exponent = int(match.group("exp") or 0)
    if abs(exponent) > MAX_EXPONENT:
        raise NumberFormatError("exponent out of range")
    body = _canonical_body(match.group("body"))
    try:
        value = Decimal(f"{match.group('sign')}{body}e{exponent}")
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise NumberFormatError(f"{text[:20]!r} is not a number") from error
    if not value.is_finite():  # pragma: no cover - the pattern admits no NaN/Infinity
        raise NumberFormatError("not a finite number")
    return value
