"""Support for tests that push the shared bad-input corpora through the site: loading the
corpora, and reading a rendered page for anything that would run script."""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPORA_DIR = REPO_ROOT.parent / "shared" / "corpora"


def load_corpora() -> list[tuple[str, int, str]]:
    blns_path = CORPORA_DIR / "blns.json"
    xss_path = CORPORA_DIR / "patt-xss-IntrudersXSS.txt"
    missing = [str(path) for path in (blns_path, xss_path) if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            "The bad-input corpora are missing: "
            + ", ".join(missing)
            + ". They are expected in shared/corpora beside the repository root "
            f"({REPO_ROOT}); check out shared/ next to it before running the tests."
        )
    blns = json.loads(blns_path.read_text(encoding="utf-8"))
    # One payload a line; the file ends with a newline, which does not start another payload.
    xss = xss_path.read_text(encoding="utf-8").split("\n")
    if xss and xss[-1] == "":
        xss.pop()
    if not (isinstance(blns, list) and all(isinstance(s, str) for s in blns) and len(blns) > 400):
        raise ValueError(f"{blns_path} is not the expected JSON list of strings")
    if len(xss) < 100:
        raise ValueError(f"{xss_path} has only {len(xss)} payloads")
    return [("blns", n, s) for n, s in enumerate(blns)] + [("xss", n, s) for n, s in enumerate(xss)]



URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "cite", "longdesc", "codebase", "dynsrc", "lowsrc", "manifest", "ping",
}
# Browsers drop ASCII tabs, newlines and control characters anywhere in a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:text/html")


def _is_script_url(value: str) -> bool:
    return _URL_NOISE.sub("", value).lower().startswith(SCRIPT_SCHEMES)


class Page(HTMLParser):
    """One read of a page: each (tag, attribute names) pair it is made of, its URLs, anything
    that would run script, the text of its first <h1> and of its textareas (by id), and the
    values its form would send back."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: set[tuple[str, frozenset[str]]] = set()
        self.urls: set[str] = set()
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.heading: str | None = None
        self.textareas: dict[str, str] = {}
        self.form_values: dict[str, list[str]] = {}
        self._in_heading = False
        self._textarea: dict | None = None
        self._textarea_text = ""
        self._select: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.add((tag, frozenset(name for name, _ in attrs)))
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.add(value)
                if _is_script_url(value):
                    self.script_urls.append(f"<{tag} {name}={value!r}>")
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "h1" and self.heading is None:
            self._in_heading, self.heading = True, ""
        elif tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    # As a browser sends it: "on" only when there is no value attribute.
                    value = attributes["value"] if "value" in attributes else "on"
                    self._send(name, value or "")
            elif kind not in ("submit", "button", "reset", "image"):
                self._send(name, attributes.get("value") or "")
        elif tag == "textarea":
            self._textarea, self._textarea_text = attributes, ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self._send(self._select, attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_heading = False
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea_text
            # HTML drops one newline right after <textarea> (Django writes one there).
            text = text[1:] if text.startswith("\n") else text
            if self._textarea.get("id"):
                self.textareas[self._textarea["id"]] = text
            if self._textarea.get("name"):
                self._send(self._textarea["name"], text)
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._in_heading:
            self.heading += data
        if self._textarea is not None:
            self._textarea_text += data

    def _send(self, name: str, value: str) -> None:
        self.form_values.setdefault(name, []).append(value)


@dataclass
class Baseline:
    """The union of what benign versions of a page are made of."""

    elements: set = field(default_factory=set)
    urls: set = field(default_factory=set)

    def add(self, html: str) -> "Baseline":
        page = Page(html)
        assert not page.handlers and not page.script_urls, "the benign page runs script"
        self.elements |= page.elements
        self.urls |= page.urls
        return self
