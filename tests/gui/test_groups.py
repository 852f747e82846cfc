"""Host groups: the Qt-free store (nesting, renames, moves, atomic file) and the navigation tree over it."""

from __future__ import annotations

import json

import pytest

from gui import groups
from gui.groups import ROOT, GroupError, HostGroups


def test_groups_nest_rename_move_and_delete():
    g = HostGroups()
    lab = g.create("Lab")
    racks = g.create("Racks", lab.id)
    g.assign("local:/a", racks.id)
    assert g.path(racks.id) == ["All Hosts", "Lab", "Racks"]
    assert g.hosts_in(racks.id) == ["local:/a"]
    g.rename(racks.id, "Rack 1")
    assert g.groups[racks.id].name == "Rack 1"
    with pytest.raises(GroupError, match="already a group named 'Lab'"):
        g.create("lab")
    with pytest.raises(GroupError, match="into itself or one of its subgroups"):
        g.move(lab.id, racks.id)
    with pytest.raises(GroupError, match="cannot be empty"):
        g.rename(lab.id, "  ")
    with pytest.raises(GroupError, match="cannot be renamed"):
        g.rename(ROOT, "x")
    g.move(racks.id, ROOT)
    assert g.groups[racks.id].parent == ROOT
    g.move(racks.id, lab.id)
    g.delete(lab.id)  # its subgroup and hosts move up
    assert g.groups[racks.id].parent == ROOT and g.group_of("local:/a") == racks.id
    g.delete(racks.id)
    assert g.group_of("local:/a") == ROOT


def test_groups_file_is_written_atomically_and_read_back(tmp_path):
    path = tmp_path / "cfg" / "host-groups.json"
    g = HostGroups()
    lab = g.create("Lab")
    g.assign("local:/a", lab.id)
    groups.save(g.to_dict(), path)
    assert [p.name for p in path.parent.iterdir()] == ["host-groups.json"]  # no temp file left behind
    again, warning = groups.load(path)
    assert warning is None and again.to_dict() == g.to_dict()


def test_a_damaged_groups_file_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "host-groups.json"
    path.write_text("{not json")
    g, warning = groups.load(path)
    assert not g.groups and "damaged" in warning
    assert path.read_text() == "{not json"
    # cycles and dangling parents from a hand-edited file end at the root
    path.write_text(json.dumps({"groups": [{"id": "a", "name": "A", "parent": "b"},
                                           {"id": "b", "name": "B", "parent": "a"},
                                           {"id": "c", "name": "C", "parent": "zz"}, {"id": 5}],
                                "hosts": {"h": "nope"}}))
    g, warning = groups.load(path)
    assert warning is None and g.groups["c"].parent == ROOT and g.group_of("h") == ROOT
    assert ROOT in (g.groups["a"].parent, g.groups["b"].parent)


def test_the_tree_shows_groups_hosts_and_vms_and_moves_hosts(window, conn, qtbot, gui_env):
    conn.new_vm("web1", memory="16M").wait(check=True)
    s = window.session
    nav = window.nav
    qtbot.waitUntil(lambda: nav.item_for("vm", s.vm_model.vms()[0]["id"]) is not None if s.vm_model.vms() else False)
    host = nav.item_for("host", s.host_key)
    assert host.parent() is nav.topLevelItem(0) and nav.topLevelItem(0).text(0) == "All Hosts"
    assert "logical processors" in host.toolTip(0)

    lab = window.new_group(ROOT, "Lab")
    rack = window.new_group(lab, "Rack 1")
    assert window.move_host(s.host_key, rack)
    host = nav.item_for("host", s.host_key)
    assert host.parent().text(0) == "Rack 1" and host.parent().parent().text(0) == "Lab"
    assert host.child(0).text(0) == "web1"  # VMs stay under their host
    assert window.rename_group(rack, "Rack A")
    assert not window.rename_group(rack, "")  # refused, with the reason in the status bar
    assert "cannot be empty" in window.statusBar().currentMessage()
    assert not window.move_group(lab, rack)
    path = gui_env / "config" / "host-groups.json"
    qtbot.waitUntil(lambda: path.exists() and "Rack A" in path.read_text())
    saved, _ = groups.load(path)
    assert saved.group_of(s.host_key) == rack and saved.groups[rack].name == "Rack A"

    # a drop on a group moves the host there (the tree is rebuilt from the groups)
    nav.host_moved.emit(s.host_key, lab)
    assert nav.item_for("host", s.host_key).parent().text(0) == "Lab"

    # selecting the VM in the tree selects it in the list
    nav.select_node("vm", s.vm_model.vms()[0]["id"])
    assert [vm["name"] for vm in window.selected_vms()] == ["web1"]
