"""Refused requests are audited (ASVS 5.0 16.3.2, 16.3.3): a 403 or a 429 leaves one event
naming the view, never the path (paths hold signed tokens), once a minute per connection."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from audit.models import Action, AuditEvent
from audit.services import ip_hash
from discussion import services as discussion_services
from discussion import views as discussion_views
from discussion.tokens import unsubscribe_token
from hindsight.lib.ratelimit import allow
from hindsight.testing import make_story, make_treatment, valid_story_post

pytestmark = pytest.mark.django_db


def _refusals(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_forged_form_is_refused_and_recorded_with_who_and_which_view(audit_log, committed):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.33")
    client.author = author_for_email("anna@example.com")
    client.force_login(client.author)
    story = make_story(author=client.author)

    with committed():
        response = client.post(reverse("accounts:story-withdraw", args=[story.pk]))

    assert response.status_code == 403
    [event] = _refusals(Action.REFUSED_FORBIDDEN)
    assert event.actor_id == client.author.pk
    assert event.ip_hash == ip_hash("192.0.2.33")
    assert event.details == {"status": 403, "method": "POST", "view": "accounts:story-withdraw"}
    [line] = audit_log.events()
    assert line["event"] == "refused.forbidden" and line["details"]["view"] == \
        "accounts:story-withdraw"


def test_a_rate_limited_link_is_recorded_without_its_token(audit_log, committed):
    commenter = discussion_services.commenter_for("jo@example.org")
    token = unsubscribe_token(commenter, "replies")
    for _ in range(discussion_views.ONE_CLICK_PER_WINDOW):
        allow("unsubscribe", f"link:{token}", limit=discussion_views.ONE_CLICK_PER_WINDOW,
              window_seconds=discussion_views.ONE_CLICK_WINDOW_SECONDS)

    with committed():
        response = Client().post(reverse("discussion:unsubscribe", args=[token]))

    assert response.status_code == 429
    [event] = _refusals(Action.REFUSED_RATE_LIMITED)
    assert event.actor_id is None
    assert event.details == {"status": 429, "method": "POST", "view": "discussion:unsubscribe"}
    assert token not in audit_log.text() and "jo@example.org" not in audit_log.text()
    assert token not in str(event.details)


def test_a_flood_of_refusals_is_recorded_once_a_minute_per_connection():
    forger = Client(enforce_csrf_checks=True)
    data = valid_story_post(make_treatment())
    for _ in range(5):
        assert forger.post(reverse("stories:share"), data).status_code == 403
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.34")
    assert other.post(reverse("stories:share"), data).status_code == 403

    events = _refusals(Action.REFUSED_FORBIDDEN)

    assert [event.ip_hash for event in events] == [ip_hash("127.0.0.1"), ip_hash("192.0.2.34")]


def test_a_429_from_the_sign_in_limit_is_recorded_too(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client = Client()
    url = reverse("account_login")
    client.post(url, {"login": "nobody@example.com", "password": "wrong"})

    response = client.post(url, {"login": "nobody@example.com", "password": "wrong"})

    assert response.status_code == 429
    [event] = _refusals(Action.REFUSED_RATE_LIMITED)
    assert event.details["view"] == "account_login"


def test_pages_that_are_simply_missing_are_not_refusals():
    assert Client().get("/no-such-page/").status_code == 404
    assert Client().get(reverse("stories:list")).status_code == 200

    assert not AuditEvent.objects.filter(action__startswith="refused.").exists()
