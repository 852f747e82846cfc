"""What the VM list spans, as in SCVMM: "All Hosts" or a host group lists every VM of every host in it with a Host
column; one host lists its own VMs; a selection across hosts is acted on by each VM's own host."""

from __future__ import annotations

import pytest

from core import api
from gui.groups import ROOT
from gui.models.jobs import JOB_SORT_ROLE
from gui.models.vm_table import Col
from gui.session import Session

from .conftest import make_vms, message_box, trigger, wait_state


@pytest.fixture
def second(gui_env):
    c = api.connect(str(gui_env / "home2"), embedded=True)
    yield c
    c.close()


def listed(window) -> list[tuple[str, str]]:
    """(name, host) of every row the list shows, sorted."""
    p = window.proxy
    return sorted((p.index(r, Col.NAME).data(), p.index(r, Col.HOST).data()) for r in range(p.rowCount()))


def two_hosts(window, conn, second, qtbot) -> Session:
    make_vms(conn, "web1", "web2")
    make_vms(second, "db1")
    other = window.add_host(Session(second, key="local:second", label="rack2"))
    qtbot.waitUntil(lambda: other.loaded and window.nav.item_for("host", "local:second") is not None,
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.nav.vm_names("local:second") == ["db1"], timeout=10_000)
    qtbot.waitUntil(lambda: len(window.session.vm_model.vms()) == 2, timeout=10_000)
    return other


def test_all_hosts_and_a_group_list_every_vm_with_its_host(window, conn, second, qtbot):
    local = window.session
    other = two_hosts(window, conn, second, qtbot)
    header = window.table.horizontalHeader()
    # one host: its own VMs, no Host column
    assert window.scope == [local] and header.isSectionHidden(Col.HOST)
    assert sorted(vm["name"] for vm in local.vm_model.vms()) == ["web1", "web2"] and window.proxy.rowCount() == 2

    window.nav.setCurrentItem(window.nav.item_for("group", ROOT))
    assert window.scope == [local, other] and not header.isSectionHidden(Col.HOST)
    assert listed(window) == [("db1", "rack2"), ("web1", local.host_label), ("web2", local.host_label)]
    assert "All Hosts (2 hosts)" in window.list_title.text()
    assert "2 hosts, 3 virtual machines" in window.details.message.text()
    assert window.status_counts.text() == "3 virtual machines, 0 running"
    # search covers the Host column here
    window.search.setText("rack2")
    assert listed(window) == [("db1", "rack2")]
    window.search.clear()

    # a host group holds what is in it (and in its subgroups)
    lab = window.new_group(ROOT, "Lab")
    rack = window.new_group(lab, "Rack")
    empty = window.new_group(ROOT, "Empty")
    assert window.move_host(other.host_key, rack)
    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    assert window.scope == [other] and listed(window) == [("db1", "rack2")]
    assert window.move_host(local.host_key, lab)
    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    assert len(window.proxy.sourceModel().sourceModels()) == 2 and len(listed(window)) == 3
    window.nav.setCurrentItem(window.nav.item_for("group", empty))
    assert window.scope == [] and window.proxy.rowCount() == 0
    assert "has no hosts yet" in window.details.message.text()

    # one host again: only its VMs; the tree's VM selects it in that list
    window.nav.setCurrentItem(window.nav.item_for("host", other.host_key))
    assert window.scope == [other] and window.proxy.sourceModel() is other.vm_model
    assert header.isSectionHidden(Col.HOST) and window.proxy.rowCount() == 1
    window.nav.setCurrentItem(window.nav.item_for("vm", other.vm_model.vms()[0]["id"], other.host_key))
    assert [(s, vm["name"]) for s, vm in window.selected_items()] == [(other, "db1")]


def test_actions_on_a_selection_across_hosts_go_to_each_vms_own_host(window, conn, second, qtbot):
    local = window.session
    other = two_hosts(window, conn, second, qtbot)
    window.nav.setCurrentItem(window.nav.item_for("group", ROOT))
    window.select_vms(["web1", "db1"])
    assert sorted((s.host_label, vm["name"]) for s, vm in window.selected_items()) == [
        ("rack2", "db1"), (local.host_label, "web1")]
    assert window.scope == [local, other]  # selecting in the list keeps the group's list
    assert "Start web1, db1" in window.vm_actions["start"].toolTip() or \
        "Start db1, web1" in window.vm_actions["start"].toolTip()
    trigger(qtbot, window, "start")
    wait_state(qtbot, local, "web1", "Running")
    wait_state(qtbot, other, "db1", "Running")
    assert conn.vm("web1").state == "Running" and second.vm("db1").state == "Running"
    assert conn.vm("web2").state == "Off"
    # the jobs strip shows the jobs of both hosts, newest first
    jobs = window.jobs.model()
    names = {(jobs.index(r, 0).data(), jobs.index(r, 1).data()) for r in range(jobs.rowCount())}
    assert {("Start VM", "web1"), ("Start VM", "db1")} <= names
    created = [jobs.index(r, 0).data(JOB_SORT_ROLE) for r in range(jobs.rowCount())]
    assert created == sorted(created, reverse=True)
    # a job of the second host opens with that host's details
    row = next(r for r in range(jobs.rowCount()) if jobs.index(r, 1).data() == "db1")
    window.jobs.activated.emit(jobs.index(row, 0))
    assert window.job_dialogs[-1].session is other and window.job_dialogs[-1].fields["Target"].text() == "db1"
    window.job_dialogs[-1].reject()

    # the selection on one host: the host actions follow it (Actions pane title, New VM goes there)
    window.select_vms(["db1"])
    assert window.active is other and window.actions_pane.host_title.text() == "rack2"
    # turning both off asks once for both, then each host turns off its own
    window.select_vms(["web1", "db1"])
    trigger(qtbot, window, "turn_off")
    box = message_box(qtbot, "confirmation")
    assert "web1" in box.text() and "db1" in box.text()
    next(b for b in box.buttons() if b.objectName() == "confirm").click()
    wait_state(qtbot, local, "web1", "Off")
    wait_state(qtbot, other, "db1", "Off")
