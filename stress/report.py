"""Figures each phase reports, and the summary table printed at the end."""

import math
from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    name: str
    value: object
    # What the figure must be ("0", "> 0", "ok"); empty when it is only reported.
    must: str = ""

    @property
    def failed(self) -> bool:
        if not self.must:
            return False
        if self.must == "0":
            return self.value != 0
        if self.must == "> 0":
            return not (isinstance(self.value, int | float) and self.value > 0)
        if self.must == "ok":
            return not str(self.value).startswith("ok")
        raise ValueError(f"unknown rule {self.must!r}")


@dataclass
class PhaseResult:
    phase: str
    database: str
    seconds: float = 0.0
    figures: list[Figure] = field(default_factory=list)
    # A few examples behind any figure that is not what it must be, to start looking from.
    examples: list[str] = field(default_factory=list)
    error: str = ""

    def add(self, name: str, value, must: str = "") -> None:
        self.figures.append(Figure(name, value, must))

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(figure.failed for figure in self.figures)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "PhaseResult":
        figures = [Figure(**figure) for figure in data.pop("figures")]
        return cls(figures=figures, **data)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `fraction` of the values
    at or below it (no interpolation, so it is always a latency that was measured)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summary_table(results: list[PhaseResult]) -> str:
    rows = [("phase", "database", "figure", "value", "must be", "")]
    for result in results:
        label = f"{result.phase} ({result.seconds:.0f} s)"
        if result.error:
            rows.append((label, result.database, "phase did not finish", result.error[:60],
                         "finished", "FAIL"))
        for figure in result.figures:
            rows.append((label, result.database, figure.name, _shown(figure.value),
                         figure.must, "FAIL" if figure.failed else ""))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                          strict=True)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if not math.isnan(value) else "-"
    return str(value)
