"""A treatment's own words and its trials' names, which the moderators' identifying-details
helper should not take for a person or a clinic."""

from moderation.vocabulary import KnownTerms
from treatments.models import EvidenceItem, Treatment


def treatment_known_terms() -> KnownTerms:
    terms = KnownTerms()
    for name, short_name, also_known_as in Treatment.objects.values_list(
        "name", "short_name", "also_known_as"
    ):
        terms.ignore_words.update(
            part.strip() for part in [name, short_name, *also_known_as.split(",")]
            if part.strip()
        )
    terms.ignore_words.update(EvidenceItem.objects.values_list("name", flat=True))
    return terms
