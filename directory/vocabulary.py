"""What the directory names publicly, so the moderators' identifying-details helper does not
flag it (a doctor or clinic already listed, with sources, identifies no author)."""

from directory.models import DirectoryEntry
from moderation.vocabulary import KnownTerms


def directory_known_terms() -> KnownTerms:
    terms = KnownTerms()
    rows = DirectoryEntry.objects.filter(status=DirectoryEntry.Status.PUBLISHED).values_list(
        "name", "institution", "city"
    )
    for name, institution, city in rows:
        terms.people.add(name)
        terms.places.update(part for part in (institution, city) if part)
    return terms
