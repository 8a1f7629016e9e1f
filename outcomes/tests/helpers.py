import datetime
import itertools

from followups.models import FollowUp
from hindsight.testing import make_story

_people = itertools.count(1)


def counted_person(treatment, *, better_at_3: bool, followups=(), **fields):
    """A counted person (an address of their own) treated in January 2024 whose story (sent in
    April) gives a result, with approved follow-ups at the given (months, result)."""
    fields.setdefault("email", f"person-{next(_people)}@example.org")
    # Statistics only unless a test says otherwise: published stories are public rows, and
    # the small-count rule protects the rest (docs/disclosure.md).
    fields.setdefault("consent_publish", False)
    story = make_story(
        treatment, treated_year=2024, treated_month=1,
        result="little_better" if better_at_3 else "no_change",
        submitted_at=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC), **fields,
    )
    for months, result in followups:
        FollowUp.objects.create(
            story=story, status=FollowUp.Status.APPROVED, result=result,
            reported_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=int(months * 30.44)),
        )
    return story


def release_figures() -> str:
    """Run `manage.py release_outcomes`, as the weekly timer does; what it said."""
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("release_outcomes", stdout=out)
    return out.getvalue()
