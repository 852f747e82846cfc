"""The Convert Virtual Machine wizard, end to end against an embedded host: a libvirt domain XML (and an OVF
package) with a raw disk made by qemu-img is recognised, its conversion report shows the warnings before anything
is written, Finish starts the host's job and the new VM, Off with its converted disk, is selected; a bad source
says why in one line and keeps Next disabled; hosts refusing conversions are greyed with the reason; no host call
is made on the GUI thread."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from core import api
from gui.session import Session
from gui.wizards.convert import ConvertWizard
from tests.convert.samples_xml import write_ovf

from .conftest import vm_by_name
from .convert_helpers import (
    WAIT,
    ThreadRecorder,
    finish,
    next_enabled,
    open_from_action,
    refusing,
    to_page,
    view_script,
)

pytestmark = pytest.mark.skipif(shutil.which("qemu-img") is None, reason="qemu-img is not installed")

DOMAIN = """<domain type='kvm'>
  <name>web01</name>
  <description>front end</description>
  <memory unit='MiB'>64</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='web01.img'/>
      <target dev='vda' bus='virtio'/></disk>
    <interface type='network'><mac address='52:54:00:ab:cd:ef'/><source network='default'/>
      <model type='virtio'/></interface>
    <sound model='ich6'/>
  </devices>
</domain>
"""


def write_domain(folder) -> str:
    """web01.xml and its 16 MiB raw disk (qemu-img create -f raw) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["qemu-img", "create", "-q", "-f", "raw", str(folder / "web01.img"), "16M"], check=True)
    (folder / "web01.xml").write_text(DOMAIN)
    return str(folder / "web01.xml")


RefusingConvert = refusing("convert", "this host converts nothing (a test's refusal)")  # as a libvirt connection


def open_convert(qtbot, window) -> ConvertWizard:
    return open_from_action(qtbot, window, "convert_vm", "convert_wizard")


@pytest.mark.parametrize("kind", ["libvirt", "ovf"])
def test_converts_a_source_into_an_off_vm_that_is_selected(make_window, conn, qtbot, tmp_path, kind):
    conn.new_switch("lan").wait(check=True)
    if kind == "libvirt":
        source, name, fmt = write_domain(tmp_path / "src"), "web01", "libvirt domain XML"
    else:
        source, name, fmt = str(write_ovf(tmp_path / "src", name="app", disk_fmt="raw")), "app", "OVF package"
    recorder = ThreadRecorder(conn)
    window = make_window(recorder)
    session = window.session
    wiz = open_convert(qtbot, window)
    assert "Convert" in wiz.windowTitle() and wiz.steps.count() == 7
    page = wiz.source_page
    assert not next_enabled(wiz)
    page.path.setText(source)
    qtbot.waitUntil(lambda: page.answer() is not None, timeout=WAIT)
    assert next_enabled(wiz)
    assert fmt in page.recognised.text() and name in page.recognised.text()
    assert "nothing is written" in page.message.text()

    wiz.next()
    identity = wiz.identity_page
    assert identity.name.text() == name  # the source's own name, at first
    identity.name.setText("")
    assert not next_enabled(wiz)
    identity.name.setText("web\x07")
    assert not next_enabled(wiz) and identity.message.text()
    identity.name.setText("converted1")
    assert next_enabled(wiz)

    wiz.next()
    report = wiz.report_page
    qtbot.waitUntil(lambda: report.check.ok, timeout=WAIT)
    text = report.report.text()
    assert "Warnings" in text and "\u26a0" in text
    assert "the guest operating system is not converted" in text
    if kind == "libvirt":
        assert "sound device ignored" in text and "EFI firmware" in text
    assert report.warnings() and "Nothing is written until Finish" in report.message.text()
    assert conn.vms() == []  # nothing was written

    to_page(qtbot, wiz, wiz.host_page)
    table = wiz.host_page.table
    assert table.topLevelItemCount() == 1 and table.topLevelItem(0).isSelected()
    assert table.topLevelItem(0).text(1) == "bulkhead"
    to_page(qtbot, wiz, wiz.path_page)
    assert wiz.path_page.path() == "" and next_enabled(wiz)  # optional: the host's store
    wiz.path_page.folder.setText(str(tmp_path / "nowhere"))
    qtbot.waitUntil(lambda: "no such folder" in wiz.path_page.message.text(), timeout=WAIT)
    assert not next_enabled(wiz)
    wiz.path_page.folder.setText("")
    to_page(qtbot, wiz, wiz.networks_page)
    networks = wiz.networks_page
    network = "default" if kind == "libvirt" else "VM Network"
    qtbot.waitUntil(lambda: network in networks.combos and networks.combos[network].isEnabled(), timeout=WAIT)
    combo = networks.combos[network]
    combo.setCurrentIndex(combo.findData("lan"))
    assert networks.network_map() == {network: "lan"}

    to_page(qtbot, wiz, wiz.summary_page)
    summary = wiz.summary_page
    qtbot.waitUntil(lambda: summary.check.ok, timeout=WAIT)
    assert "converted1" in summary.summary.text() and "lan" in summary.summary.text()
    command, python = view_script(qtbot, wiz)
    assert "convert_vm(" in python
    assert f"convert vm {source} --name converted1 --network-map '{network}=lan'" in command or \
        f"convert vm {source} --name converted1 --network-map {network}=lan" in command, command
    wiz.script_dialog.close()
    assert conn.vms() == []

    finish(qtbot, wiz, window, "convert_wizard")
    qtbot.waitUntil(lambda: any(j.get("name") == "Convert VM" for j in session.jobs_model.jobs()), timeout=WAIT)
    qtbot.waitUntil(lambda: [vm["name"] for vm in window.selected_vms()] == ["converted1"], timeout=30_000)
    vm = conn.vm("converted1")
    assert vm.state == "Off" and vm.network == "lan" and vm.memory > 0
    assert vm.disk.endswith(".vhd") and os.path.getsize(vm.disk) > 0 and vm.disk_format == "vhd-dynamic"
    job = next(j for j in session.jobs_model.jobs() if j.get("name") == "Convert VM")
    assert job["state"] == "Completed" and job["progress"] == 100
    assert vm_by_name(session, "converted1")["state"] == "Off"
    assert "convert_vm" in recorder.calls and "script_steps" in recorder.calls and "switches" in recorder.calls
    assert recorder.on_gui_thread == [], f"host calls on the GUI thread: {recorder.on_gui_thread}"


def test_a_bad_source_says_why_and_keeps_next_disabled(window, qtbot, tmp_path):
    wiz = open_convert(qtbot, window)
    page = wiz.source_page
    (tmp_path / "garbage.vmx").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "disk.img").write_bytes(b"\x00" * 4096)
    for path, words in ((str(tmp_path / "missing.xml"), "no such file"), ("relative.xml", "absolute"),
                        (str(tmp_path / "disk.img"), "not a VM description"), (str(tmp_path / "garbage.vmx"), "")):
        page.path.setText(path)
        qtbot.waitUntil(lambda: page.check.current, timeout=WAIT)
        message = page.message.text()
        assert page.check.error and message == page.check.error and "\n" not in message, path
        assert words in message, message
        assert not next_enabled(wiz) and not page.recognised.text()
    page.path.setText("")
    assert not next_enabled(wiz) and "Nothing is read or written" in page.message.text()


def test_hosts_refusing_conversions_are_greyed_with_the_reason(window, qtbot, tmp_path):
    other_conn = api.connect(str(tmp_path / "other"), embedded=True)
    other = Session(RefusingConvert(other_conn))
    other.start()
    try:
        qtbot.waitUntil(lambda: other.loaded and bool(other.host) and not other.can("convert")[0], timeout=WAIT)
        source = write_domain(tmp_path / "src")
        wiz = ConvertWizard(window.session, [window.session, other], window)
        qtbot.addWidget(wiz)
        wiz.show()
        wiz.source_page.path.setText(source)
        qtbot.waitUntil(lambda: wiz.source_page.answer() is not None, timeout=WAIT)
        to_page(qtbot, wiz, wiz.host_page)
        table = wiz.host_page.table
        assert table.topLevelItemCount() == 2
        greyed = table.topLevelItem(1)
        assert not greyed.flags() & Qt.ItemFlag.ItemIsEnabled
        assert "converts nothing" in greyed.text(3) and "converts nothing" in greyed.toolTip(0)
        assert table.topLevelItem(0).isSelected() and next_enabled(wiz)
        wiz.close()
    finally:
        other.close()
        other_conn.close()


def test_the_action_follows_the_convert_capability(window, qtbot):
    action = window.vm_actions["convert_vm"]
    qtbot.waitUntil(action.isEnabled, timeout=WAIT)
    assert action in window.actions_pane.findChildren(type(action)) or action.text()
    window.vm_actions.update([], connected=True, can=lambda op: (op != "convert", "no conversions here"))
    assert not action.isEnabled() and "no conversions here" in action.toolTip()
    window.vm_actions.update([], connected=False)
    assert not action.isEnabled() and "Not connected" in action.toolTip()


def test_another_host_reads_the_source_and_takes_the_vm(window, qtbot, tmp_path):
    """A host other than the active one: the source is read again there, its switches are offered, the name is
    checked against its VMs, and its job makes the VM."""
    other_conn = api.connect(str(tmp_path / "other"), embedded=True)
    other_conn.new_switch("far-lan").wait(check=True)
    other_conn.new_vm("taken", memory="32M").wait(check=True)
    other = Session(other_conn)
    other.start()
    try:
        qtbot.waitUntil(lambda: other.loaded and bool(other.host), timeout=WAIT)
        source = write_domain(tmp_path / "src")
        wiz = ConvertWizard(window.session, [window.session, other], window)
        started: list = []
        wiz.created.connect(lambda job, host: started.append((job, host)))
        qtbot.addWidget(wiz)
        wiz.show()
        wiz.source_page.path.setText(source)
        qtbot.waitUntil(lambda: wiz.source_page.answer() is not None, timeout=WAIT)
        wiz.next()
        wiz.identity_page.name.setText("taken")  # free on the active host, not on the other one
        to_page(qtbot, wiz, wiz.host_page)
        table = wiz.host_page.table
        table.setCurrentItem(table.topLevelItem(1))
        assert wiz.destination is other
        qtbot.waitUntil(lambda: wiz.host_page.check.current, timeout=WAIT)
        assert "already exists" in wiz.host_page.message.text() and not next_enabled(wiz)
        while wiz.currentPage() is not wiz.identity_page:
            wiz.back()
        # the name is checked against the chosen host's VMs now
        assert "already a virtual machine named" in wiz.identity_page.message.text()
        wiz.identity_page.name.setText("moved-in")
        to_page(qtbot, wiz, wiz.host_page)
        qtbot.waitUntil(lambda: wiz.host_page.check.ok, timeout=WAIT)
        assert wiz.destination is other and table.topLevelItem(1).isSelected()
        to_page(qtbot, wiz, wiz.networks_page)
        qtbot.waitUntil(lambda: wiz.networks_page.combos.get("default") is not None
                        and wiz.networks_page.combos["default"].findData("far-lan") > 0, timeout=WAIT)
        combo = wiz.networks_page.combos["default"]
        combo.setCurrentIndex(combo.findData("far-lan"))
        wiz.next()
        summary = wiz.summary_page
        qtbot.waitUntil(lambda: summary.check.ok and summary.isComplete(), timeout=WAIT)
        wiz.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: bool(started), timeout=WAIT)
        assert started[0][1] is other
        qtbot.waitUntil(lambda: "moved-in" in [v.name for v in other_conn.vms()], timeout=30_000)
        vm = other_conn.vm("moved-in")
        assert vm.state == "Off" and vm.network == "far-lan" and os.path.isfile(vm.disk)
        assert "moved-in" not in window.session.vm_model.names()
    finally:
        other.close()
        other_conn.close()


def test_the_notes_are_the_sources_and_edited_ones_go_to_the_host(window, conn, qtbot, tmp_path):
    """VM Identity's notes: the source's description at first, editable; edited, View Script and Finish give them,
    and the new VM has them instead of the source's."""
    source = write_domain(tmp_path / "src")
    wiz = ConvertWizard(window.session, [window.session], window)
    started: list = []
    wiz.created.connect(lambda job, host: started.append(job))
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.host_page.subTitle() == ("Choose the host that converts the virtual machine and keeps it. The "
                                        "source's path is read on that host.")
    wiz.source_page.path.setText(source)
    qtbot.waitUntil(lambda: wiz.source_page.answer() is not None, timeout=WAIT)
    wiz.next()
    identity = wiz.identity_page
    assert not identity.notes.isReadOnly() and identity.notes.toPlainText() == "front end"
    assert identity.vm_notes() == "" and wiz.params()["notes"] == ""  # "": the host keeps the source's
    identity.notes.selectAll()
    qtbot.keyClicks(identity.notes, "moved in")
    assert identity.vm_notes() == "moved in" and wiz.params()["notes"] == "moved in"
    identity.notes.setPlainText("x" * 10_001)
    assert not next_enabled(wiz) and "at most 10000 characters" in identity.message.text()
    identity.notes.setPlainText("moved in")
    to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: wiz.summary_page.check.ok, timeout=WAIT)
    assert wiz.summary_page.check.answer["plan"]["settings"]["notes"] == "moved in"
    command, python = view_script(qtbot, wiz)
    assert "--notes 'moved in'" in command and "notes='moved in'" in python
    wiz.script_dialog.close()
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: bool(started), timeout=WAIT)
    qtbot.waitUntil(lambda: "web01" in [v.name for v in conn.vms()], timeout=30_000)
    notes = conn.vm("web01").notes
    assert notes.startswith("moved in") and "front end" not in notes
