"""Fewer points for a curve than it has samples, without losing the newest or the peaks (Qt-free).

pyqtgraph's own downsampling assumes evenly spaced samples and drops the last ``len % factor`` of them (with a
factor of 16 on an hour's window the newest 15 s never showed; with a day's window a VM that had run for a few
minutes showed nothing at all), and a gap anywhere in a chunk blanked the whole chunk. Here samples are grouped by
the pixel column they fall in (columns fixed in time, so a column's figures do not change as the window slides),
each full column becomes its lowest and highest value, and the newest column's samples are kept as they are: what
arrived in the last second is on the graph at once.
"""

from __future__ import annotations

import warnings

import numpy as np


def thin(x: np.ndarray, y: np.ndarray, seconds_per_column: float) -> tuple[np.ndarray, np.ndarray]:
    """At most two points per column of ``seconds_per_column`` (x in seconds, increasing), the last column's samples
    unchanged. A column with no value (NaN: the VM was not running) stays a gap."""
    n = len(x)
    if n < 4 or not seconds_per_column > 0 or n <= 2 * (float(x[-1] - x[0]) / seconds_per_column + 2):
        return x, y
    column = np.floor(x / seconds_per_column)
    tail = int(np.searchsorted(column, column[-1], side="left"))  # the newest column: kept whole
    if tail < 2:
        return x, y
    head = column[:tail]
    starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
    ends = np.r_[starts[1:], tail] - 1
    with warnings.catch_warnings():  # a column of NaN only gives NaN (a gap), which is what is wanted
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.fmin.reduceat(y[:tail], starts)
        high = np.fmax.reduceat(y[:tail], starts)
    out_x = np.empty(2 * len(starts) + n - tail)
    out_y = np.empty_like(out_x)
    out_x[0:2 * len(starts):2] = x[starts]
    out_x[1:2 * len(starts):2] = x[ends]
    out_y[0:2 * len(starts):2] = low  # within one pixel column the order of the two does not show
    out_y[1:2 * len(starts):2] = high
    out_x[2 * len(starts):] = x[tail:]
    out_y[2 * len(starts):] = y[tail:]
    return out_x, out_y
