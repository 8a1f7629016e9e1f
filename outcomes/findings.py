"""The sentences that state a finding, each made from the published numbers and said only when
those numbers are shown (docs/analysis-plan.md, "What the page may say")."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outcomes.selectors import Curve, OutcomesSummary, TimePoint
from outcomes.statistics import Proportion

HEADLINE_POINTS = (3, 12)


def percent(share: float | None) -> str:
    return "" if share is None else f"{round(share * 100)}%"


def _interval(p: Proportion) -> str:
    return _("95%% interval %(low)s to %(high)s") % {"low": percent(p.low),
                                                      "high": percent(p.high)}


def time_point_finding(tp: TimePoint) -> str | None:
    if tp.bounds is None or not tp.reporting:
        return None
    observed = tp.bounds.observed
    sentence = ngettext(
        "At %(months)s months after treatment, %(better)s of the %(reporting)s person who gave "
        "a result then said they were better (%(share)s, %(interval)s).",
        "At %(months)s months after treatment, %(better)s of the %(reporting)s people who gave "
        "a result then said they were better (%(share)s, %(interval)s).",
        tp.reporting,
    ) % {"months": tp.months, "better": tp.better, "reporting": tp.reporting,
         "share": percent(observed.share), "interval": _interval(observed)}
    if tp.no_result:
        sentence += " " + ngettext(
            "%(n)s more person could have reported then but gave no result: counting everyone, "
            "the share lies between %(worst)s (had they not been better) and %(best)s (had "
            "they been).",
            "%(n)s more people could have reported then but gave no result: counting everyone, "
            "the share lies between %(worst)s (had none of them been better) and %(best)s (had "
            "all of them been).",
            tp.no_result,
        ) % {"n": tp.no_result, "worst": percent(tp.bounds.worst.share),
             "best": percent(tp.bounds.best.share)}
    return sentence


def first_result_finding(first_not_better: Proportion | None) -> str | None:
    if first_not_better is None:
        return None
    return _(
        "%(k)s of the %(n)s people who gave a result said “no change” or worse the first time "
        "they did (%(share)s, %(interval)s)."
    ) % {"k": first_not_better.count, "n": first_not_better.total,
         "share": percent(first_not_better.share), "interval": _interval(first_not_better)}


def _curve_values(curve: Curve) -> dict:
    last = curve.last
    return {"start": curve.start, "months": last.time, "share": percent(last.survival),
            "low": percent(last.low), "high": percent(last.high), "followed": last.followed,
            "median": curve.median}


def _half(curve: Curve) -> str:
    """Said only when a published month of the curve is at one half or below."""
    if curve.median is None:
        return ""
    point = next(p for p in curve.points if p.time == curve.median)
    return " " + ngettext(
        "The estimate was at one half or below from %(median)s month on (%(share)s then).",
        "The estimate was at one half or below from %(median)s months on (%(share)s then).",
        curve.median,
    ) % {"median": curve.median, "share": percent(point.survival)}


def benefit_finding(curve: Curve | None) -> str | None:
    if curve is None:
        return None
    return ngettext(
        "Of the people who said they were better, an estimated %(share)s were still saying so "
        "%(months)s month after treatment (95%% interval %(low)s to %(high)s; %(followed)s "
        "people were still followed after that). Each person is counted from when they first "
        "said so, or joined us if that was later, and no earlier than month %(start)s.",
        "Of the people who said they were better, an estimated %(share)s were still saying so "
        "%(months)s months after treatment (95%% interval %(low)s to %(high)s; %(followed)s "
        "people were still followed after that). Each person is counted from when they first "
        "said so, or joined us if that was later, and no earlier than month %(start)s.",
        curve.last.time,
    ) % _curve_values(curve) + _half(curve)


def relapse_finding(curve: Curve | None) -> str | None:
    if curve is None:
        return None
    return ngettext(
        "Of the people who sent follow-ups, an estimated %(share)s had not reported a relapse "
        "%(months)s month after treatment (95%% interval %(low)s to %(high)s; %(followed)s "
        "people were still followed after that). Each person is counted from when they joined "
        "us, and no earlier than month %(start)s.",
        "Of the people who sent follow-ups, an estimated %(share)s had not reported a relapse "
        "%(months)s months after treatment (95%% interval %(low)s to %(high)s; %(followed)s "
        "people were still followed after that). Each person is counted from when they joined "
        "us, and no earlier than month %(start)s.",
        curve.last.time,
    ) % _curve_values(curve) + _half(curve)


def headline_findings(summary: OutcomesSummary) -> list[str]:
    """The sentences a reader should take away, in order, leaving out any whose numbers are
    not shown."""
    sentences = [time_point_finding(tp) for tp in summary.time_points
                 if tp.months in HEADLINE_POINTS]
    sentences.append(first_result_finding(summary.first_not_better))
    return [s for s in sentences if s]
