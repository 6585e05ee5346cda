"""The interface is fully translated into every shipped language, and the committed
catalogues are the ones the source asks for.

A catalogue (``locale/<code>/LC_MESSAGES/django.po``) ships with its compiled ``.mo``. A
string the source marks but the catalogue lacks, a fuzzy or empty translation, a ``.mo``
older than its ``.po`` or a translation that drops or invents a placeholder would each show a
learner English, or break a page, in her language: each fails here. `make messages` refreshes
the catalogues after a change to the source.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale

ROOT = Path(settings.BASE_DIR)
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{(\w*)\}")
# What `make messages` passes to makemessages (Makefile, MESSAGES_OPTIONS), minus --all.
SKIPPED_DIRS = {".venv", "var", "tests", "bench", "node_modules", ".drafts", "docs", ".git",
                "locale", "media", ".pytest_cache", ".ruff_cache"}


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"))


def untranslated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def placeholders(text: str) -> set[str]:
    return {"".join(match.groups(default="")) or match.group(0)
            for match in PLACEHOLDER.finditer(text)}


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt or None, entry.msgid)


def test_every_interface_language_has_a_catalogue():
    assert SHIPPED, "settings.LANGUAGES lists no language besides the default"
    for code in SHIPPED:
        assert (ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po").is_file(), code


@pytest.mark.parametrize("code", SHIPPED)
def test_no_interface_string_is_left_untranslated(code):
    entries = [entry for entry in catalogue(code) if not entry.obsolete]
    missing = [entry.msgid for entry in entries if untranslated(entry)]
    assert len(entries) > 500, "the catalogue is nearly empty: run `make messages`"
    assert not missing, (
        f"{len(missing)} of {len(entries)} strings are untranslated or fuzzy in {code}, "
        f"for example: {missing[:10]}"
    )


@pytest.mark.parametrize("code", SHIPPED)
def test_translations_keep_the_placeholders_of_the_source(code):
    wrong = []
    for entry in catalogue(code):
        if entry.obsolete or untranslated(entry):
            continue
        if entry.msgid_plural:
            allowed = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            # A form may leave the number out ("one hour"), never name an unknown one.
            if any(placeholders(form) - allowed for form in entry.msgstr_plural.values()):
                wrong.append(entry.msgid)
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append(entry.msgid)
    assert not wrong, f"placeholders differ from the source in {code}: {wrong[:10]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_the_compiled_catalogue_is_the_committed_one(code):
    po = catalogue(code)
    compiled_path = ROOT / "locale" / to_locale(code) / "LC_MESSAGES" / "django.mo"
    assert compiled_path.is_file(), f"{code} has no django.mo: run `make messages`"
    mo = polib.mofile(str(compiled_path))
    compiled = {key(entry): entry.msgstr or dict(entry.msgstr_plural) for entry in mo
                if entry.msgid}
    expected = {key(entry): entry.msgstr or {k: v for k, v in entry.msgstr_plural.items()}
                for entry in po if not entry.obsolete and not untranslated(entry)}
    stale = sorted(msgid for (_ctx, msgid), value in expected.items()
                   if compiled.get((_ctx, msgid)) != value)
    assert not stale, f"django.mo is older than django.po in {code} (`make messages`): {stale[:5]}"


def _gettext_available() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq"))


@pytest.fixture
def gettext_tools():
    if _gettext_available():
        return
    reason = "GNU gettext is not installed (apt-get install gettext)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; the catalogue check may not be skipped under CI=true")
    pytest.skip(reason)


def test_the_catalogues_hold_exactly_the_strings_the_source_marks(gettext_tools, tmp_path):
    """makemessages, run on a copy of the source, finds the same strings as are committed
    (`make messages` brings them in line)."""
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=lambda directory, names: [
        name for name in names
        if (Path(directory) == ROOT and name in SKIPPED_DIRS) or name.endswith((".pyc", ".sqlite3"))
    ])
    (copy / "locale").mkdir()
    code = SHIPPED[0]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", code, "--add-location", "file"],
        cwd=copy, check=True, capture_output=True,
        env={**os.environ, "DEBUG": "1", "LC_ALL": "C.UTF-8"},
    )
    marked = {key(entry) for entry in polib.pofile(
        str(copy / "locale" / to_locale(code) / "LC_MESSAGES" / "django.po"))}
    committed = {key(entry) for entry in catalogue(code) if not entry.obsolete}
    missing = sorted(msgid for _ctx, msgid in marked - committed)
    stale = sorted(msgid for _ctx, msgid in committed - marked)
    assert not missing, f"marked in the source, missing from the catalogues: {missing[:10]}"
    assert not stale, f"in the catalogues, no longer in the source: {stale[:10]}"
