"""Every string of the shared bad-input corpora through the comment form: never a 500, stored
exactly when accepted, refused with a message (keeping what was typed) otherwise, and nothing
that could run script in the published page."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from discussion import services, views
from discussion.models import Comment
from discussion.tests.helpers import comment_data, confirm_from_outbox, write_url
from hindsight.hostile import Baseline, Page, load_corpora
from hindsight.testing import make_moderator, make_story

pytestmark = pytest.mark.django_db

STRINGS = load_corpora()
CHUNK = 60
CHUNKS = [STRINGS[i:i + CHUNK] for i in range(0, len(STRINGS), CHUNK)]
SUFFIX = " (and the rest of my comment)"


@pytest.fixture(autouse=True)
def _no_rate_limit(monkeypatch):
    monkeypatch.setattr(views, "COMMENTS_PER_WINDOW", 10_000)


def _trusted_browser(story) -> Client:
    browser = Client()
    browser.post(write_url(story), comment_data(body="A benign first comment."))
    confirm_from_outbox(browser)
    services.comment_approve(comment=Comment.objects.latest("id"), moderator=make_moderator())
    return browser


def _markup_problems(html: str, baseline: Baseline) -> list[str]:
    page = Page(html)
    problems = [f"handler {h}" for h in page.handlers] + [f"script URL {u}"
                                                          for u in page.script_urls]
    problems += [f"new element <{tag} {' '.join(sorted(names))}>"
                 for tag, names in page.elements - baseline.elements]
    return problems


@pytest.mark.parametrize("chunk", CHUNKS, ids=[f"{c[0][0]}{c[0][1]}" for c in CHUNKS])
def test_each_string_is_kept_exactly_or_refused_and_never_runs(chunk):
    story = make_story(email_confirmed_at=timezone.now())
    browser = _trusted_browser(story)
    baseline = Baseline().add(Client().get(story.get_absolute_url()).content.decode())
    problems = []
    moderator = make_moderator(f"mod{chunk[0][1]}{chunk[0][0]}")
    for corpus, index, text in chunk:
        label = f"{corpus}[{index}] {text[:40]!r}"
        data = comment_data(name=text[:60], body=text + SUFFIX, reply_to=text[:20])
        response = browser.post(write_url(story), data)
        if response.status_code >= 500:
            problems.append(f"{label}: HTTP {response.status_code}")
            continue
        if response.status_code == 200:  # refused: a message, and nothing typed lost
            html = response.content.decode()
            if "There is a problem" not in html:
                problems.append(f"{label}: refused without a message")
            form_values = Page(html).textareas.get("id_body")
            if form_values != data["body"]:
                problems.append(f"{label}: the comment typed was not kept")
            continue
        comment = Comment.objects.latest("id")
        if (comment.name, comment.body) != (data["name"], data["body"]):
            problems.append(f"{label}: stored {comment.name!r}/{comment.body!r}")
        if comment.status == Comment.Status.PENDING:
            services.comment_approve(comment=comment, moderator=moderator)
    page = Client().get(story.get_absolute_url())
    if page.status_code != 200:
        problems.append(f"story page answered {page.status_code}")
    problems += _markup_problems(page.content.decode(), baseline)
    assert not problems, "\n".join(problems)


def test_no_string_was_run_as_a_shell_command():
    assert not Path("/tmp/blns.fail").exists()
