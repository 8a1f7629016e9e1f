"""Keep the index current as content changes, inside the transaction that changes it.

Receivers are connected to each indexed model and to its proxies, so saves through the
moderation queue's `StoryAwaitingReview` count too. `QuerySet.update()` sends no signal:
code that changes a story, follow-up or article that way must call `search.services` itself
(none does today). Rows written with `bulk_create` (the demo loader) need
`search_index_rebuild()`.
"""

from articles.models import Article
from followups.models import FollowUp
from search import services
from stories.models import Story


def indexed_models() -> tuple[type, ...]:
    return (Story, FollowUp, Article)


def _concrete(sender):
    return sender._meta.concrete_model


def content_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures: related rows may not be loaded yet; rebuild the index afterwards
        return
    model = _concrete(sender)
    if model is Story:
        services.search_index_story(story_id=instance.pk)
    elif model is FollowUp:
        services.search_index_followup(followup_id=instance.pk)
    elif model is Article:
        services.search_index_article(article_id=instance.pk)


def content_deleted(sender, instance, **kwargs) -> None:
    model = _concrete(sender)
    if model is Story:
        # A deleted story is an erasure: its words must not survive in the index either.
        services.search_forget_story(story_id=instance.pk)
        services.search_index_purge()
    elif model is FollowUp:
        services.search_forget_followup(followup_id=instance.pk)
    elif model is Article:
        services.search_forget_article(article_id=instance.pk)
