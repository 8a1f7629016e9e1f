"""RSS and Atom feeds of new stories and new articles: published content only, absolute links
from SITE_URL, and each item's description the plain-text excerpt."""

import datetime
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from stories.models import Story

ITEMS = 20
# Characters XML 1.0 cannot hold at all (most control characters, lone surrogates, U+FFFE/F):
# Django refuses to write a few of them and writes the rest, which breaks every reader.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def as_html_text(value: str) -> str:
    """Feed readers read a description (and an Atom summary) as HTML: escape the plain text so
    it shows as typed, never as markup."""
    return escape(xml_text(value))


class _SiteFeed(Feed):
    list_url_name = ""
    feed_url_name = ""

    def link(self) -> str:
        return settings.SITE_URL + reverse(self.list_url_name)

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse(self.feed_url_name)

    def item_link(self, item) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_title(self, item) -> str:
        return xml_text(item.title)


class StoriesFeed(_SiteFeed):
    list_url_name = "stories:list"
    feed_url_name = "pages:feed-stories-rss"
    description = _("Stories from people with MS about what happened after a treatment, "
                    "newest first.")

    def title(self) -> str:
        return _("New stories on %(site)s") % {"site": settings.SITE_NAME}

    def items(self):
        return Story.objects.public().for_list()[:ITEMS]

    def item_description(self, story: Story) -> str:
        return as_html_text(story.excerpt)

    def item_author_name(self, story: Story) -> str:
        return xml_text(story.display_name)

    def item_pubdate(self, story: Story) -> datetime.datetime:
        return story.published_at

    def item_categories(self, story: Story) -> list[str]:
        return [xml_text(story.treatment.name)]


class StoriesAtomFeed(StoriesFeed):
    feed_type = Atom1Feed
    feed_url_name = "pages:feed-stories-atom"
    subtitle = StoriesFeed.description


class ArticlesFeed(_SiteFeed):
    list_url_name = "articles:list"
    feed_url_name = "pages:feed-articles-rss"
    description = _("Articles about the treatments and what the trials found.")

    def title(self) -> str:
        return _("New articles on %(site)s") % {"site": settings.SITE_NAME}

    def items(self):
        return Article.objects.published().order_by("-published_on", "-id")[:ITEMS]

    def item_description(self, article: Article) -> str:
        return as_html_text(article.summary)

    def item_pubdate(self, article: Article) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(article.published_on, datetime.time.min)
        )


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = Atom1Feed
    feed_url_name = "pages:feed-articles-atom"
    subtitle = ArticlesFeed.description
