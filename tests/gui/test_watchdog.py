"""The GUI thread never waits on the host: with a connection whose every call takes 2 s, a 10 ms timer keeps
firing on time while the window connects, refreshes, runs actions, shows a VM's performance history, opens the
wizard and types into a console."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWizard

from .call_proxy import CallProxy
from .conftest import make_vms, trigger, vm_by_name, wait_state

DELAY = 2.0
MAX_STALL = 0.100


class SlowConnection(CallProxy):
    """The real connection, but every call takes DELAY seconds longer (a far-away or overloaded host)."""

    def __init__(self, conn, delay: float = DELAY) -> None:
        super().__init__(conn)
        self._delay = delay

    def before(self, name: str) -> None:
        time.sleep(self._delay)


class Watchdog:
    def __init__(self) -> None:
        self.max_gap = 0.0
        self.ticks = 0
        self._last = time.monotonic()
        self.timer = QTimer(interval=10, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.monotonic()
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.max_gap = max(self.max_gap, now - self._last)
        self._last = now
        self.ticks += 1


def test_event_loop_never_stalls_with_a_slow_host(make_window, conn, qtbot):
    make_vms(conn, "web1", "web2")
    conn.start_vm("web2").wait(check=True)
    slow = SlowConnection(conn)
    dog = Watchdog()
    window = make_window(slow, wait=False)  # builds and shows the window, then connects in the background
    dog.start()
    s = window.session
    qtbot.waitUntil(lambda: s.loaded and bool(s.host), timeout=20_000)
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.table)

    # a lifecycle action, a console with typing, the wizard with View Script: all while every call takes 2 s
    # (the test pauses between steps as a person would; each step alone must leave the loop free)
    window.select_vms(["web1"])
    trigger(qtbot, window, "start")
    qtbot.wait(20)
    web2 = vm_by_name(s, "web2")["id"]
    cw = window.open_connection(web2)
    qtbot.wait(20)
    qtbot.keyClicks(cw.terminal, "echo slow")
    qtbot.keyClick(cw.terminal, Qt.Key.Key_Return)
    qtbot.wait(20)
    window.select_vms(["web2"])
    view = window.show_performance()  # its history comes from a worker: the slow host delays it, nothing waits
    qtbot.wait(20)
    wiz = window.open_wizard()
    qtbot.wait(20)
    wiz.name_page.name.setText("web3")
    while wiz.currentPage() is not wiz.summary_page:
        wiz.next()
        qtbot.wait(20)
    wiz.show_script()
    trigger(qtbot, window, "refresh")

    wait_state(qtbot, s, "web1", "Running", timeout=20_000)
    qtbot.waitUntil(lambda: "echo slow\nslow\n" in cw.terminal.text(), timeout=20_000)
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=20_000)
    qtbot.waitUntil(lambda: not view.loading and len(view.series[web2]) > 0, timeout=20_000)
    wiz.script_dialog.close()
    wiz.button(QWizard.WizardButton.FinishButton).click()
    wait_state(qtbot, s, "web3", "Off", timeout=20_000)
    qtbot.wait(300)
    dog.timer.stop()
    assert {"subscribe", "vms", "host_info", "start_vm", "console_history", "console_send", "script",
            "new_vm", "metrics_history", "alerts"} <= set(slow.calls)
    assert dog.ticks > 100
    print(f"longest event-loop stall: {dog.max_gap * 1000:.1f} ms over {dog.ticks} ticks")
    assert dog.max_gap < MAX_STALL, f"the event loop stalled for {dog.max_gap * 1000:.0f} ms"
