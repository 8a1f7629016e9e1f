"""The figures of outcomes.statistics, each checked against an independent computation: a share's
Wilson interval against statsmodels, Kaplan–Meier against hand-worked product-limit arithmetic
and the empirical CDF, and small-count suppression against a linear program written here from
the table itself (not from the module's own lines)."""

import math
from operator import itemgetter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from statsmodels.stats.proportion import proportion_confint

from outcomes.statistics import (
    bounds_with_dropout,
    kaplan_meier_with_entry,
    proportion,
    suppress,
    suppress_lines,
    suppress_row,
)

# --- Shares ------------------------------------------------------------------------------------


def _count_pairs():
    for n in [*range(1, 41), 57, 100, 333, 1000, 12345]:
        for k in sorted({0, 1, 2, n // 3, n // 2, n - 2, n - 1, n, *range(min(n, 12) + 1)}):
            if 0 <= k <= n:
                yield k, n


def test_it_matches_the_statsmodels_wilson_interval_for_many_counts():
    pairs = list(_count_pairs())
    assert (0, 1) in pairs and (1000, 1000) in pairs
    for k, n in pairs:
        expected_low, expected_high = proportion_confint(k, n, alpha=0.05, method="wilson")
        result = proportion(k, n)
        assert result.share == pytest.approx(k / n, abs=1e-12), (k, n)
        assert result.low == pytest.approx(expected_low, abs=1e-9), (k, n)
        assert result.high == pytest.approx(expected_high, abs=1e-9), (k, n)


def test_it_gives_no_share_when_nobody_answered():
    result = proportion(0, 0)

    assert (result.count, result.total) == (0, 0)
    assert (result.share, result.low, result.high) == (None, None, None)


@pytest.mark.parametrize(
    "k, n, message",
    [
        (3, 2, "exceed"),
        (-1, 4, "negative"),
        (1, -1, "negative"),
        (1.5, 3, "whole"),
        (True, 3, "whole"),
    ],
)
def test_it_refuses_counts_that_cannot_be(k, n, message):
    with pytest.raises(ValueError, match=message):
        proportion(k, n)


def test_it_bounds_a_share_by_the_people_who_stopped_reporting():
    # 40 could answer, 30 did, 12 of them were better, 10 stopped reporting.
    result = bounds_with_dropout(better=12, reporting=30, eligible=40)

    assert (result.eligible, result.reporting, result.dropped) == (40, 30, 10)
    assert result.observed.share == pytest.approx(12 / 30)  # 0.4
    assert result.best.share == pytest.approx((12 + 10) / 40)  # 0.55: all 10 were better
    assert result.worst.share == pytest.approx(12 / 40)  # 0.3: none of the 10 were
    assert (result.best.count, result.best.total) == (22, 40)
    assert (result.worst.count, result.worst.total) == (12, 40)
    for part, (k, n) in [
        (result.observed, (12, 30)),
        (result.best, (22, 40)),
        (result.worst, (12, 40)),
    ]:
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert (part.low, part.high) == (pytest.approx(low), pytest.approx(high))


def test_it_bounds_a_share_when_nobody_is_still_reporting():
    result = bounds_with_dropout(better=0, reporting=0, eligible=8)

    assert result.observed.share is None
    assert (result.worst.share, result.best.share) == (0.0, 1.0)


@pytest.mark.parametrize(
    "better, reporting, eligible",
    [(5, 4, 10), (1, 5, 4), (-1, 5, 10), (1, -5, 10), (0, 0, -1), (1.0, 2, 3)],
)
def test_it_refuses_impossible_dropout_counts(better, reporting, eligible):
    with pytest.raises(ValueError):
        bounds_with_dropout(better, reporting, eligible)


# --- Kaplan–Meier ------------------------------------------------------------------------------


def test_it_follows_the_hand_worked_product_limit_arithmetic():
    # Six people followed from month 0 for 1, 2, 2, 3, 4, 5 months; the event is seen at 1, 2
    # (one of the two), 4 and 5; one person leaves at 2 and one at 3 without it (censored).
    #   t=1: 6 at risk, 1 event          S = 1 * (1 - 1/6)         = 5/6
    #   t=2: 5 at risk, 1 event, 1 left  S = 5/6 * (1 - 1/5)       = 4/6 = 2/3
    #   t=3: 3 at risk, 0 events, 1 left S = 2/3 (unchanged)
    #   t=4: 2 at risk, 1 event          S = 2/3 * (1 - 1/2)       = 1/3
    #   t=5: 1 at risk, 1 event          S = 1/3 * (1 - 1/1)       = 0
    spans = [(0, 1, True), (0, 2, True), (0, 2, False), (0, 3, False), (0, 4, True),
             (0, 5, True)]

    points = kaplan_meier_with_entry(spans, [0, 1, 2, 3, 4, 5])

    assert [p.survival for p in points] == pytest.approx([1, 5 / 6, 2 / 3, 2 / 3, 1 / 3, 0])
    assert [p.followed for p in points] == [6, 6, 5, 3, 2, 1]
    assert all(p.low is None or p.low <= p.survival <= p.high for p in points)


def test_it_equals_one_minus_the_empirical_cdf_without_censoring():
    rng = np.random.default_rng(20240601)
    for size in [1, 2, 7, 30, 200]:
        durations = list(rng.integers(1, 25, size=size).astype(float))  # ties on purpose
        times = sorted(set(durations))

        points = kaplan_meier_with_entry([(0, d, True) for d in durations], times)

        sample = np.array(durations)
        for point in points:
            assert point.survival == pytest.approx(1 - np.mean(sample <= point.time))
            assert point.followed == np.count_nonzero(sample >= point.time)


def test_it_gives_an_empty_curve_for_nobody():
    assert kaplan_meier_with_entry([], [0, 1, 2]) == []


@pytest.mark.parametrize(
    "spans",
    [[(-1, 2, True)], [(3, 2, True)], [(0, math.nan, True)], [(0, math.inf, False)]],
)
def test_it_refuses_spans_that_cannot_be(spans):
    with pytest.raises(ValueError):
        kaplan_meier_with_entry(spans, [0, 1])


# --- Suppression -------------------------------------------------------------------------------

row_of, col_of = itemgetter(0), itemgetter(1)


def _grid(rows):
    return {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row)}


def _two_way(table, result):
    """What a reader of a published two-way table sees and knows, independently of the module.

    Returns ``entries``, mapping a name to (true count, published count or None), and
    ``lines``, the sums a reader knows: (names of the parts, name of their total).
    """
    entries = {("cell", key): (count, result.cells[key]) for key, count in table.items()}
    lines = []
    for kind, line_of, totals in [
        ("row", row_of, result.row_totals),
        ("col", col_of, result.column_totals),
    ]:
        assert set(totals) == {line_of(key) for key in table}
        for line, shown in totals.items():
            parts = [("cell", key) for key in table if line_of(key) == line]
            entries[(kind, line)] = (sum(table[key] for _, key in parts), shown)
            lines.append((parts, (kind, line)))
    entries[("total",)] = (sum(table.values()), result.total)
    for kind in ("row", "col"):
        lines.append(([name for name in entries if name[0] == kind], ("total",)))
    return entries, lines


def _one_way(counts, result):
    entries = {("cell", key): (count, result.cells[key]) for key, count in counts.items()}
    entries[("total",)] = (sum(counts.values()), result.total)
    return entries, [([("cell", key) for key in counts], ("total",))]


def _feasible_ranges(entries, lines, at_least=None):
    """Least and greatest value of each hidden count, as a reader could work them out.

    The reader sees every published count and knows every line's sum, and that a hidden count
    is at least 1 (zeros are always published). Hidden counts all look alike, so the reader
    cannot tell a small one from one hidden to protect it: no other bound. `at_least` gives
    another least value for some (0 for a count that is never published, only implied).
    """
    at_least = at_least or {}
    unknown = [name for name, (_, shown) in entries.items() if shown is None]
    if not unknown:
        return {}
    column = {name: i for i, name in enumerate(unknown)}
    a_eq, b_eq = [], []
    for parts, total in lines:
        coefficients, rhs = [0.0] * len(unknown), 0.0
        for name, sign in [*((part, 1) for part in parts), (total, -1)]:
            if name in column:
                coefficients[column[name]] += sign
            else:
                rhs -= sign * entries[name][1]
        a_eq.append(coefficients)
        b_eq.append(rhs)
    ranges = {}
    for name in unknown:
        ends = []
        for direction in (1, -1):
            objective = [0.0] * len(unknown)
            objective[column[name]] = direction
            solved = linprog(objective, A_eq=a_eq, b_eq=b_eq,
                             bounds=[(at_least.get(name, 1), None) for name in unknown],
                             method="highs")
            assert solved.status in (0, 3), solved.message  # 2 would mean the truth does not fit
            ends.append(math.inf if solved.status == 3 else direction * solved.fun)
        ranges[name] = tuple(ends)
    return ranges


def _check_nothing_small_is_published(entries, threshold):
    """(a) No count, cell or total, from 1 to threshold - 1 is published."""
    for name, (_, shown) in entries.items():
        assert shown is None or not 1 <= shown < threshold, name


def _check_lines_hide_none_or_two(entries, lines):
    """(b) With a published total, a line hiding exactly one count gives it away: it is the
    total minus the published counts, while two or more hidden counts share that one equation.
    Necessary but not sufficient (sums over several lines, and knowing that a hidden count is
    at least 1, can still pin one down), hence also _check_no_hidden_count_is_pinned."""
    for parts, total in lines:
        hidden = sum(entries[name][1] is None for name in parts)
        assert entries[total][1] is None or hidden != 1, (total, hidden)


def _check_no_hidden_count_is_pinned(entries, lines):
    """(b, the real criterion) No hidden count has only one possible value."""
    for name, (low, high) in _feasible_ranges(entries, lines).items():
        # The sums form a network, so the extremes are whole numbers and every whole number
        # between is possible: high - low >= 1 leaves at least two candidates.
        assert high - low >= 1 - 1e-6, (name, entries[name], low, high)


def _check_published_counts_are_true(entries):
    """(c) What is published is the true count, and zeros, which reveal nobody, always are."""
    for name, (true, shown) in entries.items():
        assert shown is None or shown == true, name
        assert true != 0 or shown == 0, name


def _check_publishable(entries, lines, threshold):
    _check_nothing_small_is_published(entries, threshold)
    _check_lines_hide_none_or_two(entries, lines)
    _check_no_hidden_count_is_pinned(entries, lines)
    _check_published_counts_are_true(entries)


@st.composite
def tables(draw):
    n_rows, n_cols = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    # Mix in a narrower range so small counts (the interesting ones) turn up often.
    count = st.one_of(st.integers(0, 9), st.integers(0, 40))
    counts = draw(st.lists(count, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    table = {(r, c): counts[r * n_cols + c] for r in range(n_rows) for c in range(n_cols)}
    return table, draw(st.sampled_from([5, 10]))


suppression_settings = settings(max_examples=150, deadline=None)


@suppression_settings
@given(tables())
def test_it_never_publishes_a_count_from_one_to_below_the_threshold(case):
    table, threshold = case
    result = suppress(table, row_of, col_of, threshold)

    _check_nothing_small_is_published(_two_way(table, result)[0], threshold)


@suppression_settings
@given(tables())
def test_it_hides_none_or_at_least_two_counts_in_a_line_with_a_published_total(case):
    table, threshold = case
    result = suppress(table, row_of, col_of, threshold)

    _check_lines_hide_none_or_two(*_two_way(table, result))


@suppression_settings
@given(tables())
def test_it_leaves_every_hidden_count_more_than_one_possible_value(case):
    table, threshold = case
    result = suppress(table, row_of, col_of, threshold)

    _check_no_hidden_count_is_pinned(*_two_way(table, result))


@suppression_settings
@given(tables())
def test_it_publishes_the_true_counts_and_every_zero(case):
    table, threshold = case
    result = suppress(table, row_of, col_of, threshold)

    assert result.cells.keys() == table.keys()
    _check_published_counts_are_true(_two_way(table, result)[0])


def test_it_publishes_a_table_without_small_counts_unchanged():
    table = _grid([[12, 0, 30], [7, 9, 0]])

    result = suppress(table, row_of, col_of, threshold=5)

    assert dict(result.cells) == table
    assert dict(result.row_totals) == {0: 42, 1: 16}
    assert dict(result.column_totals) == {0: 19, 1: 9, 2: 30}
    assert result.total == 58


def test_it_hides_the_smallest_other_cells_to_protect_a_small_one():
    table = _grid([[3, 20, 8], [15, 6, 40], [11, 30, 9]])

    result = suppress(table, row_of, col_of, threshold=5)

    # The 3 is small; its row's smallest other cell is 8, its column's 11; the 8's column then
    # needs the 9 and the 11's row needs the 9 too.
    assert [key for key, shown in result.cells.items() if shown is None] == [
        (0, 0),
        (0, 2),
        (2, 0),
        (2, 2),
    ]
    assert result.total == sum(table.values())


def test_it_completes_a_rectangle_and_keeps_every_total():
    # 7 and 4 are small and share row 2. Column 0 then hides only the 7, so its smallest other
    # cell, 20, goes too; column 1 likewise loses its 30. Row 0 now hides two, and every line
    # hides none or two: each hidden cell can move by one around the rectangle.
    table = _grid([[20, 30, 0], [30, 0, 30], [7, 4, 0]])

    result = suppress(table, row_of, col_of, threshold=5)

    assert [key for key, shown in result.cells.items() if shown is None] == [
        (0, 0),
        (0, 1),
        (2, 0),
        (2, 1),
    ]
    assert list(result.row_totals.values()) == [50, 60, 11]
    assert list(result.column_totals.values()) == [57, 34, 30]
    assert result.total == 121
    _check_publishable(*_two_way(table, result), 5)


def test_it_hides_a_cell_that_joins_two_hidden_blocks():
    # Two blocks of small cells, each hiding two cells in each of its rows and columns, and a
    # small cell (1, 2) joining them: every row and column hides two or more, yet
    # rows 0 + 1 minus columns 0 + 1 leaves (1, 2) alone. More must be hidden.
    table = _grid(
        [
            [1, 2, 0, 0, 20],
            [3, 4, 1, 0, 20],
            [0, 0, 2, 1, 20],
            [0, 0, 3, 4, 20],
            [20, 20, 20, 20, 20],
        ]
    )

    result = suppress(table, row_of, col_of, threshold=5)

    assert sum(shown is None for shown in result.cells.values()) > 9
    _check_publishable(*_two_way(table, result), 5)


def test_it_hides_more_when_two_small_counts_add_up_to_two():
    # Hidden 1 and 1 in a row of 22 beside a published 20 add up to 2, and neither is 0 (zeros
    # are published): both are 1. The 20 must go too.
    counts = {"better": 1, "no change": 1, "worse": 20}

    result = suppress_row(counts, threshold=5)

    assert dict(result.cells) == {"better": None, "no change": None, "worse": None}
    assert result.total == 22
    _check_publishable(*_one_way(counts, result), 5)


def test_it_hides_only_the_small_counts_when_they_leave_room():
    # Hidden 4 and 4 add up to 8: each could be anything from 1 to 7.
    counts = {"better": 4, "no change": 4, "worse": 20}

    result = suppress_row(counts, threshold=5)

    assert dict(result.cells) == {"better": None, "no change": None, "worse": 20}
    assert result.total == 28


def test_it_hides_a_row_total_below_the_threshold():
    counts = {"better": 1, "no change": 1, "worse": 1, "much worse": 1, "other": 0}

    result = suppress_row(counts, threshold=5)

    assert dict(result.cells) == {
        **dict.fromkeys(["better", "no change", "worse", "much worse"]),
        "other": 0,
    }
    assert result.total is None


def test_it_hides_a_small_total_and_another_to_protect_it():
    # Row 0 adds up to 3: its total is hidden, and so must be another row total, or the grand
    # total minus the other row totals would give it back.
    table = _grid([[2, 1, 0], [20, 30, 40], [25, 35, 45]])

    result = suppress(table, row_of, col_of, threshold=5)

    assert result.row_totals[0] is None
    assert sum(total is None for total in result.row_totals.values()) >= 2 or result.total is None
    _check_publishable(*_two_way(table, result), 5)


@st.composite
def rows(draw):
    counts = draw(
        st.lists(st.one_of(st.integers(0, 9), st.integers(0, 40)), min_size=1, max_size=8)
    )
    return {f"category {i}": count for i, count in enumerate(counts)}, draw(
        st.sampled_from([5, 10])
    )


@suppression_settings
@given(rows())
def test_it_protects_a_one_way_table_the_same_way(case):
    counts, threshold = case
    result = suppress_row(counts, threshold)

    assert result.cells.keys() == counts.keys()
    _check_publishable(*_one_way(counts, result), threshold)


@pytest.mark.parametrize(
    "table, threshold",
    [
        ({(0, 0): 5, (0, 1): 6}, 1),
        ({(0, 0): 5}, 5.0),
        ({(0, 0): -1, (0, 1): 6}, 5),
        ({(0, 0): 2.5}, 5),
    ],
)
def test_it_refuses_tables_and_thresholds_that_cannot_be(table, threshold):
    with pytest.raises(ValueError):
        suppress(table, row_of, col_of, threshold)


def test_it_refuses_two_keys_in_the_same_row_and_column():
    with pytest.raises(ValueError, match="share row"):
        suppress({"a": 5, "b": 6}, lambda key: 0, lambda key: 0, threshold=5)


@st.composite
def nested_time_points(draw):
    """A time point's counts: better + not better = reported; reported + no result = could
    have reported (the over-time table)."""
    count = st.one_of(st.integers(0, 9), st.integers(0, 40))
    better, not_better, no_result = draw(count), draw(count), draw(count)
    return {"better": better, "not_better": not_better, "no_result": no_result,
            "reported": better + not_better,
            "eligible": better + not_better + no_result}, draw(st.sampled_from([5, 10]))


NESTED_LINES = [(("better", "not_better"), "reported"), (("reported", "no_result"), "eligible")]


@suppression_settings
@given(nested_time_points())
def test_it_protects_a_table_of_nested_sums(case):
    counts, threshold = case
    result = suppress_lines(counts, NESTED_LINES, threshold)

    entries = {key: (counts[key], result[key]) for key in counts}
    _check_publishable(entries, [(list(parts), total) for parts, total in NESTED_LINES],
                       threshold)


def test_it_hides_a_reported_count_that_two_published_counts_would_give_away():
    # 19 could have reported, 12 gave no result, 7 reported: 19 - 12 must not give the 7.
    result = suppress_lines({"better": 0, "not_better": 7, "no_result": 12, "reported": 7,
                             "eligible": 19}, NESTED_LINES, 10)

    assert result["reported"] is None and result["not_better"] is None
    assert result["no_result"] is None or result["eligible"] is None


def test_it_refuses_lines_that_do_not_add_up():
    with pytest.raises(ValueError, match="do not add up"):
        suppress_lines({"a": 1, "b": 2, "t": 4}, [(("a", "b"), "t")], 10)


def test_late_entry_follows_the_hand_worked_product_limit():
    # Three people from month 0; two more join at month 4. Events at 2 (1 of 3 at risk) and
    # at 5 (1 of the 4 then at risk: the 2 left from the start and the 2 who joined).
    spans = [(0, 2, True), (0, 6, False), (0, 7, False), (4, 5, True), (4, 8, False)]

    points = {p.time: p for p in kaplan_meier_with_entry(spans, [0, 1, 2, 3, 4, 5, 6, 8])}

    assert points[1].survival == pytest.approx(1.0)
    assert points[2].survival == pytest.approx(2 / 3)
    assert points[5].survival == pytest.approx(2 / 3 * 3 / 4)
    assert (points[0].followed, points[4].followed, points[8].followed) == (3, 4, 1)
    # Joining late adds nothing before joining: the same curve as without them up to month 4.
    early = {p.time: p for p in kaplan_meier_with_entry(spans[:3], [0, 2, 4])}
    assert early[4].survival == pytest.approx(points[4].survival)
