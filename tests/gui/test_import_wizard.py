"""The Import Virtual Machine wizard, end to end: over the local host service's socket a VM with checkpoints is
exported, its folder browsed through the host and read (what it holds), register in place and restore (same id)
greyed with the host's reasons, the name in use refused as it is typed, the summary and View Script, Finish starts
the host's job and the imported VM is selected with its checkpoints; a folder of exports lists each (a damaged one
greyed with its reason); bad folders say why and keep Next disabled; a changed disk fails the job in one dialog and
adds nothing; a host that cannot import greys the action with its reason; no host call on the GUI thread."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWizard

from core import api
from core.engine.storage import create_disk

from .conftest import message_box, stop_service, vm_by_name
from .convert_helpers import WAIT, ThreadRecorder, next_enabled, open_from_action, refusing, to_page, view_script

MiB = 1 << 20


def _export(conn, name: str, folder: Path, checkpoints: int = 0, disk: str = "") -> Path:
    if disk:
        with create_disk(disk, 8 * MiB) as d:
            d.write(0, b"A" * 512)
    conn.new_vm(name, memory="16M", **({"disk": disk} if disk else {})).wait(WAIT / 1000, check=True)
    for i in range(checkpoints):
        conn.checkpoint(name, f"c{i}").wait(WAIT / 1000, check=True)
    folder.mkdir(exist_ok=True)
    return Path(conn.export_vm(name, str(folder)).wait(WAIT / 1000, check=True).result["path"])


def _open(qtbot, window):
    return open_from_action(qtbot, window, "import_vm", "import_wizard")


def _locate(qtbot, wiz, path: str) -> None:
    wiz.locate_page.path.setText(path)
    qtbot.waitUntil(lambda: not wiz.locate_page.check.checking, timeout=WAIT)


def test_imports_an_export_with_a_new_id_over_the_local_host_service(make_window, gui_env, qtbot, tmp_path):
    home = str(gui_env / "home")
    other = api.connect(home)  # the command line's connection: starts the host service
    try:
        exported = _export(other, "web", tmp_path / "out", checkpoints=2)
        recorder = ThreadRecorder(api.connect(home))
        window = make_window(recorder)
        s = window.session
        qtbot.waitUntil(lambda: vm_by_name(s, "web") is not None, timeout=WAIT)
        wiz = _open(qtbot, window)
        assert wiz.windowTitle() == "Import Virtual Machine" and wiz.steps.count() == 4
        page = wiz.locate_page
        assert not next_enabled(wiz) and "Give the folder" in page.message.text()

        # Browse... lists the host's folders (host.browse): into out/, choose web
        qtbot.mouseClick(page.browse, Qt.MouseButton.LeftButton)
        browser = page.host_browser
        browser.go(str(tmp_path / "out"))
        qtbot.waitUntil(lambda: "web" in browser.names(), timeout=WAIT)
        browser.select("web")
        browser.accept()
        assert page.folder() == str(exported)
        qtbot.waitUntil(lambda: next_enabled(wiz), timeout=WAIT)
        assert "Found 1" in page.message.text()

        to_page(qtbot, wiz, wiz.select_page)
        info = wiz.select_page.chosen()
        assert info["name"] == "web" and len(info["checkpoints"]) == 2
        details = wiz.select_page.details.text()
        assert "MiB" in details and "Saved state" in details
        assert info["id"] in details and "Checkpoints" in details

        to_page(qtbot, wiz, wiz.type_page)
        tp = wiz.type_page
        assert not tp.radios["register"].isEnabled() and "register one in place" in tp.reasons["register"].text()
        assert not tp.radios["copy"].isEnabled() and "already exists" in tp.reasons["copy"].text()
        assert tp.radios["new_id"].isChecked() and tp.vm_name() == "web"
        assert not next_enabled(wiz) and "already exists" in tp.message.text()  # the name is in use here
        tp.name.setText("WEB")  # the same name after case folding
        assert not next_enabled(wiz)
        tp.name.setText("web\u200bcopy")
        assert not next_enabled(wiz) and "cannot contain" in tp.message.text()
        tp.name.setText("web-copy")
        assert next_enabled(wiz)

        to_page(qtbot, wiz, wiz.summary_page)
        summary = wiz.summary_page.summary.text()
        assert "web-copy" in summary and "create a new unique ID" in summary and str(exported) in summary
        command, python = view_script(qtbot, wiz)
        assert command.strip().endswith(f"vm import {exported} --new-id --name web-copy")
        assert f"import_vm({str(exported)!r}, mode='new_id', name='web-copy')" in python

        wiz.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: window.import_wizard is None, timeout=WAIT)
        qtbot.waitUntil(lambda: vm_by_name(s, "web-copy") is not None, timeout=WAIT)
        copy = vm_by_name(s, "web-copy")
        qtbot.waitUntil(lambda: [vm["id"] for _s, vm in window.selected_items()] == [copy["id"]], timeout=WAIT)
        assert copy["id"] != vm_by_name(s, "web")["id"] and copy["state"] == "Off"
        assert len(other.checkpoints("web-copy")["checkpoints"]) == 2
        jobs = [j for j in s.jobs_model.jobs() if j.get("name") == "Import VM"]
        assert jobs and jobs[0]["state"] == "Completed"  # in the jobs strip
        assert recorder.on_gui_thread == []
        window.close()
        s.close()
    finally:
        stop_service(other)


def test_a_folder_of_exports_lists_each_and_a_damaged_one_greyed_with_its_reason(window, conn, qtbot, tmp_path):
    out = tmp_path / "out"
    good = _export(conn, "alpha", out)
    bad = _export(conn, "beta", out)
    (out / "notes").mkdir()  # a folder that is no export: passed over
    raw = (bad / "vm.json").read_text()
    assert str(16 * MiB) in raw
    (bad / "vm.json").write_text(raw.replace(str(16 * MiB), str(32 * MiB)))  # changed after export, same size
    wiz = _open(qtbot, window)
    _locate(qtbot, wiz, str(out))
    qtbot.waitUntil(lambda: next_enabled(wiz), timeout=WAIT)
    to_page(qtbot, wiz, wiz.select_page)
    table = wiz.select_page.table
    assert table.topLevelItemCount() == 2
    assert wiz.select_page.chosen()["path"] == str(good)
    damaged = table.topLevelItem(1)
    assert "beta" in damaged.text(0) and "does not match" in damaged.text(2) and damaged.isDisabled()
    to_page(qtbot, wiz, wiz.type_page)
    assert wiz.type_page.vm_name() == "alpha"


def test_bad_folders_say_why_and_keep_next_disabled(window, qtbot, tmp_path):
    wiz = _open(qtbot, window)
    page = wiz.locate_page
    page.path.setText("relative/folder")
    assert not next_enabled(wiz) and "full path" in page.message.text()
    _locate(qtbot, wiz, str(tmp_path / "nowhere"))
    qtbot.waitUntil(lambda: "no such folder" in page.message.text(), timeout=WAIT)
    assert not next_enabled(wiz)
    (tmp_path / "empty").mkdir()
    _locate(qtbot, wiz, str(tmp_path / "empty"))
    qtbot.waitUntil(lambda: "holds no exported virtual machine" in page.message.text(), timeout=WAIT)
    assert not next_enabled(wiz)
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "export.json").write_text("{\"kind\": \"something\"")
    _locate(qtbot, wiz, str(fake))
    qtbot.waitUntil(lambda: "not valid JSON" in page.message.text(), timeout=WAIT)
    assert not next_enabled(wiz) and "\n" not in page.message.text()


def test_a_changed_disk_fails_the_import_in_one_dialog_and_adds_nothing(make_window, conn, qtbot, tmp_path):
    exported = _export(conn, "web", tmp_path / "out", disk=str(tmp_path / "web.vhd"))
    conn.remove_vm("web").wait(WAIT / 1000, check=True)
    disk = next(p for p in (exported / "disks").iterdir())
    with open(disk, "r+b") as f:  # one byte changed, the size kept: only the hash tells
        f.seek(os.path.getsize(disk) // 2)
        f.write(b"\x5a")
    window = make_window(conn)
    wiz = _open(qtbot, window)
    _locate(qtbot, wiz, str(exported))
    qtbot.waitUntil(lambda: next_enabled(wiz), timeout=WAIT)
    to_page(qtbot, wiz, wiz.type_page)
    assert wiz.type_page.radios["copy"].isChecked()  # the id is free here again
    to_page(qtbot, wiz, wiz.summary_page)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: window.import_wizard is None, timeout=WAIT)
    box = message_box(qtbot, "error", timeout=WAIT)
    assert "does not match" in box.text() + box.informativeText() and "Traceback" not in box.informativeText()
    assert [v.name for v in conn.vms()] == []
    box.close()


RefusingExport = refusing("export", "this host imports nothing (a test's refusal)")


def test_a_host_that_cannot_import_greys_the_action_with_its_reason(make_window, conn, qtbot):
    window = make_window(RefusingExport(conn))
    action = window.vm_actions["import_vm"]
    qtbot.waitUntil(lambda: "imports nothing" in action.toolTip(), timeout=WAIT)
    assert not action.isEnabled()
    assert action in window.findChild(QMenu, "menu_action").actions()


def test_the_host_context_menu_opens_the_wizard_for_that_host(make_window, conn, qtbot, monkeypatch):
    window = make_window(conn)
    nav = window.nav
    item = nav.item_for("host", window.session.host_key)
    assert item is not None
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda menu, _pos: shown.append(menu))
    nav._context_menu(nav.visualItemRect(item).center())
    action = shown[0].findChild(QAction, "nav_import_vm")
    assert action is not None and action.text() == "Import Virtual Machine..."
    action.trigger()
    wiz = window.import_wizard
    assert wiz is not None and wiz.isVisible() and wiz.session is window.session
    assert wiz.currentPage() is wiz.locate_page
    wiz.close()
