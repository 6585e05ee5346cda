"""Reconciliation of the load scenario: the rows the database holds against the rows the
scenario's learners should have left, key by key. Pure (no Django, no database), so a
test can check that a missing and a doubled row are both reported.

A key is (kind, learner, item), e.g. ("module completion", "load-learner-0007",
"module 12"); its count is how many rows the database holds for it (or should).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Key = tuple[str, str, str]


@dataclass(frozen=True)
class KindFigures:
    """One row of the "expected vs stored" table."""

    kind: str
    expected: int
    stored: int
    missing: int  # rows short of the expected count, summed over keys
    doubled: int  # rows beyond the expected count for an expected key
    unexpected: int  # rows under keys nobody expected

    @property
    def holds(self) -> bool:
        return self.missing == self.doubled == self.unexpected == 0 and self.expected == self.stored


@dataclass(frozen=True)
class Problem:
    kind: str
    learner: str
    item: str
    expected: int
    stored: int

    def __str__(self) -> str:
        what = ("missing" if self.stored < self.expected
                else "unexpected" if self.expected == 0 else "doubled")
        return (f"{what}: {self.kind} of {self.learner}, {self.item} "
                f"(expected {self.expected}, stored {self.stored})")


@dataclass(frozen=True)
class Reconciliation:
    kinds: tuple[KindFigures, ...]
    problems: tuple[Problem, ...]

    @property
    def holds(self) -> bool:
        return not self.problems and all(kind.holds for kind in self.kinds)


def reconcile(*, expected: Mapping[Key, int], stored: Mapping[Key, int],
              kinds: Iterable[str] = ()) -> Reconciliation:
    """Compare key by key. Every kind in ``kinds`` gets a row even when neither side has
    any (so a kind that vanished entirely still shows, as 0 stored)."""
    order = list(dict.fromkeys([*kinds, *(key[0] for key in expected),
                                *(key[0] for key in stored)]))
    totals = {kind: {"expected": 0, "stored": 0, "missing": 0, "doubled": 0, "unexpected": 0}
              for kind in order}
    problems = []
    for key in sorted(set(expected) | set(stored)):
        want, have = expected.get(key, 0), stored.get(key, 0)
        figures = totals[key[0]]
        figures["expected"] += want
        figures["stored"] += have
        if have < want:
            figures["missing"] += want - have
        elif have > want:
            figures["unexpected" if want == 0 else "doubled"] += have - want
        if have != want:
            problems.append(Problem(*key, expected=want, stored=have))
    return Reconciliation(
        kinds=tuple(KindFigures(kind=kind, **totals[kind]) for kind in order),
        problems=tuple(problems),
    )


def table(reconciliation: Reconciliation, *, show: int = 20) -> str:
    """The "expected vs stored" table, then the first ``show`` problems."""
    width = max([len("kind"), *(len(kind.kind) for kind in reconciliation.kinds)])
    lines = [f"{'kind':<{width}}  {'expected':>8}  {'stored':>8}  {'missing':>7}  "
             f"{'doubled':>7}  {'unexpected':>10}  result"]
    for kind in reconciliation.kinds:
        lines.append(
            f"{kind.kind:<{width}}  {kind.expected:>8,}  {kind.stored:>8,}  {kind.missing:>7,}  "
            f"{kind.doubled:>7,}  {kind.unexpected:>10,}  {'ok' if kind.holds else 'FAIL'}")
    lines += [f"  {problem}" for problem in reconciliation.problems[:show]]
    if len(reconciliation.problems) > show:
        lines.append(f"  ... and {len(reconciliation.problems) - show} more")
    return "\n".join(lines)


def as_json(reconciliation: Reconciliation) -> dict:
    return {
        "holds": reconciliation.holds,
        "kinds": [{**vars(kind), "holds": kind.holds} for kind in reconciliation.kinds],
        "problems": [str(problem) for problem in reconciliation.problems],
    }
