"""Reading a cohort manager's CSV file of learners: decode, map the columns, check each row.

Pure (no database): the background import in ``cohorts.imports`` streams the stored
file through ``check_file`` twice, once to validate the whole file and, only when it
is valid, once more to import it. Rows are never held all at once; only the e-mail
addresses seen so far are kept, to find duplicates.

Columns (matched ignoring case, spaces, ``-`` and ``_``; see ``ALIASES``): e-mail,
full name (or first name and last name, joined with a space), profession, country,
and optionally institution. Profession and country may be left out when the manager
gives a value for the whole file. Any other column (``cohort``, ``role``...) is
ignored and the manager is told so: a CSV file never grants a role.

Row numbers are record numbers counted from the first row after the header (a
spreadsheet shows row N on its line N + 1); a quoted value spanning two lines is
still one record.
"""

import codecs
import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from cohorts.addresses import AddressError, normalise_email
from lms.core.api import check_full_name
from lms.core.models import Profession

EMAIL, FULL_NAME, FIRST_NAME, LAST_NAME = "email", "full_name", "first_name", "last_name"
PROFESSION, COUNTRY, INSTITUTION = "profession", "country", "institution"

# Header text (lower case, runs of spaces, "-" and "_" made one space) -> column.
ALIASES = {
    "email": EMAIL, "e mail": EMAIL, "email address": EMAIL, "e mail address": EMAIL,
    "full name": FULL_NAME, "name": FULL_NAME,
    "first name": FIRST_NAME, "given name": FIRST_NAME,
    "last name": LAST_NAME, "family name": LAST_NAME, "surname": LAST_NAME,
    "profession": PROFESSION, "occupation": PROFESSION,
    "country": COUNTRY, "country code": COUNTRY,
    "institution": INSTITUTION, "organisation": INSTITUTION, "organization": INSTITUTION,
    "employer": INSTITUTION,
}
COLUMN_LABELS = {EMAIL: "email", FULL_NAME: "full_name", FIRST_NAME: "first_name",
                 LAST_NAME: "last_name", PROFESSION: "profession", COUNTRY: "country",
                 INSTITUTION: "institution"}
HEADER = 0  # the "row" of an error about the header itself
MAX_NOTES = 50
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class FileError(Exception):
    """The file as a whole cannot be read (encoding, not CSV, too long)."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the manager chose for the whole file: values for rows that give none."""

    default_profession: str = ""
    default_country: str = ""
    max_rows: int = 50_000


@dataclass(frozen=True, slots=True)
class Person:
    row: int
    email: str
    full_name: str
    profession: str
    country: str
    institution: str


@dataclass(slots=True)
class CheckedRow:
    row: int
    person: Person | None
    errors: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Header:
    index: dict[str, int]
    width: int
    errors: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def error(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


# --- Decoding ---------------------------------------------------------------------------------


def decoded_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's lines as text: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Anything else is refused with a FileError naming the first line that is not
    valid text; nothing is ever guessed, so no mojibake is stored.
    """
    head = stream.read(8)
    stream.seek(0)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise FileError(_("This is a spreadsheet workbook (Excel or similar), not a CSV file. "
                          "In your spreadsheet choose Save As → “CSV UTF-8” and upload that."),
                        line=1)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise FileError(_("The file is UTF-32 text, which is not accepted. Save it as "
                          "“CSV UTF-8” and upload it again."))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from _utf16_lines(stream)
    else:
        yield from _utf8_lines(stream)


def _utf8_lines(stream: BinaryIO) -> Iterator[str]:
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if b"\x00" in raw:
            raise FileError(_("Line %(line)d contains NUL bytes: the file may be UTF-16 "
                              "without a byte-order mark, or not a text file at all. Save it "
                              "as “CSV UTF-8” and upload it again.") % {"line": number},
                            line=number)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as problem:
            byte = raw[problem.start]
            raise FileError(
                _("The file is not UTF-8 text: line %(line)d has the byte 0x%(byte)02X, which "
                  "UTF-8 does not allow (the file is probably in a legacy encoding such as "
                  "Latin-1 or Windows-1252). Nothing was imported. Save it as “CSV UTF-8” "
                  "and upload it again.") % {"line": number, "byte": byte},
                line=number) from None


def _utf16_lines(stream: BinaryIO) -> Iterator[str]:
    reader = codecs.getreader("utf-16")(stream, errors="strict")
    number = 0
    try:
        for line in _split_keeping_ends(reader):
            number += 1
            yield line
    except UnicodeDecodeError:
        raise FileError(_("The file says it is UTF-16 but line %(line)d is not valid UTF-16. "
                          "Save it as “CSV UTF-8” and upload it again.") % {"line": number + 1},
                        line=number + 1) from None


def _split_keeping_ends(reader) -> Iterator[str]:
    pending = ""
    while chunk := reader.read(65536):
        pending += chunk
        lines = pending.split("\n")
        pending = lines.pop()
        yield from (line + "\n" for line in lines)
    if pending:
        yield pending


def records(stream: BinaryIO) -> Iterator[list[str]]:
    """The file's CSV records (a quoted value may span lines)."""
    reader = csv.reader(decoded_lines(stream), strict=True)
    try:
        yield from reader
    except csv.Error as problem:
        raise FileError(_("The file is not valid CSV near line %(line)d (%(problem)s).")
                        % {"line": reader.line_num, "problem": problem},
                        line=reader.line_num) from None


# --- Header -----------------------------------------------------------------------------------


def header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s_\-]+", " ", text).strip()


def parse_header(cells: list[str], options: ImportOptions) -> Header:
    header = Header(index={}, width=len(cells))
    seen: dict[str, int] = {}
    ignored = []
    for position, cell in enumerate(cells):
        key = header_key(cell)
        if key in seen:
            header.errors.append(error(HEADER, cell.strip(), _(
                "The column “%(name)s” appears twice (columns %(first)d and %(second)d).")
                % {"name": cell.strip(), "first": seen[key] + 1, "second": position + 1}))
            continue
        seen[key] = position
        column = ALIASES.get(key)
        if column is None:
            ignored.append(cell.strip() or _("(empty)"))
        elif column in header.index:
            header.errors.append(error(HEADER, cell.strip(), _(
                "Two columns both mean “%(column)s”.") % {"column": COLUMN_LABELS[column]}))
        else:
            header.index[column] = position
    _check_required_columns(header, options)
    if ignored:
        header.notes.append(_("These columns were ignored: %(names)s. A CSV file never gives "
                              "anyone a role; roles are changed in the user admin only.")
                            % {"names": ", ".join(ignored)})
    return header


def _check_required_columns(header: Header, options: ImportOptions) -> None:
    index = header.index
    missing = []
    if EMAIL not in index:
        missing.append("email")
    if FULL_NAME in index and (FIRST_NAME in index or LAST_NAME in index):
        header.errors.append(error(HEADER, "full_name", _(
            "Give either a full_name column or first_name and last_name columns, not both.")))
    elif FULL_NAME not in index and FIRST_NAME not in index:
        missing.append("full_name")
    if PROFESSION not in index and not options.default_profession:
        missing.append("profession")
    if COUNTRY not in index and not options.default_country:
        missing.append("country")
    for name in missing:
        if name == "full_name":
            message = _("The file has no “full_name” column, nor “first_name” and "
                        "“last_name” columns.")
        else:
            message = _("The file has no “%(name)s” column (and no value was chosen for the "
                        "whole file).") % {"name": name}
        header.errors.append(error(HEADER, name, message))


# --- Rows -------------------------------------------------------------------------------------


def check_file(stream: BinaryIO, options: ImportOptions) -> Iterator[Header | CheckedRow]:
    """The header, then every record checked: a Person or the reasons it is refused.

    Raises FileError when the file cannot be read at all.
    """
    rows = records(stream)
    first = next(rows, None)
    if first is None:
        raise FileError(_("The file is empty."))
    header = parse_header(first, options)
    yield header
    yield from check_rows(rows, header, options)


def check_rows(rows: Iterable[list[str]], header: Header,
               options: ImportOptions) -> Iterator[CheckedRow]:
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(rows, start=1):
        if number > options.max_rows:
            raise FileError(_("The file has more than %(max)d rows; split it into smaller "
                              "files.") % {"max": options.max_rows})
        if not cells:
            continue  # a blank line
        checked = check_row(number, cells, header, options)
        if checked.person is not None:
            earlier = first_row_of.setdefault(checked.person.email, number)
            if earlier != number:
                checked.errors.append(error(number, "email", _(
                    "The same e-mail address as row %(earlier)d (%(email)s).")
                    % {"earlier": earlier, "email": checked.person.email}))
                checked.person = None
        yield checked


def check_row(number: int, cells: list[str], header: Header,
              options: ImportOptions) -> CheckedRow:
    checked = CheckedRow(row=number, person=None)
    if not any(cell.strip() for cell in cells):
        checked.errors.append(error(number, "", _("The row is empty.")))
    elif _repeats_header(cells):
        checked.errors.append(error(number, "", _(
            "The row repeats the column names (a second header line?).")))
    elif len(cells) != header.width:
        checked.errors.append(error(number, "", _(
            "The row has %(cells)d values but the header has %(columns)d columns.")
            % {"cells": len(cells), "columns": header.width}))
    if checked.errors or header.errors:
        return checked
    values = {column: cells[position] for column, position in header.index.items()}
    person = _person(number, values, options, checked)
    if not checked.errors:
        checked.person = person
        checked.notes.extend(_formula_notes(person))
    return checked


def _repeats_header(cells: list[str]) -> bool:
    return sum(1 for cell in cells if header_key(cell) in ALIASES) >= 2


def _person(number: int, values: dict[str, str], options: ImportOptions,
            checked: CheckedRow) -> Person:
    def check(column, function, *args):
        try:
            return function(*args)
        except ValueError as problem:
            checked.errors.append(error(number, COLUMN_LABELS[column], str(problem)))
            return ""

    return Person(
        row=number,
        email=check(EMAIL, _email, values[EMAIL]),
        full_name=check(FULL_NAME, _full_name, values),
        profession=check(PROFESSION, _profession, values.get(PROFESSION, ""),
                         options.default_profession),
        country=check(COUNTRY, _country, values.get(COUNTRY, ""), options.default_country),
        institution=check(INSTITUTION, _text, values.get(INSTITUTION, ""), _("institution")),
    )


def _email(value: str) -> str:
    try:
        return normalise_email(value)
    except AddressError as problem:
        raise ValueError(str(problem)) from None


def _full_name(values: dict[str, str]) -> str:
    if FULL_NAME in values:
        name = values[FULL_NAME].strip()
    else:
        name = " ".join(part for part in (values.get(FIRST_NAME, "").strip(),
                                          values.get(LAST_NAME, "").strip()) if part)
    if not name:
        raise ValueError(_("The name is empty."))
    return _text(name, _("name"))


def _text(value: str, what: str) -> str:
    value = value.strip()
    if len(value) > 200:
        raise ValueError(_("The %(what)s is longer than 200 characters.") % {"what": what})
    try:
        check_full_name(full_name=value)
    except ValidationError:
        raise ValueError(_("The %(what)s contains a line break, a control character or an "
                           "invisible text-direction character.") % {"what": what}) from None
    return value


def _profession(value: str, default: str) -> str:
    value = value.strip() or default
    if not value:
        raise ValueError(_("The profession is empty."))
    code = _professions().get(value.casefold())
    if code is None:
        raise ValueError(_("“%(value)s” is not a profession Allele knows (use one of: "
                           "%(choices)s).") % {"value": value[:80],
                                               "choices": ", ".join(Profession.values)})
    return code


def _country(value: str, default: str) -> str:
    value = value.strip() or default
    if not value:
        raise ValueError(_("The country is empty."))
    code = _countries().get(value.casefold()) or (
        countries.alpha2(value) if len(value) == 3 and value.isalpha() else "")
    if not code:
        raise ValueError(_("“%(value)s” is not a country Allele knows (use the ISO code, "
                           "e.g. KE, or the English name).") % {"value": value[:80]})
    return code


@functools.cache
def _professions() -> dict[str, str]:
    with translation.override("en"):
        return {**{str(label).casefold(): code for code, label in Profession.choices},
                **{code.casefold(): code for code in Profession.values}}


@functools.cache
def _countries() -> dict[str, str]:
    with translation.override("en"):
        return {**{str(name).casefold(): code for code, name in countries},
                **{code.casefold(): code for code, _name in countries}}


def _formula_notes(person: Person) -> list[str]:
    return [
        _("Row %(row)d: the %(what)s starts with “%(char)s”. It is kept exactly as written; "
          "exports neutralise it so a spreadsheet does not run it as a formula.")
        % {"row": person.row, "what": what, "char": value[0].replace("\t", "TAB")}
        for what, value in ((_("name"), person.full_name), (_("institution"), person.institution))
        if value.startswith(FORMULA_PREFIXES)
    ]
