"""The grade ledger folded into a score: pure, no ORM (relate's idea).

Each question's latest grade change wins, so an educator's override (appended later)
replaces the automatic grade without rewriting history.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Protocol


class GradeRow(Protocol):
    question_id: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True, slots=True)
class Score:
    points: Decimal
    max_points: Decimal

    @property
    def percent(self) -> Decimal:
        if not self.max_points:
            return Decimal("0.00")
        return (self.points * 100 / self.max_points).quantize(Decimal("0.01"), ROUND_DOWN)


def fold(changes: Iterable[GradeRow]) -> Score:
    """The score of an attempt from its grade changes, oldest first."""
    latest: dict[str, GradeRow] = {}
    for change in changes:
        latest[change.question_id] = change
    return Score(
        points=sum((row.points for row in latest.values()), Decimal(0)),
        max_points=sum((row.max_points for row in latest.values()), Decimal(0)),
    )
