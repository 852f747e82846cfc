"""The Convert Physical Server wizard, end to end against an embedded host: this machine is scanned (a real scan:
its disks are shown as a tree, and never captured), an image file made by qemu-img with known data stands in for a
disk, the capture's plan and report come before anything is written, Finish starts the host's job and the new VM,
Off with its disk holding that data, is selected (with the memory chosen); an unreachable ssh:// source says why in
one line and keeps Next disabled; the action follows the host's convert_physical capability; no host call is made
on the GUI thread."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from gui.wizards.convert_physical import ConvertPhysicalWizard

from .conftest import vm_by_name
from .convert_helpers import WAIT, ThreadRecorder, finish, next_enabled, open_from_action, to_page, view_script

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")
MiB = 1 << 20


def write_image(path) -> str:
    """A 16 MiB raw image (qemu-img create -f raw) with known bytes at its start and at 8 MiB."""
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", str(path), "16M"], check=True)
    with open(path, "r+b") as f:
        f.write(b"bulkhead p2v test " * 100)
        f.seek(8 * MiB)
        f.write(bytes(range(256)) * 64)
    return str(path)


def open_wizard(qtbot, window) -> ConvertPhysicalWizard:
    return open_from_action(qtbot, window, "convert_physical", "convert_physical_wizard")


def items(tree) -> list[str]:
    found: list[str] = []

    def walk(item) -> None:
        found.append(" | ".join(item.text(c) for c in range(tree.columnCount())))
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i))
    return found


def test_this_machine_is_scanned_and_an_image_becomes_an_off_vm_that_is_selected(make_window, conn, qtbot, tmp_path):
    conn.new_switch("lan").wait(check=True)
    image = write_image(tmp_path / "disk0.img")
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    session = window.session
    wiz = open_wizard(qtbot, window)
    assert wiz.windowTitle() == "Convert Physical Server" and wiz.steps.count() == 8
    source = wiz.source_page
    assert source.here.isChecked() and next_enabled(wiz)

    wiz.next()
    system = wiz.system_page
    qtbot.waitUntil(lambda: system.answer() is not None, timeout=WAIT)
    scan = system.scan_facts()
    rows = items(system.tree)
    assert rows[0].startswith("Disks")
    for disk in scan["disks"]:
        assert any(r.startswith(disk["path"] + " |") for r in rows), disk["path"]
    assert any(r.startswith("Network adapters") for r in rows) and any(r.startswith("Memory") for r in rows)
    assert any(r.startswith("Processors") and str(scan["processors"]) in r for r in rows)
    mounts = [d for d in scan["disks"] if "mounted at" in " ".join(items_of(system.tree, d["path"]))]
    assert "Scanned" in system.message.text() and next_enabled(wiz)

    wiz.next()
    volumes = wiz.volumes_page
    assert volumes.chosen() == [] and not next_enabled(wiz)  # nothing is captured unless checked
    assert "Check at least one disk" in volumes.message.text()
    if mounts:  # a mounted disk: the freeze box and the report's words (a dry run only: nothing is read)
        row = next(volumes.disks.topLevelItem(i) for i in range(volumes.disks.topLevelItemCount())
                   if volumes.disks.topLevelItem(i).text(0) == mounts[0]["path"])
        row.setCheckState(0, Qt.CheckState.Checked)
        assert volumes.freeze.isEnabled()
        qtbot.waitUntil(lambda: volumes.check.current, timeout=WAIT)
        assert "crash-consistent" in volumes.consistency.text()
        row.setCheckState(0, Qt.CheckState.Unchecked)
        assert not volumes.freeze.isEnabled() and not volumes.consistency.text()
    volumes.image.setText(str(tmp_path / "missing.img"))
    volumes.add_image()
    qtbot.waitUntil(lambda: volumes.check.current, timeout=WAIT)
    assert volumes.check.error and not next_enabled(wiz) and "\n" not in volumes.message.text()
    volumes.disks.topLevelItem(volumes.disks.topLevelItemCount() - 1).setCheckState(0, Qt.CheckState.Unchecked)
    volumes.image.setText(image)
    volumes.add_image()
    assert volumes.chosen() == [image]
    qtbot.waitUntil(lambda: volumes.check.ok, timeout=WAIT)
    assert next_enabled(wiz) and conn.vms() == []

    wiz.next()
    config = wiz.config_page
    assert config.name.text() == (scan.get("host_name") or "")
    assert config.vcpus.value() == min(scan["processors"], session.limits.vcpus_max)
    assert config.memory.value() == config.scanned_memory() // MiB > 0
    config.name.setText("bad\x07")
    assert not next_enabled(wiz) and config.message.text()
    config.name.setText("p2v1")
    config.memory.setValue(64)
    config.vcpus.setValue(1)
    assert next_enabled(wiz) and config.changes()["memory"] == 64 * MiB

    to_page(qtbot, wiz, wiz.host_page)
    table = wiz.host_page.table
    assert table.topLevelItemCount() == 1 and table.topLevelItem(0).isSelected()
    to_page(qtbot, wiz, wiz.path_page)
    assert wiz.path_page.path() == "" and next_enabled(wiz)
    to_page(qtbot, wiz, wiz.networks_page)
    networks = wiz.networks_page
    qtbot.waitUntil(lambda: networks.switches is not None, timeout=WAIT)
    first = next(iter(networks.combos), None)
    if first is not None:
        networks.combos[first].setCurrentIndex(networks.combos[first].findData("lan"))

    to_page(qtbot, wiz, wiz.summary_page)
    summary = wiz.summary_page
    qtbot.waitUntil(lambda: summary.check.ok, timeout=WAIT)
    text = summary.summary.text()
    assert "p2v1" in text and image in text and "64 MiB" in text and "Warnings" in text
    command, python = view_script(qtbot, wiz)
    assert f"convert physical --disk {image} --name p2v1" in command, command
    assert "vm set p2v1 --memory 64M" in command, command  # set once the VM is made
    assert "convert_physical(" in python
    wiz.script_dialog.close()
    assert conn.vms() == []

    finish(qtbot, wiz, window, "convert_physical_wizard")
    qtbot.waitUntil(lambda: [vm["name"] for vm in window.selected_vms()] == ["p2v1"], timeout=30_000)
    vm = conn.vm("p2v1")
    assert vm.state == "Off" and vm.disk.endswith(".vhd") and os.path.getsize(vm.disk) > 0
    same = subprocess.run(["qemu-img", "compare", "-q", "-f", "raw", "-F", "vpc", image, vm.disk])
    assert same.returncode == 0, "the VM's disk does not hold the image's data"
    qtbot.waitUntil(lambda: conn.vm("p2v1").memory == 64 * MiB, timeout=WAIT)  # the memory chosen, set after
    assert conn.vm("p2v1").vcpus == 1
    job = next(j for j in session.jobs_model.jobs() if j.get("name") == "Convert physical server")
    assert job["state"] == "Completed"
    assert vm_by_name(session, "p2v1")["state"] == "Off"
    assert "scan_physical" in recorder.calls and "convert_physical" in recorder.calls
    assert "script_steps" in recorder.calls
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"


def items_of(tree, path: str) -> list[str]:
    """The rows under the disk ``path`` (its partitions and file systems)."""
    rows: list[str] = []

    def walk(item, inside: bool) -> None:
        inside = inside or item.text(0) == path
        if inside:
            rows.append(" | ".join(item.text(c) for c in range(tree.columnCount())))
        for i in range(item.childCount()):
            walk(item.child(i), inside)

    for i in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(i), False)
    return rows


def test_an_unreachable_ssh_source_says_why_and_keeps_next_disabled(make_window, conn, qtbot):
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    wiz = open_wizard(qtbot, window)
    source = wiz.source_page
    source.remote.setChecked(True)
    assert not next_enabled(wiz) and "ssh://user@host" in source.message.text()
    source.address.setText("not an address")
    assert not next_enabled(wiz) and "is not an SSH address" in source.message.text()
    source.address.setText("ssh://nobody@127.0.0.1:1")  # nothing listens on port 1
    assert next_enabled(wiz)
    wiz.next()
    system = wiz.system_page
    qtbot.waitUntil(lambda: system.current, timeout=30_000)
    message = system.message.text()
    assert system.error and message == system.error and "\n" not in message
    assert "127.0.0.1" in message and not next_enabled(wiz)
    assert system.answer() is None and system.tree.topLevelItemCount() == 0
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"
    wiz.back()
    source.here.setChecked(True)  # back to this machine: scanned again
    wiz.next()
    qtbot.waitUntil(lambda: system.answer() is not None, timeout=WAIT)
    assert next_enabled(wiz)
    wiz.close()


def test_the_action_follows_the_convert_physical_capability(window, qtbot):
    action = window.vm_actions["convert_physical"]
    qtbot.waitUntil(action.isEnabled, timeout=WAIT)
    assert action.text().replace("&", "") == "Convert Physical Server..."
    window.vm_actions.update([], connected=True, can=lambda op: (op != "convert_physical", "capture it elsewhere"))
    assert not action.isEnabled() and "capture it elsewhere" in action.toolTip()
    assert window.vm_actions["convert_vm"].isEnabled()
    window.vm_actions.update([], connected=False)
    assert not action.isEnabled() and "Not connected" in action.toolTip()


def test_another_host_scans_its_own_machine_again(window, qtbot, tmp_path, monkeypatch):
    """Select Host says the P2V words; choosing another host has "this machine" mean that host's: scanned again
    there, and a physical adapter (no model) is named by its MAC on the Networks page."""
    from core import api
    from gui.session import Session

    other_conn = api.connect(str(tmp_path / "other"), embedded=True)
    recorder = ThreadRecorder(other_conn)
    other = Session(recorder)
    other.start()
    try:
        qtbot.waitUntil(lambda: other.loaded and bool(other.host), timeout=WAIT)
        wiz = ConvertPhysicalWizard(window.session, [window.session, other], window)
        qtbot.addWidget(wiz)
        wiz.show()
        assert "captures the machine's disks" in wiz.host_page.subTitle()
        assert "source's path is read" not in wiz.host_page.subTitle()
        wiz.next()
        system = wiz.system_page
        qtbot.waitUntil(lambda: system.answer() is not None, timeout=WAIT)
        assert "scan_physical" not in recorder.calls
        wiz.set_destination(other)
        assert system.answer() is None and not system.current  # the first host's scan is not this one's
        qtbot.waitUntil(lambda: system.answer() is not None, timeout=WAIT)
        assert "scan_physical" in recorder.calls and system._for[0] is other
        assert "the machine of" in wiz.source_page.source()
        assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"
        nics = [{"model": "", "mac": "52:54:00:12:34:56", "network": "eth0", "connection": "physical"}]
        monkeypatch.setattr(wiz.source_page, "answer", lambda: {"source": {"nics": nics}})
        wiz.networks_page._rows()
        label = wiz.networks_page.form.itemAt(0, wiz.networks_page.form.ItemRole.LabelRole).widget().text()
        assert label == "Network 'eth0' (adapter 1: 52:54:00:12:34:56):"
        wiz.close()
    finally:
        other.close()
        other_conn.close()
