"""The New Virtual Machine wizard on a libvirt host (libvirt's in-process test driver) creates a new disk in the job
that creates the VM: a volume in a storage pool, or on a local URI a file made by qemu-img; each field says what is
wrong as you type, and View Script shows the disk's step."""

from __future__ import annotations

import html
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from gui import libvirt_hosts
from gui.wizards import new_vm

from .conftest import vm_by_name

libvirt = pytest.importorskip("libvirt", reason="libvirt-python is not installed (pip install libvirt-python)")

ROOT = Path(__file__).resolve().parents[2]
URI = "test:///default"
KEY = f"libvirt:{URI}"


def libvirt_window(make_window, conn, gui_env, qtbot):
    """The console with the test driver's host chosen in the tree; returns (window, its libvirt session)."""
    libvirt_hosts.add(URI, name="demo", home=str(gui_env / "home"))
    window = make_window(conn)
    qtbot.waitUntil(lambda: URI in window.libvirt and window.libvirt[URI].loaded, timeout=15_000)
    window.nav.setCurrentItem(window.nav.item_for("host", KEY))
    qtbot.waitUntil(lambda: window.active is window.libvirt[URI], timeout=5000)
    return window, window.libvirt[URI]


def to_disk_page(wiz, name: str):
    wiz.name_page.name.setText(name)
    while wiz.currentPage() is not wiz.disk_page:
        wiz.next()
    return wiz.disk_page


def type_into(qtbot, edit, text: str) -> None:
    """As a person types (setText does not count as the user's own name)."""
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def summary_text(wiz) -> str:
    return html.unescape(wiz.summary_page.summary.text())


def test_wizard_creates_a_vm_with_a_new_volume_on_a_libvirt_host(make_window, conn, gui_env, qtbot, tmp_path):
    window, lv = libvirt_window(make_window, conn, gui_env, qtbot)
    wiz = window.open_wizard()
    assert wiz.session is lv
    disk = to_disk_page(wiz, "db1")
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    assert disk.create.isEnabled() and "cannot" not in disk.create.toolTip()
    disk.create.setChecked(True)
    # test:/// is not this machine: a volume in a pool, named after the VM, is the only choice
    assert not disk.disk_where.isVisible() and not disk.disk_folder.isVisible() and disk.pool.isVisible()
    assert disk.volume_name.text() == "db1.qcow2"
    # the host's pools arrive off the GUI thread; the test driver has no "default", so its one pool is chosen
    qtbot.waitUntil(lambda: disk.pool.text() == "default-pool", timeout=5000)
    assert disk.pool.completer().model().stringList() == ["default-pool"]
    assert ("storage pool 'default-pool' of test:///default, 100 GiB free" in disk.new_message.text()
            and next_button.isEnabled())
    disk.pool.setText("")
    assert disk.new_message.kind == "error" and "storage pool" in disk.new_message.text()
    assert not next_button.isEnabled()
    disk.pool.setText("a/b")
    assert "no '/'" in disk.new_message.text() and not next_button.isEnabled()
    type_into(qtbot, disk.pool, "default")
    assert disk.new_message.text().endswith("has no storage pool 'default' (it has: default-pool).")
    assert not next_button.isEnabled()
    type_into(qtbot, disk.pool, "default-pool")
    disk.disk_type.setCurrentIndex(disk.disk_type.findData("raw"))
    assert disk.volume_name.text() == "db1.raw"
    disk.size_unit.setCurrentIndex(disk.size_unit.findData(1 << 30))
    disk.disk_size.setValue(200)  # a raw volume takes its whole size at once: more than the pool has
    assert "more than the 100 GiB free in 'default-pool'" in disk.new_message.text() and not next_button.isEnabled()
    disk.disk_type.setCurrentIndex(disk.disk_type.findData("qcow2"))
    assert next_button.isEnabled()  # qcow2 grows as it is written
    disk.size_unit.setCurrentIndex(disk.size_unit.findData(1 << 20))
    disk.disk_size.setValue(64)
    assert disk.controller.currentText().startswith("virtio")
    wiz.next()
    wiz.next()
    assert "New: volume db1.qcow2 in storage pool 'default-pool', 64 MiB qcow2 (virtio controller)" in summary_text(wiz)

    # View Script: one command and one call, both to the libvirt host; the VM's job makes the volume
    wiz.show_script()
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=5000)
    command = wiz.script_dialog.command.toPlainText().splitlines()
    python = wiz.script_dialog.python.toPlainText()
    wiz.script_dialog.close()
    assert command == ["bulkhead --connect test:///default vm new db1 --memory 64M --disk-size 64M "
                       "--disk-format qcow2 --pool default-pool"]
    from core.cli import _parser

    args = _parser().parse_args(shlex.split(command[0])[1:])
    assert (args.connect, args.name, args.disk_size, args.disk_format, args.pool) == (
        URI, "db1", "64M", "qcow2", "default-pool")
    assert "api.connect(uri='test:///default')" in python
    assert ("conn.new_vm(name='db1', memory='64M', disk_size='64M', disk_format='qcow2', "
            "pool='default-pool')") in python

    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: vm_by_name(lv, "db1") is not None, timeout=15_000)
    qtbot.waitUntil(lambda: window.wizard is None, timeout=5000)  # closed on success
    qtbot.waitUntil(lambda: lv.conn.jobs(limit=1)[0].state == "Completed", timeout=10_000)
    assert lv.conn.vm("db1").disk == "/default-pool/db1.qcow2"
    pool = lv.conn._transport._conn.storagePoolLookupByName("default-pool")
    assert pool.listVolumes() == ["db1.qcow2"]
    assert pool.storageVolLookupByName("db1.qcow2").info()[1] == 64 << 20  # its capacity

    # the generated script does the same (on a fresh test driver: another process has its own)
    script = tmp_path / "create.py"
    script.write_text(python + "    print('DISK', conn.vm('db1').disk)\n")
    env = dict(os.environ, BULKHEAD_HOME=str(tmp_path / "elsewhere"), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "core.cli", "script", "run", str(script)], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "DISK /default-pool/db1.qcow2" in r.stdout, r.stdout + r.stderr


def test_on_a_local_uri_the_disk_can_be_a_file_made_by_qemu_img(make_window, conn, gui_env, qtbot, tmp_path,
                                                                 monkeypatch):
    # no libvirtd here: the test driver's session plays a local qemu:/// host for the page (not for Finish)
    monkeypatch.setattr(new_vm.host, "is_local_uri", lambda uri: True)
    window, _lv = libvirt_window(make_window, conn, gui_env, qtbot)
    wiz = window.open_wizard()
    disk = to_disk_page(wiz, "db2")
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    disk.create.setChecked(True)
    assert disk.disk_where.isVisible() and disk.disk_where.currentData() == "volume"
    disk.disk_where.setCurrentIndex(disk.disk_where.findData("file"))
    assert disk.disk_folder.isVisible() and not disk.pool.isVisible() and disk.disk_name.text() == "db2.qcow2"
    disk.disk_folder.setText(str(tmp_path / "missing"))
    qtbot.waitUntil(lambda: "does not exist" in disk.new_message.text(), timeout=5000)
    assert not next_button.isEnabled()
    (tmp_path / "taken.img").write_bytes(b"x")
    disk.disk_folder.setText(str(tmp_path))
    disk.disk_name.setText("taken.img")  # any extension will do, but never an existing file
    qtbot.waitUntil(lambda: "already exists" in disk.new_message.text(), timeout=5000)
    assert not next_button.isEnabled()
    disk.disk_name.setText("sub/x.img")
    assert "file name" in disk.new_message.text() and not next_button.isEnabled()
    type_into(qtbot, disk.disk_name, "db2.img")
    disk.disk_type.setCurrentIndex(disk.disk_type.findData("raw"))
    assert disk.disk_name.text() == "db2.img"  # a name the user typed stays
    disk.size_unit.setCurrentIndex(disk.size_unit.findData(1 << 20))
    disk.disk_size.setValue(32)
    qtbot.waitUntil(next_button.isEnabled, timeout=5000)
    path = str(tmp_path / "db2.img")
    assert f"runs qemu-img on this machine to create {path} (32 MiB, raw)" in disk.new_message.text()
    assert wiz.params()["disk"] == path and "pool" not in wiz.params()
    wiz.next()
    wiz.next()
    assert f"New: {path}, 32 MiB raw, made by qemu-img" in summary_text(wiz)
    wiz.show_script()
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=5000)
    command = wiz.script_dialog.command.toPlainText().splitlines()
    python = wiz.script_dialog.python.toPlainText()
    assert command == [f"bulkhead --connect test:///default vm new db2 --memory 64M --disk {path} "
                       "--disk-size 32M --disk-format raw"]
    assert f"conn.new_vm(name='db2', memory='64M', disk={path!r}, disk_size='32M', disk_format='raw')" in python
    wiz.script_dialog.close()
    wiz.reject()


def test_on_the_embedded_host_the_new_disk_is_still_a_vhd(window, qtbot):
    wiz = window.open_wizard()
    disk = to_disk_page(wiz, "web1")
    disk.create.setChecked(True)
    assert [disk.disk_type.itemData(i) for i in range(disk.disk_type.count())] == ["dynamic", "fixed"]
    assert not disk.pool.isVisible() and not disk.disk_where.isVisible() and not disk.volume_name.isVisible()
    assert disk.disk_folder.isVisible() and disk.disk_name.text() == "web1.vhd"
    assert wiz.params().keys().isdisjoint({"disk_size", "disk_format", "pool"})
    wiz.reject()


def test_an_existing_disk_on_a_remote_host_is_a_path_there(make_window, conn, gui_env, qtbot):
    # the test driver is not this machine (only qemu:/// URIs without a host are): nothing local is looked at
    window, _lv = libvirt_window(make_window, conn, gui_env, qtbot)
    wiz = window.open_wizard()
    disk = to_disk_page(wiz, "db3")
    disk.existing.setChecked(True)
    assert not disk.browse.isEnabled() and "type its path there" in disk.browse.toolTip()
    disk.path.setText("relative.qcow2")
    qtbot.waitUntil(lambda: "full path" in disk.path_message.text(), timeout=5000)
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    disk.path.setText("/guest/not-here-but-there.qcow2")  # no such file on this machine, and that is fine
    qtbot.waitUntil(lambda: "opens it when it creates the VM" in disk.path_message.text(), timeout=5000)
    assert wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    wiz.reject()
