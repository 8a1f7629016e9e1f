"""The sitemap's sections. Each is a Sitemap over published content only; URLs are absolute
from SITE_URL, whatever host the request came in on.

A new section is one entry in `SECTIONS`: for a published queryset,
`partial(QuerySetSitemap, queryset=lambda: Model.objects.published().order_by("pk"),
lastmod="updated_at")` (ordered, so its pages are stable).
"""

from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Series
from pages.models import SitePage
from stories.models import Story
from treatments.models import Treatment

try:  # the directory is being built beside this app: listed once it is there
    from directory.models import DirectoryEntry
except ImportError:
    DirectoryEntry = None


class SiteSitemap(Sitemap):
    def get_latest_lastmod(self):
        return None

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc


class QuerySetSitemap(SiteSitemap):
    """Objects with a get_absolute_url, from a queryset made afresh for each request."""

    def __init__(self, *, queryset: Callable[[], QuerySet], lastmod: str | None = None):
        self.queryset = queryset
        self.lastmod_field = lastmod

    def items(self) -> QuerySet:
        return self.queryset()

    def lastmod(self, item):
        return getattr(item, self.lastmod_field) if self.lastmod_field else None

    def get_latest_lastmod(self):
        # One query, rather than Django's way of reading every item.
        if not self.lastmod_field:
            return None
        return self.items().order_by().aggregate(latest=Max(self.lastmod_field))["latest"]


class NamedPagesSitemap(SiteSitemap):
    """Pages that are always there, by URL name."""

    names = ["pages:home", "stories:list", "treatments:list", "articles:list",
             "directory:list", "pages:contact"]

    def items(self) -> list[str]:
        paths = []
        for name in self.names:
            try:
                paths.append(reverse(name))
            except NoReverseMatch:  # a page this version of the site does not have
                continue
        return paths

    def location(self, path: str) -> str:
        return path


class SitePagesSitemap(SiteSitemap):
    def items(self) -> list[str]:
        self._changed = dict(SitePage.objects.values_list("slug", "updated_at"))
        return list(SitePage.Slug.values)

    def location(self, slug: str) -> str:
        return reverse(f"pages:{slug}")

    def lastmod(self, slug: str):
        return self._changed.get(slug)


class TreatmentPagesSitemap(SiteSitemap):
    """Each active treatment's own page, its evidence page and its outcomes page."""

    url_names = ["treatments:detail", "treatments:evidence", "outcomes:page"]

    def items(self) -> list[str]:
        paths = []
        for slug in Treatment.objects.active().order_by("slug").values_list("slug", flat=True):
            for name in self.url_names:
                try:
                    paths.append(reverse(name, args=[slug]))
                except NoReverseMatch:  # a page this version of the site does not have
                    continue
        return paths

    def location(self, path: str) -> str:
        return path


def _series_with_articles() -> QuerySet:
    published = Article.objects.published().values("series_id")
    return Series.objects.filter(pk__in=published).order_by("slug")


SECTIONS: dict[str, Callable[[], Sitemap]] = {
    "pages": NamedPagesSitemap,
    "site-pages": SitePagesSitemap,
    "treatments": TreatmentPagesSitemap,
    # No date for stories: a story's row also changes for what must not show (a consent given
    # or withdrawn, which the published figures hold back until they next change).
    "stories": partial(
        QuerySetSitemap, queryset=lambda: Story.objects.public().only("slug").order_by("pk"),
    ),
    "articles": partial(
        QuerySetSitemap,
        queryset=lambda: Article.objects.published().order_by("pk"),
        lastmod="published_on",
    ),
    "series": partial(QuerySetSitemap, queryset=_series_with_articles),
}
if DirectoryEntry is not None:
    SECTIONS["directory"] = partial(
        QuerySetSitemap,
        queryset=lambda: DirectoryEntry.objects.published().order_by("pk"),
        lastmod="updated_at",
    )
