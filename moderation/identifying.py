"""What in a text is likely to identify a person: suggestions for moderators.

`find_identifying` returns `Flag`s (what kind, where, which words); a moderator reads each one
and decides. It errs towards asking: a false alarm costs a glance, a miss can cost someone's
privacy. It is pure: no database, no settings, no network; the word lists are plain files in
`moderation/data/`.

Every pattern is written so that the regex engine cannot backtrack without bound: repeats have
limits, neighbouring parts cannot match the same characters, and matches start only where a
word or number starts. Names, titles and clinics are found by walking the text's words once.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

# What the helper looks for, kind -> short label, in the order to show them.
KINDS: dict[str, Promise] = {
    "name": _("Full name"),
    "email": _("Email address"),
    "phone": _("Phone number"),
    "address": _("Street address"),
    "postcode": _("Postcode"),
    "birth_date": _("Exact date of birth"),
    "web": _("Web address or social-media handle"),
    "clinic_or_doctor": _("Clinic or doctor not in the directory"),
}

# One sentence per kind for the admin's "what this helper looks for".
LOOKS_FOR: dict[str, Promise] = {
    "name": _(
        "A common given name followed by a surname (“Anna Kowalska”), or Mr, Mrs, Ms, Signora, "
        "Madame, Señor, Pani, Frau and the like followed by a surname."
    ),
    "email": _(
        "Email addresses, also written out to dodge spam filters (“anna at example dot com”)."
    ),
    "phone": _(
        "Phone numbers with 9 to 15 digits, national or international; years, ranges, dates, "
        "prices and measurements are left alone."
    ),
    "address": _(
        "A house number with a street (“12 Baker Street”, “Via Roma 15”, “ul. Mickiewicza 5”, "
        "“Calle Mayor 3”, “Hauptstraße 7”) and French streets (“rue de la Paix”)."
    ),
    "postcode": _(
        "UK, Canadian and Dutch postcodes, US ZIP codes after a state or the word ZIP, and "
        "Polish or five-digit postcodes before a town."
    ),
    "birth_date": _(
        "A full date (day, month and year) right after “born”, “DOB”, “date of birth” or the "
        "same words in the community's languages. A year alone is not flagged."
    ),
    "web": _("Web addresses, domain names, @handles and “fb:”, “instagram:” and similar."),
    "clinic_or_doctor": _(
        "Doctors (“Dr Smith”, “Prof. Rossi”) and clinics or hospitals (“Mayo Clinic”, "
        "“Clinica San Marco”) that are not in the directory."
    ),
}

# When two suggestions overlap the longer one wins; between equally long ones, the earlier kind
# here (the more specific pattern).
_PRECEDENCE = (
    "email",
    "web",
    "birth_date",
    "postcode",
    "phone",
    "address",
    "clinic_or_doctor",
    "name",
)
_RANK = {kind: rank for rank, kind in enumerate(_PRECEDENCE)}


@dataclass(frozen=True)
class Flag:
    """One suggestion: `text` is `original[start:end]`."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def find_identifying(
    text: str,
    *,
    known_people: Iterable[str] = (),
    known_places: Iterable[str] = (),
    ignore_words: Iterable[str] = (),
) -> list[Flag]:
    """The parts of `text` likely to identify someone, in order and never overlapping.

    `known_people` and `known_places` are the site's directory: a doctor or clinic that matches
    one of them (without case or accents; a surname alone is enough, so "Zamboni" covers
    "Dr Zamboni" and "Dr Paolo Zamboni") is not flagged. `ignore_words` are phrases that are
    never part of a name or clinic and never flagged on their own (the treatment's own words,
    place names).
    """
    if not text:
        return []
    ignored = _ignored_positions(text, ignore_words)
    known = _Known.build(known_people, known_places)
    words = _words(text)
    found = [
        *_email_candidates(text),
        *_web_candidates(text),
        *_birth_date_candidates(text),
        *_phone_candidates(text),
        *_postcode_candidates(text),
        *_address_candidates(text),
        *_title_candidates(text, words, ignored, known),
        *_clinic_candidates(text, words, ignored, known),
        *_name_candidates(text, words, ignored, known),
    ]
    if ignored is not None:
        found = [c for c in found if not _is_ignored(ignored, c.start, c.end)]
    return _without_overlaps(text, found)


def count_identifying(
    text: str,
    *,
    known_people: Iterable[str] = (),
    known_places: Iterable[str] = (),
    ignore_words: Iterable[str] = (),
) -> int:
    return len(
        find_identifying(
            text,
            known_people=known_people,
            known_places=known_places,
            ignore_words=ignore_words,
        )
    )


def highlight(text: str, flags: list[Flag]) -> SafeString:
    """`text` HTML-escaped, each flag in a <mark> that also tells screen readers its kind.

    Only `start` and `end` of each flag are used, and flags that overlap an earlier one or fall
    outside the text are skipped, so nothing a caller passes can put markup on the page.
    """
    parts: list[str] = []
    position = 0
    for flag in sorted(flags, key=lambda flag: (flag.start, flag.end)):
        if flag.start < position or flag.end <= flag.start or flag.end > len(text):
            continue
        parts.append(escape(text[position : flag.start]))
        parts.append(
            f'<mark class="identifying" data-kind="{escape(flag.kind)}">'
            f"{escape(text[flag.start : flag.end])}"
            f'<span class="visually-hidden"> ({escape(flag.label)})</span></mark>'
        )
        position = flag.end
    parts.append(escape(text[position:]))
    # Safe: every piece of the text above went through escape().
    return mark_safe("".join(parts))


# --- Shared pieces -----------------------------------------------------------------------------


class _Candidate(NamedTuple):
    kind: str
    start: int
    end: int


def _without_overlaps(text: str, candidates: list[_Candidate]) -> list[Flag]:
    taken = bytearray(len(text))
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, _RANK[c.kind], c.start)):
        if taken.find(1, candidate.start, candidate.end) == -1:
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
            kept.append(candidate)
    kept.sort(key=lambda c: c.start)
    return [Flag(c.kind, c.start, c.end, text[c.start : c.end]) for c in kept]


_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "’": "'", "ʼ": "'"}
)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold(text: str) -> str:
    """Text as names are compared: no accents, no case ("Łódź" == "lodz")."""
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    return _fold(word)


@lru_cache(maxsize=16384)
def _fold_name(word: str) -> str:
    """A word of a name as compared with the directory: folded, without a possessive 's."""
    folded = _fold(word)
    if folded.endswith("'s"):
        folded = folded[:-2]
    return folded.replace("'", "").replace("-", "")


_DATA = Path(__file__).resolve().parent / "data"


@cache
def _word_list(name: str) -> frozenset[str]:
    words = set()
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_fold(line))
    return frozenset(words)


def _given_names() -> frozenset[str]:
    return _word_list("given_names.txt")


def _common_words() -> frozenset[str]:
    return _word_list("common_words.txt")


def _medical_words() -> frozenset[str]:
    return _word_list("medical_words.txt")


def _calendar_words() -> frozenset[str]:
    return _word_list("calendar_words.txt")


def _char_class(predicate: Callable[[str], bool]) -> str:
    """A regex character class body for the letters of Latin, Greek and Cyrillic scripts (and
    their extensions) that satisfy `predicate`. Python's re has no \\p{Lu}."""
    ranges: list[tuple[int, int]] = []
    for code in [*range(0x41, 0x530), *range(0x1E00, 0x2000)]:
        if predicate(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_UP = f"[{_char_class(lambda c: c.isupper() or unicodedata.category(c) == 'Lt')}]"
# A capitalised word: "Baker", "O'Brien", "Sant'Anna", "Jean-Pierre". Letter runs and joiners
# alternate, so there is only one way to match a word.
_CAP = rf"{_UP}[^\W\d_]{{0,40}}(?:['’-][^\W\d_]{{1,40}}){{0,4}}"
_NOT_YEAR = r"(?!(?:19|20)[0-9]{2}(?![0-9]))"


# --- Ignored phrases ---------------------------------------------------------------------------


def _ignored_positions(text: str, phrases: Iterable[str]) -> bytearray | None:
    """Which characters of `text` lie in a phrase to ignore (0 = ignored, 1 = not), found
    without case or accents and only as whole words; None when nothing is ignored."""
    wanted = {" ".join(_fold(phrase).split()) for phrase in phrases if phrase}
    wanted.discard("")
    if not wanted:
        return None
    folded_parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if folded.isspace():
            folded = " "
        folded_parts.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(folded_parts)
    positions = bytearray(b"\x01" * len(text))
    for phrase in wanted:
        at = folded_text.find(phrase)
        while at != -1:
            end = at + len(phrase)
            if not _is_wordy(folded_text, at - 1) and not _is_wordy(folded_text, end):
                first, last = origin[at], origin[end - 1]
                positions[first : last + 1] = bytes(last + 1 - first)
            at = folded_text.find(phrase, at + 1)
    return positions


def _is_wordy(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def _is_ignored(ignored: bytearray | None, start: int, end: int) -> bool:
    return ignored is not None and ignored.find(1, start, end) == -1


# --- The directory -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    people: tuple[tuple[str, ...], ...]
    places: tuple[tuple[str, ...], ...]

    @classmethod
    def build(cls, people: Iterable[str], places: Iterable[str]) -> "_Known":
        return cls(
            tuple(t for t in (_distinctive(_entry_words(e)) for e in people if e) if t),
            tuple(t for t in (_distinctive(_entry_words(e)) for e in places if e) if t),
        )

    def covers(self, words: Sequence[str]) -> bool:
        """Whether a flagged doctor, person or clinic (its distinctive words) is in the
        directory: all its words are in one entry, or, for people, the entry's words are all
        in it and the surnames agree ("Zamboni" covers "Dr Paolo Zamboni")."""
        if not words:
            return True
        for entry in self.people:
            if _all_in(words, entry) or (_all_in(entry, words) and _same(words[-1], entry[-1])):
                return True
        return any(_all_in(words, entry) for entry in self.places)


def _same(word: str, other: str) -> bool:
    if len(word) == 1 or len(other) == 1:
        return word[0] == other[0]
    return word == other


def _all_in(words: Sequence[str], entry: Sequence[str]) -> bool:
    return all(any(_same(word, other) for other in entry) for word in words)


def _entry_words(entry: str) -> list[str]:
    return [_fold_name(match.group()) for match in _WORD.finditer(entry)]


def _distinctive(folded_words: Iterable[str]) -> tuple[str, ...]:
    generic = _generic_words()
    return tuple(w for w in folded_words if w and w not in generic)


@cache
def _generic_words() -> frozenset[str]:
    """Words that say what a place or person is, not which one."""
    return (
        _common_words()
        | _medical_words()
        | _DOCTOR_TITLES
        | _TITLE_FOLLOWERS
        | _HONORIFICS
        | _INSTITUTIONS_AFTER
        | _INSTITUTIONS_BEFORE
        | _SAINTS
        | _PLACE_PARTICLES
        | _HONORIFIC_FOLLOWERS
    )


# --- Words: names, titles, clinics -------------------------------------------------------------


class _Word(NamedTuple):
    start: int
    end: int
    text: str
    folded: str


# Letters (with combining accents, for text that arrives decomposed), joined by apostrophes or
# hyphens: "Mary's", "Jean-Pierre", "dell'Orso".
_LETTERS = r"(?:[^\W\d_]|[\u0300-\u036f])+"
_WORD = re.compile(rf"{_LETTERS}(?:['’-]{_LETTERS})*")
_SPACES = frozenset({" ", "\u00a0", "\u202f"})
# An elided article or preposition before a word: "dell'Angelo", "all'Ospedale", "d'Italia".
_ELIDED = re.compile(r"[a-z]{1,5}['’](.+)")
_AFTER_ABBREVIATION = frozenset({".", ". ", ".\u00a0", ".\u202f"})


def _words(text: str) -> list[_Word]:
    return [
        _Word(match.start(), match.end(), word, _fold_word(word))
        for match in _WORD.finditer(text)
        for word in (match.group(),)
    ]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper() and any(char.islower() for char in word[1:])


def _is_initial(text: str, word: _Word) -> bool:
    return len(word.text) == 1 and word.text.isupper() and text[word.end : word.end + 1] == "."


def _gap(text: str, words: Sequence[_Word], index: int) -> str:
    """What lies between word `index` and the next one."""
    return text[words[index].end : words[index + 1].start]


_DOCTOR_TITLES = frozenset(
    {
        "dr", "dra", "drs", "doctor", "doc", "dott", "dottor", "dottore", "dottoressa",
        "docteur", "doktor", "doutor", "prof", "professor", "professore", "professoressa",
        "profesor", "profesora", "professeur", "lek",
    }
)  # fmt: skip
# Titles that may follow the first one: "prof. dr hab. n. med.", "Dr. med.", "Dott.ssa".
_TITLE_FOLLOWERS = frozenset(
    {"dr", "prof", "hab", "habil", "med", "n", "dent", "ssa", "mgr", "inz", "rer", "nat", "phil"}
)
# "prof. dr hab. n. med." is the longest in use; the limit keeps "Dr Dr Dr ..." linear.
_MOST_TITLE_FOLLOWERS = 5
_ABBREVIATED_TITLES = frozenset({"dr", "dra", "drs", "dott", "prof", "lek", "doc"})
_HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "sig", "sigra", "signor", "signore", "signora",
        "signorina", "m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "sr", "sra",
        "srta", "senor", "senora", "senorita", "don", "dona", "pan", "pani", "herr", "frau",
    }
)  # fmt: skip
# Honorifics that are ordinary words or abbreviations unless written just so ("ms", "M").
_HONORIFICS_AS_WRITTEN = {"ms": "Ms", "m": "M", "sr": "Sr", "pan": "Pan"}
# Honorifics written in lower case inside a sentence ("la signora Bianchi", "pani Nowak").
_LOWERCASE_HONORIFICS = frozenset(
    {
        "sig", "sigra", "signor", "signore", "signora", "signorina", "monsieur", "madame",
        "mademoiselle", "mme", "mlle", "senor", "senora", "senorita", "sr", "sra", "srta",
        "don", "dona", "pani",
    }
)  # fmt: skip
# What may follow an honorific after a full stop: "Sig.ra", "Sig.na".
_HONORIFIC_FOLLOWERS = frozenset({"ra", "na"})
# Inside names: "María de la Cruz", "Anna De Luca", "Ludwig van Beethoven".
_PARTICLES = frozenset(
    {
        "van", "von", "de", "di", "da", "del", "della", "dello", "dei", "degli", "delle", "der",
        "den", "du", "des", "la", "le", "lo", "el", "los", "las", "dos", "das", "ten", "ter",
        "zu", "vom",
    }
)  # fmt: skip
# Inside the names of places as well: "Szpital w Katowicach", "Klinik am See".
_PLACE_PARTICLES = _PARTICLES | {"w", "we", "am", "im", "an", "in", "a", "au", "aux", "al"}
_SAINTS = frozenset(
    {"st", "ste", "saint", "sainte", "san", "santa", "sant", "santo", "sao", "sankt", "sw"}
)
# "X Clinic", "St Mary's Hospital", "Albany Medical Center", "Schön Klinik".
_INSTITUTIONS_AFTER = frozenset(
    {
        "hospital", "clinic", "infirmary", "hospice", "institute", "centre", "center",
        "practice", "surgery", "klinik", "clinics", "hospitals", "polyclinic",
    }
)  # fmt: skip
# "Clinica X", "Klinik X", "Ospedale San Raffaele", "Szpital Bielański", "Hôpital X".
_INSTITUTIONS_BEFORE = frozenset(
    {
        "clinica", "clinique", "klinik", "klinika", "klinikum", "ospedale", "policlinico",
        "poliklinika", "hopital", "hospital", "szpital", "przychodnia", "krankenhaus",
        "centro", "centre", "istituto", "instituto", "institut", "instytut", "uniklinik",
        "universitatsklinikum", "presidio", "ambulatorio", "gabinet", "praxis", "sanatorio",
    }
)  # fmt: skip
# These are English as well; before a name they count only when capitalised ("Hospital La
# Paz", not "hospital Then").
_ENGLISH_BEFORE = frozenset({"hospital", "centre", "center", "institute"})


def _not_a_name_word(folded: str) -> bool:
    if folded in _calendar_words() and folded not in _given_names():
        return True
    return folded in _generic_words() and folded not in _SAINTS


def _name_run(
    text: str,
    words: Sequence[_Word],
    first: int,
    ignored: bytearray | None,
    *,
    after_abbreviation: bool,
    limit: int = 4,
) -> list[int]:
    """Indices of the words of a name starting at `first`: capitalised words that are not
    common or medical words, initials ("P."), and particles between them ("de la")."""
    run: list[int] = []
    pending: list[int] = []
    index = first
    while index < len(words) and len(run) < limit:
        gap = _gap(text, words, index - 1) if index > 0 else ""
        if index == first:
            dotted = after_abbreviation
        else:
            dotted = _is_initial(text, words[index - 1])
        if gap not in _SPACES and not (dotted and gap in _AFTER_ABBREVIATION):
            break
        word = words[index]
        if _is_ignored(ignored, word.start, word.end):
            break
        folded = _fold_name(word.text)
        if folded in _PARTICLES and (word.text.islower() or word.text.istitle()):
            if len(pending) == 2:
                break
            pending.append(index)
        elif _is_initial(text, word) or (
            _is_capitalised(word.text) and not _not_a_name_word(folded)
        ):
            run.extend(pending)
            pending = []
            run.append(index)
        else:
            break
        index += 1
    while run and _is_initial(text, words[run[-1]]) and len(run) > 1:
        run.pop()
    return run


def _run_end(text: str, word: _Word) -> int:
    """Where a name ends: before a possessive "'s"."""
    if word.text[-2:] in ("'s", "’s") and len(word.text) > 2:
        return word.end - 2
    return word.end


def _run_words(words: Sequence[_Word], run: Sequence[int]) -> list[str]:
    folded = (_fold_name(words[i].text) for i in run)
    return [w for w in folded if w and w not in _PARTICLES]


def _title_candidates(
    text: str, words: Sequence[_Word], ignored: bytearray | None, known: _Known
) -> Iterator[_Candidate]:
    """Doctors ("Dr Smith", "prof. dr hab. Jan Kowalski", "Doctor X"), and people named with an
    honorific ("Mrs Jones", "Pani Kowalska", "Herr Müller")."""
    for index, word in enumerate(words):
        folded = word.folded
        doctor = folded in _DOCTOR_TITLES
        if not doctor and folded not in _HONORIFICS:
            continue
        if len(word.text) > 1 and word.text.isupper():
            continue
        if not (doctor or word.text[:1].isupper() or folded in _LOWERCASE_HONORIFICS):
            continue
        if folded in _HONORIFICS_AS_WRITTEN and word.text != _HONORIFICS_AS_WRITTEN[folded]:
            continue
        dotted = text[word.end : word.end + 1] == "."
        if dotted and folded not in _ABBREVIATED_TITLES and folded not in _HONORIFICS:
            continue
        if folded == "m" and not dotted:
            continue
        followers = _TITLE_FOLLOWERS if doctor else _HONORIFIC_FOLLOWERS
        next_index = index + 1
        while next_index < len(words) and next_index - index <= _MOST_TITLE_FOLLOWERS:
            follower = words[next_index]
            gap = _gap(text, words, next_index - 1)
            if follower.folded not in followers or not (
                gap in _SPACES or gap in _AFTER_ABBREVIATION
            ):
                break
            # "Dr N. Smith": a capital is an initial, except in "Prof. Dr. Müller".
            if follower.text[:1].isupper() and follower.folded not in ("dr", "prof"):
                break
            dotted = text[follower.end : follower.end + 1] == "."
            next_index += 1
        run = _name_run(text, words, next_index, ignored, after_abbreviation=dotted, limit=3)
        if not run and doctor and next_index < len(words):
            # "Doctor X": a lone capital letter.
            lone = words[next_index]
            gap = _gap(text, words, next_index - 1)
            if (
                len(lone.text) == 1
                and lone.text.isupper()
                and (gap in _SPACES or dotted and gap in _AFTER_ABBREVIATION)
            ):
                run = [next_index]
        if not run:
            continue
        if known.covers(_distinctive(_run_words(words, run))):
            continue
        yield _Candidate(
            "clinic_or_doctor" if doctor else "name",
            word.start,
            _run_end(text, words[run[-1]]),
        )


def _name_candidates(
    text: str, words: Sequence[_Word], ignored: bytearray | None, known: _Known
) -> Iterator[_Candidate]:
    """A given name from the list followed by a surname: "Anna Kowalska", "Jean-Pierre Martin",
    "María de la Cruz", "John F. Kennedy"."""
    given = _given_names()
    index = 0
    while index < len(words):
        word = words[index]
        folded = word.folded
        if (
            _is_capitalised(word.text)
            and (folded in given or folded.split("-")[0] in given)
            and not _is_ignored(ignored, word.start, word.end)
            and not _after_saint(text, words, index)
        ):
            run = _name_run(text, words, index + 1, ignored, after_abbreviation=False)
            if any(not _is_initial(text, words[i]) for i in run):
                names = _run_words(words, [index, *run])
                if not known.covers(names):
                    yield _Candidate("name", word.start, _run_end(text, words[run[-1]]))
                index = run[-1] + 1
                continue
        index += 1


def _after_saint(text: str, words: Sequence[_Word], index: int) -> bool:
    """Whether the word follows "San", "St.", "Santa"...: a church, town or hospital."""
    if index == 0:
        return False
    gap = _gap(text, words, index - 1)
    return words[index - 1].folded in _SAINTS and (gap in _SPACES or gap in _AFTER_ABBREVIATION)


def _clinic_candidates(
    text: str, words: Sequence[_Word], ignored: bytearray | None, known: _Known
) -> Iterator[_Candidate]:
    """Named clinics and hospitals: "Mayo Clinic", "St Mary's Hospital", "Clinica San Marco",
    "Klinik Hohe Warte", "Ospedale di Ferrara". A name made only of generic words ("Neurology
    Clinic", "Multiple Sclerosis Centre") is not flagged."""
    for index, word in enumerate(words):
        # "all'Ospedale San Raffaele": the institution word after an elided article.
        elided = _ELIDED.fullmatch(word.text)
        start = word.start + elided.start(1) if elided else word.start
        folded = _fold_word(elided.group(1)) if elided else word.folded
        if word.text.isupper() and len(word.text) > 1:
            continue
        if folded in _INSTITUTIONS_AFTER and not elided:
            first = _name_before(text, words, index, ignored)
            if first is not None:
                names = _clinic_words(words, range(first, index), ignored)
                if names and not known.covers(names):
                    yield _Candidate("clinic_or_doctor", words[first].start, word.end)
                continue
        if folded in _INSTITUTIONS_BEFORE and (
            folded not in _ENGLISH_BEFORE or text[start : start + 1].isupper()
        ):
            last = _name_after(text, words, index)
            if last is not None:
                names = _clinic_words(words, range(index + 1, last + 1), ignored)
                if names and not known.covers(names):
                    yield _Candidate("clinic_or_doctor", start, _run_end(text, words[last]))


def _clinic_words(
    words: Sequence[_Word], indices: Iterable[int], ignored: bytearray | None
) -> tuple[str, ...]:
    kept = (
        _fold_name(words[i].text)
        for i in indices
        if not _is_ignored(ignored, words[i].start, words[i].end)
    )
    return _distinctive(kept)


def _name_before(
    text: str, words: Sequence[_Word], index: int, ignored: bytearray | None
) -> int | None:
    """The first word of the name before an institution word, if it has one."""
    first = None
    position = index - 1
    while position >= 0 and index - position <= 5:
        gap = _gap(text, words, position)
        word = words[position]
        folded = word.folded
        saint = folded in _SAINTS and word.text[:1].isupper()
        possessive = gap in ("' ", "’ ") and word.text.endswith("s")
        if not (gap in _SPACES or possessive or saint and gap in _AFTER_ABBREVIATION):
            break
        if folded in _common_words() or not (word.text[:1].isupper() or saint):
            break
        first = position
        position -= 1
    return first


def _name_after(text: str, words: Sequence[_Word], index: int) -> int | None:
    """The last word of the name after an institution word ("Clinica San Marco"), if any."""
    last = None
    position = index + 1
    while position < len(words) and position - index <= 6:
        if _gap(text, words, position - 1) not in _SPACES:
            break
        word = words[position].text
        folded = words[position].folded
        if word.islower() and folded in _PLACE_PARTICLES:
            position += 1
            continue
        if _fold_name(word) in _common_words() or folded in _DOCTOR_TITLES:
            break
        elided = _ELIDED.fullmatch(word)
        if not (word[:1].isupper() or elided and elided.group(1)[:1].isupper()):
            break
        last = position
        position += 1
    return last


# --- Email -------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+%-])[\w.+%-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.){1,8}[^\W\d_]{2,24}(?![\w-])"
)
_AT_WORDS = r"at|chiocciola|małpa|malpa|arobase|arroba"
_DOT_WORDS = r"dot|punto|kropka|point|punkt"
_MAIL_TLDS = r"com|org|net|info|edu|gov|eu|uk|it|fr|de|es|pl|nl|ch|at|be|ie|pt|ca|au|us|io|co"
_OBFUSCATED_EMAIL = re.compile(
    rf"""(?ix)
    (?<![\w.+-])[\w.+-]{{1,64}}
    (?:[ ]?[\[({{<][ ]?(?:{_AT_WORDS}|@)[ ]?[\])}}>][ ]?|(?P<bare>[ ](?:{_AT_WORDS})[ ]))
    (?:[^\W_][\w-]{{0,62}}
       (?:[ ]?[\[({{<][ ]?(?:{_DOT_WORDS}|\.)[ ]?[\])}}>][ ]?|[ ](?:{_DOT_WORDS})[ ]|\.)
    ){{1,4}}
    (?P<tld>{_MAIL_TLDS})(?![\w-])
    """
)
_DOT_WORD = re.compile(rf"(?i)(?:^|[ \[({{<])(?:{_DOT_WORDS})(?:$|[ \])}}>])")
# Written out with a plain " at ", only these providers make it an address, not a sentence.
_MAIL_PROVIDERS = frozenset(
    {
        "gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "icloud", "aol", "proton",
        "protonmail", "gmx", "libero", "virgilio", "tiscali", "alice", "tin", "wp", "o2", "onet",
        "interia", "web", "orange", "free", "laposte", "wanadoo", "sfr", "btinternet", "sky",
        "telefonica", "t-online",
    }
)  # fmt: skip


def _email_candidates(text: str) -> Iterator[_Candidate]:
    for match in _EMAIL.finditer(text):
        yield _Candidate("email", match.start(), match.end())
    for match in _OBFUSCATED_EMAIL.finditer(text):
        if match.group("bare"):
            domain = text[match.end("bare") : match.start("tld")]
            first_label = re.split(r"[ .\[({<]", domain, maxsplit=1)[0].lower()
            if not _DOT_WORD.search(domain) and first_label not in _MAIL_PROVIDERS:
                continue
            # "at that point it was": an English sentence, not an Italian address.
            if match.group("tld").lower() == "it" and re.match(r"\s+[a-z]", text[match.end() :]):
                continue
        yield _Candidate("email", match.start(), match.end())


# --- Web addresses and handles -----------------------------------------------------------------

_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'`{}|\\^]{1,2000}")
# Country domains that are also common words ("at", "be", "me", "in", "is", "no", "to", "so")
# are left out, so "tired.at" typed without a space is not a web address.
_TLDS = (
    r"(?i:com|org|net|info|edu|gov)|int|biz|io|eu|uk|fr|de|es|pl|it|nl|ch|ie|pt|ca|au|nz|us|"
    r"dk|se|fi|gr|cz|sk|hu|ro|ru|ua|br|ar|mx|jp|cn|za|co|tv|app|dev|online|site|blog|health"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(
    rf"(?<![\w.@/:%+-])(?:{_LABEL}\.){{1,6}}(?:{_TLDS})(?![\w-]|\.[A-Za-z0-9])"
    r"(?:/[^\s<>\"'`{}|\\^]{0,2000})?"
)
_HANDLE = re.compile(r"(?<![\w@.+-])@[A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=[A-Za-z0-9_])){1,29}")
_TIME = re.compile(r"@[0-9]{1,2}(?:[.:h][0-9]{2})?(?:am|pm|h)?", re.IGNORECASE)
_REDDIT_USER = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,20}(?![\w-])")
_SOCIAL = re.compile(
    r"\b(?i:facebook|fb|instagram|insta|ig|twitter|tiktok|linkedin|youtube|skype|whatsapp|"
    rf"telegram|snapchat|threads|bluesky|mastodon)[ ]?[:=][ ]?(?:{_CAP}(?:[ ]{_CAP}){{0,2}}|"
    r"@?[A-Za-z0-9_.]{2,40})"
)
_TRAILING = ".,;:!?'\"»”’"


def _web_candidates(text: str) -> Iterator[_Candidate]:
    for pattern in (_URL, _DOMAIN, _SOCIAL):
        for match in pattern.finditer(text):
            end = _trim_end(text, match.start(), match.end())
            if end > match.start() + 3:
                yield _Candidate("web", match.start(), end)
    for match in _HANDLE.finditer(text):
        if not _TIME.fullmatch(match.group()):
            yield _Candidate("web", match.start(), match.end())
    for match in _REDDIT_USER.finditer(text):
        yield _Candidate("web", match.start(), match.end())


def _trim_end(text: str, start: int, end: int) -> int:
    """Leave out the full stop after an address, and a bracket it did not open."""
    while end > start:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in ")]" and text.count("(" if last == ")" else "[", start, end) < text.count(
            last, start, end
        ):
            end -= 1
        else:
            break
    return end


# --- Phone numbers -----------------------------------------------------------------------------

_PHONE = re.compile(
    r"""(?x)
    (?<![\w+-])(?<![0-9][.,/])
    (?:\+[ ]?[0-9]{1,3}(?:[ .-]?\(0\))?[ .-]?)?     # +44, +44 (0)
    (?:\([0-9]{1,5}\)[ .-]?)?                      # (555), (020)
    [0-9]{1,15}(?:(?:[ .-]|[ ]?/[ ]?)[0-9]{1,15}){0,6}
    (?![\w])
    """
)
_DATE_INSIDE = re.compile(
    r"(?<![0-9])[0-9]{1,2}([./-])[0-9]{1,2}\1(?:19|20)[0-9]{2}(?![0-9])"
    r"|(?<![0-9])(?:19|20)[0-9]{2}([./-])[0-9]{1,2}\2[0-9]{1,2}(?![0-9])"
)
_MONEY_BEFORE = re.compile(r"(?:[$€£¥]|\b(?:usd|eur|gbp|pln|chf|zł|zl))[ ]?$", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(
    r"[ ]?(?:[$€£¥%]|(?:zł|zl|złotych|pln|eur|euros?|usd|gbp|chf|dollars?|pounds?|mm|cm|ml|mg|"
    r"kg|km|mcg|µg|iu|ui|units?|people|patients|persone|pazienti|personnes|personas|osób)"
    r"(?![^\W\d_]))",
    re.IGNORECASE,
)


def _phone_candidates(text: str) -> Iterator[_Candidate]:
    for match in _PHONE.finditer(text):
        if _looks_like_phone(text, match.start(), match.end()):
            yield _Candidate("phone", match.start(), match.end())


def _looks_like_phone(text: str, start: int, end: int) -> bool:
    number = text[start:end]
    groups = re.findall(r"[0-9]+", number.replace("(0)", ""))
    digits = sum(len(group) for group in groups)
    international = number.startswith(("+", "00"))
    if not (8 if international else 9) <= digits <= 15:
        return False
    # "6.5 6.0 5.5" is a list of scores: phone numbers keep their digits together.
    if any(len(group) == 1 for group in groups[1:]):
        return False
    # "120 000 000": thousands, not a subscriber number.
    if any(group == "000" for group in groups[1:]):
        return False
    # Without a trunk "0", a "+" or an area code in brackets, a national number starts with a
    # group of 3 or more (555 123 4567, 601 234 567), or with the North American "1".
    if not international and not number.startswith(("0", "(")):
        if len(groups[0]) < 3 and not (groups[0] == "1" and digits == 11):
            return False
    if all(len(group) == 4 and group[:2] in ("19", "20") for group in groups):
        return False
    if _DATE_INSIDE.search(number):
        return False
    if _MONEY_BEFORE.search(text[max(0, start - 6) : start]):
        return False
    return not _AMOUNT_AFTER.match(text, end)


# --- Addresses and postcodes -------------------------------------------------------------------

_HOUSE = rf"{_NOT_YEAR}[0-9]{{1,4}}"
_ADDRESS_EN = re.compile(
    rf"(?<![\w.,/-]){_HOUSE}[A-Za-z]?,?[ ](?:{_CAP}[ ]){{1,3}}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Close|Court|Crescent|Place|Way|Gardens|"
    r"Terrace|Boulevard|Blvd|Square|Grove|Row|Mews|Walk|Parade|Hill|Park)\b"
)
_ADDRESS_FR = re.compile(
    rf"(?:(?<![\w.,/-])(?P<number>{_HOUSE}(?:[ ]?(?:bis|ter))?),?[ ])?"
    r"\b(?P<street>[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Aa]ll[ée]e|[Pp]lace|[Ii]mpasse|"
    r"[Cc]hemin|[Qq]uai|[Cc]ours|[Rr]oute)[ ]"
    rf"(?:de[ ]la[ ]|de[ ]l['’]|d['’]|(?:de|du|des|la|le|les)[ ])?{_CAP}"
    rf"(?:[ ](?:(?:de|du|des)[ ])?{_CAP}){{0,3}}"
)
_FRENCH_STREETS = frozenset({"rue", "allee", "impasse", "quai"})
_IT_PARTICLES = r"(?:di|del|dello|della|dei|degli|delle|da|dal|dalla|de|in)"
_IT_WORD = rf"(?:{_CAP}|[a-z]{{1,5}}['’]{_CAP})"
_ADDRESS_IT = re.compile(
    r"\b(?P<street>[Vv]ia|[Vv]iale|[Pp]iazza|[Pp]iazzale|[Cc]orso|[Ll]argo|[Vv]icolo|"
    r"[Ll]ungomare|[Bb]orgo|[Cc]ontrada|P\.zza|P\.le|V\.le|C\.so)"
    rf"(?:[ ]{_IT_PARTICLES}){{0,2}}[ ]{_IT_WORD}"
    rf"(?:(?:[ ]{_IT_PARTICLES}){{0,2}}[ ]{_IT_WORD}){{0,4}}"
    rf",?[ ](?:n\.?[ ]?|nr\.?[ ]?)?{_HOUSE}[A-Za-z]?(?:/[0-9A-Za-z]{{1,3}})?(?![\w/])"
)
_ADDRESS_ES = re.compile(
    r"(?<!\w)(?:[Cc]alle|C/|[Aa]venida|Avda\.|Av\.|[Pp]aseo|[Pp]laza|Pza\.|[Cc]amino|"
    r"[Rr]onda|[Cc]arrer|[Tt]raves[ií]a|[Gg]lorieta|[Cc]arretera)"
    r"(?:[ ](?:de[ ]la|de[ ]los|de[ ]las|del|de|la|el))?[ ]?"
    rf"{_CAP}(?:[ ](?:(?:de|del|la|y)[ ])?{_CAP}){{0,3}}"
    rf",?[ ](?:n[º°o]\.?[ ]?|n[úu]m\.?[ ]?)?{_HOUSE}[A-Za-z]?(?![\w/])"
)
_ADDRESS_PL = re.compile(
    r"(?<!\w)(?P<street>[Uu]l\.|[Uu]lica|[Aa]l\.|[Aa]leja|[Aa]leje|[Oo]s\.|[Oo]siedle|[Pp]l\.|"
    r"[Pp]lac)[ ]?(?:(?:gen|ks|św|marsz|prof|kard|bp)\.[ ])?"
    rf"(?:{_CAP}|[0-9]{{1,2}}[ ]{_CAP})(?:[ ]{_CAP}){{0,3}}"
    rf"(?P<number>[ ]{_HOUSE}[A-Za-z]?(?:/[0-9]{{1,4}}[A-Za-z]?)?(?![\w/]))?"
)
# Polish streets that need a house number: "al." ends "et al." and "pl." many abbreviations.
_POLISH_NEEDS_NUMBER = ("al", "pl", "os")
_ADDRESS_DE = re.compile(
    rf"\b{_UP}[^\W\d_]{{1,30}}(?:straße|strasse|str\.|weg|gasse|allee|platz|damm|ufer|"
    r"straat|gracht|laan|plein|kade|singel|steig|chaussee)"
    rf"[ ]{_HOUSE}[a-z]?(?![\w/])"
    rf"|\b{_CAP}[ ](?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Damm|Ufer)[ ]{_HOUSE}[a-z]?"
    r"(?![\w/])"
)


def _address_candidates(text: str) -> Iterator[_Candidate]:
    for pattern in (_ADDRESS_EN, _ADDRESS_ES, _ADDRESS_DE):
        for match in pattern.finditer(text):
            yield _Candidate("address", match.start(), match.end())
    for match in _ADDRESS_FR.finditer(text):
        if match.group("number") or _fold(match.group("street")) in _FRENCH_STREETS:
            yield _Candidate("address", match.start(), match.end())
    for match in _ADDRESS_IT.finditer(text):
        # English "via": "via Rome 3 times" is a journey; Italian addresses capitalise or end.
        if match.group("street") == "via" and re.match(r"[ ]+[a-z]", text[match.end() :]):
            continue
        yield _Candidate("address", match.start(), match.end())
    for match in _ADDRESS_PL.finditer(text):
        street = _fold(match.group("street")).rstrip(".")
        if street in _POLISH_NEEDS_NUMBER and not match.group("number"):
            continue
        if street == "al" and text[max(0, match.start() - 3) : match.start()].lower() == "et ":
            continue
        yield _Candidate("address", match.start(), match.end())


_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|"
    "NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR"
)
_POSTCODES = [
    # UK: "SW1A 1AA", "M1 1AE".
    re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[ ]?[0-9][A-Z]{2}\b"),
    # Canada: "K1A 0B1".
    re.compile(r"\b[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z][ ]?[0-9][ABCEGHJ-NPRSTV-Z][0-9]\b"),
    # US ZIP+4, which no year range looks like (5 digits, then 4).
    re.compile(r"(?<![0-9-])[0-9]{5}-[0-9]{4}(?![0-9-])"),
    # A ZIP code after a state or the word ZIP: "Albany, NY 12207", "zip code 90210".
    re.compile(rf"\b(?:{_STATES}),?[ ][0-9]{{5}}(?:-[0-9]{{4}})?(?![0-9-])"),
    re.compile(r"\b(?i:zip(?:[ ]?code)?)[ ]?:?[ ]?[0-9]{5}(?:-[0-9]{4})?(?![0-9-])"),
]
# These need the town after them, or they would be ranges and amounts.
_POSTCODES_BEFORE_TOWN = [
    # Poland: "40-001 Katowice".
    re.compile(rf"(?<![0-9-])[0-9]{{2}}-[0-9]{{3}}(?![0-9-])(?=[ ]{_UP})"),
    # The Netherlands: "1012 AB Amsterdam".
    re.compile(rf"(?<![0-9]){_NOT_YEAR}[1-9][0-9]{{3}}[ ]?(?P<letters>[A-Z]{{2}})(?=[ ]{_UP})"),
    # Germany, France, Italy, Spain: "10115 Berlin", "75008 Paris", "D-80331 München".
    re.compile(rf"(?<![\w$€£.,/-])(?:[A-Z]{{1,2}}-)?[0-9]{{5}}(?=[ ]{_UP}[^\W\d_]*[a-zà-ÿ])"),
]
_NOT_DUTCH = frozenset({"SA", "SD", "SS", "MS", "UK", "US", "EU", "RR", "PP", "SP", "AM", "PM"})


def _postcode_candidates(text: str) -> Iterator[_Candidate]:
    for pattern in _POSTCODES:
        for match in pattern.finditer(text):
            yield _Candidate("postcode", match.start(), match.end())
    for pattern in _POSTCODES_BEFORE_TOWN:
        for match in pattern.finditer(text):
            if "letters" in pattern.groupindex and match.group("letters") in _NOT_DUTCH:
                continue
            town = _WORD.match(text, match.end() + 1)
            if town is None:
                continue
            folded = _fold(town.group())
            if folded in _common_words() or folded in _medical_words():
                continue
            if _AMOUNT_AFTER.match(text, match.end()) or _MONEY_BEFORE.search(
                text[max(0, match.start() - 6) : match.start()]
            ):
                continue
            yield _Candidate("postcode", match.start(), match.end())


# --- Dates of birth ----------------------------------------------------------------------------

_MONTH_NAMES = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre
    stycznia lutego marca kwietnia maja czerwca lipca sierpnia wrzesnia pazdziernika listopada
    grudnia
    januar janner februar marz maerz april mai juni juli august september oktober november
    dezember
    """.split()
)
_YEAR = r"(?:19|20)[0-9]{2}"
# A month is any word here, checked against _MONTH_NAMES afterwards: one alternation of ninety
# names would be tried at every number of the text.
_FULL_DATE = re.compile(
    rf"""(?x)
    (?<![\w.])(?:
        (?P<d1>[0-9]{{1,2}})(?P<sep>[./-])(?P<m1>[0-9]{{1,2}})(?P=sep)(?:{_YEAR}|[0-9]{{2}})
      | {_YEAR}-(?P<m2>[0-9]{{1,2}})-(?P<d2>[0-9]{{1,2}})
      | (?P<d3>[0-9]{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?[ ](?:of[ ]|de[ ])?
        (?P<month3>[^\W\d_]{{3,12}})\.?,?[ ](?:de[ ])?{_YEAR}(?:[ ]r\.)?
      | (?P<month4>[^\W\d_]{{3,9}})\.?[ ](?P<d4>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ ]{_YEAR}
    )(?!\w)
    """
)
# The words that say a date is a birth date, right before it with at most three short words
# between ("born on the 3rd of March 1970", "nacido el 3 de marzo de 1970").
_BIRTH_CUE = re.compile(
    r"""(?ix)
    (?:\b(?:born|d\.?o\.?b|date[ ]of[ ]birth|birth[ ]?date|birthday|nat[oa]|nascita|née?
          |naissance|nacid[oa]|nacimiento|urodzon[ya]|urodzenia|urodziny|geboren
          |geburtsdatum|geburtstag|compleanno|cumpleaños|anniversaire)\b\.?
       |\b(?:b|ur|geb)\.)
    [ ]?[:,(–-]?[ ]?(?:[^\W\d_]{1,12}[ ]){0,3}\Z
    """
)


def _birth_date_candidates(text: str) -> Iterator[_Candidate]:
    for match in _FULL_DATE.finditer(text):
        if not _BIRTH_CUE.search(text[max(0, match.start() - 80) : match.start()]):
            continue
        if match.group("d1"):
            day, month = int(match.group("d1")), int(match.group("m1"))
            if not (1 <= day <= 31 and 1 <= month <= 31 and min(day, month) <= 12):
                continue
        elif match.group("d2"):
            if not (1 <= int(match.group("d2")) <= 31 and 1 <= int(match.group("m2")) <= 12):
                continue
        else:
            month = _fold(match.group("month3") or match.group("month4"))
            if month not in _MONTH_NAMES:
                continue
            if not 1 <= int(match.group("d3") or match.group("d4")) <= 31:
                continue
        yield _Candidate("birth_date", match.start(), match.end())
