"""Invented example stories for the demo site and for benchmarks.

Nothing here is a real person's experience: every story is marked `is_demo` and the site shows
it as an invented example. Answers are drawn at random (seeded, so runs repeat) to look varied,
not to suggest any result; the mix of results says nothing about the treatment.
"""

import datetime
import random
from collections.abc import Iterator

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
