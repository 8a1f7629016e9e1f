from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from hindsight.lib.http import public_page
from pages import feeds, views
from pages.models import SitePage
from pages.sitemaps import SECTIONS

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    *(path(f"{slug}/", views.site_page, {"slug": slug}, name=slug)
      for slug in SitePage.Slug.values),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact-sent"),
    path("feeds/stories.rss", public_page(feeds.StoriesFeed()), name="feed-stories-rss"),
    path("feeds/stories.atom", public_page(feeds.StoriesAtomFeed()), name="feed-stories-atom"),
    path("feeds/articles.rss", public_page(feeds.ArticlesFeed()), name="feed-articles-rss"),
    path("feeds/articles.atom", public_page(feeds.ArticlesAtomFeed()),
         name="feed-articles-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", public_page(sitemap_views.sitemap),
         {"sitemaps": SECTIONS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
