import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hindsight.hostile import Page
from pages import views
from pages.models import ContactMessage
from pages.services import contact_prune
from pages.tasks import send_contact_message
from pages.tests.helpers import contact_data, shown_seconds_ago

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def kept_values(response) -> dict:
    """What the re-rendered form would send back, field by field."""
    page = Page(response.content.decode())
    values = {name: page.form_values.get(name, [None])[0]
              for name in ("name", "email", "subject")}
    values["message"] = page.textareas.get("id_message")
    return values


def test_the_form_is_private_carries_a_csrf_token_and_a_signed_time(client):
    response = client.get("/contact/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html and 'name="shown_at"' in html
    for label in ["Your name", "Your email address", "Subject", "Your message"]:
        assert label in html
    assert '<div class="honeypot" aria-hidden="true">' in html


def test_a_message_is_stored_and_queued_with_only_its_id(client, settings):
    settings.TASKS = DUMMY_TASKS
    from django_tasks import default_task_backend

    response = client.post("/contact/", contact_data())

    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.subject) == (
        "Jo", "jo@example.org", "A correction to the evidence page")
    [result] = default_task_backend.results
    assert result.args == [message.pk] and result.kwargs == {}
    assert not mail.outbox


def test_the_worker_emails_the_message_to_the_contact_address_and_deletes_it(client, settings):
    settings.CONTACT_EMAIL = "editors@example.org"

    client.post("/contact/", contact_data())

    [email] = mail.outbox
    assert email.to == ["editors@example.org"]
    assert email.extra_headers["Reply-To"] == "jo@example.org"
    assert email.subject == "Contact form: A correction to the evidence page · Hindsight"
    assert "From: Jo <jo@example.org>" in email.body
    assert "1,767 people assessed" in email.body
    assert "1,767 people assessed" in email.alternatives[0][0]
    assert not ContactMessage.objects.exists()


def test_the_thank_you_page_says_the_message_is_on_its_way(client):
    response = client.post("/contact/", contact_data(), follow=True)

    assert "Your message is on its way" in response.content.decode()


def test_a_name_is_optional(client):
    client.post("/contact/", contact_data(name=""))

    assert "From: (no name given) <jo@example.org>" in mail.outbox[0].body


def test_the_hidden_field_filled_looks_sent_but_nothing_is_kept_or_sent(client):
    response = client.post("/contact/", contact_data(website="http://spam.example"))

    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    assert not ContactMessage.objects.exists() and not mail.outbox


@pytest.mark.parametrize("shown_at", ["one second ago", "", "forged:token"])
def test_a_message_sent_too_fast_is_shown_again_with_what_was_typed(client, shown_at):
    if shown_at == "one second ago":
        shown_at = shown_seconds_ago(1)
    data = contact_data(shown_at=shown_at)

    response = client.post("/contact/", data)

    assert response.status_code == 200
    assert "so quickly that we could not tell it from spam" in response.content.decode()
    assert kept_values(response) == {k: data[k] for k in ("name", "email", "subject",
                                                         "message")}
    assert not ContactMessage.objects.exists() and not mail.outbox
    # The form now carries a fresh time: pressing Send again after a moment works.
    fresh = Page(response.content.decode()).form_values["shown_at"][0]
    assert fresh != shown_at
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=10)):
        again = client.post("/contact/", {**data, "shown_at": fresh})
    assert again.status_code == 302 and len(mail.outbox) == 1


def test_too_many_messages_from_one_address_get_the_429_page_keeping_the_text(client):
    for _ in range(views.CONTACTS_PER_WINDOW):
        assert client.post("/contact/", contact_data()).status_code == 302
    data = contact_data(message="One more message, which must not be lost.")

    response = client.post("/contact/", data)

    assert response.status_code == 429
    assert "Please wait an hour" in response.content.decode()
    assert kept_values(response)["message"] == data["message"]
    assert len(mail.outbox) == views.CONTACTS_PER_WINDOW


def test_another_address_is_not_held_back_by_the_first(client):
    for _ in range(views.CONTACTS_PER_WINDOW + 1):
        client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.1")

    response = client.post("/contact/", contact_data(), REMOTE_ADDR="203.0.113.2")

    assert response.status_code == 302


@pytest.mark.parametrize("field, value, error", [
    ("subject", "Hello\r\nBcc: victim@example.org", "Use one line"),
    ("subject", "Hello\u2028Bcc: victim@example.org", "Use one line"),
    ("subject", "Tab\tinside", "Use one line"),
    ("name", "Jo\nBcc: victim@example.org", "Use one line"),
    ("email", "jo@example.org\nBcc: victim@example.org", "valid email"),
    ("email", "jo@example.org\rBcc:x@example.org", "valid email"),
    ("email", "not an address", "valid email"),
    ("email", "jo\x01@example.org", "valid email"),
    ("subject", "", "required"),
    ("subject", "   ", "required"),
    ("message", "", "required"),
    ("message", "\n\n  \n", "required"),
    ("subject", "s" * 151, "at most 150"),
    ("message", "m" * 5001, "at most 5000"),
    ("name", "n" * 101, "at most 100"),
    ("message", "nul \x00 inside", "Null characters"),
])
def test_bad_input_is_refused_with_a_message_keeping_everything_typed(client, field, value,
                                                                      error):
    data = contact_data(**{field: value})

    response = client.post("/contact/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and error in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert kept_values(response) == {k: data[k] for k in ("name", "email", "subject",
                                                         "message")}
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_markup_in_a_message_reaches_the_email_as_text(client):
    client.post("/contact/", contact_data(message='<img src=x onerror="alert(1)"> hello'))

    html_part = mail.outbox[0].alternatives[0][0]
    assert "<img" not in html_part and "&lt;img src=x onerror=" in html_part
    assert '<img src=x onerror="alert(1)"> hello' in mail.outbox[0].body


def test_a_message_whose_email_failed_is_deleted_after_the_retention_period(settings):
    settings.TASKS = DUMMY_TASKS
    old = ContactMessage.objects.create(email="a@example.org", subject="s", message="m")
    ContactMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=15))
    recent = ContactMessage.objects.create(email="b@example.org", subject="s", message="m")

    assert contact_prune() == 1
    assert list(ContactMessage.objects.all()) == [recent]


def test_the_prune_command_deletes_old_messages(settings, capsys):
    old = ContactMessage.objects.create(email="a@example.org", subject="s", message="m")
    ContactMessage.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=30))

    call_command("prune_contact_messages")

    assert not ContactMessage.objects.exists()
    assert "1 old contact message(s) deleted." in capsys.readouterr().out


def test_the_task_does_nothing_for_a_message_that_is_gone():
    send_contact_message.call(123456)

    assert not mail.outbox
