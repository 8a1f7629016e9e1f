"""The story page kept in the shared cache: served to anonymous readers without touching the
database, never to anyone with a session, and dropped as soon as anything it shows changes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from discussion import services as discussion_services
from discussion.tests.helpers import comment_data, confirm_from_outbox, write_url
from followups.models import FollowUp
from hindsight.lib import page_cache
from hindsight.testing import make_moderator, make_story, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit when the block ends, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _read(url: str, client: Client | None = None) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_reader_gets_the_same_page_without_a_query():
    story = make_story(title="Walking further")
    first, first_queries = _read(story.get_absolute_url())

    second, second_queries = _read(story.get_absolute_url())

    assert first_queries >= 3 and second_queries == 0
    assert second == first and "Walking further" in second
    response = Client().get(story.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=60" and not response.cookies


def test_a_change_to_the_story_shows_at_once(committed):
    story = make_story(title="Walking further")
    _read(story.get_absolute_url())

    with committed():
        story.title = "Walking further, a year on"
        story.save()

    html, queries = _read(story.get_absolute_url())
    assert "Walking further, a year on" in html and queries > 0


def test_a_change_that_never_commits_keeps_the_kept_page(committed):
    story = make_story(title="Walking further")
    _read(story.get_absolute_url())

    story.body = "Not committed"
    story.save()  # the test's transaction never commits: nothing new to read yet

    assert _read(story.get_absolute_url())[1] == 0


def test_an_approved_follow_up_shows_at_once(committed):
    from followups.services import followup_approve

    story = make_story()
    followup = FollowUp.objects.create(story=story, reported_on="2012-03-10",
                                       result="much_better", body="A year on and still walking.")
    assert "A year on and still walking" not in _read(story.get_absolute_url())[0]

    with committed():
        followup_approve(followup=followup, moderator=make_moderator())

    assert "A year on and still walking" in _read(story.get_absolute_url())[0]


def test_a_comment_marked_as_spam_disappears_at_once(committed):
    story = make_story()
    moderator = make_moderator()
    writer = Client()
    writer.post(write_url(story), comment_data(body="Buy cheap pills at example dot com"))
    confirm_from_outbox(writer)
    comment = story_comment = discussion_services.Comment.objects.latest("id")
    with committed():
        discussion_services.comment_approve(comment=comment, moderator=moderator)
    assert "Buy cheap pills" in _read(story.get_absolute_url())[0]

    with committed():
        discussion_services.comment_mark_spam(comment=story_comment, moderator=moderator)

    assert "Buy cheap pills" not in _read(story.get_absolute_url())[0]


def test_a_withdrawn_story_is_gone_at_once(committed):
    from stories.services import story_withdraw

    story = make_story()
    _read(story.get_absolute_url())

    with committed():
        story_withdraw(story=story)

    assert Client().get(story.get_absolute_url()).status_code == 404


def test_signed_in_visitors_and_visitors_with_cookies_never_get_the_kept_page():
    story = make_story()
    _read(story.get_absolute_url())
    signed_in = Client()
    signed_in.force_login(make_moderator())
    with_cookie = Client()
    with_cookie.cookies["sessionid"] = "anything"

    assert _read(story.get_absolute_url(), signed_in)[1] > 0
    assert _read(story.get_absolute_url(), with_cookie)[1] > 0


def test_a_page_rendered_while_a_change_commits_is_not_kept_under_the_new_generation(
        monkeypatch):
    from stories import views

    story = make_story(title="Before")
    render = views._story_detail

    def render_while_a_change_commits(request, slug):
        page_cache.pages_changed()
        return render(request, slug)

    monkeypatch.setattr(views, "_story_detail", render_while_a_change_commits)
    Client().get(story.get_absolute_url())
    monkeypatch.setattr(views, "_story_detail", render)

    assert _read(story.get_absolute_url())[1] > 0


def test_a_page_kept_by_other_code_is_not_served(monkeypatch):
    story = make_story()
    monkeypatch.setattr(page_cache, "code_fingerprint", lambda: "before-the-deploy")
    _read(story.get_absolute_url())

    monkeypatch.setattr(page_cache, "code_fingerprint", lambda: "after-the-deploy")

    assert _read(story.get_absolute_url())[1] > 0


def test_the_code_fingerprint_follows_the_templates(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    page_cache.code_fingerprint.cache_clear()
    try:
        before = page_cache.code_fingerprint()
        template.write_text("<p>two</p>")
        page_cache.code_fingerprint.cache_clear()
        assert page_cache.code_fingerprint() != before
    finally:
        page_cache.code_fingerprint.cache_clear()


def test_without_a_shared_cache_pages_are_not_kept(settings):
    settings.KEEP_RENDERED_PAGES = False
    story = make_story()
    _read(story.get_absolute_url())

    assert _read(story.get_absolute_url())[1] > 0


def test_migrate_starts_a_new_generation():
    story = make_story()
    _read(story.get_absolute_url())

    call_command("migrate", verbosity=0, interactive=False)

    assert _read(story.get_absolute_url())[1] > 0


def test_a_treatment_renamed_shows_on_its_stories(committed):
    treatment = make_treatment()
    story = make_story(treatment)
    _read(story.get_absolute_url())

    with committed():
        treatment.name = "Renamed venous angioplasty"
        treatment.save()

    assert "Renamed venous angioplasty" in _read(story.get_absolute_url())[0]


def test_a_page_that_is_not_found_is_never_kept():
    story = make_story(status=Story.Status.PENDING)
    assert Client().get(story.get_absolute_url()).status_code == 404

    with CaptureQueriesContext(connection) as queries:
        assert Client().get(story.get_absolute_url()).status_code == 404

    assert len(queries) > 0


@pytest.mark.django_db(transaction=True)  # as on the site: no transaction around each step
def test_migrate_and_changes_still_work_before_the_cache_table_exists(settings):
    """A first `migrate` runs before `createcachetable`; a cache that fails must not fail the
    change that was already committed."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "no_such_cache_table"}}
    story = make_story()

    call_command("migrate", verbosity=0, interactive=False)
    story.title = "Changed while the cache is missing"
    story.save()

    story.refresh_from_db()
    assert story.title == "Changed while the cache is missing"
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 200 and b"Changed while the cache is missing" in response.content


def test_the_page_signals_leave_other_models_to_fast_bulk_deletes():
    from django.contrib.sessions.models import Session
    from django.db.models.deletion import Collector

    from outcomes.models import ModerationTally

    collector = Collector(using="default")
    for model in (Session, ModerationTally):
        assert collector.can_fast_delete(model.objects.all()), model
