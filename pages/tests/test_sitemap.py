import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Series
from hindsight.testing import make_story, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://hindsight.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _xml(client, url: str) -> ElementTree.Element:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == SITE, url
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "public, max-age=60"
    return ElementTree.fromstring(response.content)


def sitemap_urls(client) -> list[str]:
    """Every address the sitemap lists, read the way a crawler does: the index, then each
    sitemap it names."""
    index = _xml(client, SITE + "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    urls = []
    for location in index.iter(f"{NS}loc"):
        urlset = _xml(client, location.text)
        assert urlset.tag == f"{NS}urlset"
        urls += [loc.text for loc in urlset.iter(f"{NS}loc")]
    return urls


@pytest.fixture
def content():
    treatment = make_treatment()
    inactive = make_treatment(slug="retired", name="Retired", short_name="retired",
                              is_active=False)
    published = make_story(treatment, title="Published")
    hidden = [
        make_story(treatment, title="Pending", status=Story.Status.PENDING, slug="pending-1"),
        make_story(treatment, title="Withdrawn", status=Story.Status.WITHDRAWN,
                   slug="withdrawn-1"),
        make_story(treatment, title="Rejected", status=Story.Status.REJECTED, slug="rejected-1"),
        make_story(treatment, title="Statistics only", consent_publish=False),
    ]
    series = Series.objects.create(title="A series", slug="a-series")
    empty_series = Series.objects.create(title="Only drafts", slug="only-drafts")
    article = Article.objects.create(title="Live", slug="live", summary="s", body="b",
                                     series=series, status=Article.Status.PUBLISHED)
    drafts = [
        Article.objects.create(title="Draft", slug="draft", summary="s", body="b",
                               series=empty_series),
        Article.objects.create(title="Future", slug="future", summary="s", body="b",
                               status=Article.Status.PUBLISHED,
                               published_on=timezone.localdate() + datetime.timedelta(1)),
    ]
    return {"treatment": treatment, "inactive": inactive, "published": published,
            "hidden": hidden, "series": series, "empty_series": empty_series,
            "article": article, "drafts": drafts}


def test_the_sitemap_lists_published_content_and_the_site_pages(client, content):
    urls = set(sitemap_urls(client))

    expected_paths = [
        "/", "/stories/", "/treatments/", "/articles/", "/contact/",
        "/about/", "/privacy/", "/disclaimer/", "/disclosure/", "/support/",
        content["published"].get_absolute_url(),
        content["treatment"].get_absolute_url(),
        reverse("outcomes:page", args=[content["treatment"].slug]),
        content["article"].get_absolute_url(),
        content["series"].get_absolute_url(),
    ]
    assert {SITE + path for path in expected_paths} <= urls


def test_the_sitemap_leaves_out_everything_not_published(client, content):
    urls = "\n".join(sitemap_urls(client))

    for story in content["hidden"]:
        assert story.slug and f"/stories/{story.slug}/" not in urls
    for article in content["drafts"]:
        assert article.get_absolute_url() not in urls
    assert content["empty_series"].get_absolute_url() not in urls
    assert "/retired/" not in urls


def test_a_story_that_leaves_publication_leaves_the_sitemap(client, content):
    story = content["published"]
    assert SITE + story.get_absolute_url() in sitemap_urls(client)

    story.status = Story.Status.WITHDRAWN
    story.save(update_fields=["status"])

    assert SITE + story.get_absolute_url() not in sitemap_urls(client)


def test_every_listed_address_answers(client, content):
    for url in sitemap_urls(client):
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_the_sitemap_is_valid_xml_on_an_empty_site(client):
    urls = sitemap_urls(client)

    assert SITE + "/" in urls and SITE + "/privacy/" in urls


def test_a_long_section_is_split_into_pages_named_in_the_index(client, monkeypatch):
    from pages import sitemaps

    monkeypatch.setattr(sitemaps.QuerySetSitemap, "limit", 2)
    treatment = make_treatment()
    stories = [make_story(treatment, title=f"Story {n}") for n in range(5)]

    urls = sitemap_urls(client)

    assert {SITE + story.get_absolute_url() for story in stories} <= set(urls)


def test_an_unknown_section_or_page_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-stories.xml?p=99").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_private_and_one_off_addresses(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=60"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *" and "Allow: /" in lines
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    assert {"/my/", "/moderation/", "/accounts/", "/comments/", "/research/",
            "/reminders/"} <= disallowed
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_robots_txt_covers_the_real_addresses_of_private_pages(client):
    disallowed = [line.removeprefix("Disallow: ")
                  for line in client.get("/robots.txt").content.decode().splitlines()
                  if line.startswith("Disallow")]
    private = [
        reverse("accounts:my-stories"), reverse("admin:index"), reverse("account_login"),
        reverse("stories:confirm", args=["token"]), reverse("stories:share-sent"),
        reverse("discussion:confirm", args=["token"]),
        reverse("reminders:stop", args=["token"]), reverse("pages:contact-sent"),
    ]

    for path in private:
        assert any(path.startswith(prefix) for prefix in disallowed), path


def test_published_directory_entries_are_listed_once_the_directory_exists(client):
    directory = pytest.importorskip("directory.models")
    Entry = directory.DirectoryEntry
    published = Entry.objects.create(name="A published centre", slug="published-centre",
                                      kind=Entry.Kind.CENTRE, status=Entry.Status.PUBLISHED)
    draft = Entry.objects.create(name="A draft centre", slug="draft-centre",
                                  kind=Entry.Kind.CENTRE, status=Entry.Status.DRAFT)

    urls = sitemap_urls(client)

    assert SITE + reverse("directory:list") in urls
    assert SITE + published.get_absolute_url() in urls
    assert SITE + draft.get_absolute_url() not in urls


def test_a_story_leaving_the_statistics_changes_no_sitemap(client):
    """Consent to statistics changes the story's row but nothing on its page; the figures hold
    the change back until they next change, and the sitemap must not give it away."""
    from stories.models import StoryConsent
    from stories.services import story_set_consent

    story = make_story(make_treatment(), title="A story that stays published")
    before = [client.get(path).content for path in ("/sitemap.xml", "/sitemap-stories.xml")]

    story_set_consent(story=story, purpose=StoryConsent.Purpose.STATISTICS, granted=False)

    assert [client.get(path).content
            for path in ("/sitemap.xml", "/sitemap-stories.xml")] == before
