"""Virtual Machine Connection: the VM's serial console in a terminal, a toolbar of lifecycle actions and a status
bar with its state and uptime.

The terminal starts with the console history (``operations.vm.console_history``) and then follows ``vm.console``
events; keys go to the guest (``operations.vm.console_send``), one request in flight at a time so they arrive in
the order typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStyle, QToolBar, QWidget

from gui import format as fmt
from gui import operations as ops
from gui import vmstates
from gui.i18n import QT_TRANSLATE_NOOP
from gui.tasks import describe
from gui.widgets.named import named
from gui.widgets.terminal import Terminal

# Ctrl+Alt+key: the plain Ctrl+key combinations belong to the guest's shell
SHORTCUTS = {"start": "Ctrl+Alt+S", "turn_off": "Ctrl+Alt+O", "shut_down": "Ctrl+Alt+D", "save": "Ctrl+Alt+A",
             "pause_resume": "Ctrl+Alt+P", "reset": "Ctrl+Alt+E"}
INPUT_STATES = ("Running", "Paused")
REMOVED = "Removed"  # what the window shows once its VM is gone
BOOTING_FROM = ("Off", "Saved", "Critical", "Stopping", REMOVED)  # a start from these boots the guest afresh
SIZE = QSize(820, 520)
FRAME = QSize(16, 48)  # room for the window manager's frame before the window is shown (it is measured after)
# the toolbar: key (an operation, or pause_resume), label, icon
TOOLBAR = (("start", QT_TRANSLATE_NOOP("ConnectionWindow", "Start"), QStyle.StandardPixmap.SP_MediaPlay),
           ("turn_off", QT_TRANSLATE_NOOP("ConnectionWindow", "Turn Off"), QStyle.StandardPixmap.SP_BrowserStop),
           ("shut_down", QT_TRANSLATE_NOOP("ConnectionWindow", "Shut Down"), QStyle.StandardPixmap.SP_MediaStop),
           ("save", QT_TRANSLATE_NOOP("ConnectionWindow", "Save"), QStyle.StandardPixmap.SP_DialogSaveButton),
           ("pause_resume", QT_TRANSLATE_NOOP("ConnectionWindow", "Pause"), QStyle.StandardPixmap.SP_MediaPause),
           ("reset", QT_TRANSLATE_NOOP("ConnectionWindow", "Reset"), QStyle.StandardPixmap.SP_BrowserReload))


class ConsoleSender:
    """Keeps typed text in order: one console_send in flight, what is typed meanwhile goes in the next one."""

    def __init__(self, session, vm_id: str, on_error: Callable[[str], None]) -> None:
        self.session = session
        self.vm_id = vm_id
        self.on_error = on_error
        self.buffer = ""
        self.busy = False
        self.sent = 0

    def send(self, data: str) -> None:
        self.buffer += data
        self._next()

    def _next(self) -> None:
        if self.busy or not self.buffer:
            return
        data, self.buffer = self.buffer, ""
        self.busy = True
        ops.vm.console_send(self.session, self.vm_id, data).success(self._done).failure(self._failed).run()

    def _done(self, _n) -> None:
        self.busy = False
        self.sent += 1
        self._next()

    def _failed(self, error: BaseException) -> None:
        self.busy = False
        self.buffer = ""
        self.on_error(describe(error))


class ConnectionWindow(QMainWindow):
    closed = Signal(str)

    def __init__(self, session, vm_id: str, run_operation: Callable[[str, list[dict], object], None],
                 parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.vm_id = vm_id
        self.run_operation = run_operation
        self.setObjectName("connection_window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.terminal = Terminal()
        self.setCentralWidget(self.terminal)
        self.sender = ConsoleSender(session, vm_id, self._send_failed)
        self.terminal.typed.connect(self._typed)
        self.toolbar_actions: dict[str, QAction] = {}
        bar = QToolBar(self.tr("Virtual machine"))
        bar.setObjectName("connection_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setMovable(False)
        for key, text, icon in TOOLBAR:
            action = QAction(self.style().standardIcon(icon), self.tr(text), self)
            action.setObjectName(f"conn_{key}")
            action.setShortcut(QKeySequence(SHORTCUTS[key]))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, k=key: self._trigger(k))
            bar.addAction(action)
            self.toolbar_actions[key] = action
        self.addToolBar(bar)
        self.state_label = named(QLabel(), "connection_state", self.tr("State"))
        self.uptime_label = named(QLabel(), "connection_uptime", self.tr("Uptime"))
        self.hint = QLabel()
        self.hint.setObjectName("connection_hint")
        self.statusBar().addWidget(self.state_label)
        self.statusBar().addWidget(self.uptime_label)
        self.statusBar().addPermanentWidget(self.hint)
        self._uptime_base = (0.0, 0.0)  # (uptime, monotonic time it was read)
        self._tick = QTimer(self, interval=1000, timeout=self._show_uptime)
        self._tick.start()
        self._history_loaded = False
        self._early: list[str] = []
        session.console.connect(self._console)
        session.watch_console(vm_id)
        session.vms_changed.connect(self.update_vm)
        self.resize(SIZE)
        self._last_state = self.vm.get("state", "")
        self.update_vm()
        self.load_history()

    @property
    def vm(self) -> dict:
        return self.session.vm_model.vm(self.vm_id) or {"id": self.vm_id, "name": "?", "state": REMOVED}

    # --- console -------------------------------------------------------------------------------------------------
    def load_history(self) -> None:
        ops.vm.console_history(self.session, self.vm_id, owner=self).success(self._history).failure(
            lambda e: self._history_failed(describe(e))).run()

    def _history(self, text: str) -> None:
        early, self._early = self._early, []
        self._history_loaded = True
        self.terminal.feed(text)
        # output that arrived while the history was on its way may or may not be part of it: add what is not
        for k in range(len(early), 0, -1):
            if text.endswith("".join(early[:k])):
                early = early[k:]
                break
        self.terminal.feed("".join(early))

    def _history_failed(self, message: str) -> None:
        self._history_loaded = True
        self.terminal.feed("".join(self._early))
        self._early = []
        self.statusBar().showMessage(self.tr("Console history unavailable: {error}").format(error=message), 10_000)

    def _console(self, vm_id: str, data: str) -> None:
        if vm_id != self.vm_id:
            return
        if self._history_loaded:
            self.terminal.feed(data)
        else:
            self._early.append(data)

    def _typed(self, data: str) -> None:
        if self.vm.get("state") not in INPUT_STATES:
            self.statusBar().showMessage(self.tr("{name} is {state}: start it to type in its console").format(
                name=self.vm["name"], state=vmstates.state_text(self.vm.get("state", ""))), 5000)
            return
        self.sender.send(data)

    def _send_failed(self, message: str) -> None:
        self.statusBar().showMessage(self.tr("Not sent: {error}").format(error=message), 8000)

    # --- state ---------------------------------------------------------------------------------------------------
    def update_vm(self) -> None:
        vm = self.vm
        state = vm.get("state", "")
        if state != self._last_state:
            if state in ("Starting", "Running") and self._last_state in BOOTING_FROM:
                self.terminal.end_line()  # the guest boots: its banner starts a line of its own
            self._last_state = state
        host = self.session.host_label or self.tr("host")
        self.setWindowTitle(self.tr("{name} on {host} - Virtual Machine Connection").format(name=vm.get("name"),
                                                                                             host=host))
        reason = f": {vm['reason']}" if vm.get("reason") else ""
        self.state_label.setText(self.tr("Status: {state}").format(state=vmstates.state_text(state) + reason))
        self._uptime_base = (float(vm.get("uptime") or 0.0), time.monotonic())
        self._show_uptime()
        self.hint.setText(self.tr("Keys go to the guest - Ctrl+Shift+C copy, Ctrl+Shift+V paste")
                          if state in INPUT_STATES else self.tr("{name} is {state}").format(
                              name=vm.get("name"), state=vmstates.state_text(state)))
        for key, action in self.toolbar_actions.items():
            op = key
            if key == "pause_resume":
                op = "resume" if state == "Paused" else "pause"
                action.setText(self.tr("Resume") if op == "resume" else self.tr("Pause"))
                action.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward
                                                         if op == "resume" else QStyle.StandardPixmap.SP_MediaPause))
            av = vmstates.availability(op, [vm]) if state != REMOVED else None
            enabled = bool(av and av.enabled)
            action.setEnabled(enabled)
            tip = av.tooltip if av else self.tr("{name} no longer exists").format(name=vm.get("name"))
            action.setToolTip(f"{tip} ({SHORTCUTS[key]})")

    def _show_uptime(self) -> None:
        uptime, at = self._uptime_base
        if self.vm.get("state") == "Running" and uptime:
            uptime += time.monotonic() - at
        self.uptime_label.setText(self.tr("Uptime: {uptime}").format(uptime=fmt.uptime(uptime) or "-"))

    def _trigger(self, key: str) -> None:
        vm = self.vm
        if key == "pause_resume":
            key = "resume" if vm.get("state") == "Paused" else "pause"
        self.run_operation(key, [vm], self, session=self.session)

    # --- placing ---------------------------------------------------------------------------------------------------
    def place_on_screen(self, anchor: QWidget | None = None) -> None:
        """Open over ``anchor`` (the main window), offset like a cascade, and wholly inside the screen's available
        area (task bars and panels left out): never partly below the screen."""
        screen = (anchor.screen() if anchor is not None else None) or QGuiApplication.screenAt(QCursor.pos()) \
            or QGuiApplication.primaryScreen()
        if screen is None:
            return
        self.setGeometry(placed(screen.availableGeometry(), SIZE, FRAME,
                                anchor.frameGeometry() if anchor is not None and anchor.isVisible() else None))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._keep_on_screen)  # the frame is known now

    def _keep_on_screen(self) -> None:
        screen = self.screen()
        if screen is None:
            return
        area, frame = screen.availableGeometry(), self.frameGeometry()
        if area.contains(frame):
            return
        extra = QSize(frame.width() - self.width(), frame.height() - self.height())
        inner = placed(area, self.size(), extra, None, QPoint(frame.x(), frame.y()))
        self.setGeometry(inner)

    def closeEvent(self, event) -> None:
        self._tick.stop()
        self.session.watch_console(self.vm_id, False)
        try:
            self.session.console.disconnect(self._console)
            self.session.vms_changed.disconnect(self.update_vm)
        except (RuntimeError, TypeError):
            pass
        self.closed.emit(self.vm_id)
        super().closeEvent(event)


def placed(area: QRect, size: QSize, frame: QSize, anchor: QRect | None = None, at: QPoint | None = None) -> QRect:
    """The client geometry of a window of ``size`` (plus a ``frame`` of that size) inside ``area``: over the
    anchor's upper left part, offset by 40 px, or at ``at``; shrunk where the area is smaller, moved up and left
    where it would cross the area's lower or right edge."""
    width = min(size.width(), max(200, area.width() - frame.width()))
    height = min(size.height(), max(150, area.height() - frame.height()))
    if at is not None:
        x, y = at.x(), at.y()
    elif anchor is not None:
        x, y = anchor.x() + 40, anchor.y() + 40
    else:
        x = area.x() + (area.width() - width - frame.width()) // 2
        y = area.y() + (area.height() - height - frame.height()) // 2
    x = max(area.left(), min(x, area.right() + 1 - width - frame.width()))
    y = max(area.top(), min(y, area.bottom() + 1 - height - frame.height()))
    left = frame.width() // 2
    top = frame.height() - left  # most of the frame is the title bar, above the client area
    return QRect(x + left, y + top, width, height)
