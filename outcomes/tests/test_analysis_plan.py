"""The rules of docs/analysis-plan.md, each checked where a reader meets it: on the page, in the
downloads, or in the form that takes the report. One test per defect found from outside."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import ValidationError

from followups.models import FollowUp
from hindsight.testing import make_story, make_treatment
from outcomes.cohort import build_cohort
from outcomes.selectors import outcomes_summary
from outcomes.tests.helpers import release_figures
from outcomes.transparency import (
    FOLLOWUP_OUTCOMES,
    followup_moderation_counts,
    moderation_panel,
)

pytestmark = pytest.mark.django_db

THRESHOLD = 10
TODAY = datetime.date(2026, 11, 1)
_addresses = itertools.count(1)


def person(treatment, *, treated=(2024, 1), wrote=None, result="little_better", reports=(),
           **fields):
    """A counted story treated in `treated` (year, month or None), written on `wrote` (default
    three months after), with approved follow-ups given as (date, result, extra fields)."""
    year, month = treated
    wrote = wrote or datetime.date(year, (month or 1) + 3, 1)
    fields.setdefault("email", f"plan-{next(_addresses)}@example.org")
    fields.setdefault("consent_publish", False)  # statistics only: see helpers.counted_person
    story = make_story(treatment, treated_year=year, treated_month=month, result=result,
                       submitted_at=datetime.datetime.combine(wrote, datetime.time(12),
                                                              tzinfo=datetime.UTC), **fields)
    for day, followup_result, *extra in reports:
        FollowUp.objects.create(story=story, status=FollowUp.Status.APPROVED, reported_on=day,
                                result=followup_result, **(extra[0] if extra else {}))
    return story


def _summary(treatment):
    return outcomes_summary(treatment, today=TODAY, threshold=THRESHOLD)


def _text(client, treatment) -> str:
    release_figures()
    html = client.get(f"/outcomes/{treatment.slug}/").content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _line_gives_one_away(parts, total) -> bool:
    """A line of published values with exactly one hidden (None) gives it away."""
    return [*parts, total].count(None) == 1


# --- Sentences that say only what the numbers say ----------------------------------------------


def test_no_sentence_claims_fewer_than_half_when_most_had_said_no_change(client):
    treatment = make_treatment()
    # 19 people said "better" at 3 months; 14 of them said "no change" at 6. The old page cut
    # the curve, lost the median and said "fewer than half" had reported no change.
    for n in range(19):
        person(treatment, reports=[(datetime.date(2024, 7, 10),
                                    "no_change" if n < 14 else "much_better")])

    text = _text(client, treatment)

    assert "Fewer than half" not in text and "fewer than half" not in text
    assert "14 of the 19 people who gave a result then said" not in text  # "better" is 5
    assert "At 6 months after treatment, 5 of the 19 people" not in text  # 5 < 10: hidden
    at_6 = _summary(treatment).time_point(6)
    assert at_6.better is None and at_6.not_better == 14 or at_6.not_better is None


def test_a_finding_is_said_when_its_numbers_are_shown_and_absent_when_not(client):
    treatment = make_treatment()
    for n in range(30):
        person(treatment, result="much_better" if n < 18 else "no_change")

    text = _text(client, treatment)
    assert ("At 3 months after treatment, 18 of the 30 people who gave a result then said they "
            "were better (60%, 95% interval 42% to 75%).") in text
    assert "12 of the 30 people who gave a result said “no change” or worse the first time" in text

    few = make_treatment(slug="few", name="Few")
    for n in range(30):
        person(few, result="much_better" if n < 25 else "no_change")  # 5 said no change
    text = _text(client, few)
    assert "At 3 months after treatment" not in text
    assert "the first time they did" not in text
    assert "better-over-time.svg" not in text and "No chart yet" in text


# --- Hidden counts that stay hidden ------------------------------------------------------------


def test_reported_is_not_the_difference_of_two_published_counts(client):
    treatment = make_treatment()
    # 19 could have reported at 12 months; 7 did (all "no change"), 12 gave no result then.
    for n in range(19):
        person(treatment, reports=[(datetime.date(2025, 1, 10), "no_change")] if n < 7 else [])

    release_figures()
    rows = client.get(f"/outcomes/{treatment.slug}/data/over-time.json").json()["rows"]
    at_12 = next(row for row in rows if row["months_after_treatment"] == 12)

    assert at_12["reported"] is None
    assert not _line_gives_one_away([at_12["reported"], at_12["gave_no_result"]],
                                    at_12["could_have_reported"])
    for row in rows:
        assert not _line_gives_one_away([row["said_better"], row["said_not_better"]],
                                        row["reported"])
        assert not _line_gives_one_away([row["reported"], row["gave_no_result"]],
                                        row["could_have_reported"])


def test_received_minus_published_does_not_give_away_the_waiting_stories(client):
    from hindsight.testing import make_moderator
    from stories import services
    from stories.models import Story

    treatment = make_treatment()
    moderator = make_moderator()
    for n in range(15):
        story = make_story(treatment, status=Story.Status.PENDING, result="no_change")
        if n < 12:
            services.story_approve(story=story, moderator=moderator)

    text = _text(client, treatment)
    stories = text[text.index("Moderation in the open"):text.index("Follow-ups What happened")]

    # The 12 published are public stories; the 3 waiting are not, and neither they nor the 15
    # received (15 - 12 = 3) may be shown.
    assert "Published 0 0 12 0 0 0 0 12" in stories
    assert "Waiting for a moderator 0 0 3" not in stories
    assert "Received 0 0 15" not in stories
    assert stories.count("not shown") == 4


def test_followups_rejected_appear_in_moderation_in_the_open():
    from followups.services import followup_reject
    from hindsight.testing import make_moderator

    treatment = make_treatment()
    story = person(treatment)
    moderator = make_moderator()
    for _ in range(12):
        followup = FollowUp.objects.create(story=story, reported_on=datetime.date(2024, 9, 1),
                                           result="no_change")
        followup_reject(followup=followup, moderator=moderator, reason="identifying")

    panel = moderation_panel(followup_moderation_counts(treatment), FOLLOWUP_OUTCOMES,
                             THRESHOLD)
    rows = {label: (cells, total) for label, cells, total in panel.rows}
    assert rows["Rejected"] == (rows["Rejected"][0], 12)
    assert rows["Rejected"][0]["no_change"] == 12


def test_a_country_with_one_person_has_no_row_of_its_own(client):
    treatment = make_treatment()
    for _ in range(12):
        person(treatment, country="DE")
    person(treatment, country="PL")

    release_figures()
    rows = client.get(f"/outcomes/{treatment.slug}/data/groups.json").json()["rows"]
    countries = [row["group"] for row in rows if row["grouped_by"] == "country"]

    assert "PL" not in countries and "Poland" not in _text(client, treatment)
    assert countries == ["DE", "other", "unknown"]
    types = [row["group"] for row in rows if row["grouped_by"] == "ms_type"]
    assert types == ["rrms", "spms", "ppms", "cis", "unsure", "unknown"]  # always all of them


def test_curve_downloads_give_whole_months_only(client):
    treatment = make_treatment()
    for n in range(24):
        person(treatment, reports=[(datetime.date(2024, 7, 17), "no_change")] if n < 12 else
               [(datetime.date(2024, 7, 17), "much_better"), (datetime.date(2025, 1, 20),
                                                              "much_better")])

    release_figures()
    for table in ("benefit-lasting", "relapse-free"):
        rows = client.get(f"/outcomes/{treatment.slug}/data/{table}.json").json()["rows"]
        assert all(isinstance(row["months_after_treatment"], int) for row in rows)
        assert all(row["still_followed"] >= THRESHOLD for row in rows)
    rows = client.get(f"/outcomes/{treatment.slug}/data/benefit-lasting.json").json()["rows"]
    assert rows, "24 people were followed: the curve is shown"


# --- Counting rules ----------------------------------------------------------------------------


def test_too_early_to_tell_never_displaces_a_result():
    treatment = make_treatment()
    for _ in range(12):
        person(treatment, wrote=datetime.date(2024, 3, 1), result="little_better",
               reports=[(datetime.date(2024, 4, 20), "too_early")])

    at_3 = _summary(treatment).time_point(3)

    assert (at_3.better, at_3.no_result) == (12, 0)


def test_a_report_dated_before_the_treatment_is_refused_and_never_counted():
    treatment = make_treatment()
    story = person(treatment, treated=(2024, 5))
    early = FollowUp(story=story, reported_on=datetime.date(2024, 4, 30), result="much_worse")
    with pytest.raises(ValidationError) as refused:
        early.full_clean()
    assert "before the treatment" in str(refused.value)
    year_only = person(treatment, treated=(2024, None), wrote=datetime.date(2024, 9, 1))
    with pytest.raises(ValidationError):
        FollowUp(story=year_only, reported_on=datetime.date(2023, 12, 31),
                 result="no_change").full_clean()

    early.save()  # got in some other way (an old row, a raw import)
    counted = next(p for p in build_cohort(treatment) if p.treated_on.month == 5)
    assert all(report.on >= datetime.date(2024, 5, 1) for report in counted.reports)
    assert all(report.months is None or report.months >= 0
               for p in build_cohort(treatment) for report in p.reports)


def test_only_the_year_leaves_a_person_out_of_times_but_in_the_count():
    treatment = make_treatment()
    for _ in range(10):
        person(treatment)
    for _ in range(10):
        person(treatment, treated=(2024, None), wrote=datetime.date(2024, 9, 1))

    summary = _summary(treatment)

    assert summary.people == 20
    assert summary.time_point(3).eligible == 10


def test_complications_and_repeat_procedures_from_follow_ups_count():
    treatment = make_treatment()
    for n in range(12):
        person(treatment, complications=["none"], treated_again="no",
               reports=[(datetime.date(2024, 9, 1), "no_change",
                         {"restenosis": "yes", "repeat_procedure": "yes" if n < 11 else "no",
                          "new_complications": ["vein_clot"]})])

    complications = _summary(treatment).complications

    assert complications["The vein narrowed again (restenosis)"] == 12
    assert complications["A clot in the vein"] == 12
    assert complications["Treated again"] == 11  # the follow-ups said so; the stories did not


def test_two_stories_from_one_person_are_one_person_treated_again(client):
    treatment = make_treatment()
    for n in range(11):
        person(treatment, email=f"one-{n}@example.org", treated_again="no")
    person(treatment, email="twice@example.org", treated=(2022, 3), treated_again="no")
    person(treatment, email="Twice@Example.org", treated=(2024, 1), treated_again="no")

    summary = _summary(treatment)

    assert summary.people == 12
    assert summary.complications["Treated again"] is None  # 1 person: hidden, not 2 people
    assert "12 people are counted" in _text(client, treatment)
    twice = next(p for p in build_cohort(treatment) if p.treatment_year == 2022)
    assert twice.treated_again and twice.treated_on == datetime.date(2022, 3, 1)


def test_someone_who_wrote_years_later_is_not_counted_at_the_early_times():
    treatment = make_treatment()
    for _ in range(12):
        person(treatment, treated=(2020, 1), wrote=datetime.date(2023, 6, 1))

    summary = _summary(treatment)

    for months in (3, 6, 12, 24):
        assert summary.time_point(months).eligible == 0  # never "gave no result"
    assert summary.people == 12


def test_the_benefit_curve_counts_only_people_who_said_better():
    treatment = make_treatment()
    for n in range(40):
        person(treatment, result="no_change" if n < 20 else "much_better",
               reports=[(datetime.date(2024, 7, 17), "much_better"),
                        (datetime.date(2025, 1, 20), "much_better")])

    summary = _summary(treatment)

    # The 20 whose first result was "no change" never said they were better first: they are
    # not in the curve (it would otherwise start at 100% of everyone).
    assert summary.benefit_lasting.points[0].followed == 20
    assert summary.first_not_better.count == 20 and summary.first_not_better.total == 40


# --- Found by trying to break it ---------------------------------------------------------------


def test_a_story_giving_only_the_year_of_the_same_treatment_is_not_a_second_treatment():
    treatment = make_treatment()
    for n in range(12):
        email = f"same-{n}@example.org"
        person(treatment, email=email, treated=(2015, 6), wrote=datetime.date(2015, 6, 20),
               reports=[(datetime.date(2015, 9, 10), "little_better"),
                        (datetime.date(2016, 6, 10), "little_better")])
        person(treatment, email=email.upper(), treated=(2015, None),
               wrote=datetime.date(2016, 8, 1))
        if n == 0:  # the same story sent twice is not a second treatment either
            person(treatment, email=email, treated=(2015, 6), wrote=datetime.date(2015, 7, 1))

    summary = _summary(treatment)

    assert summary.people == 12
    assert summary.time_point(3).better == 12 and summary.time_point(12).better == 12
    assert summary.complications["Treated again"] == 0


def test_reports_written_down_before_joining_do_not_stretch_the_benefit_curve():
    treatment = make_treatment()
    for _ in range(12):  # joined 30 months after treatment, with notes kept from before
        person(treatment, treated=(2015, 6), wrote=datetime.date(2017, 12, 1),
               reports=[(datetime.date(2015, 8, 5), "much_better"),
                        (datetime.date(2016, 6, 5), "much_better")])

    summary = _summary(treatment)

    assert summary.benefit_lasting is None  # nobody was followed while they were better
    assert summary.time_point(3).eligible == 0


def test_no_step_of_a_curve_is_fewer_people_than_the_threshold():
    from followups.models import Baseline

    treatment = make_treatment()
    for n in range(24):
        story = person(treatment, treated=(2015, 6), wrote=datetime.date(2015, 5, 1),
                       result="", reports=[
                           (datetime.date(2015, 7, 1), "much_better", {"relapses_since_last": 0}),
                           (datetime.date(2015, 11, 2), "no_change" if n == 0 else "much_better",
                            {"relapses_since_last": 1 if n == 0 else 0}),
                           (datetime.date(2016, 6, 1), "much_better", {"relapses_since_last": 0}),
                       ])
        Baseline.objects.create(story=story, recorded_on=datetime.date(2015, 5, 1))

    summary = _summary(treatment)

    for curve in (summary.benefit_lasting, summary.relapse_free):
        assert curve is not None
        # One person's event at month 5 must not show as a step: 1 of 24 is 0.9583.
        assert all(point.survival == pytest.approx(1.0) for point in curve.points), curve
        followed = [point.followed for point in curve.points]
        assert all(a == b or abs(a - b) >= THRESHOLD for a, b in itertools.pairwise(followed))


def test_a_damaged_row_does_not_break_the_page(client):
    treatment = make_treatment()
    stories = [person(treatment, reports=[(datetime.date(2024, 4, 1), "much_better")])
               for _ in range(12)]
    FollowUp.objects.filter(story=stories[0]).update(symptoms=["fatigue"], new_complications="x")

    release_figures()
    assert client.get(f"/outcomes/{treatment.slug}/").status_code == 200
    assert client.get(f"/outcomes/{treatment.slug}/data/symptoms.json").status_code == 200


def test_the_admin_refuses_a_future_follow_up_and_a_treatment_moved_after_a_follow_up():
    treatment = make_treatment()
    story = person(treatment, treated=(2015, 6),
                   reports=[(datetime.date(2015, 9, 1), "much_better")])
    with pytest.raises(ValidationError, match="in the future"):
        FollowUp(story=story, reported_on=datetime.date(2099, 1, 1),
                 result="no_change").full_clean()

    story.treated_month = 12
    with pytest.raises(ValidationError, match="before this treatment date"):
        story.full_clean()


def test_one_account_with_two_confirmed_addresses_is_one_person():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    treatment = make_treatment()
    for n in range(11):
        user = get_user_model().objects.create_user(f"user-{n}")
        EmailAddress.objects.create(user=user, email=f"one-{n}@example.org", verified=True)
        EmailAddress.objects.create(user=user, email=f"two-{n}@example.org", verified=True)
        person(treatment, email=f"one-{n}@example.org", treated=(2020, 1))
        person(treatment, email=f"Two-{n}@example.org", treated=(2022, 1))
    person(treatment, email="unconfirmed@example.org", author=None)

    summary = _summary(treatment)

    assert summary.people == 12
    assert summary.complications["Treated again"] == 11


def test_the_sentences_say_month_once_and_no_one_counted_plainly(client):
    empty = make_treatment()
    text = _text(client, empty)
    assert "No one is counted yet." in text and "0 people are counted" not in text



# --- Public rows and the protected part --------------------------------------------------------


def test_a_count_with_a_small_part_that_is_not_public_is_hidden(client):
    treatment = make_treatment()
    # 20 published stories said "better" at 3 months: anyone can read them. 3 people who
    # agreed to statistics only said so too: 23 would give those 3 away.
    for _ in range(20):
        person(treatment, consent_publish=True)
    for _ in range(3):
        person(treatment)
    for _ in range(12):
        person(treatment, result="no_change")

    at_3 = _summary(treatment).time_point(3)

    assert at_3.better is None
    assert at_3.not_better is None  # 35 gave a result, 20 public: 15 - 12 would give the 3
    assert at_3.reporting == 35


def test_published_stories_alone_are_counted_in_full():
    treatment = make_treatment()
    for n in range(14):
        person(treatment, consent_publish=True, result="much_better" if n < 9 else "no_change")

    at_3 = _summary(treatment).time_point(3)

    # Every one of these answers is on a public page already: nothing to protect.
    assert (at_3.better, at_3.not_better, at_3.eligible) == (9, 5, 14)


def test_answers_counted_but_not_shown_on_a_published_story_are_protected():
    treatment = make_treatment()
    for n in range(12):
        person(treatment, consent_publish=True, complications=["none"], treated_again="no",
               reports=[(datetime.date(2024, 7, 1), "no_change",
                         {"restenosis": "yes" if n == 0 else "no",
                          "repeat_procedure": "yes" if n == 0 else "no"})])

    complications = _summary(treatment).complications

    # The story page shows neither answer of a follow-up: one person's would be read off.
    assert complications["The vein narrowed again (restenosis)"] is None
    assert complications["Treated again"] is None


def test_two_published_stories_of_one_person_do_not_make_them_public():
    treatment = make_treatment()
    for _ in range(10):
        person(treatment, consent_publish=True, treated_again="no")
    person(treatment, email="zed@example.org", consent_publish=True, treated=(2019, 1),
           treated_again="no")
    person(treatment, email="ZED@example.org", consent_publish=True, treated=(2021, 6),
           treated_again="no")

    summary = _summary(treatment)

    # Which stories are one person's is not shown anywhere: 11 people for 12 public stories,
    # or "treated again: 1", would link them.
    assert summary.people is None
    assert summary.complications["Treated again"] is None
