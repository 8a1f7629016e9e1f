"""Moderators: the suggestions queue (accept, reject), entries, and links from stories."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory import services
from directory.models import DirectoryEntry, EntrySuggestion, StoryDirectoryLink
from directory.tests.helpers import make_directory_moderator, make_entry
from hindsight.testing import admin_form_data, make_story, sign_in_moderator
from moderation.models import Action, ModerationDecision, RejectReason

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:directory_suggestionawaitingreview_changelist")


@pytest.fixture
def moderator():
    return make_directory_moderator()


@pytest.fixture
def signed_in(client, moderator):
    sign_in_moderator(client, moderator)
    return client


def _new(**fields) -> EntrySuggestion:
    defaults = {"kind": "new", "name": "Dr Example Surgeon", "role": "clinician",
                "institution": "An example hospital", "city": "Katowice", "country": "PL",
                "description": "Performs venous angioplasty.", "email": "me@example.org"}
    return services.suggestion_submit(**{**defaults, **fields})


def _accept(client, suggestion, **edits):
    """Press "Save and accept" on the suggestion's own page, with any edits typed first."""
    url = reverse("admin:directory_entrysuggestion_change", args=[suggestion.pk])
    data = admin_form_data(client.get(url))
    data.update(edits, _publish="1")
    return client.post(url, data)


def _entry_form_data(response) -> dict:
    data = admin_form_data(response)
    data["treatments"] = []  # a many-to-many field: no value is sent when none is chosen
    return data


def _decisions(subject) -> list[ModerationDecision]:
    return list(ModerationDecision.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk))


def test_the_queue_lists_waiting_suggestions_oldest_first(signed_in):
    entry = make_entry()
    first = _new(name="First suggested")
    services.suggestion_submit(kind="correction", entry=entry, correction="Wrong city.")
    decided = _new(name="Already decided")
    decided.status = EntrySuggestion.Status.REJECTED
    decided.save()

    response = signed_in.get(QUEUE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "New entry: First suggested" in html
    assert "Correction to Paolo Zamboni" in html
    assert "Already decided" not in html
    assert html.index("First suggested") < html.index("Correction to Paolo Zamboni")
    assert list(response.context["cl"].result_list)[0] == first


def test_accepting_a_new_entry_makes_a_draft_logs_it_and_forgets_the_email(moderator):
    suggestion = services.suggestion_accept(
        suggestion=_new(name="  Dr Example Surgeon  "), moderator=moderator
    )

    assert suggestion.status == EntrySuggestion.Status.ACCEPTED
    assert suggestion.decided_at is not None
    assert suggestion.email == ""
    entry = suggestion.entry
    assert entry.status == DirectoryEntry.Status.DRAFT
    assert (entry.name, entry.slug, entry.kind, entry.city) == (
        "Dr Example Surgeon", "dr-example-surgeon", "clinician", "Katowice")
    [decision] = _decisions(suggestion)
    assert decision.action == Action.APPROVE and decision.moderator == moderator


def test_a_name_that_makes_no_address_still_gets_a_unique_one(moderator):
    first = services.suggestion_accept(suggestion=_new(name="ふじ"), moderator=moderator)
    second = services.suggestion_accept(suggestion=_new(name="ふじ"), moderator=moderator)
    assert first.entry.slug == "entry"
    assert second.entry.slug.startswith("entry-") and second.entry.slug != "entry"


def test_a_suggestion_is_decided_once(moderator):
    suggestion = services.suggestion_accept(suggestion=_new(), moderator=moderator)
    with pytest.raises(ValidationError):
        services.suggestion_reject(suggestion=suggestion, moderator=moderator,
                                   reason=RejectReason.SPAM)
    assert DirectoryEntry.objects.count() == 1


def test_accepting_from_the_admin_takes_the_moderator_to_the_draft(signed_in):
    suggestion = _new()
    response = _accept(signed_in, suggestion)

    entry = DirectoryEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:directory_directoryentry_change",
                                           args=[entry.pk])
    page = signed_in.get(response["Location"]).content.decode()
    assert "this draft entry was made from it" in page


def test_an_edit_made_on_the_page_is_kept_by_accepting(signed_in):
    suggestion = _new(description="Performs it. Ask for his nurse Maria Rossi on 020 7946 0958.")
    _accept(signed_in, suggestion, description="Performs venous angioplasty.")

    entry = DirectoryEntry.objects.get()
    assert entry.description == "Performs venous angioplasty."
    suggestion.refresh_from_db()
    assert "Maria" not in suggestion.description
    approve = ModerationDecision.objects.get(action=Action.APPROVE)
    assert approve.changed_fields == ["description"]


def test_accepting_a_correction_changes_nothing_by_itself(signed_in):
    entry = make_entry()
    suggestion = services.suggestion_submit(kind="correction", entry=entry,
                                            correction="Wrong city.")
    _accept(signed_in, suggestion)

    suggestion.refresh_from_db()
    assert suggestion.status == EntrySuggestion.Status.ACCEPTED
    assert DirectoryEntry.objects.get().city == "Ferrara"


def test_rejecting_asks_for_a_reason_and_logs_it(signed_in, moderator):
    suggestion = _new()
    url = reverse("admin:directory_entrysuggestion_reject", args=[suggestion.pk])

    page = signed_in.get(url)
    assert page.status_code == 200
    assert "Nobody is emailed" in page.content.decode()
    refused = signed_in.post(url, {"reason": RejectReason.OTHER, "note": ""})
    assert refused.status_code == 200  # 'another reason' needs a note
    signed_in.post(url, {"reason": RejectReason.OTHER, "note": "No public source."})

    suggestion.refresh_from_db()
    assert suggestion.status == EntrySuggestion.Status.REJECTED
    assert suggestion.email == ""
    [decision] = _decisions(suggestion)
    assert (decision.action, decision.reason, decision.note) == (
        Action.REJECT, RejectReason.OTHER, "No public source.")
    assert not DirectoryEntry.objects.exists()


def test_accepting_several_from_the_queue(signed_in):
    suggestions = [_new(name="One"), _new(name="Two")]
    signed_in.post(QUEUE, {"action": "accept_selected",
                           "_selected_action": [s.pk for s in suggestions]})
    assert set(DirectoryEntry.objects.values_list("name", flat=True)) == {"One", "Two"}
    assert not EntrySuggestion.objects.pending().exists()


def test_someone_without_the_permission_cannot_accept(client):
    from hindsight.testing import make_moderator

    sign_in_moderator(client, make_moderator("story-only"))
    suggestion = _new()
    response = client.post(
        reverse("admin:directory_entrysuggestion_change", args=[suggestion.pk]),
        {"_publish": "1"})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == EntrySuggestion.Status.PENDING


def test_publishing_and_editing_an_entry_are_logged(signed_in, moderator):
    entry = make_entry(status=DirectoryEntry.Status.DRAFT)
    changelist = reverse("admin:directory_directoryentry_changelist")
    signed_in.post(changelist, {"action": "publish_selected", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.is_published

    url = reverse("admin:directory_directoryentry_change", args=[entry.pk])
    data = _entry_form_data(signed_in.get(url))
    data["city"] = "Ferrara (FE)"
    response = signed_in.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    actions = sorted((d.action, tuple(d.changed_fields)) for d in _decisions(entry))
    assert actions == [(Action.APPROVE, ()), (Action.EDIT, ("city",))]


def test_the_admin_refuses_a_script_link_as_a_source(signed_in):
    entry = make_entry()
    url = reverse("admin:directory_directoryentry_change", args=[entry.pk])
    data = _entry_form_data(signed_in.get(url))
    data.update({"sources-TOTAL_FORMS": "1", "sources-0-claim": "c", "sources-0-title": "t",
                 "sources-0-url": "javascript:alert(1)", "sources-0-order": "0"})
    response = signed_in.post(url, data)
    assert response.status_code == 200
    [source_form] = response.context["inline_admin_formsets"][0].formset.forms
    assert list(source_form.errors) == ["url"]
    assert not entry.sources.exists()
    data["sources-0-url"] = "https://example.org/a"
    assert signed_in.post(url, data).status_code == 302
    assert entry.sources.get().url == "https://example.org/a"


def test_a_moderator_links_a_story_from_its_admin_page_and_it_is_logged(signed_in, moderator):
    entry = make_entry()
    story = make_story(treated_by="Prof Zamboni")
    url = reverse("admin:stories_story_change", args=[story.pk])
    page = signed_in.get(url)
    assert "directory links (who did it, where)" in page.content.decode().lower()
    data = admin_form_data(page)
    data.update({"directory_links-TOTAL_FORMS": "1", "directory_links-0-role": "treated_by",
                 "directory_links-0-entry": str(entry.pk)})

    response = signed_in.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    link = StoryDirectoryLink.objects.get()
    assert (link.story, link.entry, link.role) == (story, entry, "treated_by")
    [decision] = _decisions(story)
    assert decision.action == Action.EDIT and decision.moderator == moderator
    assert decision.changed_fields == ["directory_link"]
    assert "Paolo Zamboni" in decision.note

    # Removing it is logged too.
    data = admin_form_data(signed_in.get(url))
    data["directory_links-0-DELETE"] = "on"
    signed_in.post(url, data)
    assert not StoryDirectoryLink.objects.exists()
    assert len(_decisions(story)) == 2


def test_a_story_is_linked_to_an_entry_once_per_role(moderator):
    entry, story = make_entry(), make_story()
    services.story_link_add(story=story, entry=entry, role="place", moderator=moderator)
    with pytest.raises(ValidationError):
        services.story_link_add(story=story, entry=entry, role="place", moderator=moderator)
    services.story_link_add(story=story, entry=entry, role="treated_by", moderator=moderator)
    assert StoryDirectoryLink.objects.count() == 2


def test_erasure_helper_forgets_addresses_of_waiting_suggestions():
    _new(email="Someone@Example.org")
    _new(email="other@example.org")
    assert services.suggestions_forget_addresses({"someone@example.org"}) == 1
    assert set(EntrySuggestion.objects.values_list("email", flat=True)) == {
        "", "other@example.org"}


def test_erasing_a_story_removes_its_links(moderator):
    entry, story = make_entry(), make_story()
    services.story_link_add(story=story, entry=entry, role="place", moderator=moderator)
    story.delete()
    assert not StoryDirectoryLink.objects.exists()
