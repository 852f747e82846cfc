"""Several VMs of one host moved in one go to one host by the Migrate wizard: rated for their combined load,
prechecked per VM, moved one after another, all of them under the destination in the end."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from gui.wizards.migrate import bulk

from ..helpers.remote import far_fixture
from ..remotehosts import TlsHost
from .conftest import vm_by_name, wait_state
from .migrate_helpers import far_conn, finish_enabled, rated, remove_vms, running_vm, select, to_page, two_hosts

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library")


far = far_fixture(TlsHost, "gui-bulk")


def test_combined_load_sums_the_vms():
    a = {"memory_bytes": 64 << 20, "vcpus": 1, "cpu_percent": 30.0, "disk_bytes": None, "disk_iops": 5.0,
         "network_mbps": None}
    b = {"memory_bytes": 32 << 20, "vcpus": 2, "cpu_percent": 10.0, "disk_bytes": 10**9, "disk_iops": 1.0,
         "network_mbps": 4.0}
    c = bulk.combined_load([a, b])
    assert c["memory_bytes"] == 96 << 20 and c["vcpus"] == 2
    assert c["cpu_percent"] == pytest.approx((30 + 20) / 2)  # the busy processors summed, on 2 processors
    assert c["disk_bytes"] == 3 * 10**9 and c["disk_iops"] == 6.0 and c["network_mbps"] == 4.0


def test_two_vms_move_in_one_go(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    running_vm(qtbot, window, conn, "bulk1", memory="16M")
    running_vm(qtbot, window, conn, "bulk2", memory="16M")
    window.select_vms(["bulk1", "bulk2"], session=here)
    action = window.vm_actions["migrate"]
    qtbot.waitUntil(action.isEnabled, timeout=5000)
    action.trigger()
    wiz = window.migrate_wizard
    assert wiz is not None and wiz.bulk and wiz.names == ["bulk1", "bulk2"]
    assert wiz.windowTitle().endswith("2 virtual machines: bulk1, bulk2")
    page = rated(qtbot, wiz)
    qtbot.waitUntil(lambda: page.measured is not None, timeout=20_000)
    one = vm_by_name(here, "bulk1")
    assert page.measured["memory_bytes"] >= 2 * 16 << 20 > 0 and one is not None  # both VMs' memory
    select(qtbot, wiz, remote)
    pre = to_page(qtbot, wiz, wiz.precheck_page)
    qtbot.waitUntil(lambda: pre.result is not None, timeout=20_000)
    together = [r for r in pre.shown() if r["texts"][2].startswith("together the 2 VMs")]
    named = {r["texts"][2].split(":", 1)[0] for r in pre.shown() if r not in together}
    assert named == {"bulk1", "bulk2"}, pre.shown()
    assert [r["topic"] for r in together] == ["memory"], pre.shown()  # and their memory together, in one row
    assert set(pre.result["types"]) == {"bulk1", "bulk2"}
    # an error of one VM blocks Next
    pre.result = dict(pre.result, rows=pre.rows() + [{"severity": "error", "topic": "memory", "vm": "bulk2",
                                                      "text": "bulk2: too big", "hint": ""}])
    pre.changed()
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    pre.check()
    summary = to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: summary.predictions >= 1, timeout=20_000)
    assert set(summary.prediction["per_vm"]) == {"bulk1", "bulk2"} and "All, one after another" in \
        summary.prediction_text.text()
    lines = wiz.script().command_line.splitlines()
    assert [line.split(" vm move ")[1].split()[0] for line in lines] == ["bulk1", "bulk2"]
    qtbot.waitUntil(lambda: finish_enabled(wiz), timeout=20_000)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wiz.run is not None and wiz.run.finished(), timeout=120_000)
    assert wiz.run.states == {"bulk1": "Completed", "bulk2": "Completed"}, wiz.run.errors
    assert "2 of 2 moved" in summary.error.text()
    for name in ("bulk1", "bulk2"):
        qtbot.waitUntil(lambda n=name: n in window.nav.vm_names(remote.host_key), timeout=15_000)
        wait_state(qtbot, remote, name, "Running")
    wiz.reject()
    with far_conn(far) as c:
        remove_vms(c, "bulk1", "bulk2")


def test_cancel_stops_the_running_move_and_skips_the_rest(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    for name in ("slowa", "slowb"):
        conn.new_vm(name, memory="64M", workload="dirty:8", start=True).wait(check=True)
        wait_state(qtbot, here, name, "Running")
    window.set_active(here)
    window.select_vms(["slowa", "slowb"], session=here)
    wiz = window.open_migrate()
    assert wiz is not None and wiz.names == ["slowa", "slowb"]
    select(qtbot, wiz, remote)
    to_page(qtbot, wiz, wiz.transfer_page)
    assert "slowa: Live" in wiz.transfer_page.per_vm.text() and "slowb: Live" in wiz.transfer_page.per_vm.text()
    wiz.transfer_page.bandwidth.setValue(1)  # 1 MiB/s: the first move takes a while
    to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: finish_enabled(wiz), timeout=20_000)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wiz.run is not None and wiz.run.states["slowa"] == "running", timeout=20_000)
    assert wiz.run.states["slowb"] == "waiting"
    wiz.reject()  # Cancel: the running move stops, the rest is skipped; the wizard stays to show it
    assert wiz.isVisible()
    qtbot.waitUntil(lambda: wiz.run.finished(), timeout=60_000)
    assert wiz.run.states == {"slowa": "Cancelled", "slowb": "skipped"}
    for name in ("slowa", "slowb"):
        wait_state(qtbot, here, name, "Running")
        assert conn.vm(name).state == "Running"
    with far_conn(far) as c:
        assert not {"slowa", "slowb"} & {v.name for v in c.vms()}
    wiz.reject()
    remove_vms(conn, "slowa", "slowb")


def test_migrate_is_offered_for_several_vms_of_one_host(make_window, conn, far, gui_env, qtbot):
    window, _remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    running_vm(qtbot, window, conn, "sel1", memory="16M")
    conn.new_vm("sel2", memory="16M").wait(check=True)  # Off: a copy of its files
    qtbot.waitUntil(lambda: vm_by_name(here, "sel2") is not None, timeout=10_000)
    window.select_vms(["sel1", "sel2"], session=here)
    action = window.vm_actions["migrate"]
    qtbot.waitUntil(lambda: "2 virtual machines" in action.toolTip(), timeout=5000)
    assert action.isEnabled()
    wiz = window.open_migrate()
    assert wiz.bulk and wiz.storage_only is False
    select(qtbot, wiz, _remote)
    t = to_page(qtbot, wiz, wiz.transfer_page)
    # a running VM and an Off one: no one type fits both, each moves by its own automatic type
    assert t.chosen() == "" and t.problem() is None
    assert t.type_for("sel1") == "auto" and t.type_for("sel2") == "auto"
    assert "sel1: Live" in t.per_vm.text() and "sel2: Network copy" in t.per_vm.text()
    summary = to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: summary.predictions >= 1, timeout=20_000)
    assert set(summary.prediction["per_vm"]) == {"sel1", "sel2"}
    wiz.reject()
    for name in ("sel1", "sel2"):
        conn.stop_vm(name, mode="turn_off").wait() if name == "sel1" else None
        conn.remove_vm(name).wait()
