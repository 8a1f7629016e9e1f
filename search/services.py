"""Keeping the search index current. Each function writes or removes `SearchDocument` rows;
the database carries the change into its full-text index within the same transaction."""

from django.db import connection, transaction

from articles.models import Article
from followups.models import FollowUp
from search.documents import article_document, followup_document, story_document
from search.models import SearchDocument
from stories.models import Story

REBUILD_BATCH = 500


def _validate(document: SearchDocument) -> None:
    # The treatment is copied from a saved story; checking it would cost a query a document.
    document.full_clean(exclude=["treatment"], validate_unique=False, validate_constraints=False)


def _put(document: SearchDocument) -> None:
    """Insert or replace the row for the document's object."""
    document.pk = (
        SearchDocument.objects.filter(kind=document.kind, object_id=document.object_id)
        .values_list("pk", flat=True)
        .first()
    )
    _validate(document)
    document.save()


def _remove(kind: str, object_id: int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()


@transaction.atomic
def search_index_story(*, story_id: int) -> None:
    """Index the story and its approved follow-ups if it is public; otherwise remove it and
    everything of it from the index. Reads the story as the database now has it."""
    story = Story.objects.public().select_related("treatment").filter(pk=story_id).first()
    if story is None:
        search_forget_story(story_id=story_id)
        return
    _put(story_document(story))
    followups = {f.pk: f for f in FollowUp.objects.published().filter(story=story)}
    indexed = set(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.FOLLOWUP, story_id=story.pk)
        .values_list("object_id", flat=True)
    )
    for followup_id in indexed - {pk for pk, f in followups.items() if f.body.strip()}:
        _remove(SearchDocument.Kind.FOLLOWUP, followup_id)
    for followup in followups.values():
        if followup.body.strip():
            _put(followup_document(followup, story))


@transaction.atomic
def search_index_followup(*, followup_id: int) -> None:
    """Index an approved follow-up with words, of a public story; otherwise remove it."""
    followup = FollowUp.objects.published().filter(pk=followup_id).first()
    story = followup and Story.objects.public().filter(pk=followup.story_id).first()
    if followup is None or story is None or not followup.body.strip():
        _remove(SearchDocument.Kind.FOLLOWUP, followup_id)
        return
    _put(followup_document(followup, story))


@transaction.atomic
def search_index_article(*, article_id: int) -> None:
    """Index a published article (one dated later is indexed now and shown from its day)."""
    article = Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED).first()
    if article is None:
        _remove(SearchDocument.Kind.ARTICLE, article_id)
        return
    _put(article_document(article))


def search_forget_story(*, story_id: int) -> None:
    SearchDocument.objects.filter(story_id=story_id).delete()


def search_index_purge() -> None:
    """Make deleted documents' words unreadable, for erasures. SQLite's FTS5 keeps deleted
    terms in its index segments until they are merged (its secure-delete option needs SQLite
    3.44); 'optimize' merges them all now. PostgreSQL removes the rows with their vectors."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def search_forget_followup(*, followup_id: int) -> None:
    _remove(SearchDocument.Kind.FOLLOWUP, followup_id)


def search_forget_article(*, article_id: int) -> None:
    _remove(SearchDocument.Kind.ARTICLE, article_id)


def _documents():
    stories = Story.objects.public().select_related("treatment").order_by("pk")
    for story in stories.iterator(chunk_size=REBUILD_BATCH):
        yield story_document(story)
    followups = (
        FollowUp.objects.published()
        .filter(story__in=Story.objects.public())
        .exclude(body="")
        .select_related("story")
        .order_by("pk")
    )
    for followup in followups.iterator(chunk_size=REBUILD_BATCH):
        if followup.body.strip():
            yield followup_document(followup, followup.story)
    for article in Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk"):
        yield article_document(article)


@transaction.atomic
def search_index_rebuild() -> int:
    """Make the index again from the public content, for content written without signals
    (`bulk_create`, data migrations, the demo loader). Idempotent; returns the number of
    documents."""
    SearchDocument.objects.all().delete()
    batch: list[SearchDocument] = []
    count = 0
    for document in _documents():
        _validate(document)
        batch.append(document)
        if len(batch) == REBUILD_BATCH:
            SearchDocument.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    count += len(batch)
    if connection.vendor == "sqlite":
        # Also repairs an FTS index that drifted from its table (say, rows written while a
        # migration had dropped the triggers).
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    return count
