"""Anti-automation on the one-click forms (nothing typed to lose): past the limit each answers
the 429 page with Retry-After, does nothing, and someone else carries on."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import views as account_views
from accounts.services import author_for_email
from discussion import services as discussion_services
from discussion import views as discussion_views
from discussion.models import Comment
from discussion.tests.helpers import comment_data, write_url
from discussion.tokens import confirm_token, unsubscribe_token
from followups import views as followup_views
from followups.reminders import stop_token
from hindsight.lib.ratelimit import allow
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db


def _use_up(scope: str, identity: str, *, limit: int, window_seconds: int) -> None:
    """Count `limit` actions, as that many earlier presses of the button would have."""
    for _ in range(limit):
        assert allow(scope, identity, limit=limit, window_seconds=window_seconds)


def _assert_refused(response, window_seconds: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(window_seconds)
    html = response.content.decode()
    assert "Please wait a little before trying again" in html
    assert "nothing you had already sent is lost" in html


def _author_client(email="anna@example.com") -> Client:
    client = Client()
    client.author = author_for_email(email)
    client.force_login(client.author)
    return client


def _story_row(story: Story) -> tuple:
    values = Story.objects.filter(pk=story.pk).values_list(
        "status", "reminders_enabled", "consent_publish", "consent_statistics")
    return tuple(values.first() or ())


def _author_case(name: str, data: dict | None = None, **story_fields):
    def setup():
        client = _author_client()
        story = make_story(author=client.author, reminders_enabled=True, **story_fields)
        args = [story.pk] if name != "erase-me" else []
        return client, reverse(f"accounts:{name}", args=args), data or {}, \
            lambda: (_story_row(story), Story.objects.count())
    return setup


AUTHOR_CASES = {
    "withdraw": ("my-actions", _author_case("story-withdraw")),
    "resubmit": ("my-actions", _author_case("story-resubmit", status=Story.Status.WITHDRAWN)),
    "consent": ("my-actions",
                _author_case("story-consent", {"purpose": "statistics", "granted": "no"})),
    "reminders": ("my-actions", _author_case("story-reminders", {"enabled": "no"})),
    "erase story": ("erase", _author_case("story-erase")),
    "erase me": ("erase", _author_case("erase-me", {"confirm": "erase"})),
}


@pytest.mark.parametrize(("scope", "setup"), AUTHOR_CASES.values(), ids=AUTHOR_CASES.keys())
def test_my_stories_one_click_forms_are_limited_per_person(scope, setup):
    client, url, data, state = setup()
    window = account_views.ONE_CLICK_WINDOW_SECONDS
    _use_up(scope, f"user:{client.author.pk}", limit=account_views.ONE_CLICK_PER_WINDOW,
            window_seconds=window)
    before = state()

    _assert_refused(client.post(url, data), window)

    assert state() == before


def test_the_limit_on_my_stories_counts_each_person_on_their_own():
    crowded = _author_client()
    _use_up("my-actions", f"user:{crowded.author.pk}", limit=account_views.ONE_CLICK_PER_WINDOW,
            window_seconds=account_views.ONE_CLICK_WINDOW_SECONDS)
    other = _author_client("ben@example.com")  # same address, another person
    story = make_story(author=other.author)

    response = other.post(reverse("accounts:story-withdraw", args=[story.pk]))

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN


def test_changing_settings_many_times_never_holds_up_erasing():
    client = _author_client()
    story = make_story(author=client.author)
    _use_up("my-actions", f"user:{client.author.pk}", limit=account_views.ONE_CLICK_PER_WINDOW,
            window_seconds=account_views.ONE_CLICK_WINDOW_SECONDS)

    response = client.post(reverse("accounts:story-erase", args=[story.pk]))

    assert response.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_pressing_buttons_counts_toward_the_limit(monkeypatch):
    client = _author_client()
    story = make_story(author=client.author)
    url = reverse("accounts:story-reminders", args=[story.pk])
    limit = account_views.ONE_CLICK_PER_WINDOW
    for _ in range(limit):
        assert client.post(url, {"enabled": "no"}).status_code == 302

    _assert_refused(client.post(url, {"enabled": "yes"}), account_views.ONE_CLICK_WINDOW_SECONDS)

    story.refresh_from_db()
    assert story.reminders_enabled is False


def test_deleting_a_comment_from_my_stories_is_limited():
    client = _author_client()
    comment = discussion_services.comment_submit(
        target=make_story(), parent=None, name="Anna", email="anna@example.com",
        body="A comment to delete.", honeypot="", seconds_to_write=60, browser_confirmed=True,
        edit_key_hash="")
    _use_up("my-actions", f"user:{client.author.pk}", limit=account_views.ONE_CLICK_PER_WINDOW,
            window_seconds=account_views.ONE_CLICK_WINDOW_SECONDS)

    response = client.post(reverse("accounts:comment-delete", args=[comment.pk]))

    _assert_refused(response, account_views.ONE_CLICK_WINDOW_SECONDS)
    comment.refresh_from_db()
    assert comment.status != Comment.Status.DELETED


def _commenter(email="jo@example.org"):
    return discussion_services.commenter_for(email)


def test_the_commenter_confirm_link_is_limited_per_address():
    url = reverse("discussion:confirm", args=[confirm_token(_commenter())])
    window = discussion_views.ONE_CLICK_WINDOW_SECONDS
    _use_up("comment-actions", "address:127.0.0.1",
            limit=discussion_views.ONE_CLICK_PER_WINDOW, window_seconds=window)

    _assert_refused(Client().post(url), window)

    assert _commenter().confirmed_at is None
    assert Client(REMOTE_ADDR="192.0.2.7").post(url).status_code == 200
    assert _commenter().confirmed_at is not None


def _link_cases():
    def unsubscribe():
        token = unsubscribe_token(_commenter(), "replies")
        return ("unsubscribe", token, reverse("discussion:unsubscribe", args=[token]),
                lambda: _commenter().wants_reply_emails)

    def stop_reminders():
        story = make_story(reminders_enabled=True)
        token = stop_token(story)
        return ("reminders-stop", token, reverse("reminders:stop", args=[token]),
                lambda: Story.objects.get(pk=story.pk).reminders_enabled)

    return {"comment reply unsubscribe": unsubscribe, "stop reminders": stop_reminders}


@pytest.mark.parametrize("case", _link_cases().values(), ids=_link_cases().keys())
def test_one_click_links_in_emails_are_limited_per_link_not_per_address(case):
    """Mail providers press one-click links (RFC 8058) for many people from a few addresses:
    one provider pressing many people's links is never refused; one link pressed too often
    is, from any address."""
    scope, token, url, state = case()
    window = discussion_views.ONE_CLICK_WINDOW_SECONDS
    assert followup_views.ONE_CLICK_WINDOW_SECONDS == window
    _use_up(scope, "address:127.0.0.1", limit=discussion_views.ONE_CLICK_PER_WINDOW,
            window_seconds=window)
    before = state()

    assert Client().post(url).status_code == 200  # this address used up nothing of the link's
    assert state() != before
    for _ in range(discussion_views.ONE_CLICK_PER_WINDOW - 1):  # the press above was one
        allow(scope, f"link:{token}", limit=discussion_views.ONE_CLICK_PER_WINDOW,
              window_seconds=window)
    _assert_refused(Client(REMOTE_ADDR="192.0.2.7").post(url), window)


def _own_comment(client: Client) -> Comment:
    client.post(write_url(make_story()), comment_data(body="Typo in thsi one"))
    return Comment.objects.latest("id")


def test_deleting_a_comment_from_the_same_browser_is_limited():
    client = Client()
    comment = _own_comment(client)
    _use_up("comment-actions", "address:127.0.0.1",
            limit=discussion_views.ONE_CLICK_PER_WINDOW,
            window_seconds=discussion_views.ONE_CLICK_WINDOW_SECONDS)

    response = client.post(reverse("discussion:delete", args=[comment.pk]))

    _assert_refused(response, discussion_views.ONE_CLICK_WINDOW_SECONDS)
    comment.refresh_from_db()
    assert comment.status != Comment.Status.DELETED


def test_editing_a_comment_is_limited_and_keeps_what_was_typed(monkeypatch):
    monkeypatch.setattr(discussion_views, "EDITS_PER_WINDOW", 2)
    client = Client()
    comment = _own_comment(client)
    url = reverse("discussion:edit", args=[comment.pk])
    for word in ("one", "two"):
        assert client.post(url, {"body": f"Typo fixed, take {word}"}).status_code == 302

    response = client.post(url, {"body": "Typo fixed, take three & <b>more</b>"})

    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="error-summary"' in html and "what you wrote is still here" in html
    assert "Typo fixed, take three &amp; &lt;b&gt;more&lt;/b&gt;" in html
    comment.refresh_from_db()
    assert comment.body == "Typo fixed, take two"
