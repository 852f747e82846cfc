"""What the benchmarks share to turn timings into figures: percentiles of a list of durations, and a wrapper that
records how long each call of a method takes."""

from __future__ import annotations

import statistics
import time


def stats(values: list[float]) -> dict:
    """n, p50, p99 and max of ``values`` (rounded to 3 places); {"n": 0} for none."""
    if not values:
        return {"n": 0}
    values = sorted(values)
    p99 = values[min(len(values) - 1, int(round(0.99 * (len(values) - 1))))]
    return {"n": len(values), "p50": round(statistics.median(values), 3), "p99": round(p99, 3),
            "max": round(values[-1], 3)}


def timed(record: list[float], fn):
    """Wrap a bound method so each call's duration (ms) lands in ``record``."""

    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            record.append((time.perf_counter() - t0) * 1000)

    return wrapper
