"""RFC 8785 canonical JSON (examples from the RFC) and base58btc."""

import json
import struct
from decimal import Decimal

import pytest

from certificates.jcs import b58decode, b58encode, canonicalize, number_to_string


def test_rfc8785_section_3_2_2_example():
    source = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
              ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
              ' "literals": [null, true, false]}')
    expected = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,'
                '1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
    assert canonicalize(json.loads(source)) == expected.encode()


def test_keys_sort_by_utf16_code_units_rfc8785_section_3_2_3():
    source = ('{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet '
              'With Dagesh", "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": '
              '"Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}')
    values = list(json.loads(canonicalize(json.loads(source))).values())
    assert values == ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                      "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]


@pytest.mark.parametrize(("bits", "expected"), [
    ("0000000000000000", "0"), ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"), ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"), ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"), ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"), ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"), ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
])
def test_numbers_as_ecmascript_writes_them_rfc8785_appendix_b(bits, expected):
    (number,) = struct.unpack(">d", bytes.fromhex(bits))
    assert number_to_string(number) == expected


def test_strings_escape_only_what_jcs_requires_and_keep_unicode_as_utf8():
    text = 'فاطمة देवनागरी 王小明 😀 "q" \\ \x01 \x1f \x7f /'
    assert canonicalize(text) == ('"فاطمة देवनागरी 王小明 😀 \\"q\\" \\\\ \\u0001 \\u001f \x7f /"'
                                  ).encode()
    assert json.loads(canonicalize({"n": text}))["n"] == text


def test_nesting_integers_and_whitespace():
    assert canonicalize({"b": [1, {"z": None, "a": True}], "a": -0.0, "c": 10**15}) == (
        b'{"a":0,"b":[1,{"a":true,"z":null}],"c":1000000000000000}')


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("1.5"), 2**60, {1: "x"},
                                 object()])
def test_refuses_what_is_not_canonical_json(bad):
    with pytest.raises((TypeError, ValueError)):
        canonicalize(bad if not isinstance(bad, dict) else {"k": bad} | bad)


def test_base58btc():
    assert b58encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert b58encode(b"\0\0\x01") == "112"
    for data in (b"", b"\0", bytes(range(64)), b"\xff" * 33):
        assert b58decode(b58encode(data)) == data
    with pytest.raises(ValueError):
        b58decode("0OIl")
