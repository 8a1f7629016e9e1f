"""Who may do what to a story, as a table: each persona against each action, with the response
and the database checked. A refused request must change nothing at all."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from followups.models import Baseline, FollowUp
from hindsight.testing import (
    admin_form_data,
    make_moderator,
    make_story,
    make_treatment,
    sign_in_moderator,
)
from moderation.models import Action, ModerationDecision
from stories.models import CONSENT_TEXTS, CONSENT_VERSION, Story, StoryConsent, StoryRevision

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/login/code/"
AUTHOR_EMAIL = "anna@example.com"
TITLE = "Katowice, March 2011"

# What a persona should get back for an action.
ALLOWED = "allowed"
SIGN_IN_FIRST = "sign in first"  # redirected to the code sign-in page, nothing changed
NOT_FOUND = "not found"  # 404, nothing changed
REFUSED = "refused"  # 403 or a redirect to a sign-in page, nothing changed

PERSONAS = ["anonymous", "author", "other_author", "moderator", "admin"]


def make_admin(username: str = "root"):
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.invalid", "a-long-test-password-2"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def people():
    """Everyone in the table, each with what they would normally have."""
    treatment = make_treatment()
    author = author_for_email(AUTHOR_EMAIL)
    other = author_for_email("ben@example.com")
    make_story(treatment, title="Ben's own story", email="ben@example.com", display_name="Ben",
               author=other)
    return {
        "anonymous": None,
        "author": author,
        "other_author": other,
        "moderator": make_moderator(),
        "admin": make_admin(),
    }


def client_for(people, persona: str) -> Client:
    """Authors sign in by code (forced here); staff as the site requires, with a password and
    an authenticator code in the session."""
    client = Client()
    user = people[persona]
    if user is not None and user.is_staff:
        sign_in_moderator(client, user)
    elif user is not None:
        client.force_login(user)
    return client


def the_story(people, status: str, **fields) -> Story:
    extra = {"slug": "katowice-waiting"} if status == Story.Status.PENDING else {}
    extra.update(fields)
    story = make_story(title=TITLE, status=status, author=people["author"], email=AUTHOR_EMAIL,
                       reminders_enabled=True, **extra)
    for purpose in (StoryConsent.Purpose.PUBLISH, StoryConsent.Purpose.STATISTICS):
        StoryConsent.objects.create(story=story, purpose=purpose, granted=True,
                                    version=CONSENT_VERSION, text=str(CONSENT_TEXTS[purpose]))
    return story


def snapshot() -> dict:
    """Everything an action on a story could change."""
    return {
        "stories": list(Story.objects.order_by("pk").values_list(
            "pk", "status", "title", "body", "slug", "consent_publish", "consent_statistics",
            "reminders_enabled", "published_at",
        )),
        "followups": list(FollowUp.objects.order_by("pk").values_list("pk", "story_id", "status")),
        "consents": list(StoryConsent.objects.order_by("pk").values_list("pk", "granted")),
        "decisions": list(ModerationDecision.objects.order_by("pk").values_list("pk", "action")),
        "baselines": list(Baseline.objects.order_by("pk").values_list("pk", "story_id")),
        "revisions": list(StoryRevision.objects.order_by("pk").values_list("pk", "status")),
        "admin_log": LogEntry.objects.count(),
    }


def admin_change_data(people, story: Story, **changes) -> dict:
    """The admin change form of the story as a moderator would send it back."""
    reader = client_for(people, "admin")
    page = reader.get(reverse("admin:stories_story_change", args=[story.pk]))
    return {**admin_form_data(page), **changes}


FOLLOWUP_POST = {"reported_on": "2012-03-01", "result": "no_change", "status": "approved"}


@dataclass
class Act:
    """One action of the table: how to do it, on a story in which status, and how to tell
    that it happened."""

    method: str
    url: Callable[[Story], str]
    status: str = Story.Status.APPROVED
    fields: dict = field(default_factory=dict)
    data: Callable[[dict, Story], dict] = lambda people, story: {}
    done_status: int = 302
    happened: Callable[[Story, dict], bool] = lambda story, before: True


def _story_now(story: Story) -> Story | None:
    return Story.objects.filter(pk=story.pk).first()


ACTIONS = {
    "view the public page": Act(
        "get", lambda s: s.get_absolute_url(), done_status=200,
    ),
    "view the public page while pending": Act(
        "get", lambda s: f"/stories/{s.slug}/", status=Story.Status.PENDING, done_status=200,
    ),
    "view the author's page": Act(
        "get", lambda s: reverse("accounts:story-manage", args=[s.pk]), done_status=200,
    ),
    "open the follow-up form": Act(
        "get", lambda s: reverse("accounts:followup-add", args=[s.pk]), done_status=200,
    ),
    "send a follow-up": Act(
        "post", lambda s: reverse("accounts:followup-add", args=[s.pk]),
        data=lambda people, s: FOLLOWUP_POST,
        happened=lambda s, before: FollowUp.objects.filter(
            story=s, status=FollowUp.Status.PENDING
        ).count() == 1,
    ),
    "withdraw": Act(
        "post", lambda s: reverse("accounts:story-withdraw", args=[s.pk]),
        happened=lambda s, before: _story_now(s).status == Story.Status.WITHDRAWN,
    ),
    "erase the story": Act(
        "post", lambda s: reverse("accounts:story-erase", args=[s.pk]),
        happened=lambda s, before: _story_now(s) is None,
    ),
    "change a consent": Act(
        "post", lambda s: reverse("accounts:story-consent", args=[s.pk]),
        data=lambda people, s: {"purpose": "statistics", "granted": "no"},
        happened=lambda s, before: _story_now(s).consent_statistics is False
        and StoryConsent.objects.filter(story=s, purpose="statistics", granted=False).exists(),
    ),
    "turn reminders off": Act(
        "post", lambda s: reverse("accounts:story-reminders", args=[s.pk]),
        data=lambda people, s: {"enabled": "no"},
        happened=lambda s, before: _story_now(s).reminders_enabled is False,
    ),
    "open the edit page": Act(
        "get", lambda s: reverse("accounts:story-edit", args=[s.pk]), done_status=200,
    ),
    "send a withdrawn story back": Act(
        "post", lambda s: reverse("accounts:story-resubmit", args=[s.pk]),
        status=Story.Status.WITHDRAWN,
        happened=lambda s, before: _story_now(s).status == Story.Status.PENDING,
    ),
    "record a baseline": Act(
        "post", lambda s: reverse("accounts:baseline", args=[s.pk]),
        fields={"procedure_status": "booked", "treated_year": None, "treated_month": None},
        data=lambda people, s: {"relapses_last_year": "2", "expectation": "unsure"},
        happened=lambda s, before: Baseline.objects.filter(story=s, relapses_last_year=2)
        .exists(),
    ),
    "open the admin change page": Act(
        "get", lambda s: reverse("admin:stories_story_change", args=[s.pk]),
        status=Story.Status.PENDING, done_status=200,
    ),
    "edit in the admin": Act(
        "post", lambda s: reverse("admin:stories_story_change", args=[s.pk]),
        status=Story.Status.PENDING,
        data=lambda people, s: admin_change_data(people, s, title="Edited title"),
        happened=lambda s, before: _story_now(s).title == "Edited title"
        and ModerationDecision.objects.filter(action=Action.EDIT, object_id=s.pk).exists(),
    ),
    "approve": Act(
        "post", lambda s: reverse("admin:stories_story_change", args=[s.pk]),
        status=Story.Status.PENDING,
        data=lambda people, s: admin_change_data(people, s, _publish="1"),
        happened=lambda s, before: _story_now(s).status == Story.Status.APPROVED,
    ),
}

OWN_STORY = {"anonymous": SIGN_IN_FIRST, "author": ALLOWED, "other_author": NOT_FOUND,
             "moderator": NOT_FOUND, "admin": NOT_FOUND}
MODERATION = {"anonymous": REFUSED, "author": REFUSED, "other_author": REFUSED,
              "moderator": ALLOWED, "admin": ALLOWED}
EVERYONE = dict.fromkeys(PERSONAS, ALLOWED)
NOBODY = dict.fromkeys(PERSONAS, NOT_FOUND)

RULES = {
    "view the public page": EVERYONE,
    "view the public page while pending": NOBODY,
    "view the author's page": OWN_STORY,
    "open the follow-up form": OWN_STORY,
    "send a follow-up": OWN_STORY,
    "withdraw": OWN_STORY,
    "erase the story": OWN_STORY,
    "change a consent": OWN_STORY,
    "turn reminders off": OWN_STORY,
    "open the edit page": OWN_STORY,
    "send a withdrawn story back": OWN_STORY,
    "record a baseline": OWN_STORY,
    "open the admin change page": MODERATION,
    "edit in the admin": MODERATION,
    "approve": MODERATION,
}

MATRIX = [
    pytest.param(action, persona, RULES[action][persona], id=f"{action}-{persona}")
    for action in ACTIONS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("action", "persona", "expected"), MATRIX)
def test_it_lets_each_persona_do_only_what_the_rules_allow(people, action, persona, expected):
    act = ACTIONS[action]
    story = the_story(people, act.status, **act.fields)
    data = act.data(people, story)
    client = client_for(people, persona)
    before = snapshot()

    response = getattr(client, act.method)(act.url(story), data)

    if expected == ALLOWED:
        assert response.status_code == act.done_status, response
        if act.done_status == 302:
            assert "/login/" not in response["Location"]
        assert act.happened(story, before)
        return
    if expected == SIGN_IN_FIRST:
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN + "?next=")
    elif expected == NOT_FOUND:
        assert response.status_code == 404
        assert TITLE not in response.content.decode()  # a wrong id reveals nothing
    elif expected == REFUSED:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_holds_only_the_signed_in_persons_own_data(people, persona):
    the_story(people, Story.Status.APPROVED)
    client = client_for(people, persona)

    response = client.get(reverse("accounts:export", args=["json"]))

    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN + "?next=")
        return
    assert response.status_code == 200
    data = json.loads(response.content)
    titles = {story["title"] for story in data["stories"]}
    assert data["account"]["emails"] == [people[persona].email]
    if persona == "author":
        assert titles == {TITLE}
    elif persona == "other_author":
        assert titles == {"Ben's own story"}
    else:
        assert titles == set()
    if persona != "author":
        assert AUTHOR_EMAIL not in response.content.decode()


def test_a_follow_up_page_of_another_story_is_not_found(people):
    """The sent page checks both ids: Ben's story id with Anna's follow-up gives nothing."""
    story = the_story(people, Story.Status.APPROVED)
    followup = FollowUp.objects.create(story=story, reported_on="2012-03-01", result="no_change")
    bens = Story.objects.get(author=people["other_author"])
    client = client_for(people, "other_author")

    response = client.get(reverse("accounts:followup-sent", args=[bens.pk, followup.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["send a follow-up", "withdraw", "change a consent",
                                    "turn reminders off"])
def test_a_submitted_status_is_ignored_by_the_authors_pages(people, action):
    act = ACTIONS[action]
    story = the_story(people, Story.Status.PENDING)
    client = client_for(people, "author")

    client.post(act.url(story), {**act.data(people, story), "status": "approved",
                                 "slug": "sneaky", "published_at": "2020-01-01"})

    story.refresh_from_db()
    expected = Story.Status.WITHDRAWN if action == "withdraw" else Story.Status.PENDING
    assert story.status == expected
    assert story.slug == "katowice-waiting"
    assert story.published_at is None
    assert not FollowUp.objects.filter(status=FollowUp.Status.APPROVED).exists()
    assert client.get(f"/stories/{story.slug}/").status_code == 404


def test_a_submitted_status_is_ignored_in_the_admin_change_form(people):
    story = the_story(people, Story.Status.PENDING)
    client = client_for(people, "moderator")

    response = client.post(
        reverse("admin:stories_story_change", args=[story.pk]),
        admin_change_data(people, story, title="Edited title", status="approved",
                          consent_publish="", published_at="2020-01-01 00:00"),
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Edited title"
    assert story.status == Story.Status.PENDING
    assert story.consent_publish is True
    assert story.published_at is None


def test_a_submitted_status_is_ignored_by_the_share_form(client):
    from hindsight.testing import valid_story_post

    client.post(reverse("stories:share"),
                valid_story_post(make_treatment(), status="approved", author="1"))

    story = Story.objects.get()
    assert story.status == Story.Status.UNCONFIRMED
    assert story.author is None


def _code_from_outbox() -> str:
    assert mail.outbox, "no sign-in email was sent"
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{3,8}(?:-[A-Z0-9]{3,8})*)\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)


def test_an_author_signs_in_with_the_emailed_code_and_reaches_their_stories(client, people):
    the_story(people, Story.Status.APPROVED)

    requested = client.post(SIGN_IN, {"email": AUTHOR_EMAIL})
    assert requested.status_code == 302
    assert requested["Location"] == reverse("account_confirm_login_code")
    assert mail.outbox[-1].to == [AUTHOR_EMAIL]

    confirmed = client.post(reverse("account_confirm_login_code"), {"code": _code_from_outbox()})
    assert confirmed.status_code == 302

    page = client.get(reverse("accounts:my-stories"))
    assert page.status_code == 200
    assert page.wsgi_request.user == people["author"]
    assert TITLE in page.content.decode()


def test_a_wrong_code_does_not_sign_in(client, people):
    client.post(SIGN_IN, {"email": AUTHOR_EMAIL})
    code = _code_from_outbox()
    wrong = re.sub(r"[A-Z0-9]", "0", code)
    if wrong == code:
        wrong = re.sub(r"[A-Z0-9]", "1", code)

    client.post(reverse("account_confirm_login_code"), {"code": wrong})

    response = client.get(reverse("accounts:my-stories"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_asking_a_code_for_an_unknown_address_looks_the_same_as_for_a_known_one(people):
    known, unknown = Client(), Client()

    for_known = known.post(SIGN_IN, {"email": AUTHOR_EMAIL})
    for_unknown = unknown.post(SIGN_IN, {"email": "nobody-here@example.com"})

    assert for_unknown.status_code == for_known.status_code
    assert for_unknown.get("Location") == for_known.get("Location")
    known_page = known.get(for_known["Location"])
    unknown_page = unknown.get(for_unknown["Location"])
    assert unknown_page.status_code == known_page.status_code == 200
    assert _comparable(unknown_page, "nobody-here@example.com") == _comparable(
        known_page, AUTHOR_EMAIL
    )


def _comparable(response, typed_email: str) -> str:
    """The page without what legitimately differs: the CSRF token and the address typed."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return html.replace(typed_email, "ADDRESS")


def test_the_sign_in_email_names_the_site(people):
    Client().post(SIGN_IN, {"email": AUTHOR_EMAIL})

    body = mail.outbox[-1].body
    assert "Hello from !" not in body
    assert "Thank you for using !" not in body


def test_an_unknown_address_is_not_invited_to_a_sign_up_that_is_closed(people):
    Client().post(SIGN_IN, {"email": "nobody-here@example.com"})

    for message in mail.outbox:
        assert "/accounts/signup/" not in message.body
        assert "sign up" not in message.body.lower()
