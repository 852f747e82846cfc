"""Summary: everything chosen, the last precheck with those choices (an error disables Finish), and the prediction -
total time, data to send, rounds, downtime against its limit, and whether it will converge - from the VM's measured
dirty rate and the link's bandwidth, asked for again every second while the page is open (the dirty rate changes).
View Script shows the command line and the Python script of the move; Finish starts it."""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from gui import format as fmt
from gui import operations as ops
from gui import placement_words
from gui.tasks import describe
from gui.vmstates import state_text
from gui.widgets.builders import facts_table, rich_label
from gui.widgets.field_message import WrappedLabel
from gui.widgets.named import named

from ..new_vm.common import Page
from . import bulk
from .precheck import LIBVIRT_OWN, blocking
from .select_host import transfer_text

PREDICT_MS = 1000


class SummaryPage(Page):
    def __init__(self, wizard) -> None:
        super().__init__(wizard, self.tr("Summary"), self.tr("Check what will happen. Back changes it; Finish starts "
                                                             "the move."), self.tr("Summary"), layout=QVBoxLayout)
        self.choices = rich_label("move_summary")
        self.box.addWidget(self.choices)
        box = QGroupBox(self.tr("Prediction"))
        v = QVBoxLayout(box)
        self.prediction_text = rich_label("prediction")
        v.addWidget(self.prediction_text)
        self.updated = QLabel()
        self.updated.setObjectName("prediction_updated")
        v.addWidget(self.updated)
        self.box.addWidget(box)
        self.checks = named(WrappedLabel(), "final_check")
        self.box.addWidget(self.checks)
        self.summary_foot(self.box, self.tr("&View Script..."),
                          self.tr("Show the command line and the Python script that make this move"), "move_error")
        self.prediction: dict | None = None
        self.predictions = 0  # answers shown (one a second while the page is open)
        self.result: dict | None = None  # the last precheck
        self.checking = False
        self._timer = QTimer(self, interval=PREDICT_MS, timeout=self.predict)
        self.choices.setWhatsThis(self.tr("What the move will do, as chosen on the pages before; Back changes it."))
        self.prediction_text.setWhatsThis(self.tr("The move's predicted total time, data to send, pre-copy rounds and "
                                                  "downtime, asked again every second from the VM's current dirty "
                                                  "rate (bulkhead vm move --predict)."))

    # --- the page ------------------------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.choices.setText(facts_table(self.rows()))
        self.error.clear()
        self.prediction_text.setText(self.tr("Predicting..."))
        self.updated.setText("")
        self.check()
        self.predict()
        self._timer.start()

    def cleanupPage(self) -> None:
        self._timer.stop()
        super().cleanupPage()

    def stop(self) -> None:
        self._timer.stop()

    def rows(self) -> list[tuple[str, str]]:
        wiz = self.wiz
        t = wiz.transfer_page
        kind = t.chosen()
        opts = t.options()
        machine = wiz.names_text() if wiz.bulk else f"{wiz.vm['name']} ({state_text(wiz.vm.get('state', ''))})"
        rows = [(self.tr("Virtual machines") if wiz.bulk else self.tr("Virtual machine"), machine),
                (self.tr("From"), wiz.session.host_label),
                (self.tr("To"), wiz.destination.host_label if wiz.destination else "-"),
                (self.tr("Transfer type"), (transfer_text(kind) + (self.tr(" (the automatic choice)")
                                                                   if kind == t.automatic()[0] else "")) if kind
                 else ", ".join(f"{n}: {transfer_text(t.automatic_for(n)[0])}" for n in wiz.names))]
        if wiz.paths_page in wiz.flow():
            path = wiz.paths_page.path_value()
            rows.append((self.tr("Folder"), path or self.tr("the destination's own folder for VMs")))
            if kind != "storage":
                mapping = wiz.paths_page.network_map()
                adapters = list(wiz.paths_page.maps)
                rows.append((self.tr("Networks"), ", ".join(
                    f"{a} \u2192 {mapping.get(a, a)}" for a in adapters) or self.tr("no adapter connected")))
        if wiz.is_libvirt:
            rows.append((self.tr("Disks"), self.tr("copied") if opts["copy_storage"] else self.tr("shared")))
        else:
            rows.append((self.tr("Bandwidth limit"), fmt.rate(opts["bandwidth"]) if opts["bandwidth"]
                         else self.tr("No limit")))
            if kind == "live":
                rows.append((self.tr("Downtime limit"), fmt.duration(opts["downtime_limit"])))
                rows.append((self.tr("Auto-converge"), self.tr("On") if opts["auto_converge"] else self.tr("Off")))
        return rows

    # --- the last precheck ---------------------------------------------------------------------------------------
    def check(self) -> None:
        self.checking = True
        self.result = None
        self.checks.setText(self.tr("Checking the move once more with these choices..."))
        self.wiz.precheck_op(self.wiz.destination.conn, self, "final-check").success(self._checked).failure(
            self._check_failed).run()
        self.changed()

    def _checked(self, result: dict) -> None:
        self.checking = False
        self.result = result
        errors = self.errors(result)
        warnings = [r for r in result.get("rows") or [] if r.get("severity") == "warning"]
        if errors:
            hint = placement_words.text(errors[0].get("hint") or "")
            self.checks.setText(self.tr("\u26a0 The move cannot start: {text}").format(
                text=placement_words.text(errors[0].get("text", "")) + (f" ({hint})" if hint else "")))
        elif warnings:
            self.checks.setText(self.tr("Precheck: {count} warnings, no errors: {text}").format(
                count=len(warnings), text=placement_words.text(warnings[0].get("text", ""))))
        else:
            self.checks.setText(self.tr("Precheck: no problems found."))
        self.changed()

    def _check_failed(self, error: BaseException) -> None:
        self.checking = False
        self.result = {"rows": [{"severity": "error", "topic": "host", "text": describe(error), "hint": ""}]}
        self.checks.setText(self.tr("\u26a0 The move could not be checked: {why}").format(why=describe(error)))
        self.changed()

    def errors(self, result: dict) -> list[dict]:
        """The errors that stop the move (a libvirt domain's networks are libvirt's to check)."""
        return blocking(result.get("rows") or [], LIBVIRT_OWN if self.wiz.is_libvirt else ())

    # --- the prediction ------------------------------------------------------------------------------------------
    def predict(self) -> None:
        if self.wiz.destination is None or self.wiz.currentPage() is not self:
            self._timer.stop()
            return
        t = self.wiz.transfer_page
        opts = t.options()
        kind = t.chosen()
        if self.wiz.bulk:
            params = {n: {"type": t.type_for(n), "bandwidth": opts["bandwidth"] or None,
                          "downtime_limit": opts["downtime_limit"]} for n in self.wiz.names}
            bulk.predict(self.wiz.session, params, self.wiz.destination.conn, owner=self, key="predict").success(
                lambda p: self._predicted(p, self._several_html)).failure(self._not_predicted).run()
            return
        ops.move.predict(self.wiz.session, self.wiz.vm["name"], self.wiz.destination.conn,
                         type=kind if kind in ("live", "quick", "storage", "network") else "auto",
                         bandwidth=opts["bandwidth"] or None, downtime_limit=opts["downtime_limit"], owner=self,
                         key="predict").success(lambda p: self._predicted(p, self._one_html)).failure(
            self._not_predicted).run()

    def _predicted(self, p: dict, html) -> None:
        """An answer of the prediction, shown while the page is open: ``html(p)`` is what it shows."""
        if self.wiz.currentPage() is not self:
            return
        self.prediction = p
        self.predictions += 1
        self.prediction_text.setText(html(p))
        self.updated.setText(self.tr("Updated {time}; asked again every second while this page is open").format(
            time=time.strftime("%H:%M:%S")))

    def _one_html(self, p: dict) -> str:
        limit = p.get("downtime_limit")
        downtime = fmt.duration(p.get("downtime_s"))
        if p.get("type") == "live" and isinstance(limit, (int, float)):
            downtime = self.tr("{downtime} (limit {limit})").format(downtime=downtime, limit=fmt.duration(limit))
        rows = [(self.tr("Total time"), fmt.duration(p.get("total_s"))),
                (self.tr("Data to send"), fmt.size(p.get("data_bytes")) or "-"),
                (self.tr("Rounds"), str(p.get("rounds")) if p.get("rounds") is not None else "-"),
                (self.tr("Downtime"), downtime)]
        if p.get("converges") is False:
            why = p.get("reason") or self.tr("it will not converge")
            hint = p.get("hint") or ""
            rows.append((self.tr("Converges"), self.tr("No: {why}").format(why=why) + (f" ({hint})" if hint else "")))
        elif p.get("type") == "live":
            rows.append((self.tr("Converges"), self.tr("Yes")))
        source = {"measured": self.tr("measured"), "given": self.tr("your limit"), "assumed": self.tr("assumed")}.get(
            p.get("bandwidth_source"), p.get("bandwidth_source") or "")
        measured = (p.get("measured") or {}).get("dirty_rate")
        basis = self.tr("dirty rate {dirty} ({how}), bandwidth {bandwidth} ({source})").format(
            dirty=fmt.rate(p.get("dirty_rate")), how=self.tr("measured") if measured else self.tr("assumed"),
            bandwidth=fmt.rate(p.get("bandwidth")), source=source)
        rows.append((self.tr("Based on"), basis))
        html = facts_table(rows)
        notes = [n for n in p.get("notes") or [] if isinstance(n, str)]
        if notes:
            html += "<p style='margin-top:2px'>" + "<br>".join(escape(placement_words.text(n)) for n in notes) + "</p>"
        return html

    def _several_html(self, p: dict) -> str:
        """Several VMs: each one's prediction, and their total (the moves run one after another)."""
        head = (self.tr("Virtual machine"), self.tr("Total time"), self.tr("Data to send"), self.tr("Rounds"),
                self.tr("Downtime"))
        lines = []
        for name, one in (p.get("per_vm") or {}).items():
            rounds = one.get("rounds")
            lines.append((name, fmt.duration(one.get("total_s")), fmt.size(one.get("data_bytes")) or "-",
                          str(rounds) if rounds is not None else "-", fmt.duration(one.get("downtime_s"))))
        lines.append((self.tr("All, one after another"), fmt.duration(p.get("total_s")),
                      fmt.size(p.get("data_bytes")) or "-", str(p["rounds"]) if p.get("rounds") is not None else "-",
                      self.tr("at most {downtime}").format(downtime=fmt.duration(p.get("downtime_s")))))
        html = "<table cellspacing='3'><tr>" + "".join(f"<th align='left'>{escape(h)}</th>" for h in head) + "</tr>"
        html += "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in lines)
        html += "</table>"
        if not p.get("converges", True):
            warning = self.tr("At least one of the live moves will not converge with these limits.")
            html += "<p>" + escape(warning) + "</p>"
        return html

    def show_run(self) -> None:
        """The moves of several VMs as they run, one after another (Finish started them)."""
        run = self.wiz.run
        if run is None:
            return
        words = {"waiting": self.tr("waiting"), "starting": self.tr("starting..."), "running": self.tr("moving..."),
                 "Completed": self.tr("moved"), "Failed": self.tr("failed"), "Cancelled": self.tr("cancelled: it "
                                                                                                   "carries on at the "
                                                                                                   "source"),
                 "skipped": self.tr("skipped")}
        lines = []
        for name in run.names:
            state = run.states[name]
            text = self.tr("{name}: {state}").format(name=name, state=words.get(state, state))
            if run.errors.get(name):
                text += f" ({run.errors[name]})"
            lines.append(text)
        done = sum(1 for s in run.states.values() if s == "Completed")
        head = self.tr("{done} of {count} moved").format(done=done, count=len(run.names)) if run.finished() else \
            self.tr("Moving one after another (Cancel stops the running move and skips the rest):")
        self.error.set_info(head + "\n" + "\n".join(lines))

    def _not_predicted(self, error: BaseException) -> None:
        if self.wiz.currentPage() is self:
            self.prediction_text.setText(escape(self.tr("No prediction: {why}").format(why=describe(error))))

    # --- Finish --------------------------------------------------------------------------------------------------
    def problem(self) -> str | None:
        if self.checking or self.result is None:
            return self.tr("Checking the move...")
        errors = self.errors(self.result)
        return errors[0].get("text", "") if errors else None
