"""The public list and entry pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.models import DirectoryEntry, EntrySource
from directory.tests.helpers import add_source, link, make_entry
from hindsight.testing import make_story
from stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_entries_only(client):
    make_entry()
    make_entry(name="A draft centre", slug="draft-centre", status=DirectoryEntry.Status.DRAFT)

    response = client.get(reverse("directory:list"))

    assert response.status_code == 200
    assert "Paolo Zamboni" in response.content.decode()
    assert "A draft centre" not in response.content.decode()


def test_the_list_filters_by_role_and_country_and_ignores_unknown_values(client):
    make_entry()
    make_entry(name="Michael Dake", slug="michael-dake", kind=DirectoryEntry.Kind.CLINICIAN,
               institution="Stanford University School of Medicine", city="", country="US")

    clinicians = client.get(reverse("directory:list"), {"kind": "clinician"}).content.decode()
    assert "Michael Dake" in clinicians and "Paolo Zamboni" not in clinicians
    italy = client.get(reverse("directory:list"), {"country": "IT"}).content.decode()
    assert "Paolo Zamboni" in italy and "Michael Dake" not in italy

    odd = client.get(reverse("directory:list"), {"kind": "<script>", "country": "IT"})
    assert odd.status_code == 200
    html = odd.content.decode()
    assert "We ignored a filter value" in html
    assert "Paolo Zamboni" in html and "Michael Dake" not in html


def test_the_list_counts_only_published_stories(client):
    entry = make_entry()
    link(make_story(), entry)
    link(make_story(status=Story.Status.PENDING), entry)

    html = client.get(reverse("directory:list")).content.decode()

    assert "1 published story linked" in html


def test_public_pages_may_be_cached_and_carry_no_form_token(client):
    entry = make_entry()
    for url in (reverse("directory:list"), entry.get_absolute_url()):
        response = client.get(url)
        assert response["Cache-Control"].startswith("public"), url
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert not response.cookies


def test_the_entry_page_shows_details_sources_and_the_correction_link(client):
    entry = make_entry()
    add_source(entry, claim="Led a trial.", title="JAMA Neurol 2018",
               url="https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494")
    add_source(entry, claim="Described the condition.", title="The blog page this site grew from",
               url="")

    html = client.get(entry.get_absolute_url()).content.decode()

    assert "Director of the Centre for Vascular Diseases" in html
    assert "University of Ferrara" in html and "Ferrara, Italy" in html
    assert '<a href="https://pmc.ncbi.nlm.nih.gov/articles/PMC5833494" rel="nofollow' in html
    assert "The blog page this site grew from (no public address on record)" in html
    assert reverse("directory:correct", args=[entry.slug]) in html


def test_a_draft_entry_has_no_page(client):
    entry = make_entry(status=DirectoryEntry.Status.DRAFT)
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:correct", args=[entry.slug])).status_code == 404


def test_the_entry_page_lists_published_linked_stories_only(client):
    entry = make_entry()
    link(make_story(title="Published and linked"), entry)
    link(make_story(title="Waiting for review", status=Story.Status.PENDING), entry)
    link(make_story(title="Not for publication", consent_publish=False), entry)
    make_story(title="Published, not linked")

    html = client.get(entry.get_absolute_url()).content.decode()

    assert "Published and linked" in html
    assert "Waiting for review" not in html
    assert "Not for publication" not in html
    assert "Published, not linked" not in html
    assert "1 published story" in html


def test_a_story_linked_twice_is_listed_once(client):
    entry = make_entry()
    story = make_story(title="Treated here by him")
    link(story, entry, "treated_by")
    link(story, entry, "place")

    html = client.get(entry.get_absolute_url()).content.decode()

    assert html.count("Treated here by him</a>") == 1


def test_a_source_link_must_be_http_or_https():
    entry = make_entry()
    for url in ("javascript:alert(1)", "data:text/html,hi", "ftp://example.org/a",
                "https://example.org/a b"):
        with pytest.raises(ValidationError) as error:
            EntrySource(entry=entry, claim="c", title="t", url=url).full_clean()
        assert "url" in error.value.message_dict, url
    EntrySource(entry=entry, claim="c", title="t", url="http://example.org/a").full_clean()


def test_an_entry_cannot_take_an_address_of_a_page():
    for slug in ("suggest", "lookup"):
        with pytest.raises(ValidationError) as error:
            make_entry(slug=slug)
        assert "slug" in error.value.message_dict


def test_the_main_navigation_links_to_the_directory(client):
    html = client.get(reverse("stories:list")).content.decode()
    assert f'href="{reverse("directory:list")}">Who does it</a>' in html
