"""The VM connection window opens wholly on the screen (its available area), whatever the main window's place; a
guest that boots again starts its banner on a new line, not after the old prompt."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication

from gui.connection_window import placed
from gui.widgets.terminal import Terminal

from .conftest import make_vms, open_console, trigger, vm_by_name, wait_state


def test_the_connection_window_opens_within_the_screen(window, conn, qtbot):
    make_vms(conn, "web1", start=True)
    s = window.session
    wait_state(qtbot, s, "web1", "Running")
    area = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(min(700, area.width()), min(500, area.height()))
    window.move(area.right() - 200, area.bottom() - 150)  # near the lower right corner
    window.select_vms(["web1"])
    trigger(qtbot, window, "connect")
    cw = window.connections[vm_by_name(s, "web1")["id"]]
    qtbot.waitExposed(cw)
    qtbot.wait(50)
    assert area.contains(cw.frameGeometry()), (area, cw.frameGeometry())
    assert cw.width() >= 200 and cw.height() >= 150


def test_placement_keeps_the_frame_inside_the_area():
    area = QRect(0, 30, 1280, 770)  # a panel at the top
    frame = QSize(10, 40)
    inner = placed(area, QSize(820, 520), frame, anchor=QRect(900, 600, 400, 300))
    outer = QRect(inner.x() - 5, inner.y() - 35, inner.width() + 10, inner.height() + 40)
    assert area.contains(outer) and inner.size() == QSize(820, 520)
    small = placed(QRect(0, 0, 640, 480), QSize(820, 520), frame)  # a small screen: the window shrinks to fit
    assert QRect(0, 0, 640, 480).contains(small.adjusted(-5, -35, 5, 5))


def test_a_boot_banner_after_a_prompt_starts_a_new_line(qtbot):
    t = Terminal()
    qtbot.addWidget(t)
    t.feed("Bulkhead guest kernel 1.0 (partition 1, 1 vCPUs, 16 MiB)\nbulkhead$ ")
    t.feed("Bulkhead guest kernel 1.0 (partition 1, 1 vCPUs, 16 MiB)\nbulkhead$ ")
    assert t.text() == ("Bulkhead guest kernel 1.0 (partition 1, 1 vCPUs, 16 MiB)\nbulkhead$ \n"
                        "Bulkhead guest kernel 1.0 (partition 1, 1 vCPUs, 16 MiB)\nbulkhead$ ")
    # split across chunks (the host sends a byte at a time)
    t.clear()
    for chunk in ("bulkhead$ Bulkhead gu", "est ker", "nel 1.0 (partition 2)\n"):
        t.feed(chunk)
    assert t.text() == "bulkhead$ \nBulkhead guest kernel 1.0 (partition 2)\n"
    # the window says the guest boots afresh: whatever comes next begins a line
    t.clear()
    t.feed("bulkhead$ ")
    t.end_line()
    t.feed("SeaBIOS-less firmware says hi\n")
    assert t.text() == "bulkhead$ \nSeaBIOS-less firmware says hi\n"
    t.end_line()
    t.feed("\nalready on a new line")
    assert t.text().endswith("hi\n\nalready on a new line")


def test_a_reset_guest_banner_starts_on_its_own_line_in_the_window(window, conn, qtbot):
    cw = open_console(qtbot, window, conn)
    conn.restart_vm("web1").wait(check=True)
    qtbot.waitUntil(lambda: cw.terminal.text().count("Bulkhead guest kernel") == 2, timeout=10_000)
    assert "bulkhead$ Bulkhead" not in cw.terminal.text()
    assert "\nBulkhead guest kernel" in cw.terminal.text()
