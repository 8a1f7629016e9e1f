import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.content import ARTICLES, SERIES
from articles.models import Article, Series
from discussion.models import Comment
from discussion.tests.helpers import comment_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    series = Series.objects.create(**SERIES)
    for article in ARTICLES:
        Article.objects.create(**article, series=series, status=Article.Status.PUBLISHED)
    return series


def test_an_article_links_to_its_neighbours_and_back_to_its_series(client, series):
    middle = Article.objects.get(order_in_series=2)

    html = client.get(middle.get_absolute_url()).content.decode()

    assert "Previous: CCSVI, part 1" in html and "Next: CCSVI, part 3" in html
    assert f'href="{series.get_absolute_url()}"' in html
    assert "Link to this page" in html and "&lt;a href=" in html
    assert "<strong>blinded</strong>" not in html  # Markdown emphasis renders as <em>
    assert "<em>blinded</em>" in html


def test_drafts_and_future_articles_are_not_public(client, series):
    draft = Article.objects.create(title="Draft", slug="draft", summary="s", body="b",
                                   status=Article.Status.DRAFT)
    future = Article.objects.create(title="Soon", slug="soon", summary="s", body="b",
                                    status=Article.Status.PUBLISHED,
                                    published_on=timezone.localdate() + datetime.timedelta(1))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(future.get_absolute_url()).status_code == 404
    listing = client.get(reverse("articles:list")).content.decode()
    assert "Draft" not in listing and "Soon" not in listing and "part 3" in listing


def test_articles_take_comments_through_the_same_engine(client, series):
    article = Article.objects.get(order_in_series=3)

    response = client.post(reverse("discussion:write", args=["article", article.pk]),
                           comment_data())

    assert response.status_code == 302
    assert Comment.objects.get().target == article
    page = client.get(article.get_absolute_url())
    assert page["Cache-Control"] == "public, max-age=60" and not page.cookies


def test_article_pages_are_public_and_cacheable(client, series):
    for url in [reverse("articles:list"), series.get_absolute_url(),
                Article.objects.first().get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=60"
