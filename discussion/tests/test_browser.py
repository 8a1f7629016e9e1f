"""In real headless Chromium: a comment and a reply are posted without reloading the story page,
wait for a moderator, then appear; the reply is emailed to the first commenter, whose email
link stops such emails."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from discussion import services
from discussion.models import Comment
from hindsight.axe import assert_no_axe_violations
from hindsight.testing import make_moderator, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(pattern: str, to: str) -> str:
    """The path of the link matching `pattern` in the newest email to this address."""
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return re.search(r"http://[^/\s]+(" + pattern + ")", message.body).group(1)


def _post_comment(page: Page, *, name: str, email: str, body: str, reply_to: str | None = None):
    page.evaluate("window.__notReloaded = true")
    if reply_to:
        page.locator(f"#comment-{reply_to}").get_by_role("link", name=re.compile("^Reply")).click()
    else:
        page.get_by_role("link", name="Write a comment").click()
    form = page.locator("form[hx-post]")
    expect(form).to_be_visible()
    assert_no_axe_violations(page, "story page with the comment form open")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("Your email").fill(email)
    form.get_by_label("Your comment").fill(body)
    form.get_by_role("button", name=re.compile("Send my")).click()
    expect(page.get_by_role("status").first).to_contain_text("confirm your address")
    assert page.evaluate("window.__notReloaded") is True  # the page was not reloaded
    assert_no_axe_violations(page, "story page after posting")


def test_comment_and_reply_without_a_reload_then_moderation_then_email(
    live_server, browser: Browser
):
    story = make_story(email="author@example.org", email_confirmed_at=timezone.now())
    moderator = make_moderator()
    story_url = live_server.url + story.get_absolute_url()

    jo = browser.new_context().new_page()
    jo.goto(story_url)
    assert_no_axe_violations(jo, "story page")
    _post_comment(jo, name="Jo", email="jo@example.org", body="Did the fatigue come back?")
    jo.goto(live_server.url + _path(r"/comments/confirm/\S+/", "jo@example.org"))
    jo.get_by_role("button", name="Yes, I wrote it").click()
    expect(jo.get_by_role("heading", level=1)).to_contain_text("confirmed")
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    jo.goto(story_url + "?after-confirming=1")
    expect(jo.get_by_text("Did the fatigue come back?")).to_have_count(0)  # held

    services.comment_approve(comment=first, moderator=moderator)
    # The story page is cacheable for a minute; a new address stands for "a minute later".
    jo.goto(story_url + "?later=1")
    expect(jo.locator(f"#comment-{first.pk}")).to_contain_text("Did the fatigue come back?")

    sam = browser.new_context().new_page()
    sam.goto(story_url)
    _post_comment(sam, name="Sam", email="sam@example.org", body="It did, after a year.",
                  reply_to=str(first.pk))
    sam.goto(live_server.url + _path(r"/comments/confirm/\S+/", "sam@example.org"))
    sam.get_by_role("button", name="Yes, I wrote it").click()
    reply = Comment.objects.exclude(pk=first.pk).get()
    assert reply.parent_id == first.pk
    mail.outbox.clear()
    services.comment_approve(comment=reply, moderator=moderator)

    sam.goto(story_url + "?later=2")
    replies = sam.locator(f"#comment-{first.pk} ~ .comment-replies")
    expect(replies).to_contain_text("It did, after a year.")
    assert_no_axe_violations(sam, "story page with a thread")

    jo.goto(live_server.url + _path(r"/comments/unsubscribe/\S+/", "jo@example.org"))
    assert_no_axe_violations(jo, "unsubscribe page")
    jo.get_by_role("button", name="Stop these emails").click()
    expect(jo.get_by_role("heading", level=1)).to_contain_text("will not send")
    first.commenter.refresh_from_db()
    assert not first.commenter.wants_reply_emails


def test_without_javascript_a_comment_still_posts(live_server, browser: Browser):
    story = make_story(email_confirmed_at=timezone.now())
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("link", name="Write a comment").click()
    page.get_by_label("Your name").fill("Jo")
    page.get_by_label("Your email").fill("jo@example.org")
    page.get_by_label("Your comment").fill("Posted with JavaScript off.")
    page.get_by_role("button", name="Send my comment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Comment sent")
    assert Comment.objects.get().body == "Posted with JavaScript off."
