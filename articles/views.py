from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from articles.models import Article, Series
from discussion.selectors import published_thread
from discussion.services import discussion_is_closed
from hindsight.lib.http import public_page
from hindsight.lib.links import link_snippet


@public_page
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().select_related("series")
    return render(request, "articles/list.html", {"articles": articles})


@public_page
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    articles = Article.objects.published().filter(series=series).order_by("order_in_series")
    return render(request, "articles/series.html", {"series": series, "articles": articles})


@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().select_related("series"), slug=slug)
    before, after = article.neighbours()
    return render(request, "articles/detail.html", {
        "article": article,
        "before": before,
        "after": after,
        "link_snippet": link_snippet(article),
        "comments": published_thread(article),
        "comments_closed": discussion_is_closed(article),
        "kind": "article",
        "target": article,
    })
