"""A spam run: a thousand generated spam comments of every kind publish none, while a hundred
ordinary comments from commenters a moderator already approved are not held."""

import random

import pytest
from django.test import Client
from django.utils import timezone

from discussion import services
from discussion.models import BlockedTerm, Comment
from discussion.tests.helpers import (
    comment_data,
    confirm_from_outbox,
    rendered_seconds_ago,
    write_url,
)
from hindsight.testing import make_moderator, make_story

pytestmark = pytest.mark.django_db

ORDINARY = [
    "Did the fatigue come back after the first year?",
    "Thank you for writing this. My experience was much the same.",
    "How long did the trip home take you? I worry about travelling.",
    "My neurologist said the same about the trials.",
    "Did you keep taking your usual medication?",
]


def _trusted(story, moderator, n: int) -> tuple[Client, str]:
    browser = Client(REMOTE_ADDR=f"192.0.2.{n % 250}")
    email = f"regular{n}@example.org"
    browser.post(write_url(story), comment_data(email=email, name=f"Regular {n}"))
    confirm_from_outbox(browser)
    services.comment_approve(comment=Comment.objects.latest("id"), moderator=moderator)
    return browser, email


def _spam(rng: random.Random, kind: str, n: int) -> tuple[dict, str]:
    """POST data for one spam comment of the given kind, and the address it comes from."""
    address = f"203.0.113.{n % 200}"
    if kind == "links":
        body = " ".join(f"https://clinic{n}-{i}.example/offer" for i in range(rng.randint(3, 8)))
        return comment_data(email=f"links{n}@spam.example", body=body), address
    if kind == "honeypot":
        return comment_data(email=f"bot{n}@spam.example", website="http://x.example"), address
    if kind == "too_fast":
        return comment_data(email=f"fast{n}@spam.example",
                            rendered_at=rendered_seconds_ago(rng.uniform(0, 3))), address
    if kind == "blocked":
        return comment_data(email=f"word{n}@spam.example",
                            body="Liberation procedure, guaranteed cure, book now!"), address
    # A burst: many comments from one address and one email.
    return comment_data(email="burst@spam.example", body=f"Buy now {n}"), "198.51.100.7"


def test_a_thousand_spam_comments_publish_none_and_a_hundred_ordinary_ones_are_not_held():
    story = make_story(email_confirmed_at=timezone.now())
    moderator = make_moderator()
    BlockedTerm.objects.create(kind="word", value="guaranteed cure")
    rng = random.Random(4)
    kinds = ["links", "honeypot", "too_fast", "blocked", "burst"]
    before = set(Comment.objects.values_list("id", flat=True))

    answers = {"held": 0, "limited": 0, "error": 0}
    for n in range(1000):
        kind = kinds[n % len(kinds)]
        data, address = _spam(rng, kind, n)
        response = Client(REMOTE_ADDR=address).post(write_url(story), data)
        if response.status_code == 429:
            answers["limited"] += 1
        elif response.status_code >= 500:
            answers["error"] += 1
        else:
            answers["held"] += 1
    spam = Comment.objects.exclude(id__in=before)
    assert answers["error"] == 0
    assert not spam.filter(status=Comment.Status.PUBLISHED).exists()
    assert answers["limited"] >= 150  # the bursts were cut off by the rate limits

    regulars = [_trusted(story, moderator, n) for n in range(20)]
    ordinary_ids = []
    for n in range(100):
        browser, email = regulars[n % len(regulars)]
        from django.core.cache import cache

        cache.clear()  # a regular writes five comments over days, not minutes
        response = browser.post(write_url(story), comment_data(
            email=email, name=f"Regular {n % 20}", body=f"{ORDINARY[n % len(ORDINARY)]} ({n})"
        ))
        assert response.status_code == 302
        ordinary_ids.append(Comment.objects.latest("id").pk)
    statuses = set(Comment.objects.filter(id__in=ordinary_ids).values_list("status", flat=True))
    assert statuses == {Comment.Status.PUBLISHED}
