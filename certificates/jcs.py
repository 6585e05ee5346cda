"""RFC 8785 JSON Canonicalization Scheme (JCS) and multibase base58btc.

`canonicalize(value) -> bytes` serialises the JSON that Allele's credentials contain:
objects (string keys, sorted by their UTF-16 code units), arrays, strings (only the escapes
JCS prescribes: \\" \\\\ \\b \\f \\n \\r \\t and \\u00XX for other control characters; every
other character, emoji included, as UTF-8), true, false, null, integers of any size and
finite floats, written as ECMAScript's Number.prototype.toString writes them (shortest
round-trip digits; `1e+21`, `1e-7`, `-0` as `0`). Integers outside the IEEE 754 exact
range are refused (a JCS implementation would first turn them into doubles and change
them). `Decimal` is refused too: the credential builder writes decimals as floats or
strings on purpose, so a verifier in another language reads the same number.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["b58decode", "b58encode", "canonicalize", "number_to_string"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t"}
_MAX_SAFE_INTEGER = 2**53


def canonicalize(value: object) -> bytes:
    """The RFC 8785 canonical form of `value`, as UTF-8 bytes."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _write(value: object, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int):
        if abs(value) > _MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} is not exactly representable in JSON numbers")
        out.append(str(value))
    elif isinstance(value, float):
        out.append(number_to_string(value))
    elif isinstance(value, dict):
        out.append("{")
        for index, key in enumerate(sorted(value, key=_utf16_key)):
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            if index:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, Decimal):
        raise TypeError("Decimal is not serialised by JCS here: write it as a float or string")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON")


def _utf16_key(key: object) -> bytes:
    if not isinstance(key, str):
        raise TypeError(f"object keys must be strings, not {type(key).__name__}")
    # Big-endian UTF-16 bytes compare exactly as the sequence of UTF-16 code units does.
    return key.encode("utf-16-be", "surrogatepass")


def _string(text: str) -> str:
    chars = ['"']
    for char in text:
        if char in _ESCAPES:
            chars.append(_ESCAPES[char])
        elif char < " ":
            chars.append(f"\\u{ord(char):04x}")
        else:
            chars.append(char)
    chars.append('"')
    return "".join(chars)


def number_to_string(number: float) -> str:
    """ECMAScript Number.prototype.toString for a finite double (RFC 8785, section 3.2.2.3)."""
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("NaN and Infinity are not JSON")
    if number == 0:
        return "0"
    if number < 0:
        return "-" + number_to_string(-number)
    # repr() gives the shortest digits that round-trip, as ECMAScript requires.
    sign_digits_exponent = Decimal(repr(number)).normalize().as_tuple()
    digits = "".join(str(d) for d in sign_digits_exponent.digits)
    k = len(digits)
    n = int(sign_digits_exponent.exponent) + k  # value = 0.digits * 10**n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    exponent = n - 1
    sign = "+" if exponent >= 0 else "-"
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{sign}{abs(exponent)}"


# --- base58btc (the Bitcoin alphabet), as multibase "z" uses it -------------------------
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: index for index, char in enumerate(_ALPHABET)}


def b58encode(data: bytes) -> str:
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    chars = []
    while number:
        number, remainder = divmod(number, 58)
        chars.append(_ALPHABET[remainder])
    return "1" * zeros + "".join(reversed(chars))


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _INDEX:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body
