import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hindsight.testing import make_story, make_treatment
from search.query import MAX_QUERY_LENGTH, MAX_TERMS
from stories import services as story_services

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


@pytest.fixture
def story():
    return make_story(title="Warm hands in Katowice",
                      body="My fatigue lifted within a week. <b>Bold</b> claims & more.")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_an_empty_search_shows_the_form_and_is_a_cacheable_public_page(client):
    response, html = get(client)
    assert 'name="q"' in html and "results for" not in html
    assert response["Cache-Control"] == "public, max-age=60" and not response.cookies
    assert "csrfmiddlewaretoken" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_each_result_has_its_kind_a_linked_title_a_marked_snippet_and_a_date(client, story):
    response, html = get(client, q="fatigued")

    assert response["Cache-Control"] == "public, max-age=60" and not response.cookies
    assert "1 result for “fatigued”" in html
    assert f'<a href="{story.get_absolute_url()}">Warm hands in Katowice</a>' in html
    assert "My <mark>fatigue</mark> lifted" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claims &amp; more." in html  # the author's text, as text
    assert '<span class="badge">Story</span>' in html
    assert timezone.localtime(story.published_at).date().isoformat() in html


def test_no_results_says_what_to_try(client, story):
    _response, html = get(client, q="zebra")
    assert "0 results for “zebra”" in html and "Nothing published has all of these words" in html
    assert "another spelling" in html


def test_a_withdrawn_story_is_not_found_on_the_next_request(client, story):
    assert "1 result for" in get(client, q="katowice")[1]
    story_services.story_withdraw(story=story)
    assert "0 results for" in get(client, q="katowice")[1]


def test_a_long_query_is_cut_with_a_message_and_shown_as_searched(client, story):
    typed = "fatigue " + "x" * (MAX_QUERY_LENGTH + 50)
    _response, html = get(client, q=typed)
    assert f"longer than {MAX_QUERY_LENGTH} characters" in html
    value = re.search(r'<input type="search" name="q" value="([^"]*)"', html).group(1)
    assert len(value) == MAX_QUERY_LENGTH and typed.startswith(value)


def test_too_many_words_are_dropped_with_a_message(client, story):
    _response, html = get(client, q=" ".join(f"w{n}" for n in range(MAX_TERMS + 2)))
    assert f"the first {MAX_TERMS} words" in html


def test_a_query_with_no_words_asks_for_one(client):
    _response, html = get(client, q='*** "" ()')
    assert "nothing to search for" in html and "results for" not in html


def test_filters_narrow_results_and_unknown_values_are_ignored(client, story):
    make_story(title="Stent in Sofia", body="My fatigue came back.", country="BG")
    assert "2 results for" in get(client, q="fatigue")[1]

    _response, html = get(client, q="fatigue", country="BG")
    assert "1 result for" in html and "Stent in Sofia" in html
    assert '<option value="BG" selected>Bulgaria</option>' in html

    _response, html = get(client, q="fatigue", country="XX", result="nonsense")
    assert "2 results for" in html and "We ignored a filter value" in html

    treatment = make_treatment(slug="other-treatment", name="Other treatment")
    make_story(treatment, title="Other fatigue", body="Fatigue here too.")
    assert "1 result for" in get(client, q="fatigue", treatment="other-treatment")[1]


def test_results_are_paged_and_a_bad_page_number_shows_a_page(client):
    treatment = make_treatment()
    for n in range(23):
        make_story(treatment, title=f"Zebra story {n}", body="Zebra words.")
    _response, html = get(client, q="zebra")
    assert "23 results" in html and html.count('class="search-result"') == 20
    assert "Page 1 of 2" in html and "q=zebra&amp;page=2" in html

    _response, html = get(client, q="zebra", page="2")
    assert html.count('class="search-result"') == 3 and 'start="21"' in html
    for page in ("0", "nonsense", "999", "-1"):
        assert 'class="search-result"' in get(client, q="zebra", page=page)[1]


def test_every_page_has_the_header_search_box(client):
    html = client.get(reverse("stories:list")).content.decode()
    form = re.search(r'<form class="site-search"[^>]*>.*?</form>', html, re.S).group(0)
    assert f'action="{URL}"' in form and 'method="get"' in form
    assert '<label for="site-search-q">Search</label>' in form and 'id="site-search-q"' in form
