"""Reading CSV files: every shared bad file and our own, encodings, columns, rows.

Pure: no database. Row numbers are record numbers after the header."""

import codecs
import io

import pytest

from cohorts.csv_import import FileError, Header, ImportOptions, check_file
from tests.badinput import DATA, corpus

BAD = DATA / "bad_csv"
DEFAULTS = ImportOptions(default_profession="nurse", default_country="KE")
HEADER = "email,full_name,profession,country,institution"


def check(content: bytes, options: ImportOptions = DEFAULTS):
    """(header errors, {row: [columns with errors]}, notes, people) for a file."""
    items = list(check_file(io.BytesIO(content), options))
    header, rows = items[0], items[1:]
    assert isinstance(header, Header)
    errors = {row.row: [error["column"] for error in row.errors] for row in rows if row.errors}
    notes = header.notes + [note for row in rows for note in row.notes]
    return header.errors, errors, notes, [row.person for row in rows if row.person]


def messages(content: bytes, options: ImportOptions = DEFAULTS) -> dict[int, str]:
    items = list(check_file(io.BytesIO(content), options))[1:]
    return {row.row: " ".join(error["message"] for error in row.errors)
            for row in items if row.errors}


def lines(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


# --- The shared bad files ----------------------------------------------------------------


def test_latin1_file_is_refused_naming_the_encoding_and_first_bad_line():
    with pytest.raises(FileError) as refused:
        list(check_file((BAD / "01_latin1.csv").open("rb"), DEFAULTS))
    assert refused.value.line == 2
    assert "not UTF-8" in str(refused.value) and "line 2" in str(refused.value)


def test_utf16le_file_with_bom_round_trips_every_script():
    header_errors, errors, notes, people = check((BAD / "02_utf16le_bom.csv").read_bytes())
    assert header_errors == [] and errors == {}
    assert [person.full_name for person in people] == [
        "فاطمة عبد الرحمن", "श्रीनिवास अय्यंगार", "ትዕግሥት ኃይለ ማርያም", "秀英 王"]
    assert "cohort, role" in notes[0]  # ignored, and said so


def test_missing_columns_file_reports_header_and_each_bad_row():
    header_errors, errors, _notes, people = check((BAD / "04_missing_columns.csv").read_bytes())
    assert [e["column"] for e in header_errors] == ["cohort"]  # Cohort and cohort
    assert errors == {3: [""], 4: [""], 5: [""]}  # empty, repeated header, too few values
    assert people == []  # the header is wrong: no row is accepted
    msgs = messages((BAD / "04_missing_columns.csv").read_bytes())
    assert "empty" in msgs[3] and "repeats the column names" in msgs[4]
    assert "3 values" in msgs[5]


def test_missing_columns_without_defaults_names_each_column():
    header_errors, *_rest = check((BAD / "04_missing_columns.csv").read_bytes(),
                                  ImportOptions())
    missing = [e["column"] for e in header_errors]
    assert missing == ["cohort", "profession", "country"]


def test_duplicate_emails_file_reports_every_bad_row():
    _header, errors, _notes, people = check((BAD / "05_duplicate_emails.csv").read_bytes())
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18]
    assert all(columns == ["email"] for columns in errors.values())
    msgs = messages((BAD / "05_duplicate_emails.csv").read_bytes())
    assert "row 1" in msgs[2] and "row 1" in msgs[4]  # case variant; other name, same address
    assert "row 16" in msgs[17]  # the punycode form of the IDN address on row 16
    assert [p.email for p in people] == [
        "amina.yusuf@example.org", "amina.yusuf+cpd@example.org",
        "grace@xn--exmple-cua.org", "admin@example.org"]


def test_large_file_reports_its_planted_defects_by_record_number():
    _header, errors, notes, people = check((BAD / "06_large_10k.csv").read_bytes())
    # The file's README says "10000" for the embedded newline, counting physical lines;
    # the record with the newline is the 9,999th after the header.
    assert errors == {2500: ["email"], 5000: ["email"], 9999: ["full_name"]}
    assert any(note.startswith("Row 7500: the name starts with “=”") for note in notes)
    assert len(people) == 10_000 - 3


def test_formula_cells_are_data_kept_verbatim():
    _header, errors, notes, people = check((BAD / "07_formula_cells.csv").read_bytes())
    assert errors == {}
    by_email = {p.email: p.full_name for p in people}
    assert by_email["ok.one@example.org"] == "=1+1 Plus"
    assert by_email["ok.three@example.org"] == "@SUM(1+1)*cmd|' /C calc'!A0 Dde"
    assert by_email["ok.seven@example.org"] == "Legit - notes"
    assert len([note for note in notes if note.startswith("Row ")]) == 3


# --- Encodings -------------------------------------------------------------------------------


ROW = "amina@example.org,Amina Yusuf,nurse,KE,Hôpital de Thiès"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_utf8_and_utf16_with_bom_are_read(encoding, bom):
    content = bom + f"{HEADER}\r\n{ROW}\r\n".encode(encoding)
    header_errors, errors, _notes, people = check(content)
    assert (header_errors, errors) == ([], {})
    assert people[0].institution == "Hôpital de Thiès"


@pytest.mark.parametrize("content, words", [
    (f"{HEADER}\n{ROW}\n".encode("cp1252"), "line 2"),
    (f"{HEADER}\n{ROW}\n".encode("utf-16-le"), "NUL"),  # UTF-16 without a BOM
    (codecs.BOM_UTF32_LE + f"{HEADER}\n".encode("utf-32-le"), "UTF-32"),
])
def test_other_encodings_are_refused_clearly(content, words):
    with pytest.raises(FileError, match=words):
        list(check_file(io.BytesIO(content), DEFAULTS))


def test_empty_file_is_refused():
    with pytest.raises(FileError, match="empty"):
        list(check_file(io.BytesIO(b""), DEFAULTS))


# --- Columns and values ----------------------------------------------------------------------


def test_header_aliases_and_first_plus_last_name():
    content = lines("amina@example.org,Amina,Yusuf,Midwife,Kenya,KNH",
                    header=" E-mail Address ,First Name,LAST_NAME,Occupation,Country,Employer")
    header_errors, errors, _notes, people = check(content, ImportOptions())
    assert (header_errors, errors) == ([], {})
    assert (people[0].full_name, people[0].profession, people[0].country,
            people[0].institution) == ("Amina Yusuf", "midwife", "KE", "KNH")


def test_full_name_and_first_name_together_are_ambiguous():
    header_errors, *_rest = check(lines(header="email,full_name,first_name,profession,country"))
    assert [e["column"] for e in header_errors] == ["full_name"]


@pytest.mark.parametrize("profession, country, expected", [
    ("NURSE", "ke", ("nurse", "KE")),
    ("genetic_counsellor", "KEN", ("genetic_counsellor", "KE")),
    ("Laboratory scientist", "tanzania", ("laboratory_scientist", "TZ")),
    ("", "", ("pharmacist", "UG")),  # the whole-file values
])
def test_profession_and_country_by_code_or_name(profession, country, expected):
    options = ImportOptions(default_profession="pharmacist", default_country="UG")
    _h, errors, _n, people = check(lines(f"a@example.org,A B,{profession},{country},"), options)
    assert errors == {}
    assert (people[0].profession, people[0].country) == expected


def test_unknown_profession_and_country_are_reported():
    _h, errors, _n, people = check(lines("a@example.org,A B,astronaut,Atlantis,"))
    assert errors == {1: ["profession", "country"]} and people == []


def test_empty_required_values_are_reported():
    _h, errors, *_rest = check(lines("a@example.org,,,,"), ImportOptions())
    assert errors == {1: ["full_name", "profession", "country"]}


def test_hostile_names_are_kept_exactly_or_refused_with_a_reason():
    for name in corpus("names.txt"):
        cell = '"' + name.replace('"', '""') + '"'
        _h, errors, _n, people = check(lines(f"a@example.org,{cell},nurse,KE,"))
        if people:
            assert people[0].full_name == name.strip()
        else:
            assert errors[1] == ["full_name"], name


def test_too_many_rows_is_refused():
    content = lines(*(f"p{n}@example.org,P {n},nurse,KE," for n in range(6)))
    with pytest.raises(FileError, match="more than 5 rows"):
        check(content, ImportOptions(default_country="KE", max_rows=5))


@pytest.mark.parametrize("magic", [b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1"])
def test_a_workbook_instead_of_a_csv_file_is_named_as_such(magic):
    with pytest.raises(FileError, match="spreadsheet workbook"):
        list(check_file(io.BytesIO(magic + b"\x00" * 100), DEFAULTS))
