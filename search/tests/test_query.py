from search.query import MAX_QUERY_LENGTH, MAX_TERMS, clean_query_text, parse_query


def test_words_are_terms_and_quoted_text_is_one_phrase():
    assert parse_query('fatigue "warm hands" Katowice').terms == (
        ("fatigu",), ("warm", "hand"), ("katowic",))


def test_curly_and_unclosed_quotes_make_phrases_too():
    assert parse_query("“warm hands” «cold feet»").terms == (("warm", "hand"), ("cold", "feet"))
    assert parse_query('fatigue "warm hands').terms == (("fatigu",), ("warm", "hand"))


def test_words_joined_by_punctuation_are_a_phrase():
    assert parse_query("follow-up don't").terms == (("follow", "up"), ("don", "t"))


def test_engine_syntax_is_only_words():
    query = parse_query('NEAR(a b) OR NOT "x" * ^ : title:fatigue <-> & | !walk \'')
    assert query.terms == (
        ("near", "a"), ("b",), ("or",), ("not",), ("x78",), ("titl", "fatigu"), ("walk",))


def test_repeated_terms_count_once_and_only_the_first_terms_are_used():
    assert parse_query("walk walking WALKS").terms == (("walk",),)
    words = " ".join(f"word{n}" for n in range(MAX_TERMS + 3))
    query = parse_query(words)
    assert len(query.terms) == MAX_TERMS and query.dropped_terms
    assert not parse_query("one two").dropped_terms


def test_a_query_without_words_is_empty():
    assert not parse_query('*** "" () -- 🙂')
    assert parse_query('*** "" () -- 🙂').terms == ()


def test_clean_query_text_turns_controls_into_spaces_and_cuts_long_queries():
    assert clean_query_text("a\x00b\tc\n\nd\u2028e  ") == ("a b c d e", False)
    long_query = "word " * 100
    cleaned, cut = clean_query_text(long_query)
    assert cut and len(cleaned) <= MAX_QUERY_LENGTH and cleaned == cleaned.strip()
    assert long_query.startswith(cleaned)
