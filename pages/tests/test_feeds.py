import datetime
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from hindsight.hostile import Page, load_corpora
from hindsight.testing import make_story, make_treatment
from pages import feeds
from stories.models import Story

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["/feeds/stories.rss", "/feeds/stories.atom", "/feeds/articles.rss",
         "/feeds/articles.atom"]


def items(client, path: str) -> list[dict[str, str]]:
    """Each item of an RSS or Atom feed as title, link and description, after parsing the XML."""
    response = client.get(path)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    if root.tag == "rss":
        return [{"title": item.findtext("title"), "link": item.findtext("link"),
                 "description": item.findtext("description")}
                for item in root.iter("item")]
    return [{"title": entry.findtext(f"{ATOM}title"),
             "link": entry.find(f"{ATOM}link").get("href"),
             "description": entry.findtext(f"{ATOM}summary")}
            for entry in root.iter(f"{ATOM}entry")]


@pytest.fixture
def stories():
    treatment = make_treatment()
    published = make_story(treatment, title="Published and consented")
    hidden = [
        make_story(treatment, title="Waiting for a moderator", status=Story.Status.PENDING),
        make_story(treatment, title="Not yet confirmed", status=Story.Status.UNCONFIRMED),
        make_story(treatment, title="Rejected story", status=Story.Status.REJECTED),
        make_story(treatment, title="Withdrawn story", status=Story.Status.WITHDRAWN),
        make_story(treatment, title="Statistics only", consent_publish=False),
    ]
    return published, hidden


@pytest.fixture
def articles():
    today = timezone.localdate()
    published = Article.objects.create(
        title="Published article", slug="published", summary="What the <b>trials</b> found.",
        body="b", status=Article.Status.PUBLISHED)
    Article.objects.create(title="Draft article", slug="draft", summary="s", body="b")
    Article.objects.create(title="Future article", slug="future", summary="s", body="b",
                           status=Article.Status.PUBLISHED,
                           published_on=today + datetime.timedelta(days=1))
    return published


@pytest.mark.parametrize("path", ["/feeds/stories.rss", "/feeds/stories.atom"])
def test_the_story_feeds_list_only_published_stories(client, settings, stories, path):
    settings.SITE_URL = "https://hindsight.example"
    published, hidden = stories

    listed = items(client, path)

    assert [item["title"] for item in listed] == [published.title]
    assert listed[0]["link"] == "https://hindsight.example" + published.get_absolute_url()
    assert listed[0]["description"] == published.excerpt
    body = client.get(path).content.decode()
    assert all(story.title not in body for story in hidden)


@pytest.mark.parametrize("path", ["/feeds/articles.rss", "/feeds/articles.atom"])
def test_the_article_feeds_list_only_published_articles(client, settings, articles, path):
    settings.SITE_URL = "https://hindsight.example"

    listed = items(client, path)

    assert [item["title"] for item in listed] == ["Published article"]
    assert listed[0]["link"] == "https://hindsight.example/articles/published/"
    # The summary is plain text: a reader that reads it as HTML shows the tags as typed.
    assert listed[0]["description"] == "What the &lt;b&gt;trials&lt;/b&gt; found."


@pytest.mark.parametrize("path", FEEDS)
def test_feeds_are_publicly_cacheable_and_valid_xml_on_an_empty_site(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    ElementTree.fromstring(response.content)


def test_a_feed_lists_the_newest_twenty(client):
    treatment = make_treatment()
    start = timezone.now() - datetime.timedelta(days=30)
    for n in range(25):
        make_story(treatment, title=f"Story {n}", published_at=start + datetime.timedelta(n))

    titles = [item["title"] for item in items(client, "/feeds/stories.atom")]

    assert titles == [f"Story {n}" for n in range(24, 4, -1)]


def test_hostile_titles_and_words_keep_every_feed_valid_xml_and_inert(client, monkeypatch):
    monkeypatch.setattr(feeds, "ITEMS", 1000)
    treatment = make_treatment()
    strings = [text for _, _, text in load_corpora()]
    for index, text in enumerate(strings):
        make_story(treatment, title=(text[:110] or "blank") + f" {index}",
                   body=text + " and the rest of my story.", display_name=text[:60] or "Anna")

    for path in ["/feeds/stories.rss", "/feeds/stories.atom"]:
        listed = items(client, path)
        assert len(listed) == len(strings)
        for item in listed:
            page = Page(item["description"])
            assert not page.elements and not page.handlers, item["description"]
