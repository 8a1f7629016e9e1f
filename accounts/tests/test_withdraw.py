"""Withdrawing a story asks first: the author's page links to a page that says plainly what
withdrawing does, and only its button (a POST) withdraws."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.services import author_for_email
from hindsight.hostile import load_corpora
from hindsight.lib.ratelimit import allow
from hindsight.testing import make_story, make_treatment
from moderation.models import Action, ModerationDecision
from stories.models import Story

pytestmark = pytest.mark.django_db

EMAIL = "anna@example.com"
TITLE = "Warmer hands after Katowice"
PUBLISHED_EFFECTS = [
    "The story leaves the site: its page, and its place in the list of stories and in search.",
    "It leaves the public figures when they next change (they change only once enough other "
    "people's reports have changed too, which can take weeks).",
    "Your follow-ups stop being shown.",
    "Comments on it are hidden with it.",
]
ALWAYS = [
    "Nothing is deleted. Your story, your answers and your follow-ups stay here, where only you "
    "can see them.",
    "You can send it back for review later. A moderator then reads it again before anyone else "
    "can see it.",
]


@pytest.fixture
def author():
    make_treatment()
    return author_for_email(EMAIL)


@pytest.fixture
def signed_in(author) -> Client:
    client = Client()
    client.force_login(author)
    return client


def withdraw_url(story) -> str:
    return reverse("accounts:story-withdraw", args=[story.pk])


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split()).replace(" .", ".")


def test_the_story_page_links_to_the_question_and_has_no_one_click_withdraw(signed_in, author):
    story = make_story(author=author, title=TITLE)

    html = signed_in.get(reverse("accounts:story-manage", args=[story.pk])).content.decode()

    assert f'<a class="button button-secondary" href="{withdraw_url(story)}">Withdraw it from ' \
           "public view</a>" in html
    assert f'action="{withdraw_url(story)}"' not in html


def test_the_question_says_what_withdrawing_means_and_changes_nothing(signed_in, author):
    story = make_story(author=author, title=TITLE)
    decisions = ModerationDecision.objects.count()

    response = signed_in.get(withdraw_url(story))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    assert f"Withdraw “{TITLE}”?" in page
    for sentence in PUBLISHED_EFFECTS + ALWAYS:
        assert sentence in page, sentence
    assert "If you want it gone for good, erase it instead." in page
    html = response.content.decode()
    erase = reverse("accounts:story-erase", args=[story.pk])
    assert f'<a href="{erase}">erase it instead</a>' in html
    assert re.search(r'<form method="post" class="confirm-actions"><input type="hidden" '
                     r'name="csrfmiddlewaretoken"', html)
    assert ">Yes, withdraw it</button>" in html
    manage = reverse("accounts:story-manage", args=[story.pk])
    assert f'<a class="button button-secondary" href="{manage}">No, keep it published</a>' in html
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert ModerationDecision.objects.count() == decisions
    assert signed_in.head(withdraw_url(story)).status_code == 200


def test_yes_withdraws_the_story(signed_in, author):
    story = make_story(author=author, title=TITLE)

    response = signed_in.post(withdraw_url(story), follow=True)

    assert response.redirect_chain == [(reverse("accounts:story-manage", args=[story.pk]), 302)]
    assert f"“{TITLE}” is no longer shown to anyone." in text(response)
    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN
    assert ModerationDecision.objects.filter(action=Action.WITHDRAW, moderator=None).count() == 1
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_a_waiting_story_is_told_what_withdrawing_means_for_it(signed_in, author):
    story = make_story(author=author, title=TITLE, status=Story.Status.PENDING)

    page = text(signed_in.get(withdraw_url(story)))

    assert "A moderator will not read it, and it will not be published." in page
    assert "No, keep it waiting for a moderator" in page
    for sentence in PUBLISHED_EFFECTS:
        assert sentence not in page
    for sentence in ALWAYS:
        assert sentence in page


def test_a_story_approved_but_not_published_only_leaves_the_numbers(signed_in, author):
    story = make_story(author=author, title=TITLE, consent_publish=False)

    page = text(signed_in.get(withdraw_url(story)))

    assert ("It leaves the data given to researchers at once, and the public figures when they "
            "next change") in page
    assert "The story leaves the site" not in page and "Comments on it" not in page
    assert "No, keep it as it is" in page


@pytest.mark.parametrize("status", [Story.Status.WITHDRAWN, Story.Status.REJECTED])
def test_a_story_nobody_sees_has_nothing_to_withdraw(signed_in, author, status):
    story = make_story(author=author, title=TITLE, status=status)
    decisions = ModerationDecision.objects.count()

    for response in (signed_in.get(withdraw_url(story), follow=True),
                     signed_in.post(withdraw_url(story), follow=True)):
        assert response.redirect_chain[-1][0] == reverse("accounts:story-manage",
                                                         args=[story.pk])
        assert "is not shown to anyone: there is nothing to withdraw." in text(response)
    story.refresh_from_db()
    assert story.status == status
    assert ModerationDecision.objects.count() == decisions


def test_another_persons_story_is_not_found(signed_in):
    theirs = make_story(title="Ben's story", email="ben@example.com",
                        author=author_for_email("ben@example.com"))

    assert signed_in.get(withdraw_url(theirs)).status_code == 404
    assert signed_in.post(withdraw_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Story.Status.APPROVED


def test_signed_out_visitors_are_asked_to_sign_in(author):
    story = make_story(author=author, title=TITLE)

    for response in (Client().get(withdraw_url(story)), Client().post(withdraw_url(story))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_request_login_code"))
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED


def test_the_button_keeps_its_rate_limit(signed_in, author):
    story = make_story(author=author, title=TITLE)
    for _ in range(30):  # the authors' one-click allowance, used up elsewhere
        allow("my-actions", f"user:{author.pk}", limit=30, window_seconds=600)

    assert signed_in.get(withdraw_url(story)).status_code == 200  # reading is not counted
    response = signed_in.post(withdraw_url(story))

    assert response.status_code == 429
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED


def test_hostile_fields_sent_with_the_button_change_nothing_else(signed_in, author):
    """Whatever else a POST carries (each corpus string as the story's own fields), the button
    only withdraws: never a 500, and the story's words and status fields are the server's."""
    problems = []
    for corpus, index, value in load_corpora()[::7]:
        cache.clear()  # one POST each: the rate limit is tested above
        story = make_story(author=author, title=TITLE)
        response = signed_in.post(withdraw_url(story), {
            "status": value, "title": value, "slug": value, "consent_publish": value,
            "story_id": value, "csrfmiddlewaretoken": value,
        })
        story.refresh_from_db()
        if response.status_code != 302 or story.status != Story.Status.WITHDRAWN:
            problems.append(f"{corpus}[{index}]: {response.status_code}, {story.status}")
        if (story.title, story.consent_publish) != (TITLE, True):
            problems.append(f"{corpus}[{index}]: changed to {story.title!r}")
    assert not problems, "\n".join(problems)
