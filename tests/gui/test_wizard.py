"""The New Virtual Machine wizard: it creates a VM that starts, its View Script does the same on a fresh host, and
each page says what is wrong as you type."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from core import api
from resources import GUEST_IMAGE

from .conftest import make_vms, stop_service, vm_by_name, wait_state

ROOT = Path(__file__).resolve().parents[2]


FIELDS = ("memory", "vcpus", "workload", "image", "cmdline", "notes", "network", "ip", "integration_services",
          "state")


def cli(home: Path, *argv: str) -> None:
    env = dict(os.environ, BULKHEAD_HOME=str(home), PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "core.cli", *argv], env=env, cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def run_on_fresh_host(home: Path, argv: list[str]) -> dict:
    """On a fresh host (BULKHEAD_HOME=home, its host service starts on first use) with a switch 'lan' as on the
    console's host, run a command; return web1 there and stop the service."""
    cli(home, "switch", "new", "lan")
    cli(home, *argv)
    c = api.connect(str(home), autostart=False)
    try:
        vm = c.vm("web1")
    finally:
        stop_service(c)
    return {k: getattr(vm, k) for k in FIELDS}


def wizard_at(window, name: str, page: str):
    """The New Virtual Machine wizard for a VM called ``name``, moved on to its page ``page``."""
    wiz = window.open_wizard()
    wiz.name_page.name.setText(name)
    while wiz.currentPage() is not getattr(wiz, page):
        wiz.next()
    return wiz


def test_wizard_creates_a_vm_that_starts_and_its_script_does_the_same(window, conn, qtbot, tmp_path):
    conn.new_switch("lan").wait(check=True)
    window.vm_actions["new_vm"].trigger()
    wiz = window.wizard
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    assert not next_button.isEnabled()  # it needs a name first
    qtbot.keyClicks(wiz.name_page.name, "web1")
    assert next_button.isEnabled()
    wiz.next()
    assert wiz.currentPage() is wiz.memory_page
    wiz.memory_page.memory.setValue(96)
    wiz.next()
    wiz.processors_page.vcpus.setValue(2)
    wiz.next()
    network = wiz.network_page
    qtbot.waitUntil(lambda: network.switch.findData("lan") > 0)  # the host's switches, looked up in a worker
    assert network.switch.currentText() == "Not connected" and not network.ip.isEnabled()
    network.switch.setCurrentIndex(network.switch.findData("lan"))
    network.ip.setText("192.0.2")
    assert "not an IPv4 address" in network.message.text() and not next_button.isEnabled()
    network.ip.setText("192.0.2.20")
    assert next_button.isEnabled()
    wiz.next()
    disk = wiz.disk_page
    assert disk.none.isChecked() and disk.create.isEnabled() and disk.existing.isEnabled()
    wiz.next()
    install = wiz.install_page
    install.workload.setCurrentIndex(install.workload.findData("cpu"))
    install.amount.setValue(20)
    install.cmdline.setText("color=no")
    wiz.next()
    assert wiz.currentPage() is wiz.summary_page
    summary = wiz.summary_page.summary.text()
    assert "web1" in summary and "96 MiB" in summary and "Steady CPU load 20%" in summary and "lan (192.0.2.20)" \
        in summary
    wiz.summary_page.start.setFocus()
    qtbot.keyClick(wiz.summary_page.start, Qt.Key.Key_Space)  # by keyboard
    assert wiz.summary_page.start.isChecked()

    qtbot.mouseClick(wiz.summary_page.view_script, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wiz.script_dialog is not None and wiz.script_dialog.isVisible())
    command = wiz.script_dialog.command.toPlainText()
    python = wiz.script_dialog.python.toPlainText()
    assert command == ("bulkhead vm new web1 --memory 96M --vcpus 2 --workload cpu:20 --cmdline color=no "
                       "--switch lan --ip 192.0.2.20 --start")
    assert ("conn.new_vm(name='web1', memory='96M', vcpus=2, workload='cpu:20', cmdline='color=no', network='lan', "
            "ip='192.0.2.20', start=True)") in python
    wiz.script_dialog.close()

    wiz.button(QWizard.WizardButton.FinishButton).click()
    s = window.session
    wait_state(qtbot, s, "web1", "Running")
    qtbot.waitUntil(lambda: window.wizard is None)
    here = conn.vm("web1")
    created = {k: getattr(here, k) for k in FIELDS}
    assert created == {"memory": 96 << 20, "vcpus": 2, "workload": "cpu:20", "image": "bundled",
                       "cmdline": "color=no", "notes": "", "network": "lan", "ip": "192.0.2.20",
                       "integration_services": True, "state": "Running"}

    # the Python script and the command line each create the same VM on a fresh host
    script = tmp_path / "create.py"
    script.write_text(python)
    assert run_on_fresh_host(tmp_path / "home2", ["script", "run", str(script)]) == created
    assert run_on_fresh_host(tmp_path / "home3", shlex.split(command)[1:]) == created


def test_wizard_pages_say_what_is_wrong_as_you_type(window, conn, qtbot, tmp_path):
    make_vms(conn, "db1")
    qtbot.waitUntil(lambda: vm_by_name(window.session, "db1") is not None)
    wiz = window.open_wizard()
    page = wiz.name_page
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    for text, says in (("DB1", "already a virtual machine named 'db1'"), ("a/b", "cannot contain '/'"),
                       (".x", "cannot start with '.'"), ("a..b", "cannot contain '..'"),
                       ("x" * 65, "at most 64 characters")):
        page.name.setText(text)
        assert page.name_message.isVisibleTo(wiz) and says in page.name_message.text(), text
        assert not next_button.isEnabled()
    page.name.setText("web1")
    assert not page.name_message.isVisibleTo(wiz) and next_button.isEnabled()

    wiz.next()
    memory = wiz.memory_page
    memory.memory.setValue(5)
    assert "multiple of 2 MiB" in memory.message.text() and not next_button.isEnabled()
    memory.memory.setValue(memory.memory.maximum())
    assert "at most" in memory.message.text() and not next_button.isEnabled()
    memory.memory.setValue(64)
    assert not memory.message.isVisibleTo(wiz) and next_button.isEnabled()

    wiz.next()
    cpus = wiz.processors_page
    logical = window.session.host["capabilities"]["logical_processors"]
    cpus.vcpus.setValue(logical + 1)
    assert f"At most {logical}" in cpus.message.text() and not next_button.isEnabled()
    cpus.vcpus.setValue(1)
    assert next_button.isEnabled()

    wiz.next()
    wiz.next()
    wiz.next()
    install = wiz.install_page
    install.other.setChecked(True)
    assert not next_button.isEnabled()  # no image yet
    install.image.setText(str(tmp_path / "missing.elf"))
    qtbot.waitUntil(lambda: "does not exist" in install.image_message.text())
    assert not next_button.isEnabled()
    (tmp_path / "notes.txt").write_text("hello")
    install.image.setText(str(tmp_path / "notes.txt"))
    qtbot.waitUntil(lambda: "not an ELF image" in install.image_message.text())
    install.image.setText(str(GUEST_IMAGE))
    qtbot.waitUntil(lambda: next_button.isEnabled())
    assert install.image_message.kind == "info"
    install.cmdline.setText("x" * 300)
    assert "too long" in install.cmdline_message.text() and not next_button.isEnabled()
    install.cmdline.clear()
    assert next_button.isEnabled()
    wiz.reject()


def test_a_refusal_from_the_host_shows_on_the_summary_page(window, conn, qtbot):
    wiz = wizard_at(window, "race", "summary_page")
    conn.new_vm("race", memory="16M").wait(check=True)  # someone else took the name meanwhile
    wiz.button(QWizard.WizardButton.FinishButton).click()
    error = wiz.summary_page.error
    qtbot.waitUntil(lambda: error.kind == "error")
    assert "a VM named 'race' already exists" in error.text()
    assert wiz.isVisible() and wiz.button(QWizard.WizardButton.FinishButton).isEnabled()
    wiz.reject()


def test_wizard_attaches_an_existing_disk_on_the_emulated_controller(window, conn, qtbot, tmp_path):
    cli(tmp_path / "home", "disk", "new", str(tmp_path / "data.vhd"), "--size", "32M")
    wiz = wizard_at(window, "db1", "disk_page")
    disk = wiz.disk_page
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    disk.existing.setChecked(True)
    assert not next_button.isEnabled()
    disk.path.setText(str(tmp_path / "nope.vhd"))
    qtbot.waitUntil(lambda: "does not exist" in disk.path_message.text())
    assert "bulkhead disk new nope.vhd" in disk.path_message.text()
    disk.path.setText(str(tmp_path / "data.vhd"))
    qtbot.waitUntil(next_button.isEnabled)
    disk.controller.setCurrentIndex(disk.controller.findData("emulated"))
    wiz.next()
    wiz.install_page.integration.setChecked(False)
    wiz.next()
    assert "data.vhd (emulated controller)" in wiz.summary_page.summary.text()
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: vm_by_name(window.session, "db1") is not None)
    vm = conn.vm("db1")
    assert (vm.disk, vm.disk_controller, vm.integration_services) == (str(tmp_path / "data.vhd"), "emulated", False)


def test_wizard_creates_a_new_vhd_and_the_vm_with_it(window, conn, qtbot, tmp_path):
    wiz = wizard_at(window, "db1", "disk_page")
    disk = wiz.disk_page
    next_button = wiz.button(QWizard.WizardButton.NextButton)
    assert disk.disk_name.text() == "db1.vhd"  # named after the VM
    assert disk.disk_folder.text() == str(tmp_path / "home" / "disks")  # beside the host's VMs by default
    disk.create.setChecked(True)
    folder = tmp_path / "disks"  # does not exist yet: the wizard creates it
    disk.disk_folder.setText(str(folder))
    disk.disk_name.setText("data.txt")
    assert "ends in .vhd" in disk.new_message.text() and not next_button.isEnabled()
    disk.disk_name.setText("data.vhd")
    disk.size_unit.setCurrentIndex(disk.size_unit.findData(1 << 20))
    disk.disk_size.setValue(64)
    qtbot.waitUntil(next_button.isEnabled, timeout=5000)
    assert "folder" in disk.new_message.text() and "created first" in disk.new_message.text()
    (tmp_path / "taken.vhd").write_bytes(b"x")
    disk.disk_folder.setText(str(tmp_path))
    disk.disk_name.setText("taken.vhd")
    qtbot.waitUntil(lambda: "already exists" in disk.new_message.text(), timeout=5000)
    assert not next_button.isEnabled()
    disk.disk_folder.setText(str(folder))
    disk.disk_name.setText("data.vhd")
    qtbot.waitUntil(next_button.isEnabled, timeout=5000)
    wiz.next()
    wiz.next()
    path = str(folder / "data.vhd")
    assert f"New: {path}, 64 MiB dynamic" in wiz.summary_page.summary.text()

    # View Script shows both steps: the disk, then the VM that uses it
    wiz.show_script()
    qtbot.waitUntil(lambda: wiz.script_dialog is not None, timeout=5000)
    command = wiz.script_dialog.command.toPlainText().splitlines()
    python = wiz.script_dialog.python.toPlainText()
    # the host's disk.new creates the missing folder: no mkdir step of the console's own
    assert command == [f"bulkhead disk new {path} --size 64M", f"bulkhead vm new db1 --memory 64M --disk {path}"]
    assert python.index(f"conn.new_disk({path!r}, '64M').wait(check=True)") < python.index(
        "conn.new_vm(name='db1'") and "makedirs" not in python
    wiz.script_dialog.close()

    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: vm_by_name(window.session, "db1") is not None, timeout=15_000)
    vm = conn.vm("db1")
    assert vm.disk == path and vm.disk_format == "vhd-dynamic" and (folder / "data.vhd").exists()
    assert any(j["name"] == "New virtual hard disk" and j["state"] == "Completed"
               for j in window.session.jobs_model.jobs())

    # the generated script does the same on a fresh host (into another folder)
    other = tmp_path / "elsewhere"
    script = tmp_path / "create.py"
    script.write_text(python.replace(str(folder), str(other)))
    cli(tmp_path / "home4", "script", "run", str(script))
    c = api.connect(str(tmp_path / "home4"), autostart=False)
    try:
        assert c.vm("db1").disk == str(other / "data.vhd") and (other / "data.vhd").exists()
    finally:
        stop_service(c)


def test_finish_from_the_name_page_creates_the_vm_with_the_defaults(window, conn, qtbot):
    wiz = window.open_wizard()
    finish = wiz.button(QWizard.WizardButton.FinishButton)
    assert wiz.currentPage() is wiz.name_page and finish.isVisible() and not finish.isEnabled()  # a name first
    qtbot.keyClicks(wiz.name_page.name, "quick1")
    assert finish.isEnabled() and wiz.currentPage() is wiz.name_page
    with qtbot.waitSignal(wiz.created, timeout=10_000):
        finish.click()
    qtbot.waitUntil(lambda: vm_by_name(window.session, "quick1") is not None, timeout=10_000)
    vm = conn.vm("quick1")
    assert (vm.memory, vm.vcpus, vm.network, vm.disk, vm.workload, vm.state) == (64 << 20, 1, "", "", "idle", "Off")
    assert not wiz.isVisible()


def test_finish_from_an_early_page_shows_the_page_that_is_not_right(window, conn, qtbot):
    wiz = window.open_wizard()
    wiz.name_page.name.setText("quick2")
    wiz.next()
    memory = wiz.memory_page.memory
    memory.lineEdit().setText("7")  # not a multiple of the step
    wiz.back()
    finish = wiz.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()  # the name page is complete
    finish.click()
    assert wiz.currentPage() is wiz.memory_page and "multiple of 2 MiB" in wiz.memory_page.message.text()
    assert not finish.isEnabled()
    memory.lineEdit().setText("32 MB")
    assert finish.isEnabled()
    with qtbot.waitSignal(wiz.created, timeout=10_000):
        finish.click()
    qtbot.waitUntil(lambda: vm_by_name(window.session, "quick2") is not None, timeout=10_000)
    assert conn.vm("quick2").memory == 32 << 20


def test_a_new_switch_from_the_networking_page_is_listed_and_chosen(window, conn, qtbot):
    wiz = wizard_at(window, "net1", "network_page")
    network = wiz.network_page
    qtbot.waitUntil(lambda: network._loaded, timeout=5000)
    network.create_switch("wizlan")
    qtbot.waitUntil(lambda: network.switch.currentData() == "wizlan", timeout=10_000)
    assert any(s["name"] == "wizlan" for s in conn.switches())
    assert any(j["name"] and j["state"] == "Completed" and "wizlan" in str(j) for j in window.session.jobs_model.jobs())
    network.create_switch("wizlan")  # taken: said on the page
    qtbot.waitUntil(lambda: network.message.kind == "error", timeout=10_000)
    assert "wizlan" in network.message.text()
    wiz.reject()
