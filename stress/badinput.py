"""Bad input: every string of the shared corpora (`hindsight.hostile.load_corpora`) through every
public form, query parameter and search box of the running site, then through the public pages
that show what was accepted once it is approved.

Two figures must be 0: responses with a 5xx status, and pages whose DOM gained script: an
`on*` handler, a javascript:/vbscript:/data:text/html URL, a <script>, frame, object, embed, base
or refreshing <meta> (or an htmx `hx-*` attribute: htmx is loaded on the site, and would act on
it) that the same page does not have with benign input."""

import datetime
import re
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import requests

from hindsight.hostile import Page, load_corpora
from hindsight.lib.markdown import AUTHOR_TAGS, EDITOR_TAGS
from stress.client import AddressPool, Visitor, path_segment, redirected_to
from stress.report import PhaseResult
from stress.site import Site

THREADS = 4
# The forms' fill-time checks (contact and directory: 3 s, comments: 5 s): the tokens read when
# the forms are first shown must be older than this before the first post.
FILL_TIME = 6
BODY_SUFFIX = "\n\nThe rest of my story is ordinary words, long enough to be sent."

# Elements that load or run something; any of these the benign pages do not have is script.
ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
               "portal", "meta", "link"}
# SVG and MathML elements that can navigate or animate an attribute into a script URL.
SVG_ACTIVE_TAGS = {"animate", "set", "animatemotion", "animatetransform", "use", "handler",
                   "listener", "foreignobject", "maction"}
LINK_LOADS = {"stylesheet", "import", "preload", "modulepreload", "prefetch", "prerender",
              "manifest", "serviceworker"}
HTMX_PREFIXES = ("hx-", "data-hx-")
# What Markdown may legitimately add to a page (what nh3 lets through).
MARKDOWN_TAGS = AUTHOR_TAGS | EDITOR_TAGS


_DIGITS = re.compile(r"[0-9]+")
# Attributes a form field gains or loses with what was typed and whether it was refused.
FIELD_STATE_ATTRIBUTES = {"value", "checked", "selected", "aria-invalid", "aria-describedby",
                          "required", "maxlength", "minlength", "autocomplete", "autofocus",
                          "class", "data-focus-on-load", "tabindex", "rows"}


def _shape(element: tuple[str, frozenset[str]]) -> tuple[str, frozenset[str]]:
    tag, names = element
    return tag, frozenset(names - FIELD_STATE_ATTRIBUTES)


def _signature(tag: str, attrs: list[tuple[str, str | None]]) -> tuple | None:
    """What identifies an active element; None when it cannot load or run anything."""
    values = {name: value or "" for name, value in attrs}
    if tag == "meta":
        if "http-equiv" not in values:
            return None
        return (tag, values["http-equiv"].lower(), values.get("content", ""))
    if tag == "link":
        rel = set(values.get("rel", "").lower().split())
        if not rel & LINK_LOADS:
            return None
        return (tag, " ".join(sorted(rel)), values.get("href", ""))
    return (tag, tuple(sorted(values.items())))


class Inspection(Page):
    """hostile.Page plus the active elements and htmx attributes of the page."""

    def __init__(self, html: str):
        self.active: set[tuple] = set()
        self.htmx: set[tuple[str, str, str]] = set()
        self.svg_active: set[str] = set()
        super().__init__(html)

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag in ACTIVE_TAGS and (signature := _signature(tag, attrs)):
            self.active.add(signature)
        if tag in SVG_ACTIVE_TAGS:
            self.svg_active.add(tag)
        for name, value in attrs:
            if name.startswith(HTMX_PREFIXES):
                # Ids in the value (which story, which comment) do not change what htmx does.
                self.htmx.add((tag, name, _DIGITS.sub("0", value or "")))


class Allowed:
    """The union of what the benign pages of the site are made of."""

    def __init__(self):
        self.active: set[tuple] = set()
        self.htmx: set[tuple] = set()
        self.elements: set[tuple] = set()
        self.pages = 0

    def add(self, html: str) -> None:
        page = Inspection(html)
        if page.handlers or page.script_urls or page.svg_active:
            raise AssertionError(f"a benign page runs script: {page.handlers + page.script_urls}")
        self.active |= page.active
        self.htmx |= page.htmx
        self.elements |= {_shape(element) for element in page.elements}
        self.pages += 1


def script_problems(page: Inspection, allowed: Allowed) -> list[str]:
    """Everything on this page that could run script and is not on the benign pages."""
    problems = [f"event handler {handler}" for handler in page.handlers]
    problems += [f"script URL {url}" for url in page.script_urls]
    problems += [f"new active element {signature}" for signature in page.active - allowed.active]
    problems += [f"htmx attribute {attribute}" for attribute in page.htmx - allowed.htmx]
    problems += [f"SVG element <{tag}>" for tag in page.svg_active]
    return problems


def unexpected_markup(page: Inspection, allowed: Allowed) -> list[str]:
    """Elements the benign pages do not have, beyond what Markdown may add (reported, not
    counted as script: a stray <img> or <form> is a bug, but not script)."""
    shapes = {_shape(element) for element in page.elements}
    return [f"<{tag} {' '.join(sorted(names))}>" for tag, names in shapes - allowed.elements
            if tag not in MARKDOWN_TAGS]


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and (attributes.get("type") or "").lower() == "hidden" and \
                attributes.get("name"):
            self.values.setdefault(attributes["name"], []).append(attributes.get("value") or "")


def hidden_inputs(html: str) -> dict[str, list[str]]:
    """The hidden fields of a page's forms (CSRF token, signed times, the treatment): what a
    post carries besides the answers typed."""
    parser = _HiddenInputs()
    parser.feed(html)
    parser.close()
    return parser.values


def _error_text(html: str) -> str:
    """The words of a page's error summary, to explain a refusal."""
    start = html.find('id="error-summary"')
    if start < 0:
        return "(no error summary)"
    chunk = html[start:start + 3000]
    return " ".join(re.sub(r"<[^>]+>", " ", chunk.split("</div>")[0]).split())[:300]


def _is_html(response: requests.Response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


class Run:
    """One bad-input run: counts, examples, and the visitors' shared form tokens."""

    def __init__(self, site: Site):
        self.site = site
        self.addresses = AddressPool(10)
        self.lock = threading.Lock()
        self.requests = 0
        self.statuses: Counter = Counter()
        self.seconds: Counter = Counter()
        self.limited: Counter = Counter()
        self.counts: Counter = Counter()
        self.server_errors: list[str] = []
        self.injected: list[str] = []
        self.markup: list[str] = []
        self.client_errors: list[str] = []
        self.refused_silently: list[str] = []
        self.pages_checked = 0
        self.allowed = Allowed()
        self.template: Visitor | None = None
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.paths: dict[str, str] = {}
        self.accepted_stories: list[str] = []
        self.accepted_comments: list[str] = []
        self.accepted_followups: list[str] = []
        self.forms_shown_at = 0.0
        self.approval_problems: list[str] = []
        self.lost: list[str] = []
        self.benign_comment_id = 0
        self.benign_story_report = ""

    # --- requests, counted and checked ---------------------------------------------------

    def visitor(self) -> Visitor:
        visitor = Visitor(self.site.url, source=self.addresses.take())
        if self.template is not None:
            visitor.adopt_cookies(self.template)
        return visitor

    def send(self, visitor: Visitor, label: str, method: str, path: str, data=None,
             headers=None) -> requests.Response | None:
        """One request, counted; its page checked for script when it is HTML."""
        try:
            if method == "GET":
                response = visitor.get(path, data, headers=headers)
            else:
                response = visitor.post(path, data, headers=headers)
        except requests.RequestException as error:
            with self.lock:
                self.requests += 1
                self.client_errors.append(f"{label}: {method} {path[:80]}: {error}")
            return None
        kind = f"{method} /{path.strip('/').split('/')[0]}/"
        with self.lock:
            self.seconds[kind] += response.elapsed.total_seconds()
            self.counts[kind] += 1
            self.requests += 1
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.server_errors.append(f"{label}: {method} {path[:80]} -> "
                                          f"{response.status_code}")
            if response.status_code == 429:
                self.limited[kind] += 1
        # 414 is gunicorn's own page (a request line over 4094 bytes): Django never saw it.
        if _is_html(response) and response.status_code < 500 and response.status_code != 414:
            self.check_page(label, f"{method} {path[:80]}", response.text)
        return response

    def check_page(self, label: str, where: str, html: str) -> None:
        page = Inspection(html)
        problems = script_problems(page, self.allowed)
        markup = unexpected_markup(page, self.allowed)
        with self.lock:
            self.pages_checked += 1
            if problems:
                self.injected.append(f"{label}: {where}: {'; '.join(problems[:3])}")
            if markup:
                self.markup.append(f"{label}: {where}: {', '.join(markup[:3])}")

    # --- the forms -------------------------------------------------------------------------

    def load_forms(self, targets: dict) -> None:
        """Show each form once to one visitor: its CSRF cookie and token, and the signed times
        it was shown, are what every later post carries (as a person who keeps a tab open)."""
        self.template = Visitor(self.site.url, source=self.addresses.take())
        story, entry = targets["stories"][0], targets["entries"][0]
        self.paths = self.form_paths(story, entry, targets["follow_ups"][0])
        for name, path in self.paths.items():
            response = self.template.get(path)
            response.raise_for_status()
            self.forms[name] = hidden_inputs(response.text)
        self.forms_shown_at = time.monotonic()

    @staticmethod
    def form_paths(story: dict, entry: str, follow_up_token: str) -> dict[str, str]:
        return {
            "share": "/stories/share/",
            "contact": "/contact/",
            "suggest": "/directory/suggest/",
            "correct": f"/directory/{entry}/correct/",
            "comment": f"/comments/story/{story['pk']}/write/",
            "login": "/accounts/login/",
            "code": "/accounts/login/code/",
            "followup": f"/reminders/{follow_up_token}/follow-up/",
        }

    def form_data(self, form: str, **answers) -> dict:
        data = {name: list(values) for name, values in self.forms[form].items()}
        data.update(answers)
        return data


def _story_answers(email: str, **text: str) -> dict:
    answers = {
        "procedure_status": "yes", "treated_month": "3", "treated_year": "2011", "country": "PL",
        "procedure_kind": "balloon", "veins": ["left_jugular", "azygos"],
        "result": "little_better", "symptom_fatigue": "better", "change_onset": "week",
        "complications": ["other"], "treated_again": "no", "cost_amount": "9000",
        "cost_currency": "USD", "ms_type": "rrms", "diagnosis_year": "2004", "age_band": "40_49",
        "sex": "female", "email": email, "consent_publish": "on", "consent_statistics": "on",
        "title": "Warmer hands after Katowice", "city": "Katowice", "clinic": "A clinic",
        "treated_by": "Dr Example", "display_name": "Anna",
        "complications_other": "A headache for two days",
        "body": "My fatigue lifted within a week and my hands were warm for the first time.",
    }
    answers.update(text)
    return answers


def _followup_answers(**answers: str) -> dict:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    return {"reported_on": today, "result": "little_better", **answers}


STORY_TEXT_FIELDS = ("title", "body", "display_name", "city", "clinic", "treated_by",
                     "complications_other")


def _benign_pages(run: Run, targets: dict) -> None:
    """Every page of the run with benign input, refused and accepted, and the public pages of
    an approved benign story, comment and follow-up: the baseline hostile pages are held to."""
    visitor = run.visitor()
    story, entry, treatment = targets["stories"][0], targets["entries"][0], targets["treatment"]
    gets = [
        ("/", None), ("/stories/", None), ("/stories/", {"page": "2"}),
        ("/stories/", {"result": "little_better", "country": "PL", "ms_type": "rrms",
                       "procedure_status": "yes"}),
        ("/stories/", {"result": "nonsense", "page": "99"}),
        ("/search/", None), ("/search/", {"q": "fatigue"}), ("/search/", {"q": "zzzz"}),
        ("/search/", {"q": "fatigue", "page": "2"}), ("/search/", {"q": "fatigue " * 60}),
        ("/search/", {"q": "hands", "kind": "nonsense", "country": "XX"}),
        ("/directory/", None), ("/directory/", {"kind": "nonsense", "country": "XX"}),
        (f"/directory/{entry}/", None), (f"/directory/{entry}/", {"page": "9"}),
        ("/stories/share/", None), ("/stories/share/", {"treatment": treatment}),
        ("/accounts/login/", None), ("/accounts/login/", {"next": "/my/"}),
        ("/accounts/login/code/", None), ("/accounts/login/code/", {"next": "/my/"}),
        (f"/comments/story/{story['pk']}/write/", None),
        (f"/comments/story/{story['pk']}/write/", {"reply_to": "999"}),
        (f"/stories/{story['slug']}/", None), ("/stories/no-such-story/", None),
        (f"/outcomes/{treatment}/", None), (f"/outcomes/{treatment}/data/nothing.csv", None),
        ("/contact/", None), ("/directory/suggest/", None), (f"/directory/{entry}/correct/", None),
        ("/articles/", None), ("/treatments/", None), (f"/treatments/{treatment}/", None),
        (run.paths["followup"], None), ("/stories/confirm/nonsense/", None),
        ("/comments/confirm/nonsense/", None), ("/comments/unsubscribe/nonsense/", None),
        ("/comments/posted/nonsense/", None), ("/reminders/nonsense/follow-up/", None),
        ("/reminders/nonsense/stop/", None),
    ]
    for path, params in gets:
        response = visitor.get(path, params)
        if _is_html(response) and response.status_code < 500:
            run.allowed.add(response.text)
    marker = f"benign{secrets.token_hex(4)}"
    email = f"{marker}@stress.example"
    comment_email = f"{marker}c@stress.example"
    refused = [
        ("/stories/share/", run.form_data("share", **_story_answers("not-an-email"))),
        ("/stories/share/", run.form_data("share", **_story_answers(
            email, **dict.fromkeys(STORY_TEXT_FIELDS, " ")))),
        ("/contact/", run.form_data("contact")),
        ("/directory/suggest/", run.form_data("suggest")),
        (f"/directory/{entry}/correct/", run.form_data("correct")),
        (f"/comments/story/{story['pk']}/write/", run.form_data("comment")),
        ("/accounts/login/", run.form_data("login", login="x@example.com", password="wrong")),
        ("/accounts/login/code/", run.form_data("code", email="nonsense")),
        (run.paths["followup"], run.form_data("followup", reported_on="nonsense")),
    ]
    for path, data in refused:
        visitor = run.visitor()
        response = visitor.post(path, data)
        if _is_html(response) and response.status_code < 500:
            run.allowed.add(response.text)
    _wait_fill_time(run)
    accepted = [
        ("/stories/share/", run.form_data("share", **_story_answers(
            email, body=f"{marker} *emphasis*, **bold**,\na line break,\n\n- a list\n- items"
            "\n\n1. one\n2. two\n\n> a quote"))),
        ("/contact/", run.form_data("contact", name="Anna", email=email, subject="Hello",
                                    message="A message.")),
        ("/directory/suggest/", run.form_data(
            "suggest", name="Dr Example", role="clinician", description="Does it.",
            sources="https://example.org/", email=email)),
        (f"/directory/{entry}/correct/", run.form_data("correct", correction="Moved.")),
        (f"/comments/story/{story['pk']}/write/", run.form_data(
            "comment", name="Anna", email=comment_email,
            body=f"{marker} *emphasis* and\n\n> a quote")),
        (run.paths["followup"], run.form_data("followup", **_followup_answers(
            body=f"{marker} *better*, and\n\n- a list"))),
    ]
    for path, data in accepted:
        visitor = run.visitor()
        response = visitor.post(path, data)
        if not redirected_to(response):
            raise RuntimeError(f"the benign post to {path} was refused ({response.status_code}):"
                               f" {_error_text(response.text)}")
        page = visitor.get(redirected_to(response))
        run.allowed.add(page.text)
    # The comment form's fragments, as htmx receives them: refused, then posted.
    comment_path = f"/comments/story/{story['pk']}/write/"
    for answers in ({}, {"name": "Anna", "email": f"{marker}h@stress.example",
                         "body": "A comment *with emphasis*."}):
        response = run.visitor().post(comment_path, run.form_data("comment", **answers),
                                      headers={"HX-Request": "true"})
        run.allowed.add(response.text)
    published = run.site.dbtool("publish", {"stories": [email], "comments": [comment_email],
                                            "followups": [marker]})
    if not published["stories"] or not published["comments"] or not published["followups"]:
        raise RuntimeError(f"the benign story and comment were not published: {published}")
    run.benign_comment_id = published["comments"][0]["id"]
    run.benign_story_report = published["stories"][0]["url"] + "report/"
    visitor = run.visitor()
    for path, params in [
        (published["stories"][0]["url"], None), (published["comments"][0]["url"], None),
        (published["followups"][0]["url"], None),
        ("/stories/", None), ("/", None), ("/search/", {"q": marker}),
        (f"/comments/{run.benign_comment_id}/report/", None), (run.benign_story_report, None),
        (f"/comments/story/{story['pk']}/write/", {"reply_to": str(run.benign_comment_id)}),
    ]:
        run.allowed.add(visitor.get(path, params).text)
    for reason in ("nonsense", "spam"):
        response = run.visitor().post(run.benign_story_report, {
            "csrfmiddlewaretoken": run.forms["comment"]["csrfmiddlewaretoken"],
            "reason": reason, "note": "A note."})
        run.allowed.add(response.text)
    response = visitor.post(f"/comments/{run.benign_comment_id}/report/",
                            {"csrfmiddlewaretoken": run.forms["comment"]["csrfmiddlewaretoken"],
                             "reason": "nonsense"})
    run.allowed.add(response.text)
    visitor = run.visitor()
    response = visitor.post(f"/comments/{run.benign_comment_id}/report/",
                            {"csrfmiddlewaretoken": run.forms["comment"]["csrfmiddlewaretoken"],
                             "reason": "spam", "note": "A note."})
    run.allowed.add(response.text)


def _wait_fill_time(run: Run) -> None:
    wait = FILL_TIME - (time.monotonic() - run.forms_shown_at)
    if wait > 0:
        time.sleep(wait)


def _post_form(run: Run, visitor: Visitor, label: str, path: str, form: str,
               attempts: list[dict]) -> requests.Response | None:
    """Post the answers of each attempt in turn until one is accepted (a redirect), noting a
    refusal that does not say so on the page. Returns the accepting response, or None."""
    for answers in attempts:
        response = run.send(visitor, label, "POST", path, run.form_data(form, **answers))
        if response is None or response.status_code >= 500:
            return None
        if redirected_to(response):
            return response
        if response.status_code == 200 and _is_html(response) and \
                'id="error-summary"' not in response.text and form not in ("login", "code"):
            with run.lock:
                run.refused_silently.append(f"{label}: {form}")
    return None


def _query_sample(corpus: str, number: int, count: int) -> set[int]:
    """Which of the `count` query targets this string goes to. Every string goes through the
    search box and every form; the other targets take every string of the XSS list, and each
    string of the Big List (mostly about encodings, not markup) goes to two of them, so each
    target sees about a ninth of it: all of it everywhere would double the run."""
    if corpus == "xss":
        return set(range(count))
    return {number % count, (number + count // 2) % count}


def _query_targets(targets: dict, number: int, text: str) -> list[tuple[str, dict | None]]:
    """(path, query) for every query parameter and address segment a visitor controls."""
    story = targets["stories"][number % len(targets["stories"])]
    entry = targets["entries"][number % len(targets["entries"])]
    treatment, segment = targets["treatment"], path_segment(text)
    return [
        ("/stories/", dict.fromkeys(("result", "country", "ms_type", "procedure_status", "page"),
                                    text)),
        ("/directory/", {"kind": text, "country": text}),
        (f"/directory/{entry}/", {"page": text}),
        ("/directory/lookup/", {"q": text, "field": text}),
        ("/stories/share/", {"treatment": text}),
        ("/accounts/login/", {"next": text}),
        ("/accounts/login/code/", {"next": text}),
        (f"/comments/story/{story['pk']}/write/", {"reply_to": text}),
        (f"/outcomes/{treatment}/data/{segment}.csv", None),
        (f"/outcomes/{treatment}/data/{targets['tables'][0]}.{segment}", None),
        (f"/stories/{segment}/", None),
        ("/sitemap-stories.xml", {"p": text}),
        # Signed links, with the string as the token.
        (f"/stories/confirm/{segment}/", None),
        (f"/comments/confirm/{segment}/", None),
        (f"/comments/unsubscribe/{segment}/", None),
        (f"/comments/posted/{segment}/", None),
        (f"/reminders/{segment}/follow-up/", None),
        (f"/reminders/{segment}/stop/", None),
    ]


def _one_string(run: Run, targets: dict, number: int, corpus: str, index: int,
                text: str) -> None:
    label = f"{corpus}[{index}]"
    visitor = run.visitor()
    story = targets["stories"][number % len(targets["stories"])]
    entry = targets["entries"][number % len(targets["entries"])]
    send = run.send
    # The search box, alone and with every filter set to the string: every string.
    send(visitor, label, "GET", "/search/", {"q": text})
    send(visitor, label, "GET", "/search/", {
        "q": text, **dict.fromkeys(("kind", "treatment", "procedure_status", "result", "ms_type",
                                    "country", "procedure_kind", "treated_year", "page"), text)})
    query_targets = _query_targets(targets, number, text)
    for choice in sorted(_query_sample(corpus, number, len(query_targets))):
        path, params = query_targets[choice]
        response = send(visitor, label, "GET", path, params)
        if path == "/directory/lookup/" and response is not None and \
                response.status_code == 200 and \
                not response.headers.get("Content-Type", "").startswith("application/json"):
            with run.lock:
                run.injected.append(f"{label}: /directory/lookup/ is not served as JSON")

    # The forms, every string: first in every free-text field at once, then (if refused) in
    # the main text field alone, so that each string also reaches the database.
    marker = f"bad{number}x{secrets.token_hex(3)}"
    email = f"{marker}@stress.example"
    accepted = _post_form(run, visitor, label, "/stories/share/", "share", [
        _story_answers(email, **{**dict.fromkeys(STORY_TEXT_FIELDS, text),
                                 "body": f"{marker} {text}{BODY_SUFFIX}"}),
        _story_answers(email, title=text, body=f"{marker} {text}{BODY_SUFFIX}"),
        _story_answers(email, body=f"{marker} {text}{BODY_SUFFIX}"),
    ])
    if accepted is not None:
        with run.lock:
            run.accepted_stories.append(email)
    _post_form(run, visitor, label, "/contact/", "contact", [
        {"name": text, "email": email, "subject": text, "message": text},
        {"name": "Anna", "email": email, "subject": "Hello", "message": text},
    ])
    _post_form(run, visitor, label, "/directory/suggest/", "suggest", [
        {"name": text, "role": "clinician", "position": text, "institution": text,
         "city": text, "description": text, "sources": text, "email": email},
        {"name": "Dr Example", "role": "clinician", "description": text, "sources": text},
    ])
    _post_form(run, visitor, label, f"/directory/{entry}/correct/", "correct", [
        {"correction": text, "sources": text, "email": email},
    ])
    comment_path = f"/comments/story/{story['pk']}/write/"
    if number % 3 == 0:
        # Through htmx, as the page's script sends it: the fragment it swaps into the page.
        response = send(visitor, label, "POST", comment_path,
                        run.form_data("comment", name=text, email=email,
                                      body=f"{text}\n\n{marker}"),
                        headers={"HX-Request": "true"})
        accepted = response if response is not None and \
            'class="comment-posted"' in response.text else None
    else:
        accepted = _post_form(run, visitor, label, comment_path, "comment", [
            {"name": text, "email": email, "body": f"{text}\n\n{marker}"},
            {"name": "Anna", "email": email, "body": f"{text}\n\n{marker}"},
        ])
        if accepted is not None:
            send(visitor, label, "GET", redirected_to(accepted))  # the comment as posted
    if accepted is not None:
        with run.lock:
            run.accepted_comments.append(email)
    # The reminder link of one of the stories that had the procedure (the CSRF token is the
    # same for all: it belongs to the visitor's cookie).
    followup_path = f"/reminders/{targets['follow_ups'][number % len(targets['follow_ups'])]}" \
        "/follow-up/"
    accepted = _post_form(run, visitor, label, followup_path, "followup", [
        _followup_answers(reported_on=text, body=f"{text}\n\n{marker}"),
        _followup_answers(body=f"{text}\n\n{marker}"),
    ])
    if accepted is not None:
        with run.lock:
            run.accepted_followups.append(marker)
        send(visitor, label, "GET", redirected_to(accepted))  # the follow-up as sent
    _post_form(run, visitor, label, "/accounts/login/", "login",
               [{"login": text, "password": text}])
    _post_form(run, visitor, label, "/accounts/login/code/", "code", [{"email": text}])
    send(visitor, label, "POST", f"/comments/{run.benign_comment_id}/report/",
         {"csrfmiddlewaretoken": run.forms["comment"]["csrfmiddlewaretoken"],
          "reason": text if number % 3 == 1 else "other", "note": text})
    send(visitor, label, "POST", run.benign_story_report,
         {"csrfmiddlewaretoken": run.forms["comment"]["csrfmiddlewaretoken"],
          "reason": text if number % 3 == 2 else "other", "note": text})
    visitor.close()


def _published_pages(run: Run, targets: dict) -> int:
    """Approve what was accepted and read every public page that shows it."""
    published = run.site.dbtool("publish", {"stories": run.accepted_stories,
                                            "comments": run.accepted_comments,
                                            "followups": run.accepted_followups}, timeout=600)
    run.approval_problems = published["problems"]
    run.lost = sorted(set(run.accepted_stories) - {s["email"] for s in published["stories"]}
                      | set(run.accepted_comments) - {c["email"] for c in published["comments"]}
                      | set(run.accepted_followups)
                      - {f["marker"] for f in published["followups"]})
    paths = {item["url"] for item in published["stories"]}
    paths |= {item["url"] for item in published["comments"]}
    paths |= {item["url"] for item in published["followups"]}
    reads = []

    def read(path: str, params=None) -> None:
        # A reader each: the search box allows one address a few dozen searches a minute.
        reads.append(path)
        visitor = run.visitor()
        run.send(visitor, "published", "GET", path, params)
        visitor.close()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(read, sorted(paths)))
        stories_pages = -(-(len(targets["stories"]) + len(paths) + 1) // 20)
        list(pool.map(lambda n: read("/stories/", {"page": str(n)}),
                      range(1, stories_pages + 1)))
        # Found by search (each story's marker word is in its body): a third of them.
        markers = [marker for number, marker in enumerate(
            item["email"].split("@")[0] for item in published["stories"])
            if number % 3 == 0]
        list(pool.map(lambda marker: read("/search/", {"q": marker}), markers))
        for path in ("/", "/feeds/stories.rss", "/feeds/stories.atom", "/sitemap.xml",
                     "/sitemap-stories.xml", f"/outcomes/{targets['treatment']}/"):
            read(path)
    return len(reads)


def run_bad_input(site: Site, result: PhaseResult, *, limit: int | None = None) -> None:
    strings = load_corpora()
    if limit:
        # Spread over both corpora, not only the first strings of the first.
        strings = strings[::max(1, len(strings) // limit)][:limit]
    targets = site.targets()
    run = Run(site)
    began = time.monotonic()
    run.load_forms(targets)
    _benign_pages(run, targets)
    _wait_fill_time(run)
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(_one_string, run, targets, number, corpus, index, text)
                   for number, (corpus, index, text) in enumerate(strings)]
        for future in futures:
            future.result()
    strings_seconds = time.monotonic() - started
    published_pages = _published_pages(run, targets)
    after = time.monotonic() - started - strings_seconds

    result.add("strings (both corpora)", f"{len(strings)} in {strings_seconds:.0f} s")
    result.add("benign pages in the baseline", f"{run.allowed.pages} in {started - began:.0f} s")
    result.add("requests made", run.requests)
    result.add("HTML pages checked", run.pages_checked)
    result.add("stories accepted, approved, read", len(run.accepted_stories))
    result.add("comments accepted, approved, read", len(run.accepted_comments))
    result.add("follow-ups accepted, approved, read", len(run.accepted_followups))
    result.add("public pages read after approval", f"{published_pages} "
               f"(approving and reading: {after:.0f} s)")
    result.add("statuses", ", ".join(f"{status}: {count}"
                                     for status, count in sorted(run.statuses.items())))
    result.add("accepted but not stored", len(run.lost), "0")
    result.add("accepted by the form, refused by a moderator's approval",
               len(run.approval_problems), "0")
    result.add("5xx responses", len(run.server_errors), "0")
    result.add("pages that gained script", len(run.injected), "0")
    result.add("no answer (timeouts, resets)", len(run.client_errors), "0")
    result.add("refused without an error summary", len(run.refused_silently))
    result.add("pages with other unexpected markup", len(run.markup))
    result.examples += run.server_errors[:5] + run.injected[:5] + run.client_errors[:5]
    result.examples += [f"lost: {email}" for email in run.lost[:5]]
    result.examples += [f"approval: {problem}" for problem in run.approval_problems[:5]]
    result.examples += [f"refused silently: {x}" for x in run.refused_silently[:3]]
    result.examples += [f"markup: {x}" for x in run.markup[:5]]
    result.examples += [f"429 from {kind}: {count}" for kind, count in run.limited.most_common()]
    result.examples += [f"server time {kind}: {run.counts[kind]} requests, "
                        f"{1000 * seconds / run.counts[kind]:.0f} ms each"
                        for kind, seconds in run.seconds.most_common(3)]
