"""A small terminal for a VM's serial console: guest output is drawn as text (backspace, carriage return and escape
sequences handled the way the bundled guest's shell uses them), keys are turned into the bytes a serial terminal
would send and handed out through ``typed`` — the connection window sends them to the guest."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

SCROLLBACK = 5000  # lines
# the first words a booting guest prints: where one appears after other text on a line (a reset while the shell's
# prompt was shown: no newline came first), it starts a line of its own
BOOT_BANNERS = re.compile(r"Bulkhead guest kernel \d|Linux version \d|SeaBIOS \(version ")
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")
_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Backspace: "\x7f", Qt.Key.Key_Tab: "\t",
         Qt.Key.Key_Escape: "\x1b", Qt.Key.Key_Up: "\x1b[A", Qt.Key.Key_Down: "\x1b[B", Qt.Key.Key_Right: "\x1b[C",
         Qt.Key.Key_Left: "\x1b[D", Qt.Key.Key_Home: "\x1b[H", Qt.Key.Key_End: "\x1b[F", Qt.Key.Key_Delete: "\x1b[3~"}


def _local_key(event: QKeyEvent) -> bool:
    """Keys the console keeps for itself: Ctrl+Shift+C/V (copy, paste), Ctrl+Alt shortcuts, Ctrl+Tab (focus)."""
    mods = event.modifiers()
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    if ctrl and mods & Qt.KeyboardModifier.AltModifier:
        return True
    if ctrl and mods & Qt.KeyboardModifier.ShiftModifier and event.key() in (Qt.Key.Key_C, Qt.Key.Key_V):
        return True
    return ctrl and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class Terminal(QPlainTextEdit):
    typed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("terminal")
        self.setAccessibleName(self.tr("Serial console"))
        self.setAccessibleDescription(self.tr("Guest output; keys you type go to the guest. Ctrl+Shift+C copies, "
                                              "Ctrl+Shift+V pastes, Ctrl+Tab leaves the console."))
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setMaximumBlockCount(SCROLLBACK)
        self.setUndoRedoEnabled(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.setCursorWidth(max(2, self.fontMetrics().horizontalAdvance("M")))
        self.accepting_input = True
        self._pending_escape = ""
        self._break_next = False  # the next output starts a new line (end_line while a line was open)

    # --- output --------------------------------------------------------------------------------------------------
    def feed(self, text: str) -> None:
        """Show guest output."""
        if not text:
            return
        text = self._pending_escape + text
        self._pending_escape = ""
        cut = text.rfind("\x1b")
        if cut != -1 and not _ESCAPE.match(text, cut) and len(text) - cut < 16:
            text, self._pending_escape = text[:cut], text[cut:]  # an escape sequence split across chunks
        text = _ESCAPE.sub("", text)
        bar = self.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        first_block = cursor.blockNumber()
        run = []
        if self._break_next:
            self._break_next = False
            if cursor.positionInBlock() > 0 and not text.startswith("\n"):
                run.append("\n")
        for ch in text:
            if ch == "\b":
                if run:
                    if run[-1] != "\n":
                        run.pop()
                    continue
                if cursor.positionInBlock() > 0:
                    cursor.deletePreviousChar()
            elif ch == "\r":
                continue  # the guest ends lines with "\n"; a lone CR would only rewrite the line
            elif ch == "\n" or ch == "\t" or ch >= " ":
                run.append(ch)
        if run:
            cursor.insertText("".join(run))
            self._split_banners(first_block)
            cursor.movePosition(QTextCursor.MoveOperation.End)
        self.setTextCursor(cursor)
        if at_bottom:
            bar.setValue(bar.maximum())

    def _split_banners(self, first_block: int) -> None:
        """Start a boot banner on a line of its own where it follows other text on its line."""
        block = self.document().findBlockByNumber(max(0, first_block))
        while block.isValid():
            match = next((m for m in BOOT_BANNERS.finditer(block.text()) if m.start() > 0), None)
            if match is None:
                block = block.next()
                continue
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + match.start())
            cursor.insertText("\n")
            block = cursor.block()  # the banner's own line: look further along it

    def end_line(self) -> None:
        """The guest starts afresh (it boots): whatever it prints next begins a new line."""
        self._break_next = True

    def text(self) -> str:
        return self.toPlainText()

    # --- input ---------------------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # take keys before window shortcuts do (Ctrl+D, Ctrl+C ... belong to the guest), except the console's own
        if event.type() == QEvent.Type.ShortcutOverride and not _local_key(event):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        if event.modifiers() == ctrl_shift and event.key() == Qt.Key.Key_C:
            self.copy()
            return
        if event.modifiers() == ctrl_shift and event.key() == Qt.Key.Key_V:
            self.paste_clipboard()
            return
        if _local_key(event):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.focusNextPrevChild(event.key() == Qt.Key.Key_Tab
                                        and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            else:
                event.ignore()
            return
        data = self.key_bytes(event)
        if data:
            self.typed.emit(data)
        event.accept()

    @staticmethod
    def key_bytes(event: QKeyEvent) -> str:
        key = event.key()
        if key in _KEYS:
            return _KEYS[key]
        mods = event.modifiers()
        if mods & Qt.KeyboardModifier.ControlModifier and Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            return chr(key - Qt.Key.Key_A + 1)
        if mods & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_BracketRight:
            return "\x1d"
        text = event.text()
        return text if text and (text >= " " or text in "\t") else ""

    def paste_clipboard(self) -> None:
        text = QGuiApplication.clipboard().text()
        if text:
            self.typed.emit(text.replace("\r\n", "\r").replace("\n", "\r"))

    def inputMethodEvent(self, event) -> None:
        if event.commitString():
            self.typed.emit(event.commitString())
        event.accept()

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.typed.emit(source.text().replace("\r\n", "\r").replace("\n", "\r"))
