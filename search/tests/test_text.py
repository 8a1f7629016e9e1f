import html
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hindsight.hostile import Page, load_corpora
from search.text import (
    MAX_INDEXED_KEYS,
    MAX_REPEATS_OF_A_KEY,
    highlight,
    index_terms,
    is_key,
    keys,
    porter_stem,
    snippet,
)

SHARED = Path(__file__).resolve().parents[3] / "shared"


def fts5_porter(words: list[str]) -> list[str]:
    """SQLite's own Porter stemmer, through an FTS5 table in memory."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter ascii')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.execute("INSERT INTO t VALUES (?)", [" ".join(words)])
    stems = [term for term, in db.execute("SELECT term FROM v ORDER BY offset")]
    db.close()
    assert len(stems) == len(words)
    return stems


def _english_words() -> list[str]:
    words = set()
    for path in [SHARED / "evidence" / "ccsvi-evidence.md", SHARED / "STYLE.md",
                 SHARED / "corpora" / "blns.json"]:
        words |= set(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()))
    return sorted(words)


def test_the_stemmer_is_fts5s_porter_on_real_words():
    words = _english_words()
    assert len(words) > 1000
    mine = [porter_stem(w) for w in words]
    assert [(w, m) for w, m, s in zip(words, mine, fts5_porter(words), strict=True) if m != s] == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aeiouybcdlmnst", min_size=1, max_size=14), min_size=1,
                max_size=40))
def test_the_stemmer_is_fts5s_porter_on_made_up_words(words):
    assert [porter_stem(w) for w in words] == fts5_porter(words)


def test_keys_fold_case_accents_and_unicode_forms():
    assert keys("Café CAFÉ cafe\u0301 CAFE") == ["cafe"] * 4
    assert keys("ＡＢＣ ﬁne") == ["abc", "fine"]
    assert keys("Walking walked walks") == ["walk"] * 3


def test_keys_are_ascii_and_words_that_are_not_plain_cannot_clash_with_those_that_are():
    sample = ["北京", "Москва", "العربية", "xray", "x", "½", "e5", "٣", "🙂a", "ǅ"]
    found = keys(" ".join(sample))
    assert all(is_key(k) for k in found)
    assert "xray" not in found and "x" not in found  # plain words never start with x
    assert len(set(found)) == len(found)


def test_punctuation_and_query_syntax_are_separators():
    assert keys('NEAR(fatigue* "walk") AND -x:y | a<->b') == [
        "near", "fatigu", "walk", "and", "x78", "y", "a", "b"]


def test_index_terms_stop_where_postgresql_would_lose_positions():
    text = "the " * (MAX_REPEATS_OF_A_KEY + 5) + "end"
    assert index_terms(text).split() == ["the"] * MAX_REPEATS_OF_A_KEY + ["end"]
    long_text = " ".join(f"w{n}" for n in range(MAX_INDEXED_KEYS + 10))
    assert len(index_terms(long_text).split()) == MAX_INDEXED_KEYS


def test_highlight_marks_whole_words_whose_keys_are_wanted():
    assert highlight("Walking & walks, <b>not</b> a walkway", {"walk"}) == (
        "<mark>Walking</mark> &amp; <mark>walks</mark>, &lt;b&gt;not&lt;/b&gt; a walkway"
    )


def test_a_snippet_is_the_part_with_the_most_different_wanted_words():
    text = " ".join(["filler"] * 100 + ["fatigue", "and", "walking"] + ["filler"] * 100)
    shown = snippet(text, {"fatigu", "walk"}, words=20)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "<mark>fatigue</mark> and <mark>walking</mark>" in shown
    assert len(shown.split()) < 30
    assert snippet("short text", {"nothing"}) == "short text"


def test_snippets_of_hostile_text_are_escaped_except_for_the_marks():
    """Every corpus string inside a text, searched for by each of its own words: what the
    snippet and the title show is the text itself, with nothing but <mark> added."""
    for corpus, index, text in load_corpora():
        wanted = set(keys(text))
        for shown in (snippet(f"before {text} after", wanted, words=400),
                      highlight(text, wanted)):
            page = Page(str(shown))
            label = f"{corpus}[{index}]"
            assert {tag for tag, _attrs in page.elements} <= {"mark"}, label
            assert not page.handlers and not page.script_urls, label
            plain = html.unescape(re.sub(r"</?mark>", "", str(shown)))
            assert plain.replace("… ", "").replace(" …", "") in f"before {text} after", label


@pytest.mark.parametrize("text", ["", "   ", "!!! ***", "\x00\x01"])
def test_text_without_words_has_no_keys(text):
    assert keys(text) == [] and index_terms(text) == ""
