"""Builders for the directory's tests."""

import datetime

from django.contrib.auth.models import Group
from django.core import signing
from django.utils import timezone

from directory.demo import directory_moderator_permissions_grant
from directory.forms import SHOWN_SALT
from directory.models import DirectoryEntry, EntrySource, StoryDirectoryLink
from hindsight.testing import make_moderator


def make_entry(**fields) -> DirectoryEntry:
    defaults = {
        "name": "Paolo Zamboni",
        "slug": "paolo-zamboni",
        "kind": DirectoryEntry.Kind.RESEARCHER,
        "position": "Director of the Centre for Vascular Diseases",
        "institution": "University of Ferrara",
        "city": "Ferrara",
        "country": "IT",
        "description": "Described the condition.",
        "status": DirectoryEntry.Status.PUBLISHED,
    }
    defaults.update(fields)
    entry = DirectoryEntry(**defaults)
    entry.full_clean()
    entry.save()
    return entry


def add_source(entry: DirectoryEntry, **fields) -> EntrySource:
    defaults = {"claim": "Described the condition.", "title": "A published paper",
                "url": "https://example.org/paper"}
    defaults.update(fields)
    source = EntrySource(entry=entry, **defaults)
    source.full_clean()
    source.save()
    return source


def link(story, entry, role=StoryDirectoryLink.Role.TREATED_BY) -> StoryDirectoryLink:
    return StoryDirectoryLink.objects.create(story=story, entry=entry, role=role)


def make_directory_moderator(username: str = "mod"):
    """A moderator whose group also holds the directory's permissions (as the demo loader
    gives them)."""
    moderator = make_moderator(username)
    directory_moderator_permissions_grant(Group.objects.get(name="Moderators"))
    return moderator


def shown_seconds_ago(seconds: float) -> str:
    moment = timezone.now() - datetime.timedelta(seconds=seconds)
    return signing.dumps(moment.timestamp(), salt=SHOWN_SALT)


def new_entry_data(**overrides) -> dict:
    data = {
        "name": "Dr Example Surgeon",
        "role": "clinician",
        "position": "Head of interventional radiology",
        "institution": "An example hospital",
        "city": "Katowice",
        "country": "PL",
        "description": "Performs venous angioplasty for people with MS.",
        "sources": "https://example.org/hospital/team",
        "email": "",
        "website": "",
        "shown_at": shown_seconds_ago(60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def correction_data(**overrides) -> dict:
    data = {
        "correction": "He moved to another hospital in 2015.",
        "sources": "https://example.org/news",
        "email": "",
        "website": "",
        "shown_at": shown_seconds_ago(60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
