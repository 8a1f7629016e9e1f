import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hindsight.testing import make_story, make_treatment
from stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatment():
    return make_treatment()


def test_the_list_shows_published_stories_newest_first(client, treatment):
    make_story(treatment, title="Older story")
    make_story(treatment, title="Newer story")

    response = client.get(reverse("stories:list"))

    html = response.content.decode()
    assert html.index("Newer story") < html.index("Older story")


@pytest.mark.parametrize(
    "status", [Story.Status.UNCONFIRMED, Story.Status.PENDING, Story.Status.REJECTED,
               Story.Status.WITHDRAWN],
)
def test_unpublished_stories_are_never_public(client, treatment, status):
    story = make_story(treatment, title="Hidden one", status=status, slug="hidden-one")

    assert "Hidden one" not in client.get(reverse("stories:list")).content.decode()
    assert "Hidden one" not in client.get(reverse("pages:home")).content.decode()
    assert "Hidden one" not in client.get(treatment.get_absolute_url()).content.decode()
    assert client.get(f"/stories/{story.slug}/").status_code == 404


def test_an_approved_story_without_consent_to_publish_is_not_shown(client, treatment):
    story = make_story(treatment, title="Statistics only", consent_publish=False)

    assert "Statistics only" not in client.get(reverse("stories:list")).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("result=much_worse", "Worse one", "Better one"),
        ("country=BG", "Worse one", "Better one"),
        ("ms_type=ppms", "Worse one", "Better one"),
        ("procedure_status=considering", "Thinking", "Better one"),
    ],
)
def test_filters_narrow_the_list(client, treatment, query, shown, hidden):
    make_story(treatment, title="Better one", result="much_better", country="PL", ms_type="rrms")
    make_story(treatment, title="Worse one", result="much_worse", country="BG", ms_type="ppms")
    make_story(treatment, title="Thinking", procedure_status="considering", result="",
               country="", treated_year=None, treated_month=None, symptoms={})

    html = client.get(reverse("stories:list") + "?" + query).content.decode()

    assert shown in html
    assert hidden not in html


def test_an_unknown_filter_value_is_ignored_with_a_notice(client, treatment):
    make_story(treatment, title="Still listed")

    response = client.get(reverse("stories:list") + "?result=<script>&country=ZZ&page=-1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Still listed" in html
    assert "ignored a filter" in html
    assert "<script>" not in html


def test_the_list_is_paginated_and_keeps_filters(client, treatment):
    for n in range(25):
        make_story(treatment, title=f"Story {n}", result="no_change")

    page1 = client.get(reverse("stories:list") + "?result=no_change").content.decode()
    page2 = client.get(reverse("stories:list") + "?result=no_change&page=2").content.decode()

    assert "25 stories" in page1
    assert "result=no_change&amp;page=2" in page1
    assert page1.count('class="story-card"') == 20
    assert page2.count('class="story-card"') == 5


def test_the_list_uses_a_fixed_small_number_of_queries(client, treatment):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("stories:list") + "?result=little_better").status_code == 200
        return len(queries)

    make_story(treatment)
    few = count_queries()
    for _ in range(30):
        make_story(treatment)
    many = count_queries()

    assert few == many
    assert many <= 4


def test_the_story_page_uses_four_queries_however_many_follow_ups_and_comments(
    client, treatment
):
    from discussion.models import Comment, Commenter
    from followups.models import FollowUp

    story = make_story(treatment)
    for month in (6, 9, 12):
        FollowUp.objects.create(story=story, reported_on=datetime.date(2011, month, 1),
                                result="no_change", status=FollowUp.Status.APPROVED)
    commenter = Commenter.objects.create(email="c@example.org")
    first = Comment.objects.create(target=story, commenter=commenter, name="C", body="Hello",
                                   status=Comment.Status.PUBLISHED)
    for n in range(3):
        Comment.objects.create(target=story, commenter=commenter, name="C", body=f"Reply {n}",
                               parent=first, status=Comment.Status.PUBLISHED)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    # The story with its treatment and baseline, its follow-ups, its comments, and whether
    # comments are closed.
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert "Reply 2" in response.content.decode()
    assert "9 months after treatment" in response.content.decode()


def test_the_story_page_shows_the_summary_the_story_and_a_link_snippet(client, treatment):
    story = make_story(
        treatment, title="Warm hands", body="My **hands** were warm.\n\n- one\n- two",
        procedure_kind="balloon", symptoms={"fatigue": "better", "walking": "same"},
    )

    html = client.get(story.get_absolute_url()).content.decode()

    assert ("Treated in March 2011 in Katowice, Poland · Balloon angioplasty · "
            "‘A little better’ · fatigue better within a week") in html
    assert "<strong>hands</strong>" in html and "<li>one</li>" in html
    assert "&lt;a href=&quot;http://127.0.0.1:8000/stories/" in html
    assert '<meta property="og:title" content="Warm hands">' in html
    assert "<title>Warm hands · Hindsight</title>" in html
    assert "anna@example.com" not in html


def test_public_pages_are_cacheable_and_set_no_cookie(client, treatment):
    story = make_story(treatment)
    for url in ["/", reverse("stories:list"), story.get_absolute_url(),
                treatment.get_absolute_url(), reverse("treatments:list")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=60", url
        assert not response.cookies, url
        assert "csrfmiddlewaretoken" not in response.content.decode(), url


def test_a_signed_in_visitor_gets_a_private_copy(client, treatment):
    from hindsight.testing import make_moderator

    story = make_story(treatment)
    client.force_login(make_moderator())

    assert client.get(story.get_absolute_url())["Cache-Control"] == "no-store"


def test_every_page_links_to_share_your_story(client, treatment):
    story = make_story(treatment)
    for url in ["/", reverse("stories:list"), story.get_absolute_url(),
                treatment.get_absolute_url(), reverse("stories:share-sent")]:
        assert f'href="{reverse("stories:share")}"' in client.get(url).content.decode(), url


def test_the_excerpt_fits_its_column_whatever_the_script(treatment):
    story = make_story(treatment, body="x\u0301" * 200 + " ด้้้้้็็็็็้้้้้" * 40)

    assert len(story.excerpt) <= 240
    assert story.excerpt.endswith("…")


def test_the_summary_tells_worse_news_as_plainly_as_better(treatment):
    story = make_story(treatment, symptoms={"fatigue": "better", "walking": "worse"},
                       complications=["restenosis"])

    assert "fatigue better within a week" in story.summary()
    assert "walking worse" in story.summary()
    assert "The vein narrowed again (restenosis)" in story.summary()


def test_a_pending_story_has_no_view_on_site_link(treatment):
    from django.contrib.admin.sites import site

    from stories.admin import StoryAdmin

    admin = StoryAdmin(Story, site)
    assert admin.view_on_site(make_story(treatment, status=Story.Status.PENDING)) is None
    assert admin.view_on_site(make_story(treatment)).startswith("/stories/")


def test_an_unknown_page_uses_the_site_layout(client):
    response = client.get("/stories/no-such-story/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/stories/share/"' in response.content.decode()
