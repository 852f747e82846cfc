"""The shown graph data as CSV (no widgets): one row per sample time, one column per target and metric, raw units."""

from __future__ import annotations

import csv
import io
import math
import os
import time

import numpy as np

from core.model.files import write_atomic
from gui.performance.panels import Panel


def table(targets: list[tuple[str, object]], panels: tuple[Panel, ...] | dict, since: float) -> tuple[list[str], list]:
    """Header and rows for ``targets``: [(label, Series)], each drawn with ``panels`` (or {label: panels}).
    Rows are copied out of the series, so writing can happen on another thread."""
    header = ["time", "epoch"]
    columns = []
    for label, series in targets:
        target_panels = panels[label] if isinstance(panels, dict) else panels
        for panel in target_panels:
            for line in panel.lines:
                unit = {"B/s": "bytes/s", "MiB": "bytes"}.get(line.unit, line.unit)
                header.append(f"{label} {line.metric} ({unit})" if unit else f"{label} {line.metric}")
                columns.append((series, line.metric))
    times = sorted({float(t) for _label, s in targets for t in s.times() if t >= since})
    rows = []
    index = {id(s): {float(t): i for i, t in enumerate(s.times())} for _label, s in targets}
    cols = {(id(s), m): np.array(s.column(m)) for s, m in columns}
    for t in times:
        row = [time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) + f".{int(t * 1000) % 1000:03d}", f"{t:.3f}"]
        for series, metric in columns:
            i = index[id(series)].get(t)
            v = float(cols[(id(series), metric)][i]) if i is not None else math.nan
            row.append("" if math.isnan(v) else f"{v:.6g}")
        rows.append(row)
    return header, rows


def write_csv(path: str | os.PathLike, header: list[str], rows: list) -> int:
    """Write atomically (core.model.files: a temporary file beside it, then a rename); returns the number of data
    rows."""

    def write(f) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(rows)
        text.flush()
        text.detach()

    write_atomic(path, write)
    return len(rows)
