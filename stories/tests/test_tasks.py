import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hindsight.testing import make_story, make_treatment, valid_story_post
from stories.models import Story
from stories.tasks import send_story_email

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# The worker closes its database connection when it finishes, as a real worker process would;
# that needs a test without a wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_email_waits_for_the_worker_then_is_sent(client, settings):
    settings.TASKS = DATABASE_TASKS
    client.post(reverse("stories:share"), valid_story_post(make_treatment()))

    assert len(mail.outbox) == 0  # the request did not send it
    task = DBTaskResult.objects.get()
    assert "anna@example.com" not in str(task.args_kwargs)  # the queue holds ids, not addresses

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.com"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failed_submission_leaves_no_task_behind(client, settings):
    settings.TASKS = DATABASE_TASKS
    client.post(reverse("stories:share"), valid_story_post(make_treatment(), email="nope"))

    assert not DBTaskResult.objects.exists()
    assert not Story.objects.exists()


def test_the_task_does_nothing_for_a_story_that_has_gone():
    story = make_story(status=Story.Status.PENDING)
    story_id = story.pk
    story.delete()

    send_story_email.call(story_id, "approved")

    assert mail.outbox == []


def test_emails_have_text_and_html_parts():
    story = make_story(status=Story.Status.UNCONFIRMED, title="Fish & chips <b>")
    send_story_email.call(story.pk, "confirm")

    message = mail.outbox[0]
    assert "Fish & chips <b>" in message.body  # plain text is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Fish &amp; chips &lt;b&gt;" in html
