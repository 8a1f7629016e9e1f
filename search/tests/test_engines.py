"""Both engines match the same documents.

The suite runs once on SQLite (FTS5) and once on PostgreSQL (`scripts/with-postgres`). Each run
checks the engine in use against one reference, written here in Python from the definition of
a match (every term's keys appear, in order and adjacent, in the title or in the text), over a
fixed corpus of awkward text and every word of it as a query. Both runs passing means both
engines return the same set for every one of those queries. Rank order may differ; the best hit
of a clear query is checked too.
"""

import random
import re

import pytest

from articles.models import Article
from hindsight.testing import make_story, make_treatment
from search.backends import PostgreSQLEngine, SQLiteEngine, matching_ids, search
from search.models import SearchDocument
from search.query import ParsedQuery, parse_query
from search.text import MAX_INDEXED_KEYS, MAX_REPEATS_OF_A_KEY, keys

pytestmark = pytest.mark.django_db

# (title, body): stems, accents, scripts, punctuation each engine would read its own way,
# stop words, numbers, and a phrase that only exists across the title and the text.
CORPUS = [
    ("Warmer hands after Katowice",
     "My fatigue lifted within a week and my hands were warm for the first time."),
    ("Walking again", "I walked to the shop; walks are easier. The walker stays at home."),
    ("A follow-up, at last",
     "See ccsvi.org/faq and e-mail anna@example.com; the vein was 1.5 mm wide, now 3.2mm."),
    ("Café in Zürich", "A naïve hope, then the CAFÉ again: façade, coöperation, Ærø."),
    ("Москва и Пекин", "Лечение в Москве, потом 北京 и 東京; עברית ו-العربية أيضا."),
    ("Not the problem", "The clinic was not the problem, it was the cost. To be or not to be."),
    ("Numbers", "In 2011, the 3rd visit; 1e5 cells, 007 and 12345678901234567890."),
    ("Apostrophes", "I don't know; it's my doctor’s view — she’s sure. Rock'n'roll."),
    ("News of a general", "Generous news: the general is dying, the dyer died; relational."),
    ("Hands", "Warm feet, cold hands, and warmer evenings."),
    ("Repetition", "the " * (MAX_REPEATS_OF_A_KEY + 20) + "clinic visit at the clinic"),
    ("Underscores_and-dashes", "snake_case, kebab-case, CamelCase, ALLCAPS, x-ray, Xray, xii."),
    ("Marks", "Combining: cafe\u0301 and full-width ＡＢＣ and ligature ﬁne and ½ ²."),
    ("Quotes and operators", 'He said "NEAR" AND OR NOT (maybe) * ^ : -minus +plus <-> & |'),
]

PHRASES = [
    '"hands were warm"', '"warm hands"', '"katowice my"', '"hands warm"', '"walked to the shop"',
    '"not the problem"', '"to be or not to be"', '"the clinic"', '"clinic visit"',
    "follow-up", "don't", "ccsvi.org", "1.5", "3.2mm", "e-mail", "rock'n'roll", '"cafe zurich"',
    '"in zürich"', "kebab-case", "snake_case", "x-ray", "ＡＢＣ", "abc", "fine", "½",
    "warm hands", "walking walker", "generous general", "news new", "dying die", "café CAFE",
    "москва москве", "北京", "東京", "العربية", "NEAR", '"NEAR" AND', "(maybe)", "-minus", "+plus",
]


def _contains(field: list[str], term: tuple[str, ...]) -> bool:
    n = len(term)
    return any(tuple(field[i : i + n]) == term for i in range(len(field) - n + 1))


def reference(query: ParsedQuery) -> set[int]:
    """The documents that match by definition, read from the indexed keys."""
    found = set()
    for doc in SearchDocument.objects.all():
        fields = [doc.title_terms.split(), doc.body_terms.split()]
        if all(any(_contains(field, term) for field in fields) for term in query.terms):
            found.add(doc.pk)
    return found


@pytest.fixture
def corpus(db):
    treatment = make_treatment()
    return [make_story(treatment, title=title, body=body) for title, body in CORPUS]


def corpus_queries() -> list[str]:
    words = set()
    for title, body in CORPUS:
        words |= set(re.findall(r"\w+", title + " " + body))
    return sorted(words) + PHRASES


def test_the_engine_matches_what_the_reference_matches_for_every_word_and_phrase(corpus):
    differences = []
    for text in corpus_queries():
        query = parse_query(text)
        if not query:
            continue
        expected = reference(query)
        got = matching_ids(query)
        if got != expected:
            differences.append(f"{text!r} {query.terms}: engine {got}, reference {expected}")
    assert not differences, "\n".join(differences)


def test_the_corpus_exercises_what_it_is_meant_to(corpus):
    """The reference is only as good as the keys: these matches are the point of stemming,
    folding and phrases, so they are stated here and not derived."""
    by_title = {doc.title: doc.pk for doc in SearchDocument.objects.all()}

    def found(text):
        return {title for title, pk in by_title.items() if pk in matching_ids(parse_query(text))}

    assert found("walking") == {"Walking again"} and found("walks") == {"Walking again"}
    assert found("cafe zurich") == {"Café in Zürich"}
    assert found('"hands warm"') == set()  # only across the title and the text
    assert found('"warm hands"') == set() and found("warm hands") == {
        "Warmer hands after Katowice", "Hands"}
    assert "Not the problem" in found('"not the problem"')
    assert found("ccsvi.org") == {"A follow-up, at last"} == found("ccsvi")
    assert found("москве") == {"Москва и Пекин"} and found("北京") == {"Москва и Пекин"}
    assert found("abc") == {"Marks"} and found("fine") == {"Marks"}
    assert found("\"clinic visit\"") == {"Repetition"}


def test_the_best_hit_of_a_clear_query_is_the_same_on_both_engines(corpus):
    # A title match outranks a text match: "hands" is in two titles and two texts.
    results = search(parse_query("hands"))
    titles = [doc.title for doc in results[0:10]]
    assert set(titles[:2]) == {"Hands", "Warmer hands after Katowice"}
    assert search(parse_query("walker"))[0:1][0].title == "Walking again"
    assert search(parse_query('"to be or not to be"'))[0:1][0].title == "Not the problem"


def test_engine_queries_are_written_from_keys_only():
    hostile = ParsedQuery(terms=(('fatigue" OR "x',),))
    with pytest.raises(ValueError):
        SQLiteEngine().match(hostile.terms)
    with pytest.raises(ValueError):
        PostgreSQLEngine.tsquery(hostile.terms)
    assert PostgreSQLEngine.tsquery((("warm",), ("hand", "warm"))) == (
        "'warm' & ( 'hand':A <-> 'warm':A | 'hand':B <-> 'warm':B )"
    )
    assert SQLiteEngine().match((("warm",), ("hand", "warm")))[1] == ['"warm" AND "hand warm"']


def test_every_key_reaches_the_engine_unchanged(corpus):
    """Each engine must see each key as one token, exactly: search for every key in the corpus
    on its own and find each document that has it."""
    missing = []
    for doc in SearchDocument.objects.all():
        for key in set((doc.title_terms + " " + doc.body_terms).split()):
            if doc.pk not in matching_ids(ParsedQuery(terms=((key,),))):
                missing.append((doc.title, key))
    assert not missing
    assert keys("Ⅻ x-ray Xray")[0].startswith("x") and len(set(keys("xray Xray"))) == 1


def test_phrases_agree_up_to_the_end_of_a_very_long_text():
    """PostgreSQL stops counting positions at 16,383; what is indexed of a long text stops
    before that, so a phrase at the end of what is indexed matches on both engines."""
    words = [f"w{n}" for n in range(MAX_INDEXED_KEYS + 50)]
    Article.objects.create(title="Long", slug="long", summary="s", body=" ".join(words),
                           status=Article.Status.PUBLISHED)
    last = MAX_INDEXED_KEYS - 1  # the summary is the first indexed word
    for text, expected in [(f'"{words[last - 2]} {words[last - 1]}"', True),
                           (words[last - 1], True), (words[last + 10], False)]:
        query = parse_query(text)
        assert bool(matching_ids(query)) is expected, text
        assert matching_ids(query) == reference(query)


VOCABULARY = [
    "walk", "walking", "walked", "the", "not", "ccsvi.org", "follow-up", "café", "CAFE", "北京",
    "1.5", "x-ray", "Москва", "don't", "NEAR", "AND", "OR", "(", ")", "*", ":", "^", "<->", "&",
    "fatigue", "fatigued", "hands", "hand", "warm", "warmer", "news", "new", "general",
    "generous", "2011", "3rd", "ﬁne", "½", "Zürich", "zurich", "a", "I", "-", "e-mail",
]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "-", "/", " — "]


def test_random_texts_and_queries_agree_with_the_reference():
    rng = random.Random(20261125)
    treatment = make_treatment()

    def text(low: int, high: int) -> str:
        out = []
        for _ in range(rng.randint(low, high)):
            out += [rng.choice(VOCABULARY), rng.choice(SEPARATORS)]
        return "".join(out)

    for _ in range(40):
        make_story(treatment, title=text(1, 6) or "t", body=text(5, 80))
    differences, matched = [], 0
    for _ in range(300):
        parts = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.4:
            parts = ['"' + " ".join(parts) + '"']
        query = parse_query(" ".join(parts))
        if not query:
            continue
        expected = reference(query)
        matched += bool(expected)
        if matching_ids(query) != expected:
            differences.append(f"{parts}: engine {matching_ids(query)}, reference {expected}")
    assert not differences, "\n".join(differences)
    assert matched > 100  # the queries find things, so agreeing means something
