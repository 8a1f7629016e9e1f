"""Erasure: after a person erases themselves, nothing in the database can name them or hold
their words; erasing one story removes that story and what hangs off it, and nothing else."""

import io
import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import ErasureRecord, email_fingerprint
from accounts.services import author_for_email
from directory.models import EntrySuggestion
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
from stories.services import story_author_edit

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Words only this person wrote, so finding any of them anywhere is a leak.
EMAIL = "zanthippe.quirrell@example.com"
DISPLAY_NAME = "Zanthippe Quirrell"
APPROVED_TITLE = "Marmalade veins of Katowice"
APPROVED_BODY = "A quixotic fortnight of glowing fingertips after the balloon."
EDITED_BODY = "A quixotic fortnight of glowing toes after the balloon."
UNCONFIRMED_TITLE = "Zeppelin clinic in Sofia"
UNCONFIRMED_BODY = "The porcupine nurse wore galoshes indoors."
FOLLOWUP_BODIES = ["Gloaming walks came back by autumn.", "Still tingling in the snapdragon month."]
REVISED_TITLE = "Marmalade veins, a year on"  # an author's edit waiting for a moderator
PRIVATE_NOTES = "I hope the kumquat dizziness goes."  # a baseline note only the author sees
PERSONAL = [EMAIL, DISPLAY_NAME, APPROVED_TITLE, APPROVED_BODY, EDITED_BODY, UNCONFIRMED_TITLE,
            UNCONFIRMED_BODY, *FOLLOWUP_BODIES, REVISED_TITLE, PRIVATE_NOTES, "glowing",
            "snapdragon", "galoshes", "marmalade", "kumquat"]


def make_admin(username: str = "root"):
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.invalid", "a-long-test-password-2"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user) -> Client:
    """Authors sign in by code (forced here); staff with a password and an authenticator."""
    client = Client()
    if user.is_staff:
        sign_in_moderator(client, user)
    else:
        client.force_login(user)
    return client


def add_consents(story: Story) -> None:
    for purpose, granted in (("publish", story.consent_publish),
                             ("statistics", story.consent_statistics)):
        StoryConsent.objects.create(story=story, purpose=purpose, granted=granted,
                                    version=CONSENT_VERSION, text=str(CONSENT_TEXTS[purpose]))


def moderator_edits_in_the_admin(story: Story, moderator, admin_path: str) -> None:
    """A real admin POST: the moderator removes an identifying detail from the story."""
    client = signed_in(moderator)
    url = f"/moderation/{admin_path}/{story.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {**admin_form_data(page), "body": EDITED_BODY})
    assert response.status_code == 302, page.context["adminform"].form.errors


def full_dump() -> str:
    """Every row of every app through dumpdata, and (as a second opinion that does not depend
    on models) every row of every table through raw SQL, and every session decoded."""
    labels = [config.label for config in apps.get_app_configs()]
    required = {"contenttypes", "auth", "sessions", "admin", "account", "django_tasks_database"}
    assert required <= set(labels)
    out = io.StringIO()
    call_command("dumpdata", *labels, all=True, stdout=out)
    parts = [out.getvalue()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.append(table + ": " + " | ".join(_text(value) for value in row))
    for session in Session.objects.all():
        parts.append("session: " + json.dumps(session.get_decoded(), default=str,
                                              ensure_ascii=False))
    return "\n".join(parts)


def _text(value) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def leaks(dump: str) -> list[str]:
    lowered = dump.lower()
    return [word for word in PERSONAL if word.lower() in lowered]


def where(word: str, dump: str) -> list[str]:
    """The lines of the dump that hold a word, to say where a leak is."""
    return [line[:300] for line in dump.splitlines() if word.lower() in line.lower()]


@pytest.fixture
def person(settings):
    """Someone with one approved story (edited by a moderator, with approved follow-ups) and
    one they never confirmed, who changed a consent and asked for a sign-in code."""
    treatment = make_treatment()
    user = author_for_email(EMAIL)
    approved = make_story(treatment, status=Story.Status.PENDING, author=user, email=EMAIL,
                          display_name=DISPLAY_NAME, title=APPROVED_TITLE, body=APPROVED_BODY)
    add_consents(approved)
    unconfirmed = make_story(treatment, status=Story.Status.UNCONFIRMED, email=EMAIL,
                             display_name=DISPLAY_NAME, title=UNCONFIRMED_TITLE,
                             body=UNCONFIRMED_BODY)
    add_consents(unconfirmed)
    return {"user": user, "approved": approved, "unconfirmed": unconfirmed,
            "moderator": make_moderator(), "admin": make_admin()}


def moderate_and_follow_up(person, admin_path: str) -> None:
    story, moderator, admin = person["approved"], person["moderator"], person["admin"]
    moderator_edits_in_the_admin(story, moderator, admin_path)
    client = signed_in(moderator)
    url = reverse("admin:stories_story_change", args=[story.pk])
    response = client.post(url, {**admin_form_data(client.get(url)), "_publish": "1"})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED and story.body == EDITED_BODY

    author = signed_in(person["user"])
    for day, body in zip(["2011-09-01", "2012-03-01"], FOLLOWUP_BODIES, strict=True):
        response = author.post(reverse("accounts:followup-add", args=[story.pk]),
                               {"reported_on": day, "result": "little_better", "body": body})
        assert response.status_code == 302
    ids = list(FollowUp.objects.filter(story=story).values_list("pk", flat=True))
    signed_in(admin).post("/moderation/followups/followup/",
                          {"action": "approve_selected", "_selected_action": ids})
    assert FollowUp.objects.filter(story=story, status=FollowUp.Status.APPROVED).count() == 2

    edited = Story.objects.get(pk=story.pk)
    edited.title = REVISED_TITLE
    assert story_author_edit(story=story, edited=edited) is not None
    Baseline.objects.create(story=person["unconfirmed"], recorded_on="2011-01-01",
                            expectation_notes=PRIVATE_NOTES)

    response = author.post(reverse("accounts:story-consent", args=[story.pk]),
                           {"purpose": "publish", "granted": "no"})
    assert response.status_code == 302
    author.post(reverse("accounts:story-consent", args=[story.pk]),
                {"purpose": "publish", "granted": "yes"})
    assert StoryConsent.objects.filter(story=story, purpose="publish").count() == 3


@pytest.mark.parametrize("admin_path", ["stories/story", "stories/storyawaitingreview"],
                         ids=["edited-from-the-story-list", "edited-from-the-queue"])
def test_erasing_a_person_leaves_nothing_that_names_them_or_holds_their_words(
    person, settings, admin_path
):
    moderate_and_follow_up(person, admin_path)
    client = Client()
    settings.TASKS = DATABASE_TASKS
    assert client.post("/accounts/login/code/", {"email": EMAIL}).status_code == 302
    assert DBTaskResult.objects.filter(args_kwargs__icontains=EMAIL).exists()  # queued, unsent
    client.force_login(person["user"])
    EntrySuggestion.objects.create(kind=EntrySuggestion.Kind.NEW, name="A clinic",
                                   email=EMAIL.upper())  # waiting, so it still holds the address
    before = full_dump()
    # The scan sees each of them while they exist (the first body was edited away).
    assert set(leaks(before)) == set(PERSONAL) - {APPROVED_BODY}
    assert LogEntry.objects.filter(object_repr=APPROVED_TITLE).exists()

    response = client.post(reverse("accounts:erase-me"), {"confirm": "erase"})

    assert response.status_code == 200
    assert "Everything about you has been erased" in response.content.decode()
    after = full_dump()
    assert leaks(after) == [], [where(word, after) for word in leaks(after)]


def test_a_moderator_saving_an_authors_edit_in_the_admin_leaves_no_trace_after_erasure(person):
    """The admin history names an author's edit by its proposed title."""
    moderate_and_follow_up(person, "stories/story")
    moderator = person["moderator"]
    group = moderator.groups.get(name="Moderators")
    for codename in ("view_storyrevision", "change_storyrevision"):  # as load_demo grants
        group.permissions.add(Permission.objects.get(codename=codename))
    client = signed_in(moderator)
    url = f"/moderation/stories/storyrevision/{StoryRevision.objects.get().pk}/change/"
    page = client.get(url)
    assert client.post(url, admin_form_data(page)).status_code == 302
    assert LogEntry.objects.filter(object_repr=REVISED_TITLE).exists()

    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    after = full_dump()
    assert leaks(after) == [], [where(word, after) for word in leaks(after)]


def test_after_erasure_the_person_is_signed_out_and_their_account_is_gone(person):
    client = signed_in(person["user"])

    client.post(reverse("accounts:erase-me"), {"confirm": "erase"})

    assert "_auth_user_id" not in client.session
    response = client.get(reverse("accounts:my-stories"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/")
    assert not get_user_model().objects.filter(pk=person["user"].pk).exists()
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()


def test_after_erasure_a_record_of_it_remains_without_the_address(person):
    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    record = ErasureRecord.objects.get()
    assert record.email_hash == email_fingerprint(EMAIL)
    assert EMAIL not in record.email_hash
    assert "zanthippe" not in json.dumps(
        list(ErasureRecord.objects.values()), default=str
    ).lower()
    assert record.stories_erased == 2
    assert record.account_erased is True


def test_after_erasure_the_stories_are_gone_from_the_list_and_the_statistics(person, client):
    moderate_and_follow_up(person, "stories/story")
    ids = [person["approved"].pk, person["unconfirmed"].pk]
    assert APPROVED_TITLE in client.get(reverse("stories:list")).content.decode()
    assert Story.objects.filter(consent_statistics=True, pk__in=ids).exists()

    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    assert APPROVED_TITLE not in client.get(reverse("stories:list")).content.decode()
    assert not Story.objects.filter(consent_statistics=True, pk__in=ids).exists()
    assert not FollowUp.objects.filter(story_id__in=ids).exists()
    assert not StoryConsent.objects.filter(story_id__in=ids).exists()


def test_erasure_keeps_the_moderation_record_without_its_notes(person):
    moderate_and_follow_up(person, "stories/story")
    story_id = person["approved"].pk
    decisions = ModerationDecision.objects.filter(object_id=story_id,
                                                  content_type__model="story")
    assert [d.changed_fields for d in decisions.filter(action=Action.EDIT)] == [["body"]]

    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    assert decisions.filter(action=Action.APPROVE).exists()
    assert all(d.note == "" and d.changed_fields == [] for d in decisions)


def test_erasure_leaves_other_people_alone(person):
    other_user = author_for_email("ben@example.com")
    other = make_story(title="Ben's own story", email="ben@example.com", author=other_user)
    FollowUp.objects.create(story=other, reported_on="2012-01-01", result="no_change")

    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    assert list(Story.objects.all()) == [other]
    assert FollowUp.objects.filter(story=other).count() == 1
    assert get_user_model().objects.filter(pk=other_user.pk).exists()
    assert get_user_model().objects.filter(pk=person["moderator"].pk).exists()


def test_without_ticking_the_box_nothing_is_erased(person):
    client = signed_in(person["user"])

    response = client.post(reverse("accounts:erase-me"), {})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:erase-me")
    assert Story.objects.count() == 2
    assert get_user_model().objects.filter(pk=person["user"].pk).exists()
    assert not ErasureRecord.objects.exists()
    assert client.get(reverse("accounts:my-stories")).status_code == 200


def test_the_erase_page_counts_every_story_that_will_be_erased(person):
    """The person is told how many stories go; erasure removes the unconfirmed one too."""
    response = signed_in(person["user"]).get(reverse("accounts:erase-me"))

    assert response.status_code == 200
    assert "your 2 stories" in response.content.decode()


def test_the_erase_page_is_never_cached(person):
    response = signed_in(person["user"]).get(reverse("accounts:erase-me"))

    assert response["Cache-Control"] == "no-store"


def test_a_request_from_another_device_leaves_no_trace_after_erasure(person, settings):
    """Asking for a code on a phone, then erasing from a laptop: the phone's pending sign-in
    (which names the address) must not outlive the person."""
    settings.TASKS = DATABASE_TASKS
    phone = Client()
    phone.post("/accounts/login/code/", {"email": EMAIL})

    signed_in(person["user"]).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    after = full_dump()
    assert leaks(after) == [], [where(word, after) for word in leaks(after)]


@pytest.mark.parametrize("address", ["zoe@example.com", "Zoe@Example.com", "zoe@bücher.example"])
def test_erasure_forgets_a_queued_sign_in_email_whatever_the_address_looks_like(
    settings, address
):
    """The queued row holds the address and a live code. JSON may store non-ASCII letters
    escaped (\\u00fc), so a plain text match can miss them."""
    user = author_for_email(address)
    make_story(author=user, email=address, display_name="Zoe")
    settings.TASKS = DATABASE_TASKS
    Client().post("/accounts/login/code/", {"email": address})
    assert DBTaskResult.objects.count() == 1

    signed_in(user).post(reverse("accounts:erase-me"), {"confirm": "erase"})

    left = [json.dumps(row.args_kwargs, ensure_ascii=False).lower()
            for row in DBTaskResult.objects.all()]
    assert not [row for row in left if address.lower() in row]


# One story at a time.


@pytest.fixture
def two_stories():
    treatment = make_treatment()
    user = author_for_email(EMAIL)
    first = make_story(treatment, author=user, email=EMAIL, title=APPROVED_TITLE,
                       body=APPROVED_BODY, display_name=DISPLAY_NAME)
    second = make_story(treatment, author=user, email=EMAIL, title="The second one",
                        display_name=DISPLAY_NAME)
    for story in (first, second):
        add_consents(story)
        for day in ("2011-09-01", "2012-03-01"):
            FollowUp.objects.create(story=story, reported_on=day, result="little_better",
                                    status=FollowUp.Status.APPROVED, body=f"About {story.title}")
    LogEntry.objects.log_actions(  # a moderator's edit, as the admin records it
        user_id=make_moderator().pk, queryset=Story.objects.filter(pk=first.pk),
        action_flag=CHANGE, change_message='[{"changed": {"fields": ["Story"]}}]',
        single_object=True,
    )
    return user, first, second


def test_erasing_one_story_first_shows_what_will_be_removed(two_stories):
    user, first, _second = two_stories

    response = signed_in(user).get(reverse("accounts:story-erase", args=[first.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert APPROVED_TITLE in html
    assert "every follow-up" in html
    assert "consent records" in html
    assert Story.objects.filter(pk=first.pk).exists()  # looking changes nothing


def test_erasing_one_story_removes_it_and_its_follow_ups_only(two_stories):
    user, first, second = two_stories
    client = signed_in(user)
    assert LogEntry.objects.filter(object_repr=APPROVED_TITLE).exists()

    response = client.post(reverse("accounts:story-erase", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my-stories")
    assert list(Story.objects.all()) == [second]
    assert not FollowUp.objects.filter(story_id=first.pk).exists()
    assert not StoryConsent.objects.filter(story_id=first.pk).exists()
    assert FollowUp.objects.filter(story=second).count() == 2
    assert StoryConsent.objects.filter(story=second).count() == 2
    assert not LogEntry.objects.filter(object_repr=APPROVED_TITLE).exists()
    assert client.get(reverse("accounts:my-stories")).status_code == 200  # still signed in
    assert EmailAddress.objects.filter(email=EMAIL).exists()
    record = ErasureRecord.objects.get()
    assert record.stories_erased == 1 and record.account_erased is False
    dump = full_dump()
    assert APPROVED_TITLE not in dump and APPROVED_BODY not in dump
    assert f"About {APPROVED_TITLE}" not in dump
