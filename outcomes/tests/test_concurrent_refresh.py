"""Two moderators approve two follow-ups of one story at the same moment: the story's derived
rows are rebuilt one refresh at a time, never twice over."""

import threading

import pytest
from django.db import connection, connections, transaction

from followups.models import FollowUp
from hindsight.testing import make_moderator, make_story
from outcomes.tallies import rebuild_moderation_tallies
from outcomes.tests.test_tallies import _rows

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="SQLite runs one writer at a time; there is nothing to race"),
]


def test_two_follow_ups_approved_at_once_leave_the_rows_a_rebuild_would_make():
    from followups.services import followup_approve

    story = make_story(procedure_status="yes", treated_year=2011, treated_month=3)
    moderator = make_moderator()
    followups = [FollowUp.objects.create(story=story, reported_on=day, result="much_better",
                                         body="Still walking further.")
                 for day in ("2011-09-10", "2012-03-10")]
    both_locked = threading.Barrier(2, timeout=20)
    errors = []

    def approve(followup):
        try:
            with transaction.atomic():
                FollowUp.objects.select_for_update().get(pk=followup.pk)
                both_locked.wait()  # each holds its own follow-up: now both approve
                followup_approve(followup=followup, moderator=moderator)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(f,)) for f in followups]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    kept_rows = _rows()
    rebuild_moderation_tallies()
    assert _rows() == kept_rows
    assert connection.vendor == "postgresql"
