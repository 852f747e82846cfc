"""View Script: the command line and the Python script that do what a wizard or dialog is about to do, to copy or
to save as a file (written in a worker by core.model.files.write_atomic: a crash leaves no half-written script)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.model.files import write_atomic
from gui.tasks import Tasks, describe


def write_script(path: str, text: str) -> str:
    """Worker: the script as a file (UTF-8, ending in a newline; readable by others, as a file saved by an editor)."""
    write_atomic(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"), mode=0o644)
    return path


class ScriptDialog(QDialog):
    saved = Signal(str)  # the path written
    save_failed = Signal(str)  # one line: what could not be written, and why

    def __init__(self, title: str, command_line: str, python: str, parent=None, tasks: Tasks | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view_script")
        self.title = title
        self.tasks = tasks if tasks is not None else Tasks(self, max_threads=1)
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle(self.tr("View Script - {title}").format(title=title))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("These do the same as this window. Run the command in a shell, or save the script and "
                               "run it with <tt>bulkhead script run FILE.py</tt>."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tabs = QTabWidget()
        self.command = self._page(command_line, self.tr("Command line"), self.tr("&Copy command line"), wrap=True,
                                  save=self.tr("&Save..."), suffix="sh")
        self.python = self._page(python, self.tr("Python script"), self.tr("&Copy Python script"), wrap=False,
                                 save=self.tr("Sa&ve..."), suffix="py")
        layout.addWidget(self.tabs)
        self.status = QLabel()
        self.status.setObjectName("script_status")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self._fitting_size(command_line, python))

    def _fitting_size(self, *texts: str):
        """Wide and tall enough to show the script without scrolling where the screen allows (at most 90 % of it,
        at least 640 x 320)."""
        metrics = QFontMetrics(self.python.font())
        lines = [line for text in texts for line in text.splitlines()] or [""]
        width = max(metrics.horizontalAdvance(line) for line in lines) + 90  # frame, margins, scroll bar
        height = metrics.lineSpacing() * max(len(t.splitlines()) for t in texts) + 190  # intro, tabs, buttons
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = self.sizeHint()
        if screen is not None:
            area = screen.availableGeometry()
            width, height = min(width, int(area.width() * 0.9)), min(height, int(area.height() * 0.9))
        size.setWidth(max(640, width))
        size.setHeight(max(320, height))
        return size

    def _page(self, text: str, name: str, copy_text: str, wrap: bool, save: str, suffix: str) -> QPlainTextEdit:
        page = QWidget()
        v = QVBoxLayout(page)
        edit = QPlainTextEdit(text)
        edit.setReadOnly(True)
        edit.setAccessibleName(name)
        edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap)
        v.addWidget(edit)
        row = QHBoxLayout()
        row.addStretch(1)
        copy = QPushButton(copy_text)
        copy.setAccessibleName(copy_text.replace("&", ""))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(edit.toPlainText()))
        row.addWidget(copy)
        save_button = QPushButton(save)
        save_button.setObjectName(f"save_{suffix}")
        save_button.setAccessibleName(save.replace("&", ""))
        save_button.setToolTip(self.tr("Save this as a file") if suffix == "sh" else
                               self.tr("Save this as a Python file (run it with bulkhead script run FILE.py)"))
        save_button.clicked.connect(lambda: self.ask_save(suffix))
        row.addWidget(save_button)
        v.addLayout(row)
        self.tabs.addTab(page, name)
        return edit

    # --- Save... -------------------------------------------------------------------------------------------------
    def text_of(self, suffix: str) -> str:
        return (self.python if suffix == "py" else self.command).toPlainText()

    def suggested_path(self, suffix: str) -> str:
        stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.title.lower()).strip("-") or "script"
        return str(Path.home() / f"{stem}.{suffix}")

    def ask_save(self, suffix: str) -> QFileDialog:
        """A file dialog for the command lines (``sh``) or the Python script (``py``); choosing a file writes it."""
        title = self.tr("Save Command Line") if suffix == "sh" else self.tr("Save Python Script")
        filters = (self.tr("Shell scripts (*.sh);;Text files (*.txt);;All files (*)") if suffix == "sh"
                   else self.tr("Python scripts (*.py);;All files (*)"))
        dialog = QFileDialog(self, title, self.suggested_path(suffix), filters)
        dialog.setObjectName("save_script_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(suffix)
        dialog.fileSelected.connect(lambda path: self.save(suffix, path))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save(self, suffix: str, path: str) -> None:
        """Write the command lines or the Python script to ``path`` in a worker; ``saved`` or ``save_failed``
        follows, and the dialog says which."""
        self._say(self.tr("Saving {path}...").format(path=path))
        self.tasks.run(write_script, path, self.text_of(suffix), owner=self, on_done=self._saved,
                       on_error=lambda e: self._save_failed(path, e))

    def _saved(self, path: str) -> None:
        self._say(self.tr("Saved {path}.").format(path=path))
        self.saved.emit(path)

    def _save_failed(self, path: str, error: BaseException) -> None:
        why = error.strerror if isinstance(error, OSError) and error.strerror else describe(error)
        message = self.tr("Cannot save {path}: {why}").format(path=path, why=why)
        self._say(message)
        self.save_failed.emit(message)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
