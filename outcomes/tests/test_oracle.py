"""An independent oracle: every number the outcomes page publishes, recomputed from the raw
stories, follow-ups, baselines and confirmed addresses by a second path written separately
from outcomes/definitions.py (pandas for the counting, statsmodels for the curves), on the
invented site `load_demo` makes (repeat treatments, year-only dates, baselines, drop-out),
and compared number by number."""

import datetime

import numpy as np
import pandas as pd
import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from statsmodels.duration.survfunc import SurvfuncRight

from followups.models import Baseline, FollowUp
from outcomes.selectors import outcomes_summary
from stories.models import Story
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)
THRESHOLD = 10
MONTH = 30.4375
WINDOWS = {3: (1.5, 4.5), 6: (4.5, 9.0), 12: (9.0, 18.0), 24: (18.0, 36.0)}
VERDICT = {"much_better": "better", "little_better": "better", "no_change": "not_better",
           "little_worse": "not_better", "much_worse": "not_better"}


@pytest.fixture
def site(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", stories=36, statistics_only=300, verbosity=0)
    return Treatment.objects.get()


def _people(treatment) -> pd.DataFrame:
    """One row per person: index treatment date, whether its month is known, when they
    joined, attributes, and their counted reports as a list of (day, result, relapses)."""
    stories = pd.DataFrame(Story.objects.filter(
        treatment=treatment, status="approved", consent_statistics=True, procedure_status="yes",
        treated_year__isnull=False,
    ).values("id", "author_id", "email", "treated_year", "treated_month", "submitted_at",
             "result", "ms_type", "procedure_kind", "country", "complications",
             "treated_again"))
    confirmed = {e.lower(): u for e, u in
                 EmailAddress.objects.filter(verified=True).values_list("email", "user_id")}
    address = stories["email"].str.strip().str.lower()
    stories["who"] = [f"a{int(a)}" if a == a and a is not None else
                      (f"a{confirmed[e]}" if e in confirmed else e)
                      for a, e in zip(stories["author_id"], address, strict=True)]
    stories["month"] = stories["treated_month"].where(stories["treated_month"].between(1, 12))
    stories["first_day"] = [datetime.date(int(y), int(m) if m == m else 1, 1)
                            for y, m in zip(stories["treated_year"], stories["month"],
                                            strict=True)]
    stories["wrote"] = stories["submitted_at"].dt.date
    followups = pd.DataFrame(FollowUp.objects.filter(
        story_id__in=stories["id"], status="approved"
    ).values("story_id", "reported_on", "result", "relapses_since_last", "new_complications",
             "restenosis", "repeat_procedure"))
    with_baseline = set(Baseline.objects.values_list("story_id", flat=True))

    rows = []
    for _who, own in stories.sort_values(["first_day", "id"]).groupby("who", sort=False):
        # Treatments: same year and the same month, or one of the two without a month.
        slots: list[list] = []
        for story in own.itertuples():
            for slot in slots:
                if any(o.treated_year == story.treated_year and (
                        o.month != o.month or story.month != story.month
                        or o.month == story.month) for o in slot):
                    slot.append(story)
                    break
            else:
                slots.append([story])
        index = sorted(slots[0], key=lambda s: (s.month != s.month, s.id))[0]
        start = min(s.first_day for s in slots[0])
        cut = slots[1][0].first_day if len(slots) > 1 else None
        zero = index.first_day if index.month == index.month else None
        reports, complications = [], set()
        again = len(slots) > 1
        for story in own.itertuples():
            complications |= set(story.complications or ()) - {"none"}
            again |= story.treated_again == "yes"
            if start <= story.wrote <= TODAY and (cut is None or story.wrote < cut):
                reports.append((story.wrote, 0, story.result, None))
            for f in followups[followups["story_id"] == story.id].itertuples():
                if not start <= f.reported_on <= TODAY:
                    continue
                complications |= set(f.new_complications or ())
                if f.restenosis == "yes":
                    complications.add("restenosis")
                again |= f.repeat_procedure == "yes"
                if cut is None or f.reported_on < cut:
                    relapses = None if f.relapses_since_last != f.relapses_since_last else int(
                        f.relapses_since_last)
                    reports.append((f.reported_on, 1, f.result, relapses))
        reports.sort(key=lambda r: (r[0], r[1]))
        joined = None
        if zero is not None:
            joined = 0.0 if index.id in with_baseline else max(
                0.0, (index.wrote - zero).days / MONTH)
        rows.append({"zero": zero, "joined": joined, "reports": reports,
                     "complications": complications, "again": again,
                     "ms_type": index.ms_type or "unknown", "year": start.year,
                     "country": str(index.country or "unknown")})
    return pd.DataFrame(rows)


def _months(person, day) -> float:
    return (day - person.zero).days / MONTH


def _passed(zero: datetime.date, months: int) -> bool:
    year, month = divmod(zero.month - 1 + months, 12)
    return TODAY >= datetime.date(zero.year + year, month + 1, zero.day)


def _judged(person) -> list[tuple]:
    return [r for r in person.reports if r[2] in VERDICT]


def _spans(people: pd.DataFrame, kind: str) -> pd.DataFrame:
    spans = []
    for p in people.itertuples():
        if p.zero is None:
            continue
        if kind == "benefit":
            judged = _judged(p)
            if not judged or VERDICT[judged[0][2]] != "better":
                continue
            entry = max(_months(p, judged[0][0]), p.joined)
            end = next((r for r in judged[1:] if VERDICT[r[2]] == "not_better"), None)
            if end is not None and _months(p, end[0]) < entry:
                continue
            exit_ = max(_months(p, (end or judged[-1])[0]), entry)
        else:
            asked = [r for r in p.reports if r[3] is not None and _months(p, r[0]) >= p.joined]
            if not asked:
                continue
            entry = p.joined
            end = next((r for r in asked if r[3] > 0), None)
            exit_ = _months(p, (end or asked[-1])[0])
        spans.append((entry, exit_, end is not None))
    frame = pd.DataFrame(spans, columns=["entry", "exit", "event"])
    whole = np.floor(frame[["entry", "exit"]] + 0.5).astype(int).assign(event=frame["event"])
    return whole[whole["exit"] > whole["entry"]]


def _agrees(published, expected, where) -> None:
    assert published is None or published == expected, (where, published, expected)


def test_every_published_number_matches_a_separate_computation_from_the_raw_rows(site):
    summary = outcomes_summary(site, today=TODAY, threshold=THRESHOLD)
    people = _people(site)

    assert summary.people == len(people) > 250
    shown = 0
    for tp in summary.time_points:
        low, high = WINDOWS[tp.months]
        counts = {"eligible": 0, "better": 0, "not_better": 0, "no_result": 0}
        for p in people.itertuples():
            if p.zero is None or not _passed(p.zero, tp.months) or not p.joined < high:
                continue
            counts["eligible"] += 1
            inside = [r for r in _judged(p) if low <= _months(p, r[0]) < high]
            counts[VERDICT[inside[-1][2]] if inside else "no_result"] += 1
        for name, value in (("eligible", tp.eligible), ("better", tp.better),
                            ("not_better", tp.not_better), ("no_result", tp.no_result)):
            _agrees(value, counts[name], (tp.months, name))
            shown += value is not None

    labels = {"The vein narrowed again (restenosis)": "restenosis", "Bleeding": "bleeding",
              "A clot in the vein": "vein_clot", "A stent moved": "stent_moved",
              "Something else": "other"}
    for label, value in summary.complications.items():
        expected = (people["again"].sum() if label == "Treated again" else
                    sum(labels[label] in c for c in people["complications"]))
        _agrees(value, expected, label)

    latest = people["reports"].map(lambda rs: next(
        (VERDICT[r[2]] for r in reversed(rs) if r[2] in VERDICT), None))
    for attribute, column in (("ms_type", "ms_type"), ("treatment_year", "year"),
                              ("country", "country")):
        judged = people[latest.notna()]
        for row in summary.breakdowns[attribute]:
            if row.value == "other":
                continue
            group = judged[judged[column].astype(str) == row.value]
            _agrees(row.people, len(group), (attribute, row.value))
            _agrees(row.better, int((latest[group.index] == "better").sum()),
                    (attribute, row.value, "better"))
            shown += row.people is not None

    first = people["reports"].map(lambda rs: next((VERDICT[r[2]] for r in rs
                                                   if r[2] in VERDICT), None))
    assert summary.first_not_better.count == (first == "not_better").sum()
    assert summary.first_not_better.total == first.notna().sum()

    for curve, kind in ((summary.benefit_lasting, "benefit"), (summary.relapse_free, "relapse")):
        assert curve is not None and len(curve.points) >= 2, kind
        spans = _spans(people, kind)
        still = spans[spans["exit"] > curve.start].copy()
        still["entry"] = still["entry"].clip(lower=curve.start)
        # Changes between two published months count at the later one, and people who joined
        # between them are followed from the earlier one (docs/analysis-plan.md).
        months = np.array([point.time for point in curve.points])
        later = np.searchsorted(months, still["exit"].to_numpy(), side="left")
        still["exit"] = np.where(later < len(months), months[np.minimum(later, len(months) - 1)],
                                 months[-1] + 1)
        earlier = np.searchsorted(months, still["entry"].to_numpy(), side="left") - 1
        still["entry"] = months[np.maximum(earlier, 0)]
        fitted = SurvfuncRight(still["exit"].to_numpy(float), still["event"].to_numpy(int),
                               entry=still["entry"].to_numpy(float))
        for point in curve.points:
            steps = fitted.surv_times <= point.time
            expected = fitted.surv_prob[steps][-1] if steps.any() else 1.0
            assert point.survival == pytest.approx(expected, abs=1e-9), (kind, point)
            followed = int(((spans["entry"] <= point.time) & (spans["exit"] > point.time)).sum())
            assert point.followed == followed, (kind, point)
    assert shown > 20  # the comparison covered real, published numbers


def test_the_page_says_its_figures_come_from_invented_demo_data_only_when_they_do(site, client):
    from hindsight.testing import make_treatment
    from outcomes.tests.helpers import counted_person, release_figures

    demo = client.get(f"/outcomes/{site.slug}/").content.decode()
    real = make_treatment(slug="real", name="Real")
    for _ in range(12):
        counted_person(real, better_at_3=True)
    release_figures()
    actual = client.get("/outcomes/real/").content.decode()

    assert "These figures come from invented demo data." in demo
    assert "These figures come from invented demo data." not in actual
    assert "people are counted" in actual
