import pytest
from django.template.loader import get_template
from django.test import Client

from hindsight.hostile import Page
from pages.tests.helpers import FOOTER_PATHS, footer_hrefs

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_friendly_not_found_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/"' in html and 'href="/stories/"' in html and 'href="/contact/"' in html
    assert 'class="site-footer"' in html
    assert 'rel="canonical"' not in html and 'content="noindex"' in html


def test_a_story_that_is_not_public_gets_the_not_found_page(client):
    from hindsight.testing import make_story
    from stories.models import Story

    story = make_story(status=Story.Status.PENDING, slug="waiting-story")

    response = client.get("/stories/waiting-story/")

    assert story.pk and response.status_code == 404
    assert "waiting for a moderator" in response.content.decode()


def test_the_not_found_page_offers_search_once_the_search_page_exists(client):
    from django.urls import NoReverseMatch, reverse

    try:
        search_url = reverse("search:search")
    except NoReverseMatch:
        pytest.skip("the search app has no search page yet")
    html = client.get("/no-such-page/").content.decode()
    assert f'action="{search_url}"' in html and 'name="q"' in html


def test_a_hostile_address_is_shown_as_nothing_but_text(client):
    response = client.get('/"><script>alert(1)</script>/')

    assert response.status_code == 404
    page = Page(response.content.decode())
    assert not page.handlers and not page.script_urls
    assert ("script", frozenset()) not in page.elements


def test_a_failing_view_gets_the_500_page_in_the_site_style(settings):
    settings.ROOT_URLCONF = "pages.tests.urls_failing"
    client = Client(raise_request_exception=False)

    response = client.get("/__fail__/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'class="site-header"' in html and "/static/css/site.css" in html
    assert "a bug, on purpose" not in html and "Traceback" not in html
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db(databases=[])
def test_the_500_page_renders_with_no_context_and_no_database(settings):
    settings.SITE_NAME = "Hindsight Test"

    # Any query here would fail: this test has no database access.
    html = get_template("500.html").render({})

    assert "<title>Something went wrong · Hindsight Test</title>" in html
    assert 'href="/"' in html
    assert set(FOOTER_PATHS) <= footer_hrefs(html)
