"""Server-drawn SVG charts (Matplotlib, no JavaScript). Each chart has a text alternative and
its numbers in a table on the page; the chart only repeats them."""

import io

import matplotlib

matplotlib.use("Agg")
# The same figures draw the same bytes (no random ids), so a chart changes only with a release.
matplotlib.rcParams["svg.hashsalt"] = "hindsight"
import matplotlib.pyplot as plt  # noqa: E402

from outcomes.selectors import OutcomesSummary  # noqa: E402

BLUE = "#1d4f91"
GREY = "#4a4a4a"


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def better_over_time_svg(summary: OutcomesSummary) -> bytes:
    """The share reporting "better" at each time point with its 95% interval, and the range
    it could lie in had everyone who stopped reporting been better, or not."""
    figure, axes = plt.subplots(figsize=(7, 3.6))
    shown = [tp for tp in summary.time_points if tp.bounds and tp.bounds.observed.share is not None]
    xs = [str(tp.months) for tp in shown]
    for offset, tp in enumerate(shown):
        bounds = tp.bounds
        axes.vlines(offset, bounds.worst.share * 100, bounds.best.share * 100, color="#b1b4b6",
                    linewidth=10, label="If those who stopped reporting had all been better, "
                    "or none" if offset == 0 else None)
        observed = bounds.observed
        axes.errorbar(offset, observed.share * 100,
                      yerr=[[(observed.share - observed.low) * 100],
                            [(observed.high - observed.share) * 100]],
                      fmt="o", color=BLUE, capsize=6,
                      label="Among those still reporting (95% interval)" if offset == 0 else None)
    axes.set_xticks(range(len(xs)), xs)
    axes.set_xlabel("Months after treatment")
    axes.set_ylabel("% saying “better”")
    axes.set_ylim(0, 100)
    axes.spines[["top", "right"]].set_visible(False)
    if shown:
        axes.legend(loc="upper right", fontsize=8, frameon=False)
    return _svg(figure)


def benefit_lasting_svg(summary: OutcomesSummary) -> bytes:
    """Kaplan–Meier curve at whole months: of those who said they were better, the share not
    yet reporting "no change" or worse, from the first month with enough people followed."""
    figure, axes = plt.subplots(figsize=(7, 3.6))
    curve = summary.benefit_lasting
    if curve and curve.points:
        times = [p.time for p in curve.points]
        survival = [p.survival * 100 for p in curve.points]
        axes.step(times, survival, where="post", color=BLUE)
        lows = [(p.low if p.low is not None else p.survival) * 100 for p in curve.points]
        highs = [(p.high if p.high is not None else p.survival) * 100 for p in curve.points]
        axes.fill_between(times, lows, highs, step="post", color=BLUE, alpha=0.15)
        axes.set_xlim(curve.start, max(times[-1], curve.start + 1))
    axes.set_xlabel("Months after treatment")
    axes.set_ylabel("% still saying “better”")
    axes.set_ylim(0, 100)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)
