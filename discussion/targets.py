"""The pages people can comment on. A domain app registers its model once (stories now,
articles later) and the whole comment engine serves it, with no code of its own."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


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


def commentable(kind: str) -> Commentable | None:
    return _REGISTRY.get(kind)


def commentable_for(obj: models.Model) -> Commentable:
    for entry in _REGISTRY.values():
        if isinstance(obj, entry.model):
            return entry
    raise LookupError(f"{type(obj).__name__} does not take comments")
