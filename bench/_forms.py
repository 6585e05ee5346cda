"""What a browser does with a page's POST forms, for the load scenario's simulated learners:
find a form by its action, and fill it in the way a learner would (every field answered).

Standard library only (html.parser), so 200 simulated learners parse pages cheaply.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_TYPES = {"text", "search", "email", "url", "tel", "number", ""}


@dataclass
class Form:
    action: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # names of text inputs and text areas, in order
    choices: dict[str, list[str]] = field(default_factory=dict)  # radio/checkbox name -> values
    selects: dict[str, list[str]] = field(default_factory=dict)  # select name -> option values
    attributes: dict[str, str] = field(default_factory=dict)

    def filled(self, *, text: str, number: str, unit: str) -> list[tuple[str, str]]:
        """Every field answered: the first choice of each group and select (a non-empty
        option), ``number`` in a numeric answer, ``unit`` in a unit, ``text`` elsewhere."""
        data = list(self.hidden)
        for name in self.texts:
            numeric = name.startswith("q/num-")
            data.append((name, unit if name.endswith("/unit") else number if numeric else text))
        data += [(name, values[0]) for name, values in self.choices.items() if values]
        for name, options in self.selects.items():
            chosen = [value for value in options if value]
            if chosen:
                data.append((name, chosen[0]))
        return data


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._disabled_depth = 0
        self._fieldsets: list[bool] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self._form = Form(action=attributes.get("action", ""), attributes=attributes)
            self.forms.append(self._form)
        elif tag == "fieldset":
            disabled = "disabled" in attributes
            self._fieldsets.append(disabled)
            self._disabled_depth += disabled
        if self._form is None or self._disabled_depth:
            return  # FormData leaves a disabled fieldset's fields out, so do we
        name = attributes.get("name")
        if tag == "input" and name:
            self._input(attributes, name)
        elif tag == "textarea" and name:
            self._form.texts.append(name)
        elif tag == "select" and name:
            self._select = name
            self._form.selects[name] = []
        elif tag == "option" and self._select is not None:
            self._form.selects[self._select].append(attributes.get("value", ""))

    def _input(self, attributes: dict[str, str], name: str) -> None:
        kind = attributes.get("type", "text").lower()
        if kind == "hidden":
            self._form.hidden.append((name, attributes.get("value", "")))
        elif kind in ("radio", "checkbox"):
            self._form.choices.setdefault(name, []).append(attributes.get("value", "on"))
        elif kind in TEXT_TYPES:
            self._form.texts.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "fieldset" and self._fieldsets:
            self._disabled_depth -= self._fieldsets.pop()
        elif tag == "select":
            self._select = None


def post_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_to(html: str, action: str) -> Form | None:
    """The page's POST form whose action is ``action`` (a path), or None."""
    return next((form for form in post_forms(html) if form.action == action), None)


def csrf_token(form: Form) -> str:
    return next((value for name, value in form.hidden if name == "csrfmiddlewaretoken"), "")
