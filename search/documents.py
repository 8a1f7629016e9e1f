"""What each kind of public content looks like to search: pure builders, no queries."""

import datetime
import html

from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article
from followups.models import FollowUp
from search.models import SearchDocument
from search.text import index_terms, normalise_text
from stories.models import Story


def _plain(rendered_html: str) -> str:
    """The words of sanitised HTML, as text (entities decoded; escaped again when shown)."""
    return " ".join(html.unescape(strip_tags(rendered_html)).split())


def _document(*, title: str, text: str, index_title: bool = True, **fields) -> SearchDocument:
    title, text = normalise_text(title), normalise_text(text)
    return SearchDocument(
        title=title,
        text=text,
        title_terms=index_terms(title) if index_title else "",
        body_terms=index_terms(text),
        **fields,
    )


def _story_fields(story: Story) -> dict:
    return {
        "story_id": story.pk,
        "is_demo": story.is_demo,
        "treatment_id": story.treatment_id,
        "procedure_status": story.procedure_status,
        "result": story.result,
        "ms_type": story.ms_type,
        "country": str(story.country or ""),
        "procedure_kind": story.procedure_kind,
        "treated_year": story.treated_year,
    }


def story_document(story: Story) -> SearchDocument:
    """A public story: its title, its words, and where and by whom it was done, as the story
    page shows them."""
    facts = []
    if story.had_procedure:
        facts = [story.place_display(), story.clinic, story.treated_by]
    text = " · ".join(part for part in [_plain(story.body_html), *facts] if part)
    return _document(
        kind=SearchDocument.Kind.STORY,
        object_id=story.pk,
        title=story.title,
        text=text,
        url=story.get_absolute_url(),
        published_at=story.published_at or story.submitted_at,
        **_story_fields(story),
    )


def followup_document(followup: FollowUp, story: Story) -> SearchDocument:
    """An approved follow-up with words, found by its own words (not by the story's title,
    which it shows) and filtered by its story's answers."""
    return _document(
        kind=SearchDocument.Kind.FOLLOWUP,
        object_id=followup.pk,
        title=story.title,
        text=_plain(followup.body_html),
        index_title=False,
        url=story.get_absolute_url() + "#next-heading",
        published_at=followup.published_at or followup.submitted_at,
        **_story_fields(story),
    )


def article_document(article: Article) -> SearchDocument:
    published = timezone.make_aware(datetime.datetime.combine(article.published_on,
                                                              datetime.time.min))
    return _document(
        kind=SearchDocument.Kind.ARTICLE,
        object_id=article.pk,
        title=article.title,
        text=" ".join(part for part in [article.summary, _plain(article.body_html())] if part),
        url=article.get_absolute_url(),
        published_at=published,
    )
