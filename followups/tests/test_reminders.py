import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from followups.models import FollowUp, ReminderSent, reminder_milestone_due
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db


def _story(**fields):
    defaults = dict(treated_year=2026, treated_month=1, reminders_enabled=True,
                    email_confirmed_at=timezone.now())
    return make_story(**{**defaults, **fields})


def _run(day: str) -> None:
    with time_machine.travel(f"{day} 09:00Z", tick=False):
        call_command("send_reminders", verbosity=0, stdout=open("/dev/null", "w"))


@pytest.mark.parametrize(
    ("months", "milestone"),
    [(0, None), (2, None), (3, 3), (5, 3), (6, 6), (11, 6), (12, 12), (23, 12), (24, 24),
     (35, 24), (36, 36), (49, 48)],
)
def test_milestones_are_3_6_12_24_months_then_yearly(months, milestone):
    assert reminder_milestone_due(months) == milestone


def test_running_twice_on_the_same_day_sends_each_reminder_once():
    story = _story()
    _run("2026-04-02")
    _run("2026-04-02")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [story.email]
    assert ReminderSent.objects.get().milestone_months == 3


def test_the_next_milestone_brings_the_next_reminder_and_nothing_in_between():
    _story()
    for day in ["2026-04-02", "2026-05-15", "2026-07-01", "2026-07-20", "2027-01-01"]:
        _run(day)

    assert [r.milestone_months for r in ReminderSent.objects.order_by("sent_at")] == [3, 6, 12]
    assert len(mail.outbox) == 3


def test_missed_milestones_are_not_sent_late():
    _story(treated_year=2020)
    _run("2026-04-02")

    assert [r.milestone_months for r in ReminderSent.objects.all()] == [72]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "fields",
    [{"reminders_enabled": False}, {"email_confirmed_at": None},
     {"status": Story.Status.WITHDRAWN}, {"procedure_status": "booked", "treated_year": None}],
)
def test_no_reminder_without_a_confirmed_request(fields):
    _story(**fields)
    _run("2026-04-02")

    assert mail.outbox == []


def test_the_email_links_to_the_follow_up_form_and_stops_in_one_click(client):
    story = _story()
    _run("2026-04-02")
    message = mail.outbox[0]
    follow_up = re.search(r"http://[^/]+(/reminders/[^\s]+/follow-up/)", message.body).group(1)
    stop = re.search(r"http://[^/]+(/reminders/[^\s]+/stop/)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in message.extra_headers["List-Unsubscribe"]

    with time_machine.travel("2026-04-03 09:00Z", tick=False):
        page = client.get(follow_up)
        assert page.status_code == 200 and "How are you now?" in page.content.decode()
        response = client.post(follow_up, {"reported_on": "2026-04-02", "result": "no_change"})
        assert response.status_code == 302
        assert FollowUp.objects.get(story=story).status == FollowUp.Status.PENDING

        assert client.get(stop).status_code == 200
        story.refresh_from_db()
        assert story.reminders_enabled  # looking at the page changes nothing
        csrf_checking = client.__class__(enforce_csrf_checks=True)
        csrf_checking.post(stop)  # a mail program's one-click POST carries no CSRF token
        story.refresh_from_db()
        assert not story.reminders_enabled


def test_the_follow_up_link_expires(client):
    _story()
    _run("2026-04-02")
    follow_up = re.search(r"http://[^/]+(/reminders/[^\s]+/follow-up/)",
                          mail.outbox[0].body).group(1)

    with time_machine.travel("2026-09-01 09:00Z", tick=False):
        assert client.get(follow_up).status_code == 400


def test_a_tampered_link_is_refused(client):
    assert client.get("/reminders/not-a-token/follow-up/").status_code == 400
    assert client.post("/reminders/not-a-token/stop/").status_code == 400


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_no_reminder_is_sent_for_a_story_erased_after_it_was_queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    story = _story()
    _run("2026-04-02")
    story.delete()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert mail.outbox == []
