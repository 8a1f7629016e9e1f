"""What a visitor typed, read as plain words and "quoted phrases".

Nothing typed is ever passed to a database engine as query syntax: operators, brackets,
asterisks, NEAR, colons and the like are just separators between words. Each word becomes a key
(see `search.text`), and the engines' queries are written from those keys alone.
"""

import unicodedata
from dataclasses import dataclass, field

from search.text import keys

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10

# Curly and angle quotation marks people type or paste count as straight double quotes.
_QUOTES = str.maketrans({ch: '"' for ch in "“”„‟«»＂"})


def clean_query_text(raw: str) -> tuple[str, bool]:
    """The query as it will be searched and shown again: control characters become spaces,
    runs of space become one, and it is cut to MAX_QUERY_LENGTH. Also says whether it was cut."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in raw
    )
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


@dataclass(frozen=True)
class ParsedQuery:
    """A document matches when it has every term. A term of several keys is a phrase: those
    words, next to each other, in the title or in the text (not across the two)."""

    terms: tuple[tuple[str, ...], ...]
    dropped_terms: bool = False
    all_keys: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "all_keys", frozenset(k for term in self.terms for k in term))

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> ParsedQuery:
    """Words outside quotes are terms of their own, except that a word joined by punctuation
    ("follow-up", "don't") is a phrase. Text inside quotes is one phrase; an unclosed quote runs
    to the end. Repeated terms count once; only the first MAX_TERMS are used."""
    terms: list[tuple[str, ...]] = []
    for n, part in enumerate(text.translate(_QUOTES).split('"')):
        if n % 2:
            chunks = [part]
        else:
            chunks = part.split()
        for chunk in chunks:
            term = tuple(keys(chunk))
            if term and term not in terms:
                terms.append(term)
    return ParsedQuery(terms=tuple(terms[:MAX_TERMS]), dropped_terms=len(terms) > MAX_TERMS)
