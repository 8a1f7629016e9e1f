"""Invented example stories for the demo site and for benchmarks.

Nothing here is a real person's experience: every story is marked `is_demo` and the site shows
it as an invented example. Answers are drawn at random (seeded, so runs repeat) to look varied,
not to suggest any result; the mix of results says nothing about the treatment.
"""

import datetime
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from stories.choices import (
    AgeBand,
    ChangeOnset,
    Complication,
    MsType,
    ProcedureKind,
    ProcedureStatus,
    Result,
    Sex,
    Symptom,
    SymptomChange,
    TreatedAgain,
    Vein,
)
from stories.models import Story
from treatments.models import Treatment

PLACES = [
    ("PL", "Katowice"), ("BG", "Sofia"), ("IN", "Delhi"), ("MX", "Monterrey"),
    ("CR", "San José"), ("US", "Albany"), ("IT", "Ferrara"), ("EG", "Cairo"),
    ("CA", "Vancouver"), ("GB", "London"), ("US", "Irvine"), ("AU", "Sydney"),
]
NAMES = [
    "Anna", "Marek", "Lou", "Priya", "Sam", "Jo", "Teresa", "Dev", "Kasia", "Mo", "Ruth", "Ian",
    "Bea", "Tom", "Nadia", "Chris",
]
CURRENCY_BY_COUNTRY = {"PL": "PLN", "BG": "BGN", "IN": "INR", "MX": "MXN", "CR": "CRC",
                       "US": "USD", "IT": "EUR", "EG": "EGP", "CA": "CAD", "GB": "GBP",
                       "AU": "AUD"}

OPENINGS = {
    "good": [
        "The first week after the procedure I felt a lift I had not felt in years.",
        "I went in with low expectations and came out feeling warmer in my hands and feet.",
        "My fatigue eased within days, and I started walking the dog again.",
    ],
    "flat": [
        "Honestly, nothing much changed, and I had hoped for so much.",
        "I waited for the improvements other people described. They did not come for me.",
        "Some days felt better, some worse, which is how my MS has always been.",
    ],
    "bad": [
        "I wish someone had told me more about the risks before I went.",
        "Two months later I was back in hospital with a clot in the treated vein.",
        "The vein narrowed again and I was offered a second procedure, which I turned down.",
    ],
    ProcedureStatus.BOOKED: [
        "My date is booked for next month and I am trying to keep my hopes sensible.",
        "I have paid the deposit. My neurologist is not keen, and we keep talking about it.",
    ],
    ProcedureStatus.CONSIDERING: [
        "I have read everything I can find and I still do not know what to do.",
        "My neurologist showed me the trial results and we talked for a long time.",
    ],
    ProcedureStatus.DECIDED_AGAINST: [
        "I had a date booked, then cancelled it after reading about the sham-controlled trials.",
        "In the end the travel, the cost and the trial results all pointed the same way: no.",
    ],
}
MIDDLES = [
    "The clinic was friendly and the travel was hard. My partner came with me and took notes.",
    "I kept a diary every day for the first month, which helped me see the ups and downs.",
    "My MS nurse asked me to keep taking my usual medication, and I did.",
    "The cost was more than we had saved, and friends helped us raise the rest.",
]
CLOSINGS = [
    "I will come back and say how things are in six months.",
    "If you are deciding, talk to your neurologist and read the trials too.",
    "*Invented example:* this story was written for the demo site.",
]


def _result_mood(result: str) -> str:
    if result in (Result.MUCH_BETTER, Result.LITTLE_BETTER):
        return "good"
    if result in (Result.LITTLE_WORSE, Result.MUCH_WORSE):
        return "bad"
    return "flat"


def demo_story(rng: random.Random, treatment: Treatment, index: int) -> Story:
    """One invented story, not yet saved."""
    status = rng.choices(
        [ProcedureStatus.HAD, ProcedureStatus.BOOKED, ProcedureStatus.CONSIDERING,
         ProcedureStatus.DECIDED_AGAINST],
        weights=[70, 8, 12, 10],
    )[0]
    story = Story(
        treatment=treatment,
        procedure_status=status,
        display_name=f"{rng.choice(NAMES)} (example)",
        email=f"demo-{index}@example.invalid",
        consent_publish=True,
        consent_statistics=rng.random() < 0.9,
        is_demo=True,
        ms_type=rng.choice([*MsType.values, "", ""]),
        age_band=rng.choice([*AgeBand.values, ""]),
        sex=rng.choice([*Sex.values, ""]),
    )
    mood = status
    if status == ProcedureStatus.HAD:
        country, city = rng.choice(PLACES)
        year = rng.randint(2010, 2016)
        story.treated_year = year
        story.treated_month = rng.choice([None, *range(1, 13)])
        story.diagnosis_year = rng.choice([None, year - rng.randint(1, 20)])
        story.country, story.city = country, city
        story.clinic = rng.choice(["", "a private vascular clinic", "the university hospital"])
        story.procedure_kind = rng.choice(ProcedureKind.values)
        story.veins = rng.sample([v for v in Vein.values if v != Vein.UNKNOWN], rng.randint(1, 2))
        story.result = rng.choices(
            Result.values, weights=[15, 25, 30, 10, 8, 12]
        )[0]
        mood = _result_mood(story.result)
        # Symptom answers lean the way the overall result does, as real answers would.
        leaning = {"good": [SymptomChange.BETTER] * 3 + [SymptomChange.SAME],
                   "bad": [SymptomChange.WORSE] * 3 + [SymptomChange.SAME],
                   "flat": [SymptomChange.SAME] * 4 + [SymptomChange.BETTER,
                                                       SymptomChange.WORSE]}[mood]
        story.symptoms = {
            symptom: rng.choice([*leaning, SymptomChange.NOT_APPLICABLE])
            for symptom in rng.sample(Symptom.values, rng.randint(3, 9))
        }
        story.change_onset = rng.choice(ChangeOnset.values)
        complications = rng.choices(
            [[Complication.NONE], [Complication.RESTENOSIS], [Complication.VEIN_CLOT],
             [Complication.BLEEDING], []],
            weights=[60, 15, 5, 5, 15],
        )[0]
        story.complications = complications
        story.treated_again = rng.choice([TreatedAgain.YES, TreatedAgain.NO, TreatedAgain.NO, ""])
        if rng.random() < 0.6:
            story.cost_amount = rng.randrange(3000, 15000, 250)
            story.cost_currency = CURRENCY_BY_COUNTRY[country]
    story.title = _title(rng, story, mood)
    story.body = "\n\n".join(
        [rng.choice(OPENINGS[mood]), rng.choice(MIDDLES), rng.choice(CLOSINGS)]
    )
    return story


def _title(rng: random.Random, story: Story, mood: str) -> str:
    undecided = {
        ProcedureStatus.BOOKED: ["Booked, and nervous", "Counting the days"],
        ProcedureStatus.CONSIDERING: ["Still deciding", "Reading the trials first"],
        ProcedureStatus.DECIDED_AGAINST: ["Why I said no", "I decided against it"],
    }
    if mood in undecided:
        return rng.choice(undecided[mood])
    place = story.city or "abroad"
    return rng.choice({
        "good": [f"Warm hands again after {place}", "A good first year", "Better, for now"],
        "flat": [f"No change after {place}", "It did not work for me", "Hard to say"],
        "bad": ["Worse than before", f"What went wrong in {place}", "Not what I hoped"],
    }[mood])


# In these invented follow-ups, as registries that kept asking reported, fewer people say
# "better" as time passes, and fewer keep reporting. Made up to show the pages, not evidence.
FOLLOW_UP_POINTS = ((3, 0.55), (6, 0.45), (12, 0.35), (24, 0.25))


def demo_followups(story: Story, rng: random.Random) -> list:
    """Approved follow-ups for an invented story, at some of 3, 6, 12 and 24 months."""
    from followups.models import FollowUp

    if not (story.treated_year and story.result) or rng.random() > 0.8:
        return []
    treated = datetime.date(story.treated_year, story.treated_month or 6, 1)
    followups = []
    for months, share_better in FOLLOW_UP_POINTS:
        if followups and rng.random() > 0.7:
            break  # stopped reporting
        better = rng.random() < share_better
        result = (rng.choice([Result.MUCH_BETTER, Result.LITTLE_BETTER]) if better
                  else rng.choice([Result.NO_CHANGE, Result.NO_CHANGE, Result.LITTLE_WORSE,
                                   Result.MUCH_WORSE]))
        change = SymptomChange.BETTER if better else rng.choice(
            [SymptomChange.SAME, SymptomChange.WORSE]
        )
        day = treated + datetime.timedelta(days=int(months * 30.4) + rng.randint(-10, 10))
        followups.append(FollowUp(
            story=story, status=FollowUp.Status.APPROVED, reported_on=day, result=result,
            symptoms={symptom: change for symptom in rng.sample(Symptom.values, 3)},
            relapses_since_last=rng.choice([0, 0, 0, 1, 2]),
            new_complications=rng.choice([[], [], [Complication.RESTENOSIS]]),
        ))
    return followups


def demo_stories(treatment: Treatment, count: int, *, seed: int = 2009) -> Iterator[Story]:
    """`count` invented stories. People who had the procedure wrote a month or three after
    it; the others wrote during the past year."""
    rng = random.Random(seed)
    now = timezone.now()
    rendered: dict[str, tuple[str, str]] = {}
    for index in range(count):
        story = demo_story(rng, treatment, index)
        story.status = Story.Status.APPROVED
        if story.treated_year:
            treated = datetime.datetime(story.treated_year, story.treated_month or 6, 1,
                                        tzinfo=datetime.UTC)
            story.submitted_at = treated + datetime.timedelta(days=rng.randint(20, 100))
        else:
            story.submitted_at = now - datetime.timedelta(minutes=rng.randint(10, 525600))
        story.published_at = story.submitted_at + datetime.timedelta(hours=rng.randint(2, 96))
        story.email_confirmed_at = story.submitted_at
        story.assign_slug()
        # Bodies repeat across many stories; render each distinct body once.
        if story.body not in rendered:
            story.refresh_derived()
            rendered[story.body] = (story.body_html, story.excerpt)
        story.body_html, story.excerpt = rendered[story.body]
        yield story



# Invented statistics-only reports: people who let the site count their answers but not publish
# their words, so that the outcomes page has enough people to show its figures. Their results
# follow a made-up, placebo-like course (many "better" at first, fading to "no change" within a
# year or two, a few worse). Invented to show the pages; it says nothing about the treatment.
STATISTICS_ONLY_TITLE = "Invented statistics-only report"
STATISTICS_ONLY_BODY = "Invented example for the demo site: counted in the statistics, never shown."
DEMO_PERSON_PREFIX = "demo-person-"
# Most treatments in the rush of 2010-2012, then a long tail.
TREATMENT_YEARS = {2010: 14, 2011: 16, 2012: 12, 2013: 9, 2014: 7, 2015: 6, 2016: 5, 2017: 4,
                   2018: 4, 2019: 3, 2020: 2, 2021: 3, 2022: 3, 2023: 3, 2024: 3, 2025: 3}
# (months after treatment, share who say "better"). A person's own `hope` (0-1) decides whether
# they are among them, so one person's improvement fades and rarely comes back.
SHARE_BETTER = ((0, 0.62), (3, 0.58), (6, 0.48), (12, 0.34), (24, 0.22), (120, 0.18))
STATISTICS_ONLY_POINTS = (3, 6, 12, 24)  # months after treatment, as the reminders ask
JOINED_BEFORE_TREATMENT = 0.15
YEAR_ONLY = 0.12  # of those who joined after treatment: about 10% of everyone
TREATED_AGAIN = 0.05
# Of those asked at a time point, the share who answer: the first time, then each later time
# (someone who stops answering does not come back).
FIRST_ANSWER, NEXT_ANSWER = 0.85, 0.7
RELAPSES_PER_YEAR = 0.35  # about what relapsing MS gives on treatment, whatever the veins


@dataclass
class DemoPerson:
    """One invented person who reported for the statistics only: their address, their stories
    (two after a repeat procedure), the follow-ups of both, and a baseline if they joined
    before treatment. Nothing is saved; `load_demo` gives them an account and saves the rest."""

    number: int
    email: str
    stories: list[Story] = field(default_factory=list)
    followups: list = field(default_factory=list)
    baseline: object | None = None


def _share_better(months: float) -> float:
    for (start, share), (end, later_share) in itertools.pairwise(SHARE_BETTER):
        if months < end:
            return share + (later_share - share) * (max(months, start) - start) / (end - start)
    return SHARE_BETTER[-1][1]


class _Course:
    """One invented person's course after one procedure: the answers they give when asked."""

    def __init__(self, rng: random.Random, treated: datetime.date):
        self.rng = rng
        self.treated = treated
        self.hope = rng.random()  # low: "better" for longer
        self.gloom = rng.random()  # low: "worse" rather than "no change" when not better
        self.symptoms = rng.sample(Symptom.values, rng.randint(4, 8))

    def result(self, day: datetime.date) -> str:
        rng = self.rng
        months = (day - self.treated).days / 30.44
        if rng.random() < (0.4 if months < 2 else 0.07 if months < 4.5 else 0):
            return Result.TOO_EARLY
        # Now and then an answer goes against the person's course, as real answers do.
        hope = rng.random() if rng.random() < 0.06 else self.hope
        share = _share_better(months)
        if hope < share:
            return Result.MUCH_BETTER if hope < share * 0.35 else Result.LITTLE_BETTER
        if self.gloom < 0.05:
            return Result.MUCH_WORSE
        if self.gloom < 0.16:
            return Result.LITTLE_WORSE
        return Result.NO_CHANGE

    def symptom_answers(self, result: str) -> dict[str, str]:
        leaning = {
            Result.MUCH_BETTER: SymptomChange.BETTER, Result.LITTLE_BETTER: SymptomChange.BETTER,
            Result.LITTLE_WORSE: SymptomChange.WORSE, Result.MUCH_WORSE: SymptomChange.WORSE,
        }.get(result, SymptomChange.SAME)
        # MS symptoms come and go: some answers go their own way, whatever the overall result.
        return {symptom: leaning if self.rng.random() < 0.6 else self.rng.choices(
                    [SymptomChange.BETTER, SymptomChange.SAME, SymptomChange.WORSE],
                    weights=[30, 40, 30])[0]
                for symptom in self.symptoms}

    def set_back(self) -> None:
        """After a narrowed vein or a clot: "better" less likely, "worse" more."""
        self.hope = min(1.0, self.hope + 0.3)
        self.gloom = max(0.0, self.gloom - 0.15)


def _at(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


def _statistics_only_story(
    rng: random.Random, treatment: Treatment, person: DemoPerson, display_name: str,
    course: _Course, *, year_only: bool, submitted: datetime.datetime, now: datetime.datetime,
) -> Story:
    treated = course.treated
    submitted = min(submitted, now)  # "today" at a random hour may be later than now
    country, city = rng.choice(PLACES)
    story = Story(
        treatment=treatment, status=Story.Status.APPROVED, is_demo=True,
        procedure_status=ProcedureStatus.HAD, consent_publish=False, consent_statistics=True,
        title=STATISTICS_ONLY_TITLE, body=STATISTICS_ONLY_BODY,
        display_name=display_name, email=person.email,
        treated_year=treated.year, treated_month=None if year_only else treated.month,
        country=country, city=city,
        procedure_kind=rng.choices(ProcedureKind.values, weights=[70, 10, 8, 12])[0],
        veins=rng.sample([v for v in Vein.values if v != Vein.UNKNOWN], rng.randint(1, 2)),
        complications=rng.choices(
            [[Complication.NONE], [Complication.RESTENOSIS], [Complication.VEIN_CLOT],
             [Complication.BLEEDING], []],
            weights=[65, 10, 3, 3, 19],
        )[0],
        treated_again=rng.choice([TreatedAgain.NO, TreatedAgain.NO, TreatedAgain.NO, ""]),
        ms_type=rng.choice([*MsType.values, ""]),
        age_band=rng.choice([*AgeBand.values, ""]),
        sex=rng.choice([*Sex.values, ""]),
        diagnosis_year=rng.choice([None, treated.year - rng.randint(1, 20)]),
        submitted_at=submitted,
        email_confirmed_at=min(submitted + datetime.timedelta(minutes=rng.randint(2, 600)), now),
    )
    # Approved as `story_approve` approves any story, with an address and a publication time;
    # without consent to publish it is still never shown.
    story.published_at = min(
        story.email_confirmed_at + datetime.timedelta(hours=rng.randint(2, 96)), now
    )
    story.assign_slug()
    if submitted.date() < treated:
        # Written while the procedure was booked, and changed to "had it" just after it.
        story.result = Result.TOO_EARLY
    else:
        story.result = course.result(submitted.date())
        story.symptoms = course.symptom_answers(story.result)
    if story.result in (Result.MUCH_BETTER, Result.LITTLE_BETTER):
        story.change_onset = rng.choice([ChangeOnset.HOURS, ChangeOnset.WEEK, ChangeOnset.MONTH])
    elif story.result != Result.TOO_EARLY:
        story.change_onset = ChangeOnset.NONE
    return story


def _statistics_only_followups(
    rng: random.Random, course: _Course, story: Story, *, until: datetime.date,
    now: datetime.datetime,
) -> list:
    """Approved follow-ups near 3, 6, 12 and 24 months after treatment from those who answer,
    each dated after the story was written and before `until` (today, or a repeat procedure)."""
    from followups.models import FollowUp, YesNoUnsure

    followups = []
    asked = narrowed = False
    last = course.treated
    for months in STATISTICS_ONLY_POINTS:
        day = course.treated + datetime.timedelta(
            days=round(months * 30.44) + rng.randint(-12, 12)
        )
        answers = rng.random() < (NEXT_ANSWER if asked else FIRST_ANSWER)
        if day <= story.submitted_at.date():
            continue  # not with us yet, so not asked
        if day >= until:
            break
        asked = True
        if not answers:
            break
        new = rng.choices([[], [Complication.RESTENOSIS], [Complication.VEIN_CLOT]],
                          weights=[92, 6, 2])[0]
        if new:
            course.set_back()
        restenosis = new == [Complication.RESTENOSIS]
        result = course.result(day)
        relapsed = rng.random() < 1 - math.exp(-RELAPSES_PER_YEAR * (day - last).days / 365)
        last = day
        followups.append(FollowUp(
            story=story, status=FollowUp.Status.APPROVED, reported_on=day, result=result,
            symptoms=course.symptom_answers(result),
            relapses_since_last=rng.choices([1, 2], weights=[80, 20])[0] if relapsed else 0,
            new_complications=new,
            restenosis=YesNoUnsure.YES if restenosis else rng.choices(
                [YesNoUnsure.NO, "", YesNoUnsure.UNSURE], weights=[70, 25, 5])[0],
            # Some whose vein had narrowed had it opened again, without a second story.
            repeat_procedure=YesNoUnsure.YES if narrowed and rng.random() < 0.4 else
            rng.choices([YesNoUnsure.NO, ""], weights=[75, 25])[0],
            started_dmt=rng.choices([YesNoUnsure.NO, YesNoUnsure.YES, ""],
                                    weights=[60, 10, 30])[0],
            published_at=min(_at(rng, day + datetime.timedelta(days=rng.randint(1, 5))), now),
        ))
        narrowed = narrowed or restenosis
    return followups


def _baseline(rng: random.Random, course: _Course, story: Story, recorded_on: datetime.date):
    from followups.models import Baseline, Expectation, SymptomSeverity

    return Baseline(
        story=story, recorded_on=recorded_on,
        symptoms={symptom: rng.choice(SymptomSeverity.values) for symptom in course.symptoms},
        relapses_last_year=rng.choice([0, 0, 1, 1, 2, 3]),
        expectation=rng.choices(Expectation.values, weights=[30, 40, 10, 20])[0],
    )


def _statistics_only_person(
    rng: random.Random, treatment: Treatment, number: int, *, may_repeat: bool,
    today: datetime.date, now: datetime.datetime,
) -> DemoPerson:
    person = DemoPerson(number, f"{DEMO_PERSON_PREFIX}{number}@example.invalid")
    display_name = f"{rng.choice(NAMES)} (example)"
    joined_before = rng.random() < JOINED_BEFORE_TREATMENT
    year_only = not joined_before and rng.random() < YEAR_ONLY
    year = rng.choices(list(TREATMENT_YEARS), weights=list(TREATMENT_YEARS.values()))[0]
    treated = min(datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                  today - datetime.timedelta(days=30))
    course = _Course(rng, treated)
    month_start = treated.replace(day=1)
    if joined_before:
        # The baseline form takes a baseline only while the procedure is booked (or being
        # considered), so these people wrote before it, recorded a baseline, and changed their
        # story to "had it" just after it.
        submitted = _at(rng, month_start - datetime.timedelta(days=rng.randint(10, 120)))
        baseline_on = submitted.date() + datetime.timedelta(
            days=rng.randint(0, (month_start - submitted.date()).days - 1)
        )
    else:
        delay = rng.choices([rng.randint(14, 90), rng.randint(91, 365),
                             rng.randint(366, 6 * 365)], weights=[55, 15, 30])[0]
        submitted = _at(rng, min(treated + datetime.timedelta(days=delay), today))
    story = _statistics_only_story(rng, treatment, person, display_name, course,
                                   year_only=year_only, submitted=submitted, now=now)
    person.stories.append(story)
    if joined_before:
        person.baseline = _baseline(rng, course, story, baseline_on)
    again = treated + datetime.timedelta(days=rng.randint(365, 3 * 365))
    if not (may_repeat and rng.random() < TREATED_AGAIN
            and submitted.date() < again < today - datetime.timedelta(days=30)):
        person.followups = _statistics_only_followups(rng, course, story, until=today, now=now)
        return person
    # Treated again 1-3 years later, with a second story under the same account.
    # Reports from the month of the repeat on belong to it, not to the first procedure.
    person.followups = _statistics_only_followups(rng, course, story, until=again.replace(day=1),
                                                  now=now)
    if person.followups:  # usually why: the vein had narrowed again
        person.followups[-1].restenosis = "yes"
        person.followups[-1].new_complications = [Complication.RESTENOSIS]
    second_course = _Course(rng, again)
    second = _statistics_only_story(
        rng, treatment, person, display_name, second_course, year_only=False,
        submitted=_at(rng, min(again + datetime.timedelta(days=rng.randint(7, 70)), today)),
        now=now,
    )
    second.complications = []
    person.stories.append(second)
    person.followups += _statistics_only_followups(rng, second_course, second, until=today,
                                                   now=now)
    return person


def demo_statistics_only_people(
    treatment: Treatment, count: int, *, seed: int = 2009, first_number: int = 1,
    today: datetime.date | None = None,
) -> Iterator[DemoPerson]:
    """Invented people with `count` statistics-only stories between them: approved, counted,
    never published. Treated 2010-2025 (the month known for about 90%); most wrote weeks to
    years after treatment, about 15% before it (then booked, with a baseline); about 5% were
    treated again 1-3 years later and wrote a second story. Numbered from `first_number`."""
    rng = random.Random(f"statistics-only-{seed}")
    today = today or timezone.localdate()
    now = timezone.now()
    rendered = Story(body=STATISTICS_ONLY_BODY)
    rendered.refresh_derived()
    made = 0
    for number in itertools.count(first_number):
        if made >= count:
            return
        person = _statistics_only_person(rng, treatment, number, may_repeat=count - made >= 2,
                                         today=today, now=now)
        for story in person.stories:
            story.body_html, story.excerpt = rendered.body_html, rendered.excerpt
        made += len(person.stories)
        yield person
