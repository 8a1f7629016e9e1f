"""The pages people can comment on. A domain app registers its model once (stories now,
articles later) and the whole comment engine serves it, with no code of its own: the pages
to write, report and change comments, the emails, and the erasure of a page's discussion when
the page is deleted."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete

from discussion.erasure import discussion_erase
from discussion.models import Comment
from hindsight.lib.signals import connect_with_proxies


@dataclass(frozen=True)
class Commentable:
    kind: str
    model: type[models.Model]
    visible: Callable[[], models.QuerySet]  # the objects whose comments anyone may see
    author_email: Callable[[models.Model], str | None]  # who is told of new comments

    def get(self, pk: int) -> models.Model | None:
        return self.visible().filter(pk=pk).first()


_REGISTRY: dict[str, Commentable] = {}


def register(commentable: Commentable) -> None:
    _REGISTRY[commentable.kind] = commentable
    # A comment cannot outlive its page, whichever way the page goes: its author erasing it
    # or everything, a superuser's delete in the admin, a queryset deleting many, a restore
    # applying an erasure again, and any path added later. A generic relation has no foreign
    # key to cascade, so this receiver is that cascade; like one, it runs inside the delete's
    # transaction. Explicit calls from the erase services would miss the other paths.
    connect_with_proxies(post_delete, _page_deleted, [commentable.model],
                         dispatch_uid="discussion.page_deleted")


def _page_deleted(sender, instance: models.Model, using: str, **kwargs) -> None:
    # Only while the model takes comments (a test may register a kind for a while).
    if any(isinstance(instance, entry.model) for entry in _REGISTRY.values()):
        discussion_erase(page=instance, using=using)


def commentable(kind: str) -> Commentable | None:
    return _REGISTRY.get(kind)


def commentable_for(obj: models.Model) -> Commentable:
    for entry in _REGISTRY.values():
        if isinstance(obj, entry.model):
            return entry
    raise LookupError(f"{type(obj).__name__} does not take comments")


def registered_commentables() -> list[Commentable]:
    return list(_REGISTRY.values())


def visible_page(comment: Comment) -> models.Model | None:
    """The page a comment is on if anyone may see it now; None when that page is hidden
    (withdrawn, rejected, no consent to publish) or gone, or takes no comments."""
    model = ContentType.objects.get_for_id(comment.content_type_id).model_class()
    for entry in _REGISTRY.values():
        if model is not None and issubclass(model, entry.model):
            return entry.get(comment.object_id)
    return None
