"""Export of what the Performance view shows: its data as CSV and its graphs as PNG, written in a worker (a mixin of
PerformanceView)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from gui.i18n import translate
from gui.performance import export
from gui.tasks import describe


class Exporting:
    def csv_table(self) -> tuple[list[str], list]:
        since = time.time() - self.window_seconds
        targets = [(self.target_name(t), self.series[t]) for t in self.targets if t in self.series]
        return export.table(targets, self._panels, since)

    def export_csv(self, path: str) -> None:
        """Write the shown data (copied here, written in a worker); ``exported`` says when it is done."""
        header, rows = self.csv_table()
        self._write(export.write_csv, path, header, rows)

    def export_png(self, path: str) -> None:
        image = self.graphics.grab().toImage()  # painting belongs to the GUI thread; encoding does not

        def save(p: str) -> None:
            if not image.save(p, "PNG"):
                raise OSError(translate("PerformanceView", "cannot write {path}").format(path=p))

        self._write(save, path)

    def _write(self, fn, path: str, *args) -> None:
        if self.session is None:
            fn(path, *args)
            self.exported.emit(path)
            return
        self.session.tasks.run(fn, path, *args, owner=self, on_done=lambda _r: self.exported.emit(path),
                               on_error=lambda e: self.export_failed.emit(translate(
                                   "PerformanceView", "Cannot write {path}: {why}").format(path=path, why=describe(e))))

    def _suggested(self, suffix: str) -> str:
        names = "-".join(self.target_name(t) for t in self.targets) or "performance"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return str(Path.home() / f"{names}-{stamp}.{suffix}")

    def _ask(self, title: str, suffix: str, filters: str, then: Callable[[str], None]) -> None:
        dialog = QFileDialog(self, title, self._suggested(suffix), filters)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(then)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        dialog.open()

    def _ask_csv(self) -> None:
        self._ask(translate("PerformanceView", "Export Performance Data"), "csv",
                  translate("PerformanceView", "CSV files (*.csv)"), self.export_csv)

    def _ask_png(self) -> None:
        self._ask(translate("PerformanceView", "Export Performance Graphs"), "png",
                  translate("PerformanceView", "PNG images (*.png)"), self.export_png)

