"""The numbers the outcome pages show, computed from plain counts and durations.

Nothing here touches Django or the database: callers pass counts in and get small frozen
dataclasses back, so every figure can be checked by hand. Four kinds of figure:

* ``proportion``: a share with its 95% Wilson interval;
* ``bounds_with_dropout``: the share among people still reporting, and how far it could move
  if everyone who stopped reporting had (or had not) done better;
* ``kaplan_meier_with_entry``: the share still without an event (say, a relapse) as months
  pass, when some people joined late and some have not been followed for long enough to know;
* ``suppress``, ``suppress_row`` and ``suppress_lines``: a table of counts made safe to
  publish, with small counts hidden and enough other counts hidden that the small ones cannot
  be worked back out; ``publish_*`` do the same when part of each count is public already.

Counts of people that reach a page (``Proportion.count``, ``CurvePoint.followed``, ...) are
still subject to the small-count rule: pass them through ``suppress``/``suppress_row`` first.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from scipy import stats
from scipy.optimize import linprog

CONFIDENCE_LEVEL = 0.95

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


# --- Shares ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proportion:
    """``count`` people out of ``total`` (say, 12 of 40 said they were better).

    ``share`` is count / total (0.3). ``low`` and ``high`` bound the 95% Wilson score interval:
    the range of true shares that these counts are reasonably consistent with, given that the
    people who reported are a sample. It stays inside 0..1 and behaves at 0 and at total, unlike
    the textbook share ± 1.96 standard errors. With ``total == 0`` there is no share to show, and
    ``share``, ``low`` and ``high`` are all None.
    """

    count: int
    total: int
    share: float | None
    low: float | None
    high: float | None


def proportion(k: int, n: int) -> Proportion:
    """The share k / n with its 95% Wilson interval (no continuity correction), from SciPy.

    Raises ValueError unless 0 <= k <= n. n == 0 is allowed and gives no share (None).
    """
    _check_count("k", k)
    _check_count("n", n)
    if k > n:
        raise ValueError(f"k must not exceed n; got k={k}, n={n}")
    if n == 0:
        return Proportion(count=k, total=n, share=None, low=None, high=None)
    interval = stats.binomtest(k, n).proportion_ci(
        confidence_level=CONFIDENCE_LEVEL, method="wilson"
    )
    return Proportion(
        count=k, total=n, share=float(k / n), low=float(interval.low), high=float(interval.high)
    )


@dataclass(frozen=True)
class DropoutBounds:
    """What a share could be once people who stopped reporting are counted.

    Of ``eligible`` people who could have answered a follow-up, ``reporting`` did; the other
    ``dropped`` did not, and nobody knows how they fared.

    * ``observed``: better / reporting, the share among those who answered. It is only right if
      the people who stopped reporting fared like those who did, which is often not so (people
      who feel worse, or much better, may stop answering).
    * ``best``: (better + dropped) / eligible, if every one of them had been better.
    * ``worst``: better / eligible, if none of them had.

    Whatever the missing answers were, the share among everyone eligible is between
    ``worst.share`` and ``best.share``. Each of the three also carries its Wilson interval, for
    sampling error on top (those of ``best`` and ``worst`` treat the imagined answers as if
    they had been given).
    """

    eligible: int
    reporting: int
    dropped: int
    observed: Proportion
    best: Proportion
    worst: Proportion


def bounds_with_dropout(better: int, reporting: int, eligible: int) -> DropoutBounds:
    """Observed, best-case and worst-case shares of people who were better (see DropoutBounds).

    Raises ValueError unless 0 <= better <= reporting <= eligible.
    """
    for name, value in (("better", better), ("reporting", reporting), ("eligible", eligible)):
        _check_count(name, value)
    if not better <= reporting <= eligible:
        raise ValueError(
            "need 0 <= better <= reporting <= eligible; "
            f"got better={better}, reporting={reporting}, eligible={eligible}"
        )
    dropped = eligible - reporting
    return DropoutBounds(
        eligible=eligible,
        reporting=reporting,
        dropped=dropped,
        observed=proportion(better, reporting),
        best=proportion(better + dropped, eligible),
        worst=proportion(better, eligible),
    )


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a whole number; got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must not be negative; got {value}")


# --- Time to an event --------------------------------------------------------------------------


@dataclass(frozen=True)
class CurvePoint:
    """A time-to-event curve at ``time`` whole months: the estimated share still without the
    event, its 95% interval, and how many people were followed then."""

    time: int
    survival: float
    low: float | None
    high: float | None
    followed: int


def kaplan_meier_with_entry(
    spans: Sequence[tuple[float, float, bool]], times: Sequence[int]
) -> list[CurvePoint]:
    """Kaplan–Meier estimate, by lifelines, for people who join late (left truncation).

    Each span is (entry, exit, event): the person is at risk after ``entry`` months (at every
    time t with entry < t <= exit), and at ``exit`` either had the event or was last seen
    without it. Someone who first wrote two
    years after treatment adds nothing to the first two years. The curve is read at ``times``
    (whole months), with the exponential Greenwood 95% interval; ``followed`` counts the
    people whose span covers the time (entry <= time <= exit).
    """
    from lifelines import KaplanMeierFitter  # here: it takes seconds to import

    if not spans:
        return []
    entry = np.array([s[0] for s in spans], dtype=float)
    exit_ = np.array([s[1] for s in spans], dtype=float)
    event = np.array([bool(s[2]) for s in spans])
    if np.any(entry < 0) or np.any(exit_ < entry) or not np.all(np.isfinite(exit_)):
        raise ValueError("each span needs 0 <= entry <= exit, finite")
    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE_LEVEL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lifelines warns about spans of length 0; they count
        fitter.fit(exit_, event, entry=entry, timeline=[float(t) for t in times])
    survival = fitter.survival_function_.iloc[:, 0].to_numpy()
    interval = fitter.confidence_interval_survival_function_.to_numpy()
    return [
        CurvePoint(
            time=int(t), survival=float(survival[i]),
            low=_finite_or_none(interval[i, 0]), high=_finite_or_none(interval[i, 1]),
            followed=int(np.count_nonzero((entry <= t) & (exit_ >= t))),
        )
        for i, t in enumerate(times)
    ]


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


# --- Small-count suppression -------------------------------------------------------------------


@dataclass(frozen=True)
class SuppressedTable(Generic[K, R, C]):
    """A two-way table of counts as it may be published; None marks a hidden count.

    ``cells`` has the keys of the input table; ``row_totals`` and ``column_totals`` the rows and
    columns (in order of first appearance); ``total`` is the grand total.

    Show every None the same way, with one legend, for instance "not shown: fewer than
    {threshold}, or hidden so that such a count cannot be worked out". Do not label only the
    small ones "fewer than {threshold}": a reader who knows which hidden counts are small, and
    that the others are at least {threshold}, can sometimes work them out (``suppress`` does not
    protect against that).
    """

    cells: Mapping[K, int | None]
    row_totals: Mapping[R, int | None]
    column_totals: Mapping[C, int | None]
    total: int | None


@dataclass(frozen=True)
class SuppressedRow(Generic[K]):
    """A one-way table (categories and their total) as it may be published; None marks a hidden
    count, shown as for SuppressedTable."""

    cells: Mapping[K, int | None]
    total: int | None


def suppress(
    table: Mapping[K, int],
    row_of: Callable[[K], R],
    col_of: Callable[[K], C],
    threshold: int,
) -> SuppressedTable[K, R, C]:
    """Hide the counts of a two-way table that could identify people, and enough others.

    ``table`` maps each cell's key to a count; ``row_of(key)`` and ``col_of(key)`` place it.
    Row totals, column totals and the grand total are published too. Each row is a line: its
    cells add up to its total; so is each column, and so are the row totals (and the column
    totals) with the grand total. The rule:

    1. Primary suppression: every count, cell or total, from 1 to threshold - 1 is hidden.
       0 is always published: it reveals no person (so a reader knows a hidden count is not 0).
    2. Secondary suppression: in a line with exactly one hidden count, that count is the total
       minus the rest, so a line must hide none or at least two. While some line hides exactly
       one, also hide the smallest other non-zero count in it (a cell before a total of the
       same size), and repeat until no line does.
    3. Audit: the line rule is necessary but not enough. Two separate blocks of hidden cells
       joined by one hidden cell give that cell away through sums of several lines, and two
       hidden cells that add up to 2 are both 1. So for each hidden count, a linear program
       finds the least and the greatest value it could have given every published count,
       every line's sum, and that a hidden count is at least 1. Where the two are equal, more
       counts are hidden (the smallest that frees it, again with the line rule) until no
       hidden count can be worked out exactly. This always ends well: with every non-zero
       count hidden, doubling them all fits too. (The table's sums form a network, so the
       extremes are whole numbers and every whole number between is possible: unequal
       extremes leave at least two candidates.)

    The reader this protects against sees the published table and knows the rule, but cannot
    tell a small hidden count from a larger one hidden to protect it (see SuppressedTable).
    Raises ValueError for negative counts, a threshold below 2 or two keys in the same row and
    column.
    """
    _check_threshold(threshold)
    keys = list(table)
    rows: dict[R, list[int]] = {}
    cols: dict[C, list[int]] = {}
    placed: set[tuple[R, C]] = set()
    for index, key in enumerate(keys):
        _check_count(f"count of {key!r}", table[key])
        row, col = row_of(key), col_of(key)
        if (row, col) in placed:
            raise ValueError(f"two keys share row {row!r} and column {col!r}")
        placed.add((row, col))
        rows.setdefault(row, []).append(index)
        cols.setdefault(col, []).append(index)

    # Entries: the cells, then the row totals, the column totals and the grand total.
    values = [int(table[key]) for key in keys]
    row_total_at = {row: len(values) + i for i, row in enumerate(rows)}
    values += [sum(values[i] for i in members) for members in rows.values()]
    col_total_at = {col: len(values) + i for i, col in enumerate(cols)}
    values += [sum(values[i] for i in members) for members in cols.values()]
    grand_at = len(values)
    values.append(sum(values[: len(keys)]))

    lines = [_Line(tuple(members), row_total_at[row]) for row, members in rows.items()]
    lines += [_Line(tuple(members), col_total_at[col]) for col, members in cols.items()]
    lines.append(_Line(tuple(row_total_at.values()), grand_at))
    lines.append(_Line(tuple(col_total_at.values()), grand_at))

    hidden = _protect(values, lines, threshold, first_total=len(keys))
    shown = [None if h else v for v, h in zip(values, hidden, strict=True)]
    return SuppressedTable(
        cells={key: shown[i] for i, key in enumerate(keys)},
        row_totals={row: shown[i] for row, i in row_total_at.items()},
        column_totals={col: shown[i] for col, i in col_total_at.items()},
        total=shown[grand_at],
    )


def suppress_row(counts: Mapping[K, int], threshold: int) -> SuppressedRow[K]:
    """Hide the counts of a one-way table (categories and their total) by the rule of
    ``suppress``, with the single line of the categories and their total."""
    _check_threshold(threshold)
    keys = list(counts)
    for key in keys:
        _check_count(f"count of {key!r}", counts[key])
    values = [int(counts[key]) for key in keys]
    values.append(sum(values))
    line = _Line(tuple(range(len(keys))), len(keys))
    hidden = _protect(values, [line], threshold, first_total=len(keys))
    shown = [None if h else v for v, h in zip(values, hidden, strict=True)]
    return SuppressedRow(cells={key: shown[i] for i, key in enumerate(keys)}, total=shown[-1])


def suppress_lines(
    counts: Mapping[K, int], lines: Sequence[tuple[Sequence[K], K]], threshold: int
) -> dict[K, int | None]:
    """Hide the counts of a table with any pattern of sums by the rule of ``suppress``.

    Each line ``(parts, total)`` says that the counts of ``parts`` add up to the count of
    ``total`` (say better + not better = reported, and reported + no result = everyone), and
    every count is published unless hidden. Raises ValueError when a line does not add up.
    """
    _check_threshold(threshold)
    totals = {total for _parts, total in lines}
    order = [key for key in counts if key not in totals] + [key for key in counts if key in totals]
    at = {key: i for i, key in enumerate(order)}
    values = []
    for key in order:
        _check_count(f"count of {key!r}", counts[key])
        values.append(int(counts[key]))
    for parts, total in lines:
        if sum(counts[part] for part in parts) != counts[total]:
            raise ValueError(f"the parts of {total!r} do not add up to it")
    hidden = _protect(values, [_Line(tuple(at[p] for p in parts), at[total])
                               for parts, total in lines],
                      threshold, first_total=len(order) - len(totals))
    return {key: None if hidden[at[key]] else counts[key] for key in counts}


# --- Publishing with public rows ---------------------------------------------------------------
#
# Some people's reports are public already (published stories and the follow-ups shown on
# them): a reader knows how much each of them adds to every count. What must be protected is the
# rest, the *protected part* of each count. So the decisions are made on the protected parts,
# and the counts shown are the whole counts (docs/disclosure.md).


def publish_table(table: Mapping[K, int], protected: Mapping[K, int], row_of: Callable[[K], R],
                  col_of: Callable[[K], C], threshold: int) -> SuppressedTable[K, R, C]:
    """``suppress`` decided on the protected parts, showing the whole counts."""
    decided = suppress(protected, row_of, col_of, threshold)
    rows: dict[R, int] = {}
    cols: dict[C, int] = {}
    for key, count in table.items():
        rows[row_of(key)] = rows.get(row_of(key), 0) + count
        cols[col_of(key)] = cols.get(col_of(key), 0) + count
    return SuppressedTable(
        cells={key: None if shown is None else table[key]
               for key, shown in decided.cells.items()},
        row_totals={row: None if shown is None else rows[row]
                    for row, shown in decided.row_totals.items()},
        column_totals={col: None if shown is None else cols[col]
                       for col, shown in decided.column_totals.items()},
        total=None if decided.total is None else sum(table.values()),
    )


def publish_row(counts: Mapping[K, int], protected: Mapping[K, int],
                threshold: int) -> SuppressedRow[K]:
    """``suppress_row`` decided on the protected parts, showing the whole counts."""
    decided = suppress_row(protected, threshold)
    return SuppressedRow(
        cells={key: None if shown is None else counts[key]
               for key, shown in decided.cells.items()},
        total=None if decided.total is None else sum(counts.values()),
    )


def publish_lines(counts: Mapping[K, int], protected: Mapping[K, int],
                  lines: Sequence[tuple[Sequence[K], K]], threshold: int) -> dict[K, int | None]:
    """``suppress_lines`` decided on the protected parts, showing the whole counts."""
    decided = suppress_lines(protected, lines, threshold)
    return {key: None if decided[key] is None else counts[key] for key in counts}


def publish_count(count: int, protected: int, threshold: int) -> int | None:
    """A count on its own: shown when its protected part is 0 or at least the threshold."""
    return count if protected == 0 or protected >= threshold else None


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise ValueError(f"threshold must be a whole number of at least 2; got {threshold!r}")


@dataclass(frozen=True)
class _Line:
    """Entries (indexes into the values) whose sum is the entry ``total``."""

    parts: tuple[int, ...]
    total: int

    @property
    def entries(self) -> tuple[int, ...]:
        return (*self.parts, self.total)


def _protect(values: list[int], lines: list[_Line], threshold: int, first_total: int) -> list[bool]:
    """Which entries to hide (see ``suppress``). Entries from ``first_total`` on are totals,
    hidden only after cells of the same size."""

    def cost(i: int) -> tuple[int, bool, int]:
        return (values[i], i >= first_total, i)

    hidden = [1 <= v < threshold for v in values]
    _close_lines(values, lines, hidden, cost)
    while (exposed := _first_exposed(values, lines, hidden)) is not None:
        candidates = sorted((i for i, v in enumerate(values) if v and not hidden[i]), key=cost)
        if not candidates:  # cannot happen: with every non-zero entry hidden, doubling fits
            raise RuntimeError("suppression left a count exposed with nothing left to hide")
        # Prefer counts sharing a line with the exposed one; take the first that frees it,
        # else hide the first anyway and look again (each round hides more, so this ends).
        near = {i for line in lines if exposed in line.entries for i in line.entries}
        candidates.sort(key=lambda i: i not in near)
        chosen = None
        for candidate in candidates:
            trial = hidden.copy()
            trial[candidate] = True
            _close_lines(values, lines, trial, cost)
            if not _is_pinned(_Program(values, lines, trial), exposed, set()):
                chosen = trial
                break
        if chosen is None:
            chosen = hidden.copy()
            chosen[candidates[0]] = True
            _close_lines(values, lines, chosen, cost)
        hidden = chosen
    return hidden


def _close_lines(
    values: list[int], lines: list[_Line], hidden: list[bool], cost: Callable[[int], tuple]
) -> None:
    """While a line hides exactly one entry, hide its cheapest other non-zero entry. (Hidden
    entries are not 0 and a line's entries add up, so beside one there is always another.)"""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[i] for i in line.entries) != 1:
                continue
            others = [i for i in line.entries if values[i] and not hidden[i]]
            hidden[min(others, key=cost)] = True
            changed = True


def _first_exposed(values: list[int], lines: list[_Line], hidden: list[bool]) -> int | None:
    """A hidden entry that what is published pins to one value, if any."""
    program = _Program(values, lines, hidden)
    if not program.size:
        return None
    # Any solution that moves an entry away from its true value proves it is not exposed; two
    # programs that push all hidden entries up and then down free most of them at once.
    free = program.moved(program.solve([1.0] * program.size))
    free |= program.moved(program.solve([-1.0] * program.size))
    for entry in program.unknown:
        if entry not in free and _is_pinned(program, entry, free):
            return entry
    return None


def _is_pinned(program: _Program, entry: int, free: set[int]) -> bool:
    """Push the entry up, then down; adds every entry seen to move to ``free``."""
    for direction in (1.0, -1.0):
        solution = program.solve(program.objective(entry, direction))
        if solution is None:  # it can grow without end
            return False
        free |= program.moved(solution)
        if entry in free:
            return False
    return True


class _Program:
    """What a reader can say about the hidden entries, as a linear program: the unknowns are
    the hidden entries, each line with one gives an equation, and each is at least 1."""

    def __init__(self, values: list[int], lines: list[_Line], hidden: list[bool]) -> None:
        self.values = values
        self.unknown = [i for i, h in enumerate(hidden) if h]
        self.size = len(self.unknown)
        self._column = {i: n for n, i in enumerate(self.unknown)}
        self._a_eq: list[list[float]] = []
        self._b_eq: list[float] = []
        for line in lines:
            if not any(hidden[i] for i in line.entries):
                continue
            coefficients = [0.0] * self.size
            known = 0
            for i, sign in [*((part, 1) for part in line.parts), (line.total, -1)]:
                if hidden[i]:
                    coefficients[self._column[i]] = sign
                else:
                    known += sign * values[i]
            self._a_eq.append(coefficients)
            self._b_eq.append(-known)

    def objective(self, entry: int, direction: float) -> list[float]:
        objective = [0.0] * self.size
        objective[self._column[entry]] = direction
        return objective

    def solve(self, objective: list[float]) -> list[float] | None:
        """An optimal solution, or None when the objective is unbounded."""
        result = linprog(
            objective, A_eq=self._a_eq, b_eq=self._b_eq, bounds=(1, None), method="highs"
        )
        if result.status == 3:
            return None
        if result.status != 0:  # the true counts always fit, so this is a bug, not bad input
            raise RuntimeError(f"suppression audit failed: {result.message}")
        return list(result.x)

    def moved(self, solution: list[float] | None) -> set[int]:
        """The hidden entries that a solution puts elsewhere than their true value (none when
        the objective was unbounded: that says some entry can grow, not which)."""
        if solution is None:
            return set()
        return {
            i for i, x in zip(self.unknown, solution, strict=True) if abs(x - self.values[i]) > 0.5
        }
