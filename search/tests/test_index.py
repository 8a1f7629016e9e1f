"""The index follows the content: what is published is found, what stops being public is gone
at once, in the same transaction as the change."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import story_erase
from articles.models import Article
from followups.models import FollowUp
from followups.services import followup_approve, followup_reject
from hindsight.testing import make_moderator, make_story, make_treatment
from search.backends import search
from search.models import SearchDocument
from search.query import parse_query
from search.services import search_index_rebuild
from stories import services as story_services
from stories.models import Story, StoryAwaitingReview, StoryRevision

pytestmark = pytest.mark.django_db


def found(text: str, **filters) -> list[str]:
    results = search(parse_query(text), filters)
    return [f"{doc.kind}:{doc.title}" for doc in results[0 : results.count()]]


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def story():
    return make_story(title="Warm hands in Katowice", body="My fatigue lifted within a week.")


def pending_story(**fields) -> Story:
    story = make_story(status=Story.Status.PENDING, **fields)
    assert found("zebra") == []
    return story


def test_a_story_is_found_once_a_moderator_approves_it(moderator):
    story = pending_story(title="Zebra crossing", body="I walked over the zebra crossing.")

    story_services.story_approve(story=story, moderator=moderator)

    assert found("zebra") == ["story:Zebra crossing"]
    document = SearchDocument.objects.get()
    assert document.url == Story.objects.get().get_absolute_url()


def test_withdrawing_a_story_removes_it_in_the_same_transaction(story):
    with transaction.atomic():
        story_services.story_withdraw(story=story)
        assert found("fatigue") == []
        transaction.set_rollback(True)
    # The withdrawal was rolled back, and with it the removal from the index.
    assert found("fatigue") == ["story:Warm hands in Katowice"]

    story_services.story_withdraw(story=story)
    assert found("fatigue") == [] and not SearchDocument.objects.exists()


@pytest.mark.parametrize("change", ["consent", "reject", "erase"])
def test_a_story_that_stops_being_public_leaves_the_index(story, moderator, change):
    FollowUp.objects.create(story=story, status=FollowUp.Status.APPROVED,
                            reported_on=datetime.date(2012, 3, 1), result="no_change",
                            body="Still tired after a year.", published_at=timezone.now())
    assert found("tired") == ["followup:Warm hands in Katowice"]

    if change == "consent":
        story_services.story_set_consent(story=story, purpose="publish", granted=False)
    elif change == "reject":
        story_services.story_reject(story=story, moderator=moderator, reason="identifying")
    else:
        story_erase(story=story)

    assert found("fatigue") == [] and found("tired") == []
    assert not SearchDocument.objects.exists()


def test_follow_ups_are_found_while_approved_and_their_story_is_public(story, moderator):
    followup = FollowUp.objects.create(story=story, reported_on=datetime.date(2012, 3, 1),
                                       result="no_change", body="Vision blurred again in May.")
    assert found("blurred") == []

    followup_approve(followup=followup, moderator=moderator)
    assert found("blurred") == ["followup:Warm hands in Katowice"]
    assert SearchDocument.objects.get(kind="followup").url.endswith("#next-heading")
    # A follow-up is found by its own words, not by the title of the story it belongs to.
    assert found("katowice") == ["story:Warm hands in Katowice"]

    story_services.story_withdraw(story=story)
    assert found("blurred") == []
    story_services.story_resubmit(story=story)
    story_services.story_approve(story=story, moderator=moderator)
    assert found("blurred") == ["followup:Warm hands in Katowice"]

    followup_reject(followup=followup, moderator=moderator, reason="identifying")
    assert found("blurred") == []


def test_an_approved_edit_replaces_the_words_that_are_found(story, moderator):
    edited = Story.objects.get(pk=story.pk)
    edited.title, edited.body = "Cold feet in Katowice", "My balance came back slowly."
    revision = story_services.story_author_edit(story=story, edited=edited)
    assert found("balance") == []  # the published version stays until a moderator approves

    story_services.revision_approve(revision=revision, moderator=moderator)

    assert found("balance") == ["story:Cold feet in Katowice"] and found("fatigue") == []
    assert StoryRevision.objects.get().status == StoryRevision.Status.APPROVED


def test_saving_through_the_moderation_queue_proxy_counts_too():
    story = pending_story(title="Zebra again", body="Zebra words.")
    queued = StoryAwaitingReview.objects.get(pk=story.pk)
    queued.status = Story.Status.APPROVED
    queued.published_at = timezone.now()
    queued.assign_slug()
    queued.save()
    assert found("zebra") == ["story:Zebra again"]

    StoryAwaitingReview.objects.get(pk=story.pk).delete()
    assert found("zebra") == []


def test_articles_are_found_from_their_publish_day_until_unpublished():
    article = Article.objects.create(title="Trials of venoplasty", slug="trials",
                                     summary="What the trials found.", body="Brave Dreams.",
                                     status=Article.Status.PUBLISHED,
                                     published_on=timezone.localdate() + datetime.timedelta(2))
    draft = Article.objects.create(title="Draft trials", slug="draft", summary="s",
                                   body="Unfinished trials.")
    assert found("trials") == []  # published, but for a later day; the draft never

    article.published_on = timezone.localdate()
    article.save()
    assert found("trials") == ["article:Trials of venoplasty"]
    assert found("brave dreams") == ["article:Trials of venoplasty"]

    article.status = Article.Status.DRAFT
    article.save()
    draft.delete()
    assert found("trials") == [] and not SearchDocument.objects.exists()


def test_the_database_index_follows_the_documents_table(story):
    """Guards the triggers (SQLite) and the generated column (PostgreSQL): an update and a
    delete of a document row change what the engine matches."""
    document = SearchDocument.objects.get()
    document.body_terms = "zebra"
    document.save()
    assert found("zebra") == ["story:Warm hands in Katowice"] and found("fatigue") == []
    document.delete()
    assert found("zebra") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'search_searchdocument' ORDER BY name")
            assert [row[0] for row in cursor.fetchall()] == [
                "search_fts_delete", "search_fts_insert", "search_fts_update"]


def test_rebuild_indexes_content_written_without_signals_and_can_run_again(capsys):
    treatment = make_treatment()
    public = Story(treatment=treatment, title="Bulk zebra", body="Loaded in bulk, zebra.",
                   procedure_status="yes", display_name="A", email="a@example.com",
                   status=Story.Status.APPROVED, consent_publish=True, slug="bulk-zebra",
                   published_at=timezone.now())
    private = Story(treatment=treatment, title="Pending zebra", body="Zebra too.",
                    procedure_status="yes", display_name="B", email="b@example.com",
                    status=Story.Status.PENDING, consent_publish=True)
    public.refresh_derived()
    private.refresh_derived()
    Story.objects.bulk_create([public, private])
    assert found("zebra") == []

    call_command("rebuild_search_index")
    assert "Indexed 1 documents." in capsys.readouterr().out
    assert found("zebra") == ["story:Bulk zebra"]

    before = list(SearchDocument.objects.values_list("kind", "object_id", "title_terms",
                                                     "body_terms"))
    assert search_index_rebuild() == 1
    after = list(SearchDocument.objects.values_list("kind", "object_id", "title_terms",
                                                    "body_terms"))
    assert before == after and found("zebra") == ["story:Bulk zebra"]


def test_search_filters_use_the_story_answers(story):
    other = make_story(title="Stent in Sofia", body="My fatigue came back.", country="BG",
                       result="much_worse", procedure_kind="stent", treated_year=2010)
    Article.objects.create(title="Fatigue explained", slug="fatigue", summary="Fatigue.",
                           body="b", status=Article.Status.PUBLISHED)
    assert len(found("fatigue")) == 3
    assert found("fatigue", country="BG") == ["story:Stent in Sofia"]
    assert found("fatigue", result="little_better") == ["story:Warm hands in Katowice"]
    assert found("fatigue", procedure_kind="stent", treated_year=2010) == [
        "story:Stent in Sofia"]
    assert found("fatigue", kind="article") == ["article:Fatigue explained"]
    assert sorted(found("fatigue", treatment_id=other.treatment_id, kind="story")) == [
        "story:Stent in Sofia", "story:Warm hands in Katowice"]
