import datetime
import re

import pytest

from hindsight.testing import make_story, make_treatment
from outcomes.selectors import outcomes_summary
from outcomes.tests.helpers import counted_person, release_figures

pytestmark = pytest.mark.django_db

THRESHOLD = 10




def test_the_share_better_its_interval_and_the_dropout_bounds_match_an_independent_count():
    from statsmodels.stats.proportion import proportion_confint

    treatment = make_treatment()
    for n in range(30):
        counted_person(treatment, better_at_3=n < 18,
                followups=[(12, "little_better" if n < 10 else "no_change")] if n < 20 else [])

    summary = outcomes_summary(treatment, today=datetime.date(2026, 11, 1), threshold=THRESHOLD)

    at_3 = next(tp for tp in summary.time_points if tp.months == 3)
    assert (at_3.eligible, at_3.reporting, at_3.better, at_3.no_result) == (30, 30, 18, 0)
    low, high = proportion_confint(18, 30, alpha=0.05, method="wilson")
    assert at_3.bounds.observed.low == pytest.approx(low)
    assert at_3.bounds.observed.high == pytest.approx(high)
    at_12 = next(tp for tp in summary.time_points if tp.months == 12)
    assert (at_12.reporting, at_12.better, at_12.no_result) == (20, 10, 10)
    assert at_12.bounds.best.share == pytest.approx((10 + 10) / 30)
    assert at_12.bounds.worst.share == pytest.approx(10 / 30)


def test_a_small_count_hides_a_second_so_the_total_cannot_give_it_away():
    treatment = make_treatment()
    for n in range(30):
        counted_person(treatment, better_at_3=True,
                followups=[(12, "little_better" if n < 6 else "no_change")] if n < 20 else [])

    summary = outcomes_summary(treatment, today=datetime.date(2026, 11, 1), threshold=THRESHOLD)

    at_12 = next(tp for tp in summary.time_points if tp.months == 12)
    assert at_12.better is None  # 6 people
    assert at_12.not_better is None  # 14, hidden too: 20 - 14 would give the 6 away
    assert (at_12.reporting, at_12.no_result, at_12.eligible) == (20, 10, 30)
    assert at_12.bounds is None


def test_small_groups_are_hidden_and_cannot_be_recovered_from_totals():
    treatment = make_treatment()
    for n in range(25):
        counted_person(treatment, better_at_3=n < 20, ms_type="rrms" if n < 22 else "ppms")

    summary = outcomes_summary(treatment, today=datetime.date(2026, 11, 1), threshold=THRESHOLD)

    rows = {row.value: row for row in summary.breakdowns["ms_type"]}
    assert rows["ppms"].people is None  # 3 people: hidden
    assert rows["rrms"].people is None  # 22, but 25 - 22 would give the 3 away
    for tp in summary.time_points:
        for value in (tp.eligible, tp.reporting, tp.better, tp.not_better, tp.no_result):
            assert value is None or value == 0 or value >= THRESHOLD


def test_with_fewer_than_the_threshold_the_page_shows_no_numbers(client):
    treatment = make_treatment()
    for _ in range(4):
        counted_person(treatment, better_at_3=True)
    release_figures()

    html = client.get(f"/outcomes/{treatment.slug}/").content.decode()

    assert "How many people are counted is not shown yet" in html
    assert not re.search(r"<td>[1-9]</td>", html)


def test_withdrawn_consent_and_unapproved_stories_are_not_counted(client):
    treatment = make_treatment()
    counted = [counted_person(treatment, better_at_3=True) for _ in range(12)]
    counted_person(treatment, better_at_3=True, status="pending")
    counted_person(treatment, better_at_3=True, consent_statistics=False)
    summary = outcomes_summary(treatment, today=datetime.date(2026, 11, 1), threshold=THRESHOLD)
    assert summary.people == 12

    counted[0].consent_statistics = False
    counted[0].save()
    counted[1].delete()
    summary = outcomes_summary(treatment, today=datetime.date(2026, 11, 1), threshold=THRESHOLD)
    assert summary.people == 10


def test_the_benefit_curve_counts_the_first_report_of_no_change():
    treatment = make_treatment()
    for n in range(24):
        counted_person(treatment, better_at_3=True,
                       followups=[(6.5, "no_change")] if n < 12 else
                       [(6.5, "much_better"), (12.5, "much_better")])

    curve = outcomes_summary(treatment, today=datetime.date(2026, 11, 1),
                             threshold=THRESHOLD).benefit_lasting

    # All 24 said "better" at about 3 months; 12 report "no change" at 6½ months (197 days,
    # published as month 6), and the other 12 are followed to 12½ (month 12): the share still
    # better falls to one half at month 6.
    by_month = {point.time: point for point in curve.points}
    assert curve.start == 3 and by_month[3].followed == 24
    assert by_month[5].survival == pytest.approx(1.0)
    assert by_month[6].survival == pytest.approx(0.5)
    assert by_month[5].followed == 24 and by_month[6].followed == 12  # still followed after
    assert curve.median == 6
    assert max(by_month) == 11  # after month 12 no one is followed


def test_the_page_and_charts_are_public_and_cacheable(client):
    treatment = make_treatment()
    for n in range(12):
        counted_person(treatment, better_at_3=n % 2 == 0)
    release_figures()

    page = client.get(f"/outcomes/{treatment.slug}/")
    chart = client.get(f"/outcomes/{treatment.slug}/better-over-time.svg")

    assert page.status_code == 200 and page["Cache-Control"] == "public, max-age=60"
    html = page.content.decode()
    assert "They cannot show whether the procedure works." in html
    assert "sham" in html and "Brave Dreams" in html
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert b"<script" not in chart.content
    assert "Figures as of" in html
    assert client.get(f"/outcomes/{treatment.slug}/nothing.svg").status_code == 404
    assert client.get("/outcomes/no-such-treatment/").status_code == 404


def test_moderation_in_the_open_counts_rejections_by_reason_and_result(client):
    from hindsight.testing import make_moderator
    from stories import services
    from stories.models import Story

    treatment = make_treatment()
    moderator = make_moderator()
    for n in range(24):
        story = make_story(treatment, status=Story.Status.PENDING,
                           result="no_change" if n < 12 else "much_better")
        if n < 12:
            services.story_reject(story=story, moderator=moderator, reason="spam")
        else:
            services.story_approve(story=story, moderator=moderator)

    from outcomes.transparency import (
        STORY_OUTCOMES,
        moderation_panel,
        story_moderation_counts,
    )

    panel = moderation_panel(story_moderation_counts(treatment), STORY_OUTCOMES, THRESHOLD)
    rows = {label: (cells, total) for label, cells, total in panel.rows}
    assert rows["Received"][1] == 24
    assert rows["Published"][0]["much_better"] == 12
    assert rows["Rejected: Spam"][0]["no_change"] == 12
    release_figures()
    html = client.get(f"/outcomes/{treatment.slug}/").content.decode()
    assert "Moderation in the open" in html and "Rejected: Spam" in html


@pytest.mark.parametrize("table", ["over-time", "benefit-lasting", "relapse-free", "symptoms",
                                   "complications", "groups"])
def test_each_table_downloads_as_csv_and_json_with_the_page_numbers(client, table):
    import csv
    import io

    treatment = make_treatment()
    for n in range(30):
        counted_person(treatment, better_at_3=n < 18,
                       followups=[(12, "no_change")] if n < 12 else [])
    release_figures()

    as_json = client.get(f"/outcomes/{treatment.slug}/data/{table}.json")
    as_csv = client.get(f"/outcomes/{treatment.slug}/data/{table}.csv")

    assert as_json.status_code == 200 and as_csv.status_code == 200
    rows = as_json.json()["rows"]
    csv_rows = list(csv.DictReader(io.StringIO(as_csv.content.decode())))
    assert len(rows) == len(csv_rows)
    for row in rows:
        for key, value in row.items():
            if isinstance(value, int) and key not in ("months_after_treatment",):
                assert value == 0 or value >= THRESHOLD, (key, value)
    if table == "over-time":
        assert rows[0]["said_better"] == 18 and csv_rows[0]["said_better"] == "18"


def test_unknown_downloads_are_not_found(client):
    treatment = make_treatment()
    release_figures()

    assert client.get(f"/outcomes/{treatment.slug}/data/secrets.csv").status_code == 404
    assert client.get(f"/outcomes/{treatment.slug}/data/groups.xlsx").status_code == 404


def _people_on_the_page(client, treatment) -> str:
    html = " ".join(client.get(f"/outcomes/{treatment.slug}/").content.decode().split())
    return re.search(r'id="people-count"[^>]*>([^<]*)<', html).group(1)


@pytest.mark.parametrize("change", ["withdraw", "reject", "erase", "erase-person", "consent",
                                    "followup"])
def test_the_next_release_leaves_out_whoever_left_or_was_taken_out(client, change):
    from accounts.services import author_for_email, person_erase, story_erase
    from followups.services import followup_reject
    from hindsight.testing import make_moderator
    from outcomes.cohort import build_cohort
    from stories import services
    from stories.models import StoryConsent

    treatment = make_treatment()
    people = [counted_person(treatment, better_at_3=True, followups=[(12, "much_better")])
              for _ in range(11)]
    leaving = people[0]
    leaving.author = author_for_email(leaving.email)
    leaving.save()
    release_figures()
    assert _people_on_the_page(client, treatment).startswith("11 people")

    if change == "withdraw":
        services.story_withdraw(story=leaving)
    elif change == "reject":
        services.story_reject(story=leaving, moderator=make_moderator(), reason="identifying")
    elif change == "erase":
        story_erase(story=leaving)
    elif change == "erase-person":
        person_erase(user=leaving.author)
    elif change == "consent":
        services.story_set_consent(story=leaving, purpose=StoryConsent.Purpose.STATISTICS,
                                   granted=False)
    else:
        followup_reject(followup=leaving.followups.get(), moderator=make_moderator(),
                        reason="identifying")
    # Nine more people join: with the one who left, ten people changed, enough for a release.
    for _ in range(9):
        counted_person(treatment, better_at_3=True)
    assert _people_on_the_page(client, treatment).startswith("11 people")  # until released

    assert "Released figures" in release_figures()

    if change == "followup":
        assert _people_on_the_page(client, treatment).startswith("20 people")
        assert sum(person.result_at(12) is not None for person in build_cohort(treatment)) == 10
        rows = client.get(f"/outcomes/{treatment.slug}/data/over-time.json").json()["rows"]
        assert next(r for r in rows if r["months_after_treatment"] == 12)["reported"] == 10
    else:
        assert _people_on_the_page(client, treatment).startswith("19 people")
