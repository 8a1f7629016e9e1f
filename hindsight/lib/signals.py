"""Connecting model signals by sender."""

from collections.abc import Callable, Iterable

from django.apps import apps
from django.dispatch import Signal


def connect_with_proxies(signal: Signal, receiver: Callable, models: Iterable[type], *,
                         dispatch_uid: str) -> None:
    """Connect `receiver` to `signal` for each of `models` and every proxy of them, by name.

    By name, because a delete receiver with no sender makes Django give up fast bulk deletes
    on every model (sessions, derived rows). With the proxies, because a save or delete through
    a proxy (the moderation queue's `StoryAwaitingReview`) is sent with the proxy as sender.
    """
    concrete = set(models)
    for model in apps.get_models():
        if model._meta.concrete_model in concrete:
            signal.connect(receiver, sender=model,
                           dispatch_uid=f"{dispatch_uid}.{model._meta.label_lower}")
