"""What happens in the directory: suggestions sent and decided, entries published, and stories
linked to entries by moderators. Every moderator's decision is logged (moderation app)."""

import secrets

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import (
    RESERVED_SLUGS,
    DirectoryEntry,
    EntrySuggestion,
    StoryDirectoryLink,
)
from moderation.models import Action
from moderation.services import decision_record
from stories.models import Story

SLUG_BASE_LENGTH = 60


def entry_unique_slug(name: str) -> str:
    """A readable address made from the name, with a short suffix if it is taken."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "entry"
    slug = base
    while slug in RESERVED_SLUGS or DirectoryEntry.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def suggestion_submit(
    *,
    kind: str,
    entry: DirectoryEntry | None = None,
    name: str = "",
    role: str = "",
    position: str = "",
    institution: str = "",
    city: str = "",
    country: str = "",
    description: str = "",
    correction: str = "",
    sources: str = "",
    email: str = "",
) -> EntrySuggestion:
    """Keep a suggestion from the public for the moderators' queue, exactly as typed."""
    suggestion = EntrySuggestion(
        kind=kind, entry=entry, name=name, role=role, position=position,
        institution=institution, city=city, country=country, description=description,
        correction=correction, sources=sources, email=email,
    )
    suggestion.full_clean()
    suggestion.save()
    return suggestion


def _locked_pending(suggestion: EntrySuggestion) -> EntrySuggestion:
    suggestion = EntrySuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != EntrySuggestion.Status.PENDING:
        raise ValidationError(_("This suggestion has already been decided."))
    return suggestion


def _close(suggestion: EntrySuggestion, status: str) -> None:
    suggestion.status = status
    suggestion.decided_at = timezone.now()
    # The address was only there so that a moderator could ask about the suggestion.
    suggestion.email = ""
    suggestion.full_clean()
    suggestion.save()


@transaction.atomic
def suggestion_accept(*, suggestion: EntrySuggestion, moderator: AbstractBaseUser,
                      changed_fields: list[str] | None = None) -> EntrySuggestion:
    """Accept a suggestion. A new entry becomes a draft for the moderator to check, give its
    sources and publish; a correction is for the moderator to make in the entry."""
    suggestion = _locked_pending(suggestion)
    if suggestion.kind == EntrySuggestion.Kind.NEW:
        suggestion.entry = _draft_from(suggestion)
    _close(suggestion, EntrySuggestion.Status.ACCEPTED)
    decision_record(subject=suggestion, action=Action.APPROVE, moderator=moderator,
                    changed_fields=changed_fields)
    return suggestion


def _draft_from(suggestion: EntrySuggestion) -> DirectoryEntry:
    name = suggestion.name.strip()
    entry = DirectoryEntry(
        name=name,
        slug=entry_unique_slug(name),
        kind=suggestion.role,
        position=suggestion.position.strip(),
        institution=suggestion.institution.strip(),
        city=suggestion.city.strip(),
        country=suggestion.country,
        description=suggestion.description.strip(),
        status=DirectoryEntry.Status.DRAFT,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def suggestion_reject(*, suggestion: EntrySuggestion, moderator: AbstractBaseUser,
                      reason: str, note: str = "") -> EntrySuggestion:
    suggestion = _locked_pending(suggestion)
    _close(suggestion, EntrySuggestion.Status.REJECTED)
    decision_record(subject=suggestion, action=Action.REJECT, moderator=moderator,
                    reason=reason, note=note)
    return suggestion


@transaction.atomic
def entry_publish(*, entry: DirectoryEntry, moderator: AbstractBaseUser) -> DirectoryEntry:
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != DirectoryEntry.Status.PUBLISHED:
        entry.status = DirectoryEntry.Status.PUBLISHED
        entry.full_clean()
        entry.save()
        decision_record(subject=entry, action=Action.APPROVE, moderator=moderator)
    return entry


@transaction.atomic
def entry_unpublish(*, entry: DirectoryEntry, moderator: AbstractBaseUser) -> DirectoryEntry:
    entry = DirectoryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != DirectoryEntry.Status.DRAFT:
        entry.status = DirectoryEntry.Status.DRAFT
        entry.save()
        decision_record(subject=entry, action=Action.EDIT, moderator=moderator,
                        changed_fields=["status"])
    return entry


def entry_record_edit(*, entry: DirectoryEntry, moderator: AbstractBaseUser,
                      changed_fields: list[str]) -> None:
    """Log a moderator's edit of an entry (the admin has saved it)."""
    if changed_fields:
        decision_record(subject=entry, action=Action.EDIT, moderator=moderator,
                        changed_fields=changed_fields)


def _link_note(link: StoryDirectoryLink, verb: str) -> str:
    return f"{verb}: {link.get_role_display()} → {link.entry.name} (entry {link.entry_id})"


@transaction.atomic
def story_link_add(*, story: Story, entry: DirectoryEntry, role: str,
                   moderator: AbstractBaseUser) -> StoryDirectoryLink:
    """Link a story's free text ("who did it", "where") to a directory entry; logged on the
    story as an edit."""
    link = StoryDirectoryLink(story=story, entry=entry, role=role)
    link.full_clean()
    link.save()
    decision_record(subject=story, action=Action.EDIT, moderator=moderator,
                    changed_fields=["directory_link"], note=_link_note(link, "Linked"))
    return link


@transaction.atomic
def story_link_change(*, link: StoryDirectoryLink, entry: DirectoryEntry, role: str,
                      moderator: AbstractBaseUser) -> StoryDirectoryLink:
    before = _link_note(link, "Unlinked")
    link.entry, link.role = entry, role
    link.full_clean()
    link.save()
    decision_record(subject=link.story, action=Action.EDIT, moderator=moderator,
                    changed_fields=["directory_link"],
                    note=f"{before}; {_link_note(link, 'Linked')}")
    return link


@transaction.atomic
def story_link_remove(*, link: StoryDirectoryLink, moderator: AbstractBaseUser) -> None:
    decision_record(subject=link.story, action=Action.EDIT, moderator=moderator,
                    changed_fields=["directory_link"], note=_link_note(link, "Unlinked"))
    link.delete()


def suggestions_forget_addresses(addresses: set[str]) -> int:
    """For erasure: clear these email addresses from waiting suggestions (decided ones hold
    none). Returns how many suggestions held one."""
    wanted = {address.strip().lower() for address in addresses}
    held = [s.pk for s in EntrySuggestion.objects.exclude(email="").only("pk", "email")
            if s.email.strip().lower() in wanted]
    return EntrySuggestion.objects.filter(pk__in=held).update(email="")
