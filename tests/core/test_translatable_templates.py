"""Every string a template shows is marked for translation (issue #10).

Each project template is read by ``lms.core.templatecheck``; a text node or a human-facing
attribute with words outside ``{% translate %}`` / ``{% blocktranslate %}`` fails the
template's own test, naming the line and the string. The checker's own tests below make
sure the check can fail.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from lms.core.templatecheck import find_literals, project_templates

ROOT = Path(settings.BASE_DIR)


def _template_directories() -> list[Path]:
    """templates/ and the templates/ folder of every first-party app."""
    directories = [Path(directory) for engine in settings.TEMPLATES
                   for directory in engine.get("DIRS", [])]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            directories.append(path / "templates")
    return [directory for directory in directories if directory.is_dir()]


TEMPLATES = list(project_templates(_template_directories()))


def test_the_project_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in TEMPLATES}
    assert {"templates/base.html", "templates/account/email/base_message.txt"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_template_has_no_untranslated_text(path):
    literals = find_literals(path.read_text(encoding="utf-8"))
    assert not literals, f"untranslated text in {path.relative_to(ROOT)}:\n" + "\n".join(
        f"  {path.relative_to(ROOT)}:{literal}" for literal in literals
    )


# Dates and times take the language's formats (DATE_FORMAT, SHORT_DATE_FORMAT, TIME_FORMAT...);
# an explicit pattern is only for machines: ISO dates in <time datetime> or <input type=date>.
DATE_FILTER = re.compile(r"""\|(?:date|time):(["'])(.*?)\1""")
MACHINE_FORMATS = {"Y-m-d", "c", "U"}


def test_dates_and_times_use_the_languages_formats():
    patterns = [
        f"{path.relative_to(ROOT)}: {match.group(2)!r}"
        for path in TEMPLATES
        for match in DATE_FILTER.finditer(path.read_text(encoding="utf-8"))
        if not match.group(2).endswith("_FORMAT") and match.group(2) not in MACHINE_FORMATS
    ]
    assert not patterns, "hard-coded date patterns:\n" + "\n".join(patterns)


# --- The checker itself --------------------------------------------------------------------


def texts(source: str) -> list[str]:
    return [literal.text for literal in find_literals(source)]


def test_a_literal_text_node_is_caught_with_its_line():
    source = ('{% load i18n %}<main>\n  <h1>{% translate "Courses" %}</h1>\n'
              "  <p>Sign in</p>\n</main>")
    [literal] = find_literals(source)
    assert (literal.line, literal.text, literal.where) == (3, "Sign in", "text")


def test_translated_text_passes():
    assert texts('{% load i18n %}<p>{% translate "Sign in" %}</p>'
                 '<p>{% trans "Sign out" %}</p>') == []


def test_blocktranslate_content_passes_but_text_after_it_does_not():
    source = ("{% load i18n %}<p>{% blocktranslate trimmed with name=user.name %}\n"
              "Welcome, {{ name }}.\n{% endblocktranslate %}</p><p>Goodbye</p>")
    assert texts(source) == ["Goodbye"]


def test_text_around_a_variable_is_caught():
    assert texts("<p>{{ done }} of {{ total }} modules</p>") == ["of … modules"]


def test_script_and_style_bodies_comments_and_symbols_are_ignored():
    source = (
        "<script>var label = 'Hello world';</script><style>.a::after{content:'More'}</style>"
        "<!-- a note for developers --><p>{# a template note #}</p>"
        "{% comment %}Old text{% endcomment %}<p>&nbsp;&middot; 12 % (n={{ n }}) → ✓</p>"
    )
    assert texts(source) == []


def test_human_attributes_are_caught_and_others_are_not():
    source = (
        '<img alt="A pedigree" src="x.png" class="wide figure">'
        '<nav aria-label="Breadcrumbs"><a title="{{ title }}" href="/home/">Home {{ y }}</a></nav>'
        '<input type="submit" value="Save"><input type="hidden" name="next" value="dashboard">'
        '<input type="search" placeholder="Search courses">'
        '<meta name="description" content="Genomic medicine"><meta name="robots" content="index">'
    )
    found = [(literal.where, literal.text) for literal in find_literals(source)]
    assert found == [("alt", "A pedigree"), ("aria-label", "Breadcrumbs"), ("text", "Home"),
                     ("value", "Save"), ("placeholder", "Search courses"),
                     ("content", "Genomic medicine")]


def test_allowed_proper_names_pass_alone_but_not_with_other_words():
    assert texts('<a class="brand" href="/">Allele</a><option value="pdf">PDF</option>') == []
    assert texts("<p>Welcome to Allele</p>") == ["Welcome to Allele"]


def test_text_templates_are_checked_too():
    assert texts("{% load i18n %}Hello {{ name }},\n\n{% translate 'Thanks' %}\n") == [
        "Hello …,"
    ]


def test_a_phrase_passed_to_a_filter_or_tag_is_caught_unless_translated():
    source = ('{% load i18n %}<h2>{{ title|default:"No title" }}</h2>'
              '{% include "includes/card.html" with label="Read more" %}'
              '<td>{{ who|default:_("Nobody yet") }}</td>{% translate "Saved it" as done %}'
              '<img sizes="{% firstof sizes "(min-width: 44rem) 42rem, 100vw" %}">'
              '{{ when|date:"DATE_FORMAT" }}')
    found = [(literal.where, literal.text) for literal in find_literals(source)]
    assert found == [("tag argument", "No title"), ("tag argument", "Read more")]


def test_a_class_block_of_a_child_template_is_not_text():
    source = ('{% extends "base.html" %}{% block main_class %}narrow{% endblock %}'
              "{% block content %}<p>Welcome</p>{% endblock %}")
    assert texts(source) == ["Welcome"]
