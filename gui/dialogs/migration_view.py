"""A move while it runs, and after: live graphs (pyqtgraph) of the bytes sent and still to send, the dirty rate
against the bandwidth, and the expected downtime against its limit, from the job's ``vm.move.progress`` events;
the phase (prepare, pre-copy round N, stop-and-copy, finish and confirm); Cancel while it runs (the VM carries on
at the source); and once it has ended, the predicted and the actual time, downtime, data and rounds side by side.

It reads nothing itself: the events come through the session's event bridge, the job's state through its jobs
model, and a move that ended before the view opened is drawn from its result's rounds. The curves are redrawn at
most ten times a second, whatever the rate of events."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from gui import format as fmt
from gui import operations as ops
from gui.models.jobs import FINISHED
from gui.tasks import describe
from gui.widgets.builders import add_message, close_buttons, push_button
from gui.widgets.field_message import WrappedLabel

MOVE_JOBS = ("Migrate VM", "Move VM", "Move VM storage")
REDRAW_MS = 100
COLORS = {"remaining": "#d62728", "sent": "#1f77b4", "dirty": "#ff7f0e", "bandwidth": "#2ca02c",
          "downtime": "#9467bd", "limit": "#7f7f7f"}
# predictions made in this console, by (host key, job id): the view opened again later still shows them
PREDICTIONS: dict[tuple[str, int], dict] = {}


def is_move(job: dict) -> bool:
    return job.get("name") in MOVE_JOBS


def rounds_to_events(result: dict) -> list[dict]:
    """A finished move's rounds (its job result) as the progress events it sent."""
    out, t, sent = [], 0.0, 0
    rounds = result.get("rounds")
    for r in rounds if isinstance(rounds, list) else []:
        if not isinstance(r, dict):
            continue
        t += float(r.get("duration_s") or 0.0)
        sent += int(r.get("sent_bytes") or 0)
        out.append({"phase": "memory", "round": r.get("round"), "t": t, "sent": sent,
                    "remaining": int(r.get("remaining_bytes") or 0), "dirty_rate": r.get("dirty_rate") or 0,
                    "bandwidth": r.get("bandwidth") or 0, "expected_downtime": r.get("expected_downtime_s")})
    return out


class MigrationView(QDialog):
    def __init__(self, session, job: dict, events: list[dict] | None = None, prediction: dict | None = None,
                 destination: str = "", downtime_limit: float | None = None, started: float | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.job = dict(job)
        self.job_id = job["id"]
        key = (session.host_key, self.job_id)
        if prediction:
            PREDICTIONS[key] = prediction
        self.prediction = prediction or PREDICTIONS.get(key)
        self.destination = destination
        limit = downtime_limit if downtime_limit is not None else (self.prediction or {}).get("downtime_limit")
        self.limit = limit if isinstance(limit, (int, float)) else None
        self.points: list[dict] = []
        self.started = started  # monotonic seconds when the move was asked for (its graphs start there)
        self._t0: float | None = None
        self._dirty = False
        self.events_seen = 0
        name = job.get("target_name") or job.get("target") or ""
        self.setObjectName("migration_view")
        self.setWindowTitle(self.tr("{job} {name}").format(job=job.get("name", ""), name=name))
        layout = QVBoxLayout(self)
        where = self.tr("Moving {name} to {host}").format(name=name, host=destination) if destination else \
            self.tr("Moving {name}").format(name=name)
        self.heading = WrappedLabel(f"<b>{where}</b>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        self.phase = QLabel()
        self.phase.setObjectName("migration_phase")
        layout.addWidget(self.phase)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(self.tr("Progress"))
        layout.addWidget(self.progress)
        self.graphs = pg.GraphicsLayoutWidget()
        self.graphs.setObjectName("migration_graphs")
        self.graphs.setBackground(self.palette().color(self.backgroundRole()))
        self.graphs.setMinimumHeight(420)
        layout.addWidget(self.graphs, 1)
        self.curves: dict = {}
        QTimer.singleShot(0, self, self._build_plots)  # after the dialog shows: the plots are the slow part
        self.result = QTreeWidget()
        self.result.setObjectName("migration_result")
        self.result.setAccessibleName(self.tr("Predicted and actual"))
        self.result.setRootIsDecorated(False)
        self.result.setHeaderLabels([self.tr("Figure"), self.tr("Predicted"), self.tr("Actual")])
        self.result.header().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.result.setMaximumHeight(self.result.fontMetrics().height() * 6 + 12)
        self.result.hide()
        layout.addWidget(self.result)
        self.message = add_message(layout, "migration_message")
        self.cancel_button = push_button(self.tr("&Cancel Move"), "cancel_move", self.cancel,
                                         self.tr("Stop the move: the VM carries on at the source, unchanged"))
        close_buttons(self, layout, self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._timer = QTimer(self, interval=REDRAW_MS, timeout=self._redraw)
        self._timer.start()
        session.bridge.batch.connect(self._events)
        model = session.jobs_model
        for signal in (model.dataChanged, model.rowsInserted, model.modelReset):
            signal.connect(self._model_changed)
        for e in events or []:
            self.add_event(e)
        known = model.job(self.job_id)
        self.show_job(known or self.job)
        self.resize(760, 720)

    # --- the plots -------------------------------------------------------------------------------------------------
    def _build_plots(self) -> None:
        if self.curves:
            return
        def plot(row: int, title: str, unit: str):
            p = self.graphs.addPlot(row=row, col=0)
            p.setTitle(title, size="9pt")
            p.setLabel("left", units=unit)
            bottom = p.getAxis("bottom")
            bottom.enableAutoSIPrefix(False)
            p.setLabel("bottom", self.tr("seconds since the move began"))
            legend = p.addLegend(offset=(6, 2), labelTextSize="8pt", colCount=2)
            legend.setBrush(pg.mkBrush(255, 255, 255, 170))
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            return p

        def curve(p, key: str, name: str, style=Qt.PenStyle.SolidLine):
            return p.plot([], [], name=name, pen=pg.mkPen(COLORS[key], width=2, style=style), symbol="o",
                          symbolSize=5, symbolBrush=COLORS[key], symbolPen=None)

        self.memory_plot = plot(0, self.tr("Memory: sent and still to send"), "B")
        self.curves = {"remaining": curve(self.memory_plot, "remaining", self.tr("to send")),
                       "sent": curve(self.memory_plot, "sent", self.tr("sent"))}
        self.rate_plot = plot(1, self.tr("Dirty rate and bandwidth"), "B/s")
        self.curves["dirty"] = curve(self.rate_plot, "dirty", self.tr("dirty rate"))
        self.curves["bandwidth"] = curve(self.rate_plot, "bandwidth", self.tr("bandwidth"))
        self.downtime_plot = plot(2, self.tr("Expected downtime"), "s")
        self.curves["downtime"] = curve(self.downtime_plot, "downtime", self.tr("expected downtime"))
        self.limit_line = None
        if self.limit is not None:
            self.limit_line = pg.InfiniteLine(pos=self.limit, angle=0, pen=pg.mkPen(COLORS["limit"], width=1.5,
                                                                                    style=Qt.PenStyle.DashLine),
                                              label=self.tr("limit {ms} ms").format(ms=f"{self.limit * 1000:.0f}"),
                                              labelOpts={"position": 0.1, "color": COLORS["limit"]})
            self.downtime_plot.addItem(self.limit_line)
        self._dirty = True
        self._redraw()

    def _redraw(self) -> None:
        if not self._dirty or not self.curves:
            return
        self._dirty = False
        t = [p["t"] for p in self.points]
        for key, field in (("remaining", "remaining"), ("sent", "sent"), ("dirty", "dirty_rate"),
                           ("bandwidth", "bandwidth")):
            self.curves[key].setData(t, [float(p.get(field) or 0) for p in self.points])
        shown = [(p["t"], float(p["expected_downtime"])) for p in self.points
                 if isinstance(p.get("expected_downtime"), (int, float))]
        self.curves["downtime"].setData([x for x, _ in shown], [y for _, y in shown])

    # --- events and the job ----------------------------------------------------------------------------------------
    def _events(self, batch: list) -> None:
        for kind, data in batch:
            if kind == "vm.move.progress" and data.get("job") == self.job_id:
                self.add_event(data)

    def add_event(self, data: dict) -> None:
        """One progress event; ``at`` (monotonic seconds) is when it arrived, if it was kept for later."""
        if "t" not in data:
            now = data.get("at") or time.monotonic()
            if self._t0 is None:
                self._t0 = self.started or now
            data = dict(data, t=round(max(0.0, now - self._t0), 3))
        self.points.append(data)
        self.events_seen += 1
        self._dirty = True
        if self.job.get("state") not in FINISHED:
            self.phase.setText(self.phase_text(data))

    def phase_text(self, e: dict | None) -> str:
        if e is None:
            return self.tr("Phase: prepare (the destination checks and reserves)")
        if e.get("phase") == "files":
            return self.tr("Phase: copying files ({sent} of {total})").format(
                sent=fmt.size(e.get("sent") or 0), total=fmt.size((e.get("sent") or 0) + (e.get("remaining") or 0)))
        expected = e.get("expected_downtime")
        if self.limit is not None and isinstance(expected, (int, float)) and expected <= self.limit:
            return self.tr("Phase: stop-and-copy (round {n} fits the downtime limit), then finish and confirm"
                           ).format(n=e.get("round"))
        return self.tr("Phase: pre-copy round {n}: {remaining} to send").format(
            n=e.get("round"), remaining=fmt.size(e.get("remaining") or 0))

    def _model_changed(self, *_args) -> None:
        job = self.session.jobs_model.job(self.job_id)
        if job is not None and job != self.job:
            self.show_job(job)

    def show_job(self, job: dict) -> None:
        self.job = dict(job)
        state = job.get("state")
        self.progress.setValue(100 if state == "Completed" else int(job.get("progress") or 0))
        running = state not in FINISHED
        self.cancel_button.setVisible(running and bool(job.get("cancellable", True)))
        if running:
            self.phase.setText(self.phase_text(self.points[-1] if self.points else None))
            return
        result = job.get("result") if isinstance(job.get("result"), dict) else {}
        if not self.points and isinstance(result.get("rounds"), list):
            for e in rounds_to_events(result):
                self.add_event(e)
        self._redraw()
        if state == "Completed":
            where = result.get("state") or self.tr("moved")
            self.phase.setText(self.tr("Done: {name} {where}").format(name=job.get("target_name", ""), where=where))
            self.message.clear()
        elif state == "Cancelled":
            self.phase.setText(self.tr("Cancelled: the VM carries on at the source"))
        else:
            self.phase.setText(self.tr("Failed: the VM stays at the source"))
            self.message.set_error(job.get("error") or self.tr("the move failed"))
        self.show_result(result if state == "Completed" else {})

    def show_result(self, result: dict) -> None:
        """Predicted and actual side by side (the prediction this console made, or the one the job keeps)."""
        p = self.prediction or result.get("prediction") or result.get("predicted") or {}
        if not p and not result:
            return
        rounds = result.get("rounds")
        actual_total = result.get("total_s", result.get("time_seconds"))
        downtime = result.get("downtime_s", result.get("pause_s"))
        if downtime is None and isinstance(result.get("downtime_ms"), (int, float)):
            downtime = result["downtime_ms"] / 1000

        def took(seconds) -> str:
            return fmt.duration(seconds, ms_below=10)

        rows = [(self.tr("Total time"), took(p.get("total_s")), took(actual_total)),
                (self.tr("Downtime"), took(p.get("downtime_s")), took(downtime)),
                (self.tr("Data sent"), fmt.size(p.get("data_bytes")) or "-",
                 fmt.size(result.get("bytes_sent", result.get("sent_bytes"))) or "-"),
                (self.tr("Rounds"), str(p["rounds"]) if p.get("rounds") is not None else "-",
                 str(len(rounds)) if isinstance(rounds, list) else str(result.get("rounds") or "-"))]
        self.result.clear()
        for row in rows:
            self.result.addTopLevelItem(QTreeWidgetItem(list(row)))
        self.result.show()

    def figures(self) -> dict[str, tuple[str, str]]:
        """{figure: (predicted, actual)} as shown (tests and screen readers)."""
        out = {}
        for i in range(self.result.topLevelItemCount()):
            item = self.result.topLevelItem(i)
            out[item.text(0)] = (item.text(1), item.text(2))
        return out

    # --- Cancel ----------------------------------------------------------------------------------------------------
    def cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.message.set_info(self.tr("Cancelling the move..."))
        ops.jobs.cancel(self.session, self.job_id, owner=self).success(self._cancelled).failure(
            self._cancel_failed).run()

    def _cancelled(self, job) -> None:
        self.cancel_button.setEnabled(True)
        if isinstance(job, dict):
            self.session.jobs_model.upsert(job)
        elif hasattr(job, "to_dict"):
            self.session.jobs_model.upsert(job.to_dict())

    def _cancel_failed(self, error: BaseException) -> None:
        self.cancel_button.setEnabled(True)
        self.message.set_error(self.tr("Cannot cancel: {why}").format(why=describe(error)))

    def done(self, r: int) -> None:
        self._timer.stop()
        try:
            self.session.bridge.batch.disconnect(self._events)
        except (RuntimeError, TypeError):
            pass
        super().done(r)
