"""The treatment date as people give it: a year, and the month when they know it."""

import datetime


def earliest_treatment_day(year: int | None, month: int | None) -> datetime.date | None:
    """The first day the treatment can have been: the 1st of its month, or 1 January when only
    the year is known. A report dated before it is refused on entry and never counted
    (docs/analysis-plan.md)."""
    if not isinstance(year, int) or not 1900 <= year <= 2200:
        return None
    if isinstance(month, int) and 1 <= month <= 12:
        return datetime.date(year, month, 1)
    return datetime.date(year, 1, 1)
