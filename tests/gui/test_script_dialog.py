"""View Script opens wide enough to read the script's longest line, within the screen, and saves what it shows."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QPushButton

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


def test_save_writes_the_python_script_or_the_command_lines(qtbot, tmp_path):
    python = "from core import api\n\nwith api.connect() as conn:\n    conn.new_vm('web2', memory='64M').wait()\n"
    dialog = ScriptDialog("New Virtual Machine", "bulkhead switch new lan\nbulkhead vm new web2 --memory 64M", python)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.findChild(QPushButton, "save_py").text().replace("&", "") == "Save..."
    dialog.findChild(QPushButton, "save_py").click()
    files = dialog.file_dialog
    assert isinstance(files, QFileDialog) and files.isVisible() and files.defaultSuffix() == "py"
    assert files.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "web2.py"
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        files.selectFile(str(target))
        files.accept()
    assert saved.args == [str(target)] and target.read_text() == python
    assert "Saved" in dialog.status.text() and str(target) in dialog.status.text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # written atomically, nothing left over

    dialog.tabs.setCurrentIndex(0)
    dialog.findChild(QPushButton, "save_sh").click()
    assert dialog.file_dialog.defaultSuffix() == "sh"
    dialog.file_dialog.reject()
    commands = tmp_path / "web2.sh"
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save("sh", str(commands))
    assert commands.read_text() == "bulkhead switch new lan\nbulkhead vm new web2 --memory 64M\n"

    with qtbot.waitSignal(dialog.save_failed, timeout=5000) as failed:
        dialog.save("py", str(tmp_path / "missing" / "web2.py"))
    assert "Cannot save" in failed.args[0] and "No such file or directory" in failed.args[0]
    assert failed.args[0] == dialog.status.text()
