"""The directory's demo content: the four people named on the blog page this site grew from,
with what that page says about them, and for Paolo Zamboni the facts that
../shared/evidence/ccsvi-evidence.md marks VERIFIED, with their sources. Nothing else is said
about anyone; where the blog page is the only source, the entry says so (it has no public
address on record)."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from directory.models import DirectoryEntry, EntryKind, EntrySource
from treatments.content import CCSVI_VENOPLASTY
from treatments.models import Treatment

BLOG_PAGE = "The blog page this site grew from"
# When the evidence file's sources were read (its compilation date).
EVIDENCE_READ_ON = datetime.date(2026, 11, 24)

ENTRIES = [
    {
        "slug": "paolo-zamboni",
        "name": "Paolo Zamboni",
        "kind": EntryKind.RESEARCHER,
        "position": "Director of the Centre for Vascular Diseases",
        "institution": "University of Ferrara",
        "city": "Ferrara",
        "country": "IT",
        "description": (
            "Described the condition called chronic cerebrospinal venous insufficiency "
            "(CCSVI).\n\n"
            "In 2009 he and colleagues reported that abnormal outflow in the veins of the head "
            "and neck was strongly associated with MS, in 65 people with MS and 235 without. "
            "Later he led Brave Dreams, a sham-controlled trial of venous angioplasty in 115 "
            "people with relapsing-remitting MS, which concluded that the procedure “cannot be "
            "recommended for patients with relapsing-remitting multiple sclerosis”."
        ),
        "sources": [
            {
                "claim": "Director of the Centre for Vascular Diseases, University of Ferrara, "
                         "Italy; described the condition (CCSVI).",
                "title": BLOG_PAGE,
            },
            {
                "claim": "In 2009, with colleagues at the Vascular Diseases Center, University "
                         "of Ferrara, reported that abnormal venous outflow was strongly "
                         "associated with MS (odds ratio 43) in 65 people with MS and 235 "
                         "controls.",
                "title": "Zamboni P, Galeotti R, Menegatti E, et al. J Neurol Neurosurg "
                         "Psychiatry 2009;80(4):392–399",
                "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC2647682/",
                "accessed_on": EVIDENCE_READ_ON,
            },
            {
                "claim": "Led Brave Dreams, a randomised, double-blind, sham-controlled trial "
                         "in 115 people with relapsing-remitting MS at 6 Italian centres. It "
                         "concluded: “Venous PTA cannot be recommended for patients with "
                         "relapsing-remitting multiple sclerosis.”",
                "title": "Zamboni P, Tesio L, Galimberti S, et al. JAMA Neurol "
                         "2018;75(1):35–43",
                "url": "https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494",
                "accessed_on": EVIDENCE_READ_ON,
            },
        ],
    },
    {
        "slug": "michael-dake",
        "name": "Michael Dake",
        "kind": EntryKind.CLINICIAN,
        "position": "Chief of Cardiovascular and Interventional Radiology",
        "institution": "Stanford University School of Medicine",
        "country": "US",
        "description": "The first surgeon to operate on CCSVI-associated stenosis (narrowed "
                       "veins), at Paolo Zamboni's suggestion.",
        "sources": [
            {
                "claim": "Chief of Cardiovascular and Interventional Radiology, Stanford "
                         "University School of Medicine; the first surgeon to operate on "
                         "CCSVI-associated stenosis, at Zamboni's suggestion.",
                "title": BLOG_PAGE,
            },
        ],
    },
    {
        "slug": "john-cooke",
        "name": "John Cooke",
        "kind": EntryKind.RESEARCHER,
        "position": "Professor of cardiovascular medicine",
        "institution": "Stanford",
        "country": "US",
        "description": "",
        "sources": [
            {"claim": "Professor of cardiovascular medicine, Stanford.", "title": BLOG_PAGE},
        ],
    },
    {
        "slug": "robert-zivadinov",
        "name": "Robert Zivadinov",
        "kind": EntryKind.RESEARCHER,
        "position": "Director of the Buffalo Neuroimaging Analysis Center",
        "institution": "Buffalo Neuroimaging Analysis Center",
        "city": "Buffalo, New York",
        "country": "US",
        "description": "",
        "sources": [
            {
                "claim": "Director of the Buffalo Neuroimaging Analysis Center, Buffalo, "
                         "New York.",
                "title": BLOG_PAGE,
            },
        ],
    },
]

# What moderators need in the directory's part of the admin.
MODERATOR_PERMISSIONS = [
    ("directoryentry", ["view", "add", "change"]),
    ("entrysource", ["view", "add", "change", "delete"]),
    ("entrysuggestion", ["view", "change"]),
    ("suggestionawaitingreview", ["view", "change"]),
    ("storydirectorylink", ["view", "add", "change", "delete"]),
]


def directory_moderator_permissions_grant(group: Group) -> None:
    for model, actions in MODERATOR_PERMISSIONS:
        for action in actions:
            group.permissions.add(Permission.objects.get(
                content_type__app_label="directory", codename=f"{action}_{model}"
            ))


@transaction.atomic
def directory_demo_load() -> list[DirectoryEntry]:
    """Create the demo entries and their sources if they are missing, published; an entry or
    source that exists is left as moderators made it. Gives the Moderators group the
    directory's permissions. Safe to run any number of times."""
    treatment = Treatment.objects.filter(slug=CCSVI_VENOPLASTY["slug"]).first()
    entries = []
    for spec in ENTRIES:
        fields = {key: value for key, value in spec.items() if key not in ("slug", "sources")}
        entry = DirectoryEntry.objects.filter(slug=spec["slug"]).first()
        if entry is None:
            entry = DirectoryEntry(slug=spec["slug"], status=DirectoryEntry.Status.PUBLISHED,
                                   **fields)
            entry.full_clean()
            entry.save()
            if treatment is not None:
                entry.treatments.add(treatment)
        for order, source_spec in enumerate(spec["sources"]):
            if not entry.sources.filter(title=source_spec["title"]).exists():
                source = EntrySource(entry=entry, order=order, **source_spec)
                source.full_clean()
                source.save()
        entries.append(entry)
    group, _ = Group.objects.get_or_create(name="Moderators")
    directory_moderator_permissions_grant(group)
    return entries
