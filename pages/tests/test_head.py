import re

import pytest

from hindsight.testing import make_story, make_treatment

pytestmark = pytest.mark.django_db


def canonicals(html: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]*)">', html)


@pytest.mark.parametrize("path", ["/", "/stories/", "/privacy/", "/contact/", "/articles/"])
def test_each_page_names_its_canonical_address_from_the_site_url(client, settings, path):
    settings.SITE_URL = "https://hindsight.example"

    html = client.get(path, {"utm_source": "x", "page": "1"}).content.decode()

    assert canonicals(html) == [f"https://hindsight.example{path}"]


def test_a_story_has_exactly_one_canonical_link_to_itself(client, settings):
    settings.SITE_URL = "https://hindsight.example"
    story = make_story(make_treatment())

    html = client.get(story.get_absolute_url()).content.decode()

    assert canonicals(html) == [f"https://hindsight.example{story.get_absolute_url()}"]


def test_every_page_announces_the_feeds(client):
    html = client.get("/privacy/").content.decode()

    for kind, path in [("atom", "/feeds/stories.atom"), ("rss", "/feeds/stories.rss"),
                       ("atom", "/feeds/articles.atom"), ("rss", "/feeds/articles.rss")]:
        assert re.search(
            rf'<link rel="alternate" type="application/{kind}\+xml" title="[^"]+" '
            rf'href="{re.escape(path)}">', html
        ), path
