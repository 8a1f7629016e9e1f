"""A comment lives on its page. When the page goes (its author erases it or everything about
themselves, a superuser deletes it, many go in one delete), the whole discussion goes with it:
comments, replies, reports, the closed mark and their admin history. While a page is hidden
(withdrawn, rejected, consent to publish taken back) no address shows its comments' words,
and no email goes out about them. Everything here is checked from outside: HTTP answers,
rows left in the database, the outbox."""

import itertools
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import author_for_email, person_erase, story_erase
from discussion import services
from discussion.models import ClosedDiscussion, Comment, CommentReport
from discussion.tasks import notify_comment_published, send_commenter_confirmation
from discussion.tests.helpers import comment_data, confirm_from_outbox, write_url
from hindsight.testing import make_moderator, make_story, sign_in_moderator
from moderation.models import Action, ModerationDecision
from moderation.services import decision_record
from stories.models import Story
from stories.services import story_reject, story_set_consent, story_withdraw

pytestmark = pytest.mark.django_db

# Three links hold even a trusted commenter's comment for a moderator.
HELD_BODY = ("Pending quokka words: see http://a.example http://b.example "
             "http://c.example")
_ADDRESSES = itertools.count(1)


@dataclass
class Discussion:
    story: Story
    published: Comment  # Jo's, reported
    reply: Comment  # Sam's reply to it, reported
    pending: Comment  # Jo's, held, still editable from Jo's browser
    jo: Client
    posted_path: str  # Jo's "comment sent" page for the pending comment
    note: str  # a moderator's note about the pending comment
    story_id: int = 0
    story_path: str = ""
    write_path: str = ""

    def __post_init__(self) -> None:
        # Kept apart: deleting the story forgets its id on the instance.
        self.story_id = self.story.pk
        self.story_path = self.story.get_absolute_url()
        self.write_path = write_url(self.story)

    @property
    def comments(self) -> list[Comment]:
        return [self.published, self.reply, self.pending]

    def addresses(self) -> dict[str, str]:
        """Every address that shows (or acts on) one of these comments."""
        return {
            "story page": self.story_path,
            "report published": reverse("discussion:report", args=[self.published.pk]),
            "report reply": reverse("discussion:report", args=[self.reply.pk]),
            "report pending": reverse("discussion:report", args=[self.pending.pk]),
            "reply form": self.write_path + f"?reply_to={self.published.pk}",
            "posted": self.posted_path,
            "edit": reverse("discussion:edit", args=[self.pending.pk]),
        }


def _trusted_browser(story: Story, moderator, *, name: str, email: str, body: str,
                     reply_to: Comment | None = None) -> tuple[Client, Comment]:
    # Each person from their own address: the posting limits count per address and email.
    browser = Client(REMOTE_ADDR=f"10.0.0.{next(_ADDRESSES)}")
    data = comment_data(name=name, email=email, body=body)
    if reply_to is not None:
        data["reply_to"] = reply_to.pk
    browser.post(write_url(story), data)
    confirm_from_outbox(browser)
    comment = Comment.objects.latest("id")
    services.comment_approve(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    return browser, comment


def make_discussion(story: Story, moderator, *, words: str = "quokka") -> Discussion:
    jo, published = _trusted_browser(story, moderator, name="Jo",
                                     email=f"jo-{words}@example.org",
                                     body=f"Published {words} words from Jo.")
    _, reply = _trusted_browser(story, moderator, name="Sam", email=f"sam-{words}@example.org",
                                body=f"Reply {words} words from Sam.", reply_to=published)
    response = jo.post(write_url(story), comment_data(
        name="Jo", email=f"jo-{words}@example.org", body=HELD_BODY.replace("quokka", words)
    ))
    pending = Comment.objects.latest("id")
    assert pending.status == Comment.Status.PENDING
    for comment in (published, reply):
        Client().post(reverse("discussion:report", args=[comment.pk]),
                      {"reason": "other", "note": f"Reporter's {words} note"})
    # Admin history stores a comment's opening words; a moderator's note may name anyone.
    LogEntry.objects.create(
        user=moderator, content_type=ContentType.objects.get_for_model(Comment),
        object_id=str(published.pk), object_repr=str(published), action_flag=CHANGE,
        change_message="[]",
    )
    note = f"Moderator note naming the {words} commenter"
    # (On the reply: a comment a moderator has edited is no longer its writer's to edit.)
    decision_record(subject=reply, action=Action.EDIT, moderator=moderator, note=note,
                    changed_fields=["body"])
    services.discussion_close(target=story, moderator=moderator)
    return Discussion(story=story, published=published, reply=reply, pending=pending, jo=jo,
                      posted_path=response["Location"], note=note)


def assert_everything_shows(discussion: Discussion) -> None:
    """Before the page goes: each address answers, with the words it is meant to show."""
    reader = Client()
    story_html = reader.get(discussion.story_path).content.decode()
    assert discussion.published.body in story_html and discussion.reply.body in story_html
    for comment in (discussion.published, discussion.reply):
        page = reader.get(reverse("discussion:report", args=[comment.pk]))
        assert page.status_code == 200 and comment.body in page.content.decode()
    reply_form = reader.get(discussion.addresses()["reply form"])
    assert reply_form.status_code == 200
    for name in ("posted", "edit"):
        page = discussion.jo.get(discussion.addresses()[name])
        assert page.status_code == 200 and "Pending" in page.content.decode(), name


def assert_discussion_gone(discussion: Discussion) -> None:
    comment_ids = [c.pk for c in discussion.comments]
    assert not Comment.objects.filter(pk__in=comment_ids).exists()
    assert not CommentReport.objects.filter(comment_id__in=comment_ids).exists()
    assert not ClosedDiscussion.objects.filter(object_id=discussion.story_id).exists()
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment),
        object_id__in=[str(pk) for pk in comment_ids],
    ).exists()
    assert not ModerationDecision.objects.filter(note=discussion.note).exists()
    for browser in (Client(), discussion.jo):
        for name, path in discussion.addresses().items():
            response = browser.get(path)
            assert response.status_code in (404, 410), (name, response.status_code)
            html = response.content.decode()
            assert not any(c.body in html for c in discussion.comments), name
        response = browser.post(reverse("discussion:delete", args=[discussion.pending.pk]))
        assert response.status_code in (404, 410)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the change queues for after its commit (a new generation of kept pages)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def discussion(moderator) -> Discussion:
    story = make_story(email="author@example.org", email_confirmed_at=timezone.now(),
                       title="The quokka story")
    found = make_discussion(story, moderator)
    assert_everything_shows(found)
    return found


def test_erasing_one_story_erases_its_whole_discussion(discussion, committed):
    with committed():
        story_erase(story=discussion.story)

    assert_discussion_gone(discussion)


def test_erasing_everything_erases_the_discussions_on_the_persons_stories(discussion,
                                                                          moderator, committed):
    author = author_for_email("author@example.org")
    Story.objects.filter(pk=discussion.story.pk).update(author=author)
    elsewhere = make_story(email="bea@example.org", title="Someone else's story")
    # The author's own comment on someone else's story stays (without a name) if they choose.
    _, kept = _trusted_browser(elsewhere, moderator, name="Author", email="author@example.org",
                               body="The author's words elsewhere.")

    with committed():
        person_erase(user=author, keep_comments_anonymously=True)

    assert_discussion_gone(discussion)
    kept.refresh_from_db()
    assert kept.commenter is None and kept.name == ""


def test_deleting_many_stories_at_once_erases_each_discussion(discussion, moderator,
                                                              committed):
    other = make_discussion(make_story(title="Another quokka story"), moderator,
                            words="wombat")
    untouched = make_discussion(make_story(title="A story that stays"), moderator,
                                words="numbat")

    with committed():
        Story.objects.filter(pk__in=[discussion.story.pk, other.story.pk]).delete()

    assert_discussion_gone(discussion)
    assert_discussion_gone(other)
    assert Comment.objects.filter(pk__in=[c.pk for c in untouched.comments]).count() == 3
    assert CommentReport.objects.filter(comment__in=untouched.comments).count() == 2
    assert ClosedDiscussion.objects.filter(object_id=untouched.story.pk).exists()


def test_a_superuser_deleting_a_story_in_the_admin_erases_its_discussion(discussion,
                                                                         committed):
    root = get_user_model().objects.create_superuser("root", "root@example.invalid",
                                                     "a-long-test-password-2")
    EmailAddress.objects.create(user=root, email=root.email, verified=True, primary=True)
    admin = Client()
    sign_in_moderator(admin, root)

    with committed():
        response = admin.post(f"/moderation/stories/story/{discussion.story.pk}/delete/",
                              {"post": "yes"})

    assert response.status_code == 302
    assert not Story.objects.filter(pk=discussion.story.pk).exists()
    assert_discussion_gone(discussion)


@pytest.mark.parametrize("hide", ["withdraw", "reject", "consent"])
def test_a_hidden_story_shows_its_comments_nowhere(discussion, moderator, hide, committed):
    story = discussion.story
    with committed():
        if hide == "withdraw":
            story_withdraw(story=story)
        elif hide == "reject":
            story_reject(story=story, moderator=moderator, reason="other",
                         note="Not about a treatment.")
        else:
            story_set_consent(story=story, purpose="publish", granted=False)

    for browser in (Client(), discussion.jo):
        for name, path in discussion.addresses().items():
            response = browser.get(path)
            assert response.status_code in (404, 410), (name, response.status_code)
            assert not any(c.body in response.content.decode() for c in discussion.comments)
        assert browser.post(reverse("discussion:report", args=[discussion.published.pk]),
                            {"reason": "spam"}).status_code in (404, 410)
    # Hidden, not erased: the comments come back if the story does.
    assert Comment.objects.filter(pk__in=[c.pk for c in discussion.comments]).count() == 3


def test_only_the_writers_browser_sees_their_pending_comment(discussion):
    stranger = Client()

    for name in ("posted", "edit"):
        assert discussion.jo.get(discussion.addresses()[name]).status_code == 200
        response = stranger.get(discussion.addresses()[name])
        assert response.status_code == 404, name
        assert "Pending" not in response.content.decode()
    assert stranger.get(discussion.addresses()["report pending"]).status_code == 404


def test_no_email_about_a_comment_whose_story_went_before_the_worker_ran(discussion,
                                                                         moderator):
    story = discussion.story
    Story.objects.filter(pk=story.pk).update(email="author@example.org")
    story_withdraw(story=story)
    mail.outbox.clear()

    # The worker picks up tasks queued while the story was public.
    notify_comment_published.call(discussion.reply.pk)
    send_commenter_confirmation.call(discussion.reply.commenter_id, discussion.reply.pk)

    assert mail.outbox == []

    story_erase(story=Story.objects.get(pk=story.pk))
    notify_comment_published.call(discussion.reply.pk)
    assert mail.outbox == []


def test_the_moderation_digest_says_nothing_of_an_erased_storys_comments(discussion,
                                                                         moderator):
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()
    assert CommentReport.objects.filter(resolved=False).exists()
    story_erase(story=discussion.story)
    mail.outbox.clear()

    call_command("send_moderation_digest", verbosity=0)

    sent = [m for m in mail.outbox if m.to == [moderator.email]]
    assert not any("comment" in m.body.lower() for m in sent), [m.body for m in sent]
