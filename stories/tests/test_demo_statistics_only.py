"""`load_demo`'s invented statistics-only reports: counted, never shown."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followups.models import Baseline, FollowUp
from hindsight.testing import make_moderator, make_treatment, sign_in_moderator
from search.models import SearchDocument
from stories.choices import ProcedureStatus, Result
from stories.demo.generator import STATISTICS_ONLY_TITLE, demo_statistics_only_people
from stories.models import Story, StoryConsent

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


@pytest.fixture
def demo(settings, tmp_path):
    """The statistics-only stories of a small demo (load_demo writes passwords to VAR_DIR)."""
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=4, statistics_only=40, verbosity=0)
    return Story.objects.filter(consent_publish=False)


def _earliest(story: Story) -> datetime.date:
    return datetime.date(story.treated_year, story.treated_month or 1, 1)


def _signature(stories, followups, baselines) -> list:
    """What the generator decided, without database ids, random addresses or clock times."""
    return [
        sorted((s.email, s.treated_year, s.treated_month, s.submitted_at.date(), s.result,
                sorted(s.symptoms.items()), s.country, s.procedure_kind) for s in stories),
        sorted((f.story.email, f.story.treated_year, f.reported_on, f.result,
                f.relapses_since_last, f.new_complications, f.restenosis) for f in followups),
        sorted((b.story.email, b.recorded_on, b.expectation) for b in baselines),
    ]


def test_it_adds_approved_counted_reports_that_are_not_published(demo):
    assert demo.count() == 40
    assert Story.objects.public().count() == 4
    for story in demo:
        assert story.is_demo and story.status == Story.Status.APPROVED
        assert story.consent_statistics and not story.consent_publish
        assert story.procedure_status == ProcedureStatus.HAD and story.treated_year
        assert story.title == STATISTICS_ONLY_TITLE and story.body_html
        assert story.submitted_at <= timezone.now()
    assert demo.filter(treated_month__isnull=True).exists()
    assert demo.filter(treated_month__isnull=False).count() >= 30
    consents = StoryConsent.objects.filter(story__in=demo)
    assert set(consents.values_list("purpose", "granted")) == {("publish", False),
                                                               ("statistics", True)}
    assert consents.count() == 40 * 2


def test_they_are_never_shown_listed_or_searchable(client, demo):
    slugs = list(demo.values_list("slug", flat=True))
    pages = [
        reverse("stories:list"), reverse("pages:home"), reverse("pages:feed-stories-rss"),
        reverse("pages:sitemap-section", args=["stories"]),
        demo.first().treatment.get_absolute_url(),
        reverse("search:search") + "?q=invented+statistics+report",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert STATISTICS_ONLY_TITLE not in html, url
        assert not [slug for slug in slugs if slug in html], url
    assert not SearchDocument.objects.filter(story_id__in=demo.values("pk")).exists()
    assert all(slugs)  # approved as any story is, with an address that answers 404
    assert client.get(reverse("stories:detail", args=[slugs[0]])).status_code == 404


def test_their_followups_fall_between_the_treatment_month_and_today(demo):
    followups = FollowUp.objects.filter(story__in=demo).select_related("story")

    assert followups.count() > 20
    assert {f.status for f in followups} == {FollowUp.Status.APPROVED}
    for followup in followups:
        assert _earliest(followup.story) <= followup.reported_on <= timezone.localdate()
        assert followup.reported_on > followup.story.submitted_at.date()


def test_people_who_joined_before_treatment_have_a_baseline_from_before_it(demo):
    baselines = Baseline.objects.filter(story__in=demo).select_related("story")

    assert baselines.exists()
    for baseline in baselines:
        story = baseline.story
        assert story.submitted_at.date() <= baseline.recorded_on < _earliest(story)
        assert story.result == Result.TOO_EARLY  # answered just after, when they had it


def test_some_people_have_two_stories_under_one_account(demo):
    User = get_user_model()
    people = User.objects.filter(username__startswith="demo-person-")
    repeaters = [user for user in people if user.stories.count() == 2]

    assert people.count() == len({story.author_id for story in demo}) < 40
    assert not any(user.has_usable_password() for user in people)
    assert repeaters
    for user in repeaters:
        first, second = user.stories.order_by("treated_year", "treated_month")
        assert first.email == second.email == user.email
        assert first.email.endswith("@example.invalid")
        assert 1 <= second.treated_year - first.treated_year <= 4


def test_the_same_seed_makes_the_same_reports(settings, tmp_path):
    settings.VAR_DIR = tmp_path

    def run() -> list:
        call_command("load_demo", stories=0, statistics_only=25, seed=7, verbosity=0)
        stories = Story.objects.filter(consent_publish=False)
        signature = _signature(stories, FollowUp.objects.filter(story__in=stories),
                               Baseline.objects.filter(story__in=stories))
        stories.delete()
        get_user_model().objects.filter(username__startswith="demo-person-").delete()
        return signature

    assert run() == run()


def test_a_second_run_adds_new_people(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=0, statistics_only=3, verbosity=0)
    call_command("load_demo", stories=0, statistics_only=3, verbosity=0)

    assert Story.objects.filter(consent_publish=False).count() == 6
    assert len(set(Story.objects.filter(consent_publish=False).values_list("email", flat=True))) \
        >= 4


def test_results_fade_and_fewer_report_later():
    """The invented course: "better" often at first, mostly "no change" by two years."""
    people = list(demo_statistics_only_people(make_treatment(), 300, seed=3, today=TODAY))
    stories = [story for person in people for story in person.stories]
    by_point: dict[int, Counter] = {3: Counter(), 6: Counter(), 12: Counter(), 24: Counter()}
    for person in people:
        for followup in person.followups:
            months = (followup.reported_on - _earliest(followup.story)).days / 30.44
            by_point[min(by_point, key=lambda point: abs(point - months))][followup.result] += 1

    def better(point: int) -> float:
        counts = by_point[point]
        return (counts[Result.MUCH_BETTER] + counts[Result.LITTLE_BETTER]) / counts.total()

    assert len(stories) == 300
    assert better(3) > better(12) > better(24)
    assert by_point[3].total() > by_point[24].total()
    assert by_point[3][Result.TOO_EARLY] > by_point[24][Result.TOO_EARLY]
    assert 0.1 < sum(person.baseline is not None for person in people) / len(people) < 0.2
    assert 0.05 < sum(story.treated_month is None for story in stories) / len(stories) < 0.15
    assert 0.02 < sum(len(person.stories) == 2 for person in people) / len(people) < 0.08
    assert {person.stories[0].treated_year for person in people} <= set(range(2010, 2026))
    assert all(_earliest(story) <= TODAY for story in stories)  # repeats may come later
    assert all(f.reported_on <= TODAY for person in people for f in person.followups)


def test_moderators_can_open_a_statistics_only_story(client, demo):
    sign_in_moderator(client, make_moderator())

    listing = client.get(reverse("admin:stories_story_changelist"))
    page = client.get(reverse("admin:stories_story_change", args=[demo.first().pk]))

    assert listing.status_code == page.status_code == 200
    assert STATISTICS_ONLY_TITLE in page.content.decode()
