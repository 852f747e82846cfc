"""View Script opens wide enough to read the script's longest line, within the screen."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics, QGuiApplication

from gui.dialogs.script import ScriptDialog


def test_dialog_fits_the_longest_line_within_the_screen(qtbot):
    line = "    job = conn.new_vm(name='web2', memory='64M', disk='/srv/disks/" + "d" * 40 + ".vhd')"
    dialog = ScriptDialog("New Virtual Machine", "bulkhead vm new web2", f"with api.connect() as conn:\n{line}\n")
    qtbot.addWidget(dialog)
    needed = QFontMetrics(dialog.python.font()).horizontalAdvance(line)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert dialog.width() >= min(needed, int(area.width() * 0.9) - 90)
    assert dialog.width() <= max(640, int(area.width() * 0.9)) and dialog.height() <= max(320, area.height())

    short = ScriptDialog("Start", "bulkhead vm start web2", "conn.start_vm('web2')\n")
    qtbot.addWidget(short)
    assert (short.width(), short.height()) == (640, 320)  # the smallest size for a one-liner
