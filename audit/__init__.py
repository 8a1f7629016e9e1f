"""The audit log: who did what, when, from where (as a keyed hash), never what anyone typed.

`audit.record(...)` is the one call other apps need; most events arrive by signals instead
(see `audit.receivers`)."""


def record(action: str, **kwargs):
    """Record one audit event; see `audit.services.event_record` for the arguments."""
    from audit.services import event_record

    return event_record(action=action, **kwargs)
