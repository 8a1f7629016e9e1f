"""Suggesting an entry or a correction through the public forms."""

import pytest
from django.urls import reverse

from directory import views
from directory.models import EntrySuggestion
from directory.tests.helpers import (
    correction_data,
    make_entry,
    new_entry_data,
    shown_seconds_ago,
)
from hindsight.hostile import Page

pytestmark = pytest.mark.django_db

SUGGEST = reverse("directory:suggest")


def test_the_form_is_private_and_carries_a_form_token(client):
    response = client.get(SUGGEST)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_new_entry_is_kept_for_the_moderators_exactly_as_typed(client):
    data = new_entry_data(name="  Dr Example Surgeon ", email="me@example.org")
    response = client.post(SUGGEST, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:suggest-sent")
    suggestion = EntrySuggestion.objects.get()
    assert suggestion.kind == EntrySuggestion.Kind.NEW
    assert suggestion.status == EntrySuggestion.Status.PENDING
    assert suggestion.entry is None
    assert (suggestion.name, suggestion.role, suggestion.country) == (
        "  Dr Example Surgeon ", "clinician", "PL")
    assert suggestion.sources == "https://example.org/hospital/team"
    assert suggestion.email == "me@example.org"
    assert client.get(response["Location"]).status_code == 200


def test_a_correction_is_tied_to_its_entry(client):
    entry = make_entry()
    response = client.post(reverse("directory:correct", args=[entry.slug]), correction_data())

    assert response.status_code == 302
    suggestion = EntrySuggestion.objects.get()
    assert suggestion.kind == EntrySuggestion.Kind.CORRECTION
    assert suggestion.entry == entry
    assert suggestion.correction == "He moved to another hospital in 2015."
    assert suggestion.name == ""
    assert str(suggestion) == "Correction to Paolo Zamboni"


def test_mistakes_are_explained_and_nothing_typed_is_lost(client):
    data = new_entry_data(name="   ", role="surgeon", description="", email="not an email",
                          country="XX", city="Line one\nline two")
    response = client.post(SUGGEST, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Say what they do or did." in html
    for href in ("#id_name", "#id_role_0", "#id_description", "#id_email", "#id_country",
                 "#id_city"):
        assert f'href="{href}"' in html, href
    page = Page(html)
    assert page.form_values["name"] == ["   "]
    assert page.form_values["email"] == ["not an email"]
    assert page.form_values["position"] == ["Head of interventional radiology"]
    assert page.textareas["id_sources"] == "https://example.org/hospital/team"
    assert not EntrySuggestion.objects.exists()


def test_each_missing_answer_says_what_to_do(client):
    html = client.post(SUGGEST, new_entry_data(name="", role=None, description="")).content
    for message in ("Enter the name of the person or centre.",
                    "Choose a researcher, a clinician or a centre.", "Say what they do or did."):
        assert message in html.decode()


def test_a_correction_must_say_what_to_correct(client):
    entry = make_entry()
    response = client.post(reverse("directory:correct", args=[entry.slug]),
                           correction_data(correction=" \n "))
    assert response.status_code == 200
    assert "Write something here, not only spaces." in response.content.decode()
    assert not EntrySuggestion.objects.exists()


def test_text_longer_than_its_column_is_refused_with_a_message(client):
    response = client.post(SUGGEST, new_entry_data(description="x" * 3001))
    assert response.status_code == 200
    assert "at most 3000 characters" in response.content.decode()
    assert not EntrySuggestion.objects.exists()


def test_the_hidden_field_filled_by_a_bot_keeps_nothing_but_looks_the_same(client):
    response = client.post(SUGGEST, new_entry_data(website="https://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:suggest-sent")
    assert not EntrySuggestion.objects.exists()


@pytest.mark.parametrize("shown_at", ["", "forged", "just-now"])
def test_a_form_sent_too_fast_is_shown_again_to_send_once_more(client, shown_at):
    if shown_at == "just-now":
        shown_at = shown_seconds_ago(0)
    response = client.post(SUGGEST, new_entry_data(shown_at=shown_at))

    assert response.status_code == 200
    html = response.content.decode()
    assert "That was sent so quickly" in html
    assert not EntrySuggestion.objects.exists()
    # A fresh token: sent again a few seconds later, it goes through.
    token = Page(html).form_values["shown_at"][0]
    assert token and token != shown_at
    assert Page(html).form_values["name"] == ["Dr Example Surgeon"]


def test_many_suggestions_from_one_connection_are_refused_for_a_while(client):
    for _ in range(views.SUGGESTIONS_PER_WINDOW):
        assert client.post(SUGGEST, new_entry_data()).status_code == 302

    response = client.post(SUGGEST, new_entry_data(name="One too many"))

    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait an hour" in html
    assert Page(html).form_values["name"] == ["One too many"]
    assert EntrySuggestion.objects.count() == views.SUGGESTIONS_PER_WINDOW


def test_the_email_is_never_on_a_public_page(client):
    entry = make_entry()
    client.post(reverse("directory:correct", args=[entry.slug]),
                correction_data(email="secret-person@example.org"))
    assert EntrySuggestion.objects.get().email == "secret-person@example.org"
    for url in (reverse("directory:list"), entry.get_absolute_url()):
        assert "secret-person" not in client.get(url).content.decode()
