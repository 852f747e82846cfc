"""Samples of one target (a VM or the host) kept for a graph: times and one numpy column per metric, appended in
time order and trimmed to the shown window (Qt-free).

Appending is amortised O(1): the arrays grow by doubling and are compacted when the trimmed part is large, so a
refresh never copies the whole history. ``times()`` and ``column()`` return views, not copies.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

NAN = float("nan")


def number(value) -> float:
    """A metric value as a float: None (no value this tick) becomes NaN, which graphs leave as a gap."""
    if value is None:
        return NAN
    try:
        return float(value)
    except (TypeError, ValueError):
        return NAN


class Series:
    def __init__(self, metrics: Iterable[str], capacity: int = 256) -> None:
        self.metrics = tuple(metrics)
        self._t = np.empty(capacity)
        self._v = {m: np.empty(capacity) for m in self.metrics}
        self._start = 0
        self._end = 0

    def __len__(self) -> int:
        return self._end - self._start

    @property
    def last_t(self) -> float:
        return float(self._t[self._end - 1]) if self._end > self._start else -math.inf

    def clear(self) -> None:
        self._start = self._end = 0

    def replace(self, t: list[float], series: Mapping[str, list]) -> None:
        """Everything from a ``metrics_history`` answer (its ``t`` and ``series``)."""
        n = len(t)
        capacity = max(256, 1 << (n + 64).bit_length())
        self._t = np.empty(capacity)
        self._t[:n] = np.asarray(t, dtype=np.float64)
        self._v = {}
        for m in self.metrics:
            col = np.full(capacity, np.nan)
            values = series.get(m)
            if values is not None and len(values) == n:
                col[:n] = np.array([number(x) for x in values], dtype=np.float64)
            self._v[m] = col
        self._start, self._end = 0, n

    def append(self, t: float, values: Mapping[str, object]) -> bool:
        """One sample; one at or before the last is ignored (history and live events overlap). True if taken."""
        if t <= self.last_t:
            return False
        if self._end == len(self._t):
            self._make_room()
        i = self._end
        self._t[i] = t
        for m, col in self._v.items():
            col[i] = number(values.get(m))
        self._end = i + 1
        return True

    def _make_room(self) -> None:
        n = len(self)
        if self._start >= len(self._t) // 2:  # half of it is trimmed away: slide down instead of growing
            self._t[:n] = self._t[self._start:self._end]
            for col in self._v.values():
                col[:n] = col[self._start:self._end]
        else:
            self._t = np.concatenate([self._t[self._start:self._end], np.empty(len(self._t))])
            self._v = {m: np.concatenate([c[self._start:self._end], np.full(len(c), np.nan)])
                       for m, c in self._v.items()}
        self._start, self._end = 0, n

    def trim(self, since: float) -> None:
        """Forget samples older than ``since``."""
        if self._end > self._start and self._t[self._start] < since:
            self._start += int(np.searchsorted(self._t[self._start:self._end], since, side="left"))

    def times(self) -> np.ndarray:
        return self._t[self._start:self._end]

    def column(self, metric: str) -> np.ndarray:
        col = self._v.get(metric)
        return col[self._start:self._end] if col is not None else np.full(len(self), np.nan)

    def index_at(self, t: float) -> int | None:
        """The sample nearest to time ``t`` (None when empty)."""
        times = self.times()
        if not len(times):
            return None
        i = int(np.searchsorted(times, t))
        if i >= len(times):
            return len(times) - 1
        if i > 0 and t - times[i - 1] < times[i] - t:
            return i - 1
        return i

    def value(self, metric: str, index: int) -> float:
        return float(self.column(metric)[index])


def sum_histories(histories: list[dict], metrics: Iterable[str]) -> tuple[list[float], dict[str, list]]:
    """Add up several targets' ``metrics_history`` answers sample by sample. Every target of one tick carries the
    same time stamp (one bulk sample per tick), so samples are matched by time; a time with no value anywhere
    stays None."""
    metrics = tuple(metrics)
    totals: dict[float, list] = {}
    for h in histories:
        series = h.get("series") or {}
        for i, t in enumerate(h.get("t") or []):
            row = totals.get(t)
            if row is None:
                row = totals[t] = [None] * len(metrics)
            for j, m in enumerate(metrics):
                values = series.get(m)
                v = values[i] if values is not None and i < len(values) else None
                if v is not None:
                    row[j] = v if row[j] is None else row[j] + v
    times = sorted(totals)
    return times, {m: [totals[t][j] for t in times] for j, m in enumerate(metrics)}
