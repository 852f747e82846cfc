"""View Script: the command line and the Python script that do what a wizard or dialog is about to do."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)


class ScriptDialog(QDialog):
    def __init__(self, title: str, command_line: str, python: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("view_script")
        self.setWindowTitle(self.tr("View Script - {title}").format(title=title))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("These do the same as this window. Run the command in a shell, or save the script and "
                               "run it with <tt>bulkhead script run FILE.py</tt>."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tabs = QTabWidget()
        self.command = self._page(command_line, self.tr("Command line"), self.tr("&Copy command line"), wrap=True)
        self.python = self._page(python, self.tr("Python script"), self.tr("&Copy Python script"), wrap=False)
        layout.addWidget(self.tabs)
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

    def _page(self, text: str, name: str, copy_text: str, wrap: bool) -> QPlainTextEdit:
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
        v.addLayout(row)
        self.tabs.addTab(page, name)
        return edit
