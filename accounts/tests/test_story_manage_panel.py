"""What the author's story page offers, status by status: only actions that still do
something. A published story can be unpublished or withdrawn; a waiting one is spoken of as
not yet published; a withdrawn one offers sending it back and erasing, and a rejected one
editing and erasing, never "stop publishing it" or another choice that no longer acts."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from hindsight.testing import make_story, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.com"

CONSENT_BUTTONS = {"Stop publishing it", "Allow publishing it", "Don't publish it",
                   "Leave the statistics", "Include my answers", "Don't include my answers",
                   "Stop reminders", "Send me reminders"}


class Offers(HTMLParser):
    """The buttons (with the form's action) and links of one section of the page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.buttons: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self._action = ""
        self._open: tuple[str, str] | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._action = attributes.get("action") or ""
        elif tag in ("button", "a"):
            target = self._action if tag == "button" else attributes.get("href", "")
            self._open, self._text = (tag, target), ""

    def handle_data(self, data):
        if self._open:
            self._text += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            name = " ".join(self._text.split())
            (self.buttons if tag == "button" else self.links)[name] = self._open[1]
            self._open = None


@pytest.fixture
def author():
    make_treatment()
    return author_for_email(EMAIL)


def manage_page(person, **fields) -> tuple[Story, str]:
    """The story page of a new story of `person`'s (linked to their account unless `author`
    says otherwise), as they see it."""
    story = make_story(title="My story", email=EMAIL, **{"author": person, **fields})
    client = Client()
    client.force_login(person)
    response = client.get(reverse("accounts:story-manage", args=[story.pk]))
    assert response.status_code == 200
    return story, response.content.decode()


def section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start:html.index("</section>", start)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def urls(story) -> dict[str, str]:
    return {name: reverse(f"accounts:story-{name}", args=[story.pk])
            for name in ("consent", "reminders", "withdraw", "resubmit", "erase", "edit")}


def test_a_published_story_can_be_unpublished_left_out_of_the_numbers_or_withdrawn(author):
    story, html = manage_page(author)
    consent, withdraw = Offers(section(html, "consent-heading")), Offers(
        section(html, "withdraw-heading"))
    url = urls(story)

    assert set(consent.buttons) == {"Stop publishing it", "Leave the statistics",
                                    "Send me reminders"}
    assert set(consent.buttons.values()) == {url["consent"], url["reminders"]}
    assert withdraw.links == {"Withdraw it from public view": url["withdraw"],
                              "Erase this story completely": url["erase"]}
    assert withdraw.buttons == {}
    assert "Status: Published" in text(html)


def test_a_story_approved_but_unpublished_by_its_author_can_be_published_again(author):
    story, html = manage_page(author, consent_publish=False)
    consent = Offers(section(html, "consent-heading"))

    assert "Allow publishing it" in consent.buttons
    assert "Stop publishing it" not in consent.buttons
    assert "Status: Approved, not published: you chose not to publish it" in text(html)
    assert Offers(section(html, "withdraw-heading")).links["Withdraw it"] == urls(story)[
        "withdraw"]


@pytest.mark.parametrize("status", [Story.Status.PENDING, Story.Status.UNCONFIRMED])
def test_a_story_on_its_way_is_not_spoken_of_as_published(author, status):
    # An unconfirmed story has no account yet: it is the author's by the address they proved.
    owner = None if status == Story.Status.UNCONFIRMED else author
    story, html = manage_page(author, status=status, reminders_enabled=True, author=owner)
    consent = Offers(section(html, "consent-heading"))
    withdraw = Offers(section(html, "withdraw-heading"))

    assert set(consent.buttons) == {"Don't publish it", "Don't include my answers",
                                    "Stop reminders"}
    assert "They take effect when a moderator approves your story." in text(html)
    assert withdraw.links == {"Withdraw it": urls(story)["withdraw"],
                              "Erase this story completely": urls(story)["erase"]}
    assert "Withdrawing stops a moderator reading your story, so it is not published." in text(
        html)


def test_a_withdrawn_story_offers_sending_it_back_and_erasing_only(author):
    story, html = manage_page(author, status=Story.Status.WITHDRAWN, reminders_enabled=True)
    consent = Offers(section(html, "consent-heading"))
    withdraw = Offers(section(html, "withdraw-heading"))
    url = urls(story)

    assert consent.buttons == {}
    assert not CONSENT_BUTTONS & set(Offers(html).buttons)
    assert f'action="{url["consent"]}"' not in html and f'action="{url["reminders"]}"' not in html
    # What was chosen is still shown, and when it applies again.
    consent_text = text(section(html, "consent-heading"))
    assert "Publish my story Yes" in consent_text and "Reminders asking how you are On" in (
        consent_text)
    assert "These choices apply again if you send it back and a moderator approves it" in (
        consent_text)
    assert withdraw.buttons == {"Send it back to a moderator to publish again": url["resubmit"]}
    assert withdraw.links == {"Erase this story completely": url["erase"]}
    assert url["withdraw"] not in html
    assert "Your story is withdrawn: nobody else can see it." in text(html)


def test_a_rejected_story_offers_editing_and_erasing_only(author):
    story, html = manage_page(author, status=Story.Status.REJECTED)
    url = urls(story)

    assert Offers(section(html, "consent-heading")).buttons == {}
    assert not CONSENT_BUTTONS & set(Offers(html).buttons)
    withdraw = Offers(section(html, "withdraw-heading"))
    assert withdraw.buttons == {}
    assert withdraw.links == {"Erase this story completely": url["erase"]}
    assert url["withdraw"] not in html and url["resubmit"] not in html
    assert Offers(html).links["Edit your story"] == url["edit"]
    assert "If you edit it, it goes back to a moderator." in text(html)


@pytest.mark.parametrize("status", list(Story.Status))
def test_every_status_offers_erasing_and_editing(author, status):
    story, html = manage_page(author, status=status)

    links = Offers(html).links
    assert links["Erase this story completely"] == urls(story)["erase"]
    assert links["Edit your story"] == urls(story)["edit"]
