"""Browse <host> (gui/dialogs/host_browser.py) against the embedded host: it lists a folder as the host answers
(folders first, with icons, and the free space of its file system), enters a folder on double-click, goes Up with
the folder it came from selected, chooses a file or a folder, and says what is wrong with a path in one line."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from gui.dialogs.host_browser import HostBrowserDialog
from gui.session import Session


@pytest.fixture
def session(qtbot, conn):
    s = Session(conn)
    s.start()
    qtbot.waitUntil(lambda: s.loaded and bool(s.host), timeout=10_000)
    yield s
    s.close()


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    (root / "disks" / "old").mkdir(parents=True)
    (root / "Images").mkdir()
    (root / "disks" / "db.vhd").write_bytes(b"d" * 4096)
    (root / "web.vhd").write_bytes(b"v" * 2048)
    (root / "boot.iso").write_bytes(b"i")
    (root / "notes.txt").write_text("n")
    (root / ".hidden").mkdir()
    os.symlink("disks", root / "to-disks")
    return root


def open_browser(qtbot, session, path: str = "", **kw) -> HostBrowserDialog:
    dialog = HostBrowserDialog(session, path, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.listing is not None or dialog.message.text() and "Listing" not in
                    dialog.message.text(), timeout=10_000)
    return dialog


def wait_folder(qtbot, dialog: HostBrowserDialog, folder) -> None:
    qtbot.waitUntil(lambda: dialog.folder == str(folder) and dialog.path.text() == str(folder), timeout=10_000)


def double_click(qtbot, dialog: HostBrowserDialog, name: str) -> None:
    dialog.select(name)
    item = dialog.entries.currentItem()
    assert item is not None and item.text(0) == name, dialog.names()
    at = dialog.entries.visualItemRect(item).center()
    qtbot.mouseClick(dialog.entries.viewport(), Qt.MouseButton.LeftButton, pos=at)  # a press comes first
    qtbot.mouseDClick(dialog.entries.viewport(), Qt.MouseButton.LeftButton, pos=at)


def test_a_folder_is_listed_folders_first_with_icons_and_free_space(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree))
    wait_folder(qtbot, dialog, tree)
    assert dialog.windowTitle().startswith("Browse ") and session.host_label in dialog.windowTitle()
    assert dialog.names() == ["disks", "Images", "to-disks", "boot.iso", "notes.txt", "web.vhd"]  # no .hidden
    for i in range(dialog.entries.topLevelItemCount()):
        assert not dialog.entries.topLevelItem(i).icon(0).isNull()
    web = dialog.entries.topLevelItem(5)
    assert (web.text(0), web.text(1)) == ("web.vhd", "2 KiB") and web.text(2)
    assert " free of " in dialog.space.text() and "B" in dialog.space.text(), dialog.space.text()
    assert dialog.up.isEnabled() and not dialog.ok.isEnabled()  # nothing chosen yet
    dialog.hidden.setChecked(True)
    assert dialog.names()[0] == ".hidden"


def test_double_click_enters_a_folder_and_up_comes_back_to_it(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree))
    wait_folder(qtbot, dialog, tree)
    double_click(qtbot, dialog, "disks")
    wait_folder(qtbot, dialog, tree / "disks")
    assert dialog.names() == ["old", "db.vhd"]
    dialog.up.click()
    wait_folder(qtbot, dialog, tree)
    assert dialog.entries.currentItem().text(0) == "disks"  # where it came from
    double_click(qtbot, dialog, "to-disks")  # a link to a folder is a folder
    wait_folder(qtbot, dialog, tree / "disks")


def test_a_file_is_chosen_with_its_full_path_on_the_host(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree), kinds=[".vhd", ".iso"])
    wait_folder(qtbot, dialog, tree)
    assert dialog.names() == ["disks", "Images", "to-disks", "boot.iso", "web.vhd"]
    chosen = []
    dialog.chosen.connect(chosen.append)
    dialog.select("disks")
    assert not dialog.ok.isEnabled()  # a folder is not a file
    dialog.select("web.vhd")
    assert dialog.ok.isEnabled() and dialog.selected_path() == str(tree / "web.vhd")
    dialog.ok.click()
    assert chosen == [str(tree / "web.vhd")] and not dialog.isVisible()


def test_a_file_as_the_start_opens_its_folder_with_it_selected(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree / "disks" / "db.vhd"))
    wait_folder(qtbot, dialog, tree / "disks")
    qtbot.waitUntil(lambda: dialog.selected_path() == str(tree / "disks" / "db.vhd"), timeout=5000)
    chosen = []
    dialog.chosen.connect(chosen.append)
    double_click(qtbot, dialog, "db.vhd")  # double-click on a file chooses it
    assert chosen == [str(tree / "disks" / "db.vhd")]


def test_a_folder_is_chosen_in_folder_mode(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree), folders=True)
    wait_folder(qtbot, dialog, tree)
    assert dialog.names() == ["disks", "Images", "to-disks"]
    assert dialog.ok.isEnabled() and dialog.selected_path() == str(tree)  # the folder shown
    dialog.select("Images")
    chosen = []
    dialog.chosen.connect(chosen.append)
    dialog.accept()
    assert chosen == [str(tree / "Images")]


def test_a_missing_path_is_said_in_one_line_and_up_still_works(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree / "no-such"))
    qtbot.waitUntil(lambda: "no such folder" in dialog.message.text(), timeout=10_000)
    assert str(tree / "no-such") in dialog.message.text() and "\n" not in dialog.message.text()
    assert dialog.names() == [] and not dialog.ok.isEnabled() and dialog.space.text() == ""
    dialog.up.click()
    wait_folder(qtbot, dialog, tree)
    assert "no such folder" not in dialog.message.text()


def test_a_typed_path_is_listed_and_a_relative_one_refused(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree))
    wait_folder(qtbot, dialog, tree)
    dialog.path.setText(str(tree / "Images"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    wait_folder(qtbot, dialog, tree / "Images")
    assert dialog.names() == []
    dialog.path.setText("relative/folder")
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "absolute path" in dialog.message.text(), timeout=10_000)


def test_without_a_path_it_opens_in_the_hosts_own_folder(qtbot, session, conn):
    dialog = open_browser(qtbot, session)
    qtbot.waitUntil(lambda: dialog.folder == os.path.realpath(conn.host_info()["store"]), timeout=10_000)


def test_enter_in_the_folder_field_goes_there_and_chooses_nothing_yet(qtbot, session, tree):
    dialog = open_browser(qtbot, session, str(tree), folders=True)
    wait_folder(qtbot, dialog, tree)
    chosen = []
    dialog.chosen.connect(chosen.append)
    dialog.show()
    dialog.activateWindow()
    dialog.path.setFocus()
    qtbot.waitUntil(dialog.path.hasFocus, timeout=5_000)
    dialog.path.setText(str(tree / "Images"))
    qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # the dialog's default button (Select Folder) hears it too
    wait_folder(qtbot, dialog, tree / "Images")
    assert chosen == [] and dialog.isVisible()  # not the folder shown before the typed one was listed
    dialog.accept()
    assert chosen == [str(tree / "Images")]
