"""The stress suite's look into the database: what it counts as stored, stored half-way, or
broken, on the engine the tests run on (SQLite, or PostgreSQL under scripts/with-postgres)."""

import pytest
from django.db import connection

from discussion import services as discussion
from hindsight.testing import make_moderator, make_story, make_treatment
from stories import services
from stories.models import Story, StoryConsent
from stress import dbtool

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _submitted(email: str) -> Story:
    story = Story(treatment=make_treatment(), procedure_status="decided_against", title="A title",
                  body="What happened to me, in my own words, at some length.",
                  display_name="Anna", email=email, consent_publish=True)
    return services.story_submit(story=story)


def test_a_story_submitted_through_the_service_is_found_whole(settings):
    settings.TASKS = DB_TASKS
    _submitted("whole@stress.example")
    answer = dbtool.find({"stories": ["whole@stress.example", "never@stress.example"]})
    assert answer["stories"] == ["whole@stress.example"]
    assert answer["half_written"] == []


def test_a_story_without_its_consents_or_email_task_is_half_written(settings):
    settings.TASKS = DB_TASKS
    make_story(email="half@stress.example", status=Story.Status.UNCONFIRMED)
    answer = dbtool.find({"stories": ["half@stress.example"]})
    assert answer["stories"] == ["half@stress.example"]
    assert sorted(answer["half_written"]) == [
        "story half@stress.example: 0 consent rows, not 2",
        "story half@stress.example: no confirmation email task",
    ]


def test_an_unconfirmed_comment_needs_its_confirmation_task(settings):
    settings.TASKS = DB_TASKS
    story = make_story()
    discussion.comment_submit(target=story, parent=None, name="Anna",
                              email="c@stress.example", body="Thank you.",
                              seconds_to_write=60, browser_confirmed=False)
    assert dbtool.find({"comments": ["c@stress.example"]}) == {
        "stories": [], "comments": ["c@stress.example"], "half_written": []}
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    assert dbtool.find({"comments": ["c@stress.example"]})["half_written"] == [
        "comment c@stress.example: no confirmation email task"]


def test_publish_takes_stories_and_comments_to_the_public_pages(settings):
    make_moderator("moderator")
    story = _submitted("pub@stress.example")
    target = make_story()
    discussion.comment_submit(target=target, parent=None, name="Anna",
                              email="pubc@stress.example", body="Thank you.",
                              seconds_to_write=60, browser_confirmed=False)
    answer = dbtool.publish({"stories": ["pub@stress.example"],
                             "comments": ["pubc@stress.example"]})
    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert answer["stories"] == [{"email": "pub@stress.example",
                                  "url": story.get_absolute_url()}]
    assert [c["url"] for c in answer["comments"]] == [target.get_absolute_url()]
    assert answer["problems"] == []


def test_the_database_checks_pass_on_a_sound_database():
    make_story()
    answer = dbtool.integrity({})
    assert answer["ok"], answer
    assert answer["engine"] == connection.vendor
    assert answer["checks"]["foreign keys (every model)"] == "ok"


def test_a_row_pointing_at_no_row_is_found_on_either_engine():
    story = make_story()
    StoryConsent.objects.create(story=story, purpose="publish", granted=True, version=1,
                                text="I agree.")
    # Foreign keys are checked at commit, and a test never commits: the orphan stays visible.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE stories_storyconsent SET story_id = %s", [story.pk + 1000])
    orphans = dbtool._orphans()
    # Put it right again: the test's teardown checks the constraints itself.
    StoryConsent.objects.all().delete()
    assert orphans == ["stories_storyconsent.story_id: 1 orphan rows"]
