"""How text becomes searchable: one tokeniser and one stemmer, in Python, for both databases.

SQLite's FTS5 and PostgreSQL would each split, fold and stem text their own way (PostgreSQL
reads "ccsvi.org" as one host name, "follow-up" as three words, stems with Snowball and drops
stop words; FTS5 does none of that). So neither engine sees the author's words. Every word is
turned here into a *key*: Unicode-normalised, accents removed, case-folded, stemmed with the
Porter algorithm, and written with ASCII letters and digits only. The engines index lines of
keys separated by spaces, which both split identically, and compare keys exactly. A query goes
through the same functions, so the two engines match the same documents by construction.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Letters and digits of any script; marks, punctuation and symbols separate words. Text is
# NFC-normalised first, so accented letters stay whole.
WORD = re.compile(r"[^\W_]+")
# Longer tokens are cut: nobody searches for them, and keys must stay far below PostgreSQL's
# 2,047-byte limit for a lexeme.
MAX_WORD_LENGTH = 64
# PostgreSQL keeps positions only up to 16,383 and at most 255 positions of one lexeme; past
# either, phrases would match differently than in FTS5. Keys past those limits are left out of
# what both engines index, so they still agree (see `index_terms`).
MAX_INDEXED_KEYS = 16000
MAX_REPEATS_OF_A_KEY = 255

_PLAIN_KEY = re.compile(r"[a-wyz0-9][a-z0-9]*")
_ASCII_KEY = re.compile(r"[a-z0-9]+")
_LETTERS = re.compile(r"[a-z]+")


def normalise_text(text: str) -> str:
    """The form of a text that is indexed and shown in snippets (composed Unicode)."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=100_000)
def word_key(word: str) -> str:
    """The key for one word, or "" if nothing searchable is left of it.

    Keys are made of ASCII letters and digits, so no engine splits or changes them. A word
    that is already plain (after folding) is its own key; any other is written as "x" and the
    hex of its UTF-8 bytes. Plain keys never start with "x", so the two kinds cannot clash.
    """
    folded = unicodedata.normalize("NFKD", word[:MAX_WORD_LENGTH])
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = unicodedata.normalize("NFC", folded)
    if not folded:
        return ""
    if _LETTERS.fullmatch(folded):
        folded = porter_stem(folded)
    if _PLAIN_KEY.fullmatch(folded):
        return folded
    return "x" + folded.encode("utf-8").hex()


def is_key(value: str) -> bool:
    return bool(_ASCII_KEY.fullmatch(value))


def tokens(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, key) for each word of an already normalised text."""
    for match in WORD.finditer(text):
        if key := word_key(match.group()):
            yield match.start(), match.end(), key


def keys(text: str) -> list[str]:
    return [key for _start, _end, key in tokens(normalise_text(text))]


def index_terms(text: str) -> str:
    """The line of keys an engine indexes for a text."""
    kept: list[str] = []
    seen: Counter[str] = Counter()
    for key in keys(text):
        seen[key] += 1
        if seen[key] <= MAX_REPEATS_OF_A_KEY:
            kept.append(key)
            if len(kept) == MAX_INDEXED_KEYS:
                break
    return " ".join(kept)


# --- Highlighting ------------------------------------------------------------------------------

SNIPPET_WORDS = 32


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    """The text escaped, with each span wrapped in <mark>. Every piece of the text is escaped
    on its own; the only markup added is the <mark> tags."""
    out, at = [], 0
    for start, end in spans:
        out.append(escape(text[at:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def highlight(text: str, wanted: set[str]) -> SafeString:
    """The whole text, escaped, with the words whose keys are wanted marked."""
    text = normalise_text(text)
    return _marked(text, [(start, end) for start, end, key in tokens(text) if key in wanted])


def snippet(text: str, wanted: set[str], *, words: int = SNIPPET_WORDS) -> SafeString:
    """A window of about `words` words of the text where the most different wanted words
    appear, escaped, with them marked, and an ellipsis where the text was cut."""
    text = normalise_text(text)
    found = list(tokens(text))
    if not found:
        return _marked(text[:300], [])
    first = _best_window(found, wanted, words)
    # Start a little before the first wanted word, so it is read in context.
    hit = next((i for i in range(first, len(found)) if found[i][2] in wanted), first)
    if hit - first > words // 4:
        first = hit - words // 4
    window = found[first : first + words]
    start = 0 if first == 0 else window[0][0]
    end = len(text) if first + words >= len(found) else window[-1][1]
    spans = [(s - start, e - start) for s, e, key in window if key in wanted]
    body = _marked(text[start:end], spans)
    before = "… " if start > 0 else ""
    after = " …" if end < len(text) else ""
    return mark_safe(before + body + after)


def _best_window(found: list[tuple[int, int, str]], wanted: set[str], words: int) -> int:
    """Index of the first token of the earliest window holding the most distinct wanted
    keys (0 when nothing is wanted)."""
    best, best_score = 0, 0
    counts: Counter[str] = Counter()
    for i, (_s, _e, key) in enumerate(found):
        if key in wanted:
            counts[key] += 1
        if i >= words:
            old = found[i - words][2]
            if old in wanted:
                counts[old] -= 1
                if not counts[old]:
                    del counts[old]
        if len(counts) > best_score:
            best, best_score = max(0, i - words + 1), len(counts)
    return best


# --- The Porter stemmer ------------------------------------------------------------------------
# M. F. Porter's 1980 algorithm, as SQLite's FTS5 `porter` tokeniser implements it (its rule
# tables, its length limits: words under 3 or over 64 letters are left alone). The tests check
# it against FTS5 itself.

_STEP2 = (
    ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
    ("izer", "ize"), ("logi", "log"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"),
    ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
    ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
    ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"),
)
_STEP3 = (
    ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
    ("ful", ""), ("ness", ""),
)
_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion",
    "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)


def _is_vowel(ch: str, y_is_vowel: bool) -> bool:
    return ch in "aeiou" or (y_is_vowel and ch == "y")


def _after_vc(stem: str, previous_is_consonant: bool) -> int:
    """Length of the shortest prefix holding a vowel then a consonant, or 0 if none does."""
    consonant = previous_is_consonant
    i = 0
    while i < len(stem):
        consonant = not _is_vowel(stem[i], consonant)
        if not consonant:
            break
        i += 1
    i += 1
    while i < len(stem):
        consonant = not _is_vowel(stem[i], consonant)
        if consonant:
            return i + 1
        i += 1
    return 0


def _m_gt0(stem: str) -> bool:
    return _after_vc(stem, False) > 0


def _m_gt1(stem: str) -> bool:
    n = _after_vc(stem, False)
    return bool(n) and _after_vc(stem[n:], True) > 0


def _m_eq1(stem: str) -> bool:
    n = _after_vc(stem, False)
    return bool(n) and _after_vc(stem[n:], True) == 0


def _cvc(stem: str) -> bool:
    """Ends consonant-vowel-consonant, the last not w, x or y (Porter's *o)."""
    if stem[-1] in "wxy":
        return False
    pattern, consonant = [], False
    for ch in stem:
        consonant = not _is_vowel(ch, consonant)
        pattern.append(consonant)
    return pattern[-3:] == [True, False, True]


def _has_vowel(stem: str) -> bool:
    return any(_is_vowel(ch, i > 0) for i, ch in enumerate(stem))


def _replace(word: str, rules, condition) -> str:
    """Apply the first rule whose suffix ends the word (and is shorter than it), if the
    condition holds for what is left; later rules are not tried."""
    for suffix, replacement in rules:
        if len(word) > len(suffix) and word.endswith(suffix):
            stem = word[: -len(suffix)]
            return stem + replacement if condition(stem) else word
    return word


def porter_stem(word: str) -> str:
    if len(word) < 3 or len(word) > 64:
        return word
    # Step 1a: plurals.
    if word.endswith("s"):
        if word[-2] == "e":
            if (len(word) > 4 and word[-4:-2] == "ss") or (len(word) > 3 and word[-3] == "i"):
                word = word[:-2]
            else:
                word = word[:-1]
        elif word[-2] != "s":
            word = word[:-1]
    # Step 1b: -eed, -ed, -ing.
    removed = False
    if len(word) > 3 and word.endswith("eed"):
        if _m_gt0(word[:-3]):
            word = word[:-1]
    elif len(word) > 2 and word.endswith("ed"):
        if _has_vowel(word[:-2]):
            word, removed = word[:-2], True
    elif len(word) > 3 and word.endswith("ing"):
        if _has_vowel(word[:-3]):
            word, removed = word[:-3], True
    if removed:
        if len(word) > 2 and word[-2:] in ("at", "bl", "iz"):
            word += "e"
        else:
            last = word[-1]
            if (len(word) > 1 and not _is_vowel(last, False) and last not in "lsz"
                    and last == word[-2]):
                word = word[:-1]
            elif _m_eq1(word) and _cvc(word):
                word += "e"
    # Step 1c: -y after a vowel somewhere becomes -i.
    if word.endswith("y") and _has_vowel(word[:-1]):
        word = word[:-1] + "i"
    # Steps 2 to 4: longer suffixes.
    word = _replace(word, _STEP2, _m_gt0)
    word = _replace(word, _STEP3, _m_gt0)
    for suffix in _STEP4:
        if len(word) > len(suffix) and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix == "ion":
                if stem[-1] in "st" and _m_gt1(stem):
                    word = stem
            elif _m_gt1(stem):
                word = stem
            break
    # Step 5a: a final -e.
    if word.endswith("e"):
        stem = word[:-1]
        if _m_gt1(stem) or (_m_eq1(stem) and not _cvc(stem)):
            word = stem
    # Step 5b: -ll.
    if len(word) > 1 and word.endswith("ll") and _m_gt1(word[:-1]):
        word = word[:-1]
    return word
