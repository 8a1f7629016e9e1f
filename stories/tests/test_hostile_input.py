"""Every string of two public bad-input corpora, pushed through the share form and the story pages.

The corpora live in ``shared/corpora`` beside the repository (see its README for what a passing
site does with each string):

* ``blns.json``: the Big List of Naughty Strings;
* ``patt-xss-IntrudersXSS.txt``: PayloadsAllTheThings' XSS intruder list, one payload a line.

For each string, one submission puts it in every free-text field of the share form at once (the
body is the string plus a benign suffix, so it passes the minimum length). When the form refuses
some of the fields, the refusal is checked (a 200 with a message, everything typed still in the
re-rendered form) and the string is sent again in the fields that did not refuse it, until it is
accepted or every field refused it. Accepted stories must be stored exactly as sent; they are then
confirmed and approved through the services, and their public page and the list pages must not
have gained any element, ``on*`` attribute or script URL compared with the pages of a benign story.
Every string is also sent as every filter of the story list (all five at once, one request a
string, to keep the run short) and as ``?treatment=`` on the share page. Nothing may answer with
a 500, and a stored text may not outgrow its database column (SQLite would hide that; PostgreSQL
answers with a 500).

Problems are collected per chunk of strings and reported together, so one failing run lists every
string that needs a fix, not just the first.
"""

import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.html import escape

from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_moderator, make_story, make_treatment, valid_story_post
from stories import services
from stories import views as story_views
from stories.models import Story

# --- The corpora -----------------------------------------------------------------------------

BLNS_FAIL = Path("/tmp/blns.fail")
BLNS_FAIL_EXISTED_BEFORE_THE_RUN = BLNS_FAIL.exists()


STRINGS = load_corpora()
# Strings per test: big enough that set-up is a small part of the run, small enough that a
# failing test names a short range of strings.
CHUNK_SIZE = 50


def _chunks(items: list, most: int) -> list[list]:
    """Cut items into even chunks of at most `most`."""
    count = -(-len(items) // most)
    size = -(-len(items) // count)
    return [items[start : start + size] for start in range(0, len(items), size)]


def _chunk_id(chunk: list[tuple[str, int, str]]) -> str:
    (corpus, first, _), (last_corpus, last, _) = chunk[0], chunk[-1]
    return f"{corpus}{first}-{last_corpus}{last}"


# Chunks never mix the two corpora, so a test id names one file and a range of its strings.
CHUNKS = [
    chunk
    for corpus in ("blns", "xss")
    for chunk in _chunks([item for item in STRINGS if item[0] == corpus], CHUNK_SIZE)
]


def _label(corpus: str, index: int, text: str) -> str:
    shown = repr(text)
    return f"{corpus}[{index}] {shown[:90]}{'…' if len(shown) > 90 else ''}"


# --- The form --------------------------------------------------------------------------------

# Free-text fields of the share form and the longest text each accepts (the model's max_length).
TEXT_FIELDS = {
    "title": 120,
    "body": 20000,
    "display_name": 60,
    "city": 100,
    "clinic": 200,
    "treated_by": 200,
    "complications_other": 200,
}
BODY_SUFFIX = "\n\nThe rest of my story is ordinary words, long enough to be sent."
# Benign answers for the text fields that do not carry the hostile string in a submission.
BENIGN_TEXT = {
    "title": "Warmer hands after Katowice",
    "body": "My fatigue lifted within a week and my hands were warm for the first time.",
    "display_name": "Anna",
    "city": "Katowice",
    "clinic": "A private clinic",
    "treated_by": "Dr Example",
    "complications_other": "A headache for two days",
}


def _field_value(field_name: str, text: str) -> str:
    return text + BODY_SUFFIX if field_name == "body" else text


from stories.validators import BIDI_CONTROLS  # noqa: E402


def _expected_refusals(text: str, fields: Iterable[str]) -> dict[str, str]:
    """Which fields the form should refuse this text in, and why: the site's stated rules. A
    refusal for any other reason is reported, so a new rule on the form must be added here."""
    refusals = {}
    for name in fields:
        value = _field_value(name, text)
        if len(value) > TEXT_FIELDS[name]:
            refusals[name] = f"longer than {TEXT_FIELDS[name]} characters"
        elif not value.strip() and name in ("title", "body", "display_name"):
            refusals[name] = "blank"
        elif not value.strip() and name == "complications_other":
            # 'Something else' is ticked, so it needs saying what.
            refusals[name] = "blank, with 'Something else' ticked"
        elif name == "display_name" and _looks_like_email(value):
            refusals[name] = "an email address as display name"
        elif name == "display_name" and BIDI_CONTROLS & set(value):
            refusals[name] = "characters that reverse the display name on screen"
    return refusals


def _looks_like_email(value: str) -> bool:
    try:
        validate_email(value.strip())
    except ValidationError:
        return False
    return True


def _column_problems(story: Story) -> list[str]:
    """Text the story holds, typed or derived from what was typed (excerpt, slug), must fit its
    column: PostgreSQL refuses longer text, while SQLite stores it and hides the bug."""
    problems = []
    for model_field in Story._meta.concrete_fields:
        value, limit = getattr(story, model_field.attname), model_field.max_length
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(
                f"{model_field.name} is {len(value)} characters, over the {limit} its column "
                "holds (PostgreSQL refuses to save it: a 500 there)"
            )
    return problems


# --- Reading pages ---------------------------------------------------------------------------

# A story's own addresses (its page, its report form), as a path or absolute; and links that
# only change the page's query.
_OWN_URL = re.compile(
    r"^(?:" + re.escape(django_settings.SITE_URL) + r")?"
    r"(?:/stories/[a-z0-9_-]+/(?:report/)?|/comments/story/[0-9]+/write/)$"
)


def _markup_problems(page: Page, baseline: Baseline) -> list[str]:
    problems = [f"event handler attribute {h}" for h in page.handlers]
    problems += [f"script URL {u}" for u in page.script_urls]
    for tag, names in sorted(page.elements - baseline.elements, key=str):
        problems.append(f"new element <{tag} {' '.join(sorted(names))}>")
    for url in sorted(page.urls - baseline.urls):
        if not (_OWN_URL.match(url) or url.startswith("?")):
            problems.append(f"new URL {url!r}")
    return problems


def _snippet_problems(page: Page, story: Story) -> list[str]:
    """The 'link to this page' box shows HTML code to copy: what a reader copies must be a
    plain link to the story whose text is the title, escaped."""
    shown = page.textareas.get("link-snippet")
    expected = (
        f'<a href="{escape(django_settings.SITE_URL + story.get_absolute_url())}">'
        f"{escape(story.title)}</a>"
    )
    if shown != expected:
        return [f"the link snippet a reader would copy is {shown!r}, expected {expected!r}"]
    return []


# --- Set-up ----------------------------------------------------------------------------------


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def treatment(db):
    return make_treatment()


@pytest.fixture
def moderator(db, fast_passwords):
    return make_moderator()


class Site:
    """Drives the share form and the public pages, noting every problem instead of stopping."""

    def __init__(self, client, treatment, moderator):
        self.client, self.treatment, self.moderator = client, treatment, moderator
        self.problems: list[str] = []
        self._submissions = 0

    def request(self, label: str, method: str, path: str, data=None):
        try:
            if method == "post":
                response = self.client.post(
                    path, urlencode(data, doseq=True),
                    content_type="application/x-www-form-urlencoded",
                )
            else:
                response = self.client.get(path, data)
        except Exception as error:  # noqa: BLE001 - a crash is what we are looking for
            frames = traceback.extract_tb(error.__traceback__)
            app_frames = [f for f in frames if "/site-packages/" not in f.filename] or frames
            where = app_frames[-1]
            self.problems.append(
                f"{label}: {method.upper()} {path} raised {type(error).__name__}: {error} "
                f"(at {where.filename}:{where.lineno} in {where.name}: {where.line})"
            )
            return None
        if response.status_code >= 500:
            self.problems.append(
                f"{label}: {method.upper()} {path} answered {response.status_code}"
            )
            return None
        return response

    def share_data(self, text: str, fields: Iterable[str]) -> dict:
        self._submissions += 1
        data = valid_story_post(
            self.treatment,
            complications=["other"],
            email=f"author{self._submissions}@example.com",
            **BENIGN_TEXT,
        )
        for name in fields:
            data[name] = _field_value(name, text)
        return data

    def submit(self, label: str, data: dict):
        """POST the share form; the saved story if accepted, else None (problems noted)."""
        response = self.request(label, "post", reverse("stories:share"), data)
        if response is None:
            return None, None
        if response.status_code == 302:
            return Story.objects.get(email=data["email"]), response
        if response.status_code != 200:
            self.problems.append(f"{label}: share form answered {response.status_code}")
            return None, None
        return None, response

    def publish(self, story: Story) -> Story:
        services.story_confirm_email(story=story)
        return services.story_approve(story=story, moderator=self.moderator)


_BASELINES: dict[str, Baseline] = {}


def _story_baselines(site: Site) -> tuple[Baseline, Baseline, Baseline]:
    """What the benign story page, list pages and refused share form are made of. Built once
    per run (the first test to need them pays); the pages' structure does not depend on ids."""
    if not _BASELINES:
        client = site.client
        # The baseline story answers like the hostile ones, and its body uses every bit of
        # Markdown an author may (paragraphs, line breaks, emphasis, lists, quotes), which
        # hostile bodies may legitimately produce too.
        benign = site.share_data("", ())
        benign["body"] = (
            "My story with *emphasis* and **strength**,\na line break,\n\n- a list\n- of items"
            "\n\n1. numbered\n2. items\n\n> and a quote"
        )
        story, _ = site.submit("benign story", benign)
        assert story is not None, f"the benign story was not accepted: {site.problems}"
        story = site.publish(story)
        detail = Baseline().add(client.get(story.get_absolute_url()).content.decode())
        for _ in range(story_views.STORIES_PER_PAGE):  # enough for a second list page
            make_story(site.treatment, title="Another benign story")
        listing = Baseline()
        for query in ({}, {"page": "2"}, {"result": "nonsense", "page": "2"}):
            listing.add(client.get(reverse("stories:list"), query).content.decode())
        # The share form refused with every field empty, blank, too long, or fine beside an
        # error elsewhere: the ways a field legitimately differs (a value or none, marked
        # invalid or not).
        share = Baseline().add(client.get(reverse("stories:share")).content.decode())
        for overrides in (
            dict.fromkeys(TEXT_FIELDS, ""),
            dict.fromkeys(TEXT_FIELDS, " "),
            {name: "x" * (limit + 1) for name, limit in TEXT_FIELDS.items()},
            {"email": "not-an-email"},
        ):
            response = client.post(reverse("stories:share"), {**benign, **overrides})
            assert response.status_code == 200
            share.add(response.content.decode())
        _BASELINES.update(detail=detail, listing=listing, share=share)
    return _BASELINES["detail"], _BASELINES["listing"], _BASELINES["share"]


# --- Tests -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", CHUNKS, ids=[_chunk_id(c) for c in CHUNKS])
def test_each_string_in_each_text_field_is_kept_exactly_or_refused_with_a_message(
    client, treatment, moderator, chunk, monkeypatch
):
    monkeypatch.setattr(story_views, "SHARES_PER_WINDOW", 100_000)
    site = Site(client, treatment, moderator)
    detail_baseline, list_baseline, share_errors_baseline = _story_baselines(site)

    published: list[tuple[str, Story, set[str]]] = []
    for corpus, index, text in chunk:
        label = _label(corpus, index, text)
        fields = set(TEXT_FIELDS)
        expected_refusals = _expected_refusals(text, fields)
        while fields:
            data = site.share_data(text, fields)
            story, response = site.submit(label, data)
            if story is None and response is None:
                break  # crashed: already noted
            if story is not None:
                for name in sorted(fields):
                    stored = getattr(story, name)
                    if stored != data[name]:
                        site.problems.append(
                            f"{label} [{name}]: accepted but stored {stored!r}, "
                            f"sent {data[name]!r}"
                        )
                    if name in expected_refusals:
                        site.problems.append(
                            f"{label} [{name}]: accepted although {expected_refusals[name]}"
                        )
                site.problems += [f"{label}: {problem}" for problem in _column_problems(story)]
                published.append((label, site.publish(story), fields))
                break
            # Refused: a message on the page, and everything typed is still in the form.
            html = response.content.decode()
            page = Page(html)
            form = response.context["form"]
            refused = set(form.errors)
            if 'id="error-summary"' not in html:
                site.problems.append(f"{label}: refused without the error summary on the page")
            for name in sorted(refused):
                if name not in fields:
                    site.problems.append(
                        f"{label} [{name}]: a benign answer was refused: {form.errors[name]}"
                    )
                elif name not in expected_refusals:
                    site.problems.append(
                        f"{label} [{name}]: refused although the rules allow it: "
                        f"{form.errors[name]}"
                    )
                if f'id="id_{name}_error"' not in html:
                    site.problems.append(f"{label} [{name}]: refused with no message at the field")
            for name in sorted(set(expected_refusals) & fields - refused):
                site.problems.append(
                    f"{label} [{name}]: not refused although {expected_refusals[name]}"
                )
            kept = page.form_values
            for name, sent in data.items():
                sent = sent if isinstance(sent, list) else [sent]
                if sorted(kept.get(name, [])) != sorted(sent):
                    site.problems.append(
                        f"{label} [{name}]: the re-rendered form lost what was typed: "
                        f"shows {kept.get(name)!r}, sent {sent!r}"
                    )
            for problem in _markup_problems(page, share_errors_baseline):
                site.problems.append(f"{label}: re-rendered share form has {problem}")
            if not refused:
                site.problems.append(f"{label}: refused with no error on any field")
                break
            fields -= refused

    for label, story, fields in published:
        response = site.request(label, "get", story.get_absolute_url())
        if response is None:
            continue
        if response.status_code != 200:
            site.problems.append(f"{label}: its story page answered {response.status_code}")
            continue
        page = Page(response.content.decode())
        for problem in _markup_problems(page, detail_baseline):
            site.problems.append(f"{label} {sorted(fields)}: story page has {problem}")
        if "title" in fields and page.heading != story.title:
            site.problems.append(
                f"{label}: the page heading shows {page.heading!r}, not the title {story.title!r}"
            )
        site.problems += [f"{label}: {problem}" for problem in _snippet_problems(page, story)]

    listed: set[str] = set()
    page_number = 1
    while True:
        response = site.request(f"list page {page_number}", "get", reverse("stories:list"),
                                {"page": str(page_number)})
        if response is None:
            break
        page = Page(response.content.decode())
        listed |= page.urls
        for problem in _markup_problems(page, list_baseline):
            site.problems.append(f"list page {page_number} (with the strings of "
                                 f"{_chunk_id(chunk)}) has {problem}")
        if not response.context["page"].has_next():
            break
        page_number += 1
    for label, story, _fields in published:
        if story.get_absolute_url() not in listed:
            site.problems.append(f"{label}: its story is missing from the list pages")

    assert not site.problems, f"{len(site.problems)} problems:\n" + "\n".join(site.problems)
    # The run must have reached the public pages, not only refusals.
    assert published, "no string of this chunk was accepted in any field"


FILTERS = ("result", "country", "ms_type", "procedure_status", "page")


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", CHUNKS, ids=[_chunk_id(c) for c in CHUNKS])
def test_each_string_as_every_list_filter_and_as_the_treatment_choice_is_answered_calmly(
    client, treatment, monkeypatch, chunk
):
    # One story a page, and two stories: the list is paginated, so its page links echo the query.
    monkeypatch.setattr(story_views, "STORIES_PER_PAGE", 1)
    make_story(treatment, title="First story")
    make_story(treatment, title="Second story", country="DE")
    site = Site(client, treatment, moderator=None)
    list_url, share_url = reverse("stories:list"), reverse("stories:share")

    list_baseline = Baseline()
    for query in (
        {},
        {"page": "2"},
        {"result": "nonsense", "country": "XX", "page": "2"},
        {"result": "little_better", "country": "PL", "ms_type": "rrms", "procedure_status": "yes"},
    ):
        list_baseline.add(client.get(list_url, query).content.decode())

    for corpus, index, text in chunk:
        label = _label(corpus, index, text)
        # The string as every filter at once: the view reads each on its own (an unknown value
        # is ignored), so one request a string tries them all and keeps the run short.
        response = site.request(f"{label} as every filter", "get", list_url,
                                dict.fromkeys(FILTERS, text))
        if response is not None:
            if response.status_code != 200:
                site.problems.append(f"{label} as every filter: list answered "
                                     f"{response.status_code}")
            for problem in _markup_problems(Page(response.content.decode()), list_baseline):
                site.problems.append(f"{label} as every filter: list page has {problem}")
        # The share page only looks the value up; its answer must simply be the form.
        response = site.request(f"{label} ?treatment=", "get", share_url, {"treatment": text})
        if response is not None and response.status_code != 200:
            site.problems.append(f"{label} ?treatment=: share page answered "
                                 f"{response.status_code}")

    assert not site.problems, f"{len(site.problems)} problems:\n" + "\n".join(site.problems)


def test_no_string_was_run_as_a_shell_command():
    """blns.json holds strings such as `touch /tmp/blns.fail`; none may have been executed.
    (This test comes last in the file, after every string has been through the site.)"""
    assert not BLNS_FAIL_EXISTED_BEFORE_THE_RUN, (
        f"{BLNS_FAIL} existed before this run, so the run cannot tell whether it created it: "
        "remove it and run again."
    )
    assert not BLNS_FAIL.exists(), f"{BLNS_FAIL} was created: a string was run as a command"
