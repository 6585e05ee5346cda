"""Classical test statistics for item analysis: pure functions over plain numbers.

No Django, no database: ``assessments.reports`` loads the scores and calls these.

- ``facility``: the mean score fraction of an item (0..1); for an item scored right or
  wrong it is the proportion of learners who got it right (the "p-value").
- ``point_biserial``: the Pearson correlation between item scores and total scores. For
  an item scored 0 or 1 it *is* the point-biserial correlation; for partial credit it is
  its natural generalisation. ``corrected_item_total`` correlates the item with the total
  *minus that item* (the corrected item-total correlation), so an item does not inflate
  its own discrimination, which matters on short quizzes.
- ``bands``, ``mean``, ``median``: the score distribution.

Every function returns ``None`` when the figure is undefined (no data, fewer than two
attempts, or a variable that does not vary), never a misleading 0.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Band", "bands", "corrected_item_total", "facility", "mean", "median",
           "point_biserial"]


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def facility(item_scores: Sequence[float]) -> float | None:
    """Mean score fraction (0..1) of an item over the attempts that saw it."""
    return mean(item_scores)


def point_biserial(item_scores: Sequence[float], totals: Sequence[float]) -> float | None:
    """Pearson correlation of item scores with totals; None with fewer than two pairs or
    when either side has zero variance (everyone scored the same)."""
    if len(item_scores) != len(totals):
        raise ValueError("item_scores and totals must have the same length")
    if len(item_scores) < 2:
        return None
    mean_item, mean_total = statistics.fmean(item_scores), statistics.fmean(totals)
    item_dev = [value - mean_item for value in item_scores]
    total_dev = [value - mean_total for value in totals]
    spread_item = math.fsum(d * d for d in item_dev)
    spread_total = math.fsum(d * d for d in total_dev)
    if spread_item <= 1e-12 or spread_total <= 1e-12:
        return None
    covariance = math.fsum(a * b for a, b in zip(item_dev, total_dev, strict=True))
    return max(-1.0, min(1.0, covariance / math.sqrt(spread_item * spread_total)))


def corrected_item_total(item_scores: Sequence[float],
                         rest_scores: Sequence[float]) -> float | None:
    """Discrimination: ``point_biserial`` of the item against the rest of the test
    (the total without this item), as the caller computed it."""
    return point_biserial(item_scores, rest_scores)


@dataclass(frozen=True, slots=True)
class Band:
    """Scores from ``low`` (included) to ``high`` (excluded; the last band includes 100)."""

    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}%"


def bands(percents: Sequence[float], width: int = 10) -> list[Band]:
    """How many scores fall in each band of ``width`` percentage points (0-10 %, …,
    90-100 %); 100 % counts in the last band, out-of-range values are clamped."""
    if width <= 0 or 100 % width:
        raise ValueError("width must divide 100")
    count = 100 // width
    counts = [0] * count
    for percent in percents:
        index = min(max(int(percent // width), 0), count - 1)
        counts[index] += 1
    return [Band(low=i * width, high=(i + 1) * width, count=counts[i]) for i in range(count)]
