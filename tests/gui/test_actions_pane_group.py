"""The Actions pane's host section is headed by what the list shows: a host group selected in the tree puts the
group's name there (not its first host's), "All Hosts" its own; a selection on one of the group's hosts names that
host, one across hosts the group again; the actions still go to each VM's own host."""

from __future__ import annotations

from gui.groups import ROOT
from gui.session import Session

from ..helpers.embedded import embedded_fixture
from .conftest import make_vms, trigger, wait_state

second = embedded_fixture("gui_env", "home2")


def title(window) -> str:
    return window.actions_pane.host_title.text()


def test_a_selected_group_heads_the_host_actions_with_its_name(window, conn, second, qtbot):
    local = window.session
    make_vms(conn, "web1")
    make_vms(second, "db1")
    other = window.add_host(Session(second, key="local:second", label="rack2"))
    qtbot.waitUntil(lambda: other.loaded and window.nav.item_for("host", "local:second") is not None,
                    timeout=10_000)
    qtbot.waitUntil(lambda: len(local.vm_model.vms()) == 1 and len(other.vm_model.vms()) == 1, timeout=10_000)
    lab = window.new_group(ROOT, "Lab")
    assert window.move_host(local.host_key, lab) and window.move_host(other.host_key, lab)

    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    assert window.scope == [local, other]
    assert title(window) == "Lab", "the group's first host named instead of the group"
    # a selection on one host of the group: that host; across its hosts: the group again
    window.select_vms(["db1"])
    assert title(window) == "rack2"
    window.select_vms(["web1", "db1"])
    assert title(window) == "Lab"
    # ... and the actions still go to each VM's own host
    trigger(qtbot, window, "start")
    wait_state(qtbot, local, "web1", "Running")
    wait_state(qtbot, other, "db1", "Running")
    window.table.clearSelection()
    assert title(window) == "Lab"
    # renamed, the header follows
    assert window.rename_group(lab, "Rack A")
    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    window._update_ui()
    assert title(window) == "Rack A"

    window.nav.setCurrentItem(window.nav.item_for("group", ROOT))
    assert title(window) == "All Hosts"
    window.nav.setCurrentItem(window.nav.item_for("host", other.host_key))
    assert title(window) == "rack2"


def test_a_group_of_one_host_is_named_too(window, conn, second, qtbot):
    local = window.session
    other = window.add_host(Session(second, key="local:second", label="rack2"))
    qtbot.waitUntil(lambda: other.loaded and window.nav.item_for("host", "local:second") is not None,
                    timeout=10_000)
    solo = window.new_group(ROOT, "Solo")
    assert window.move_host(other.host_key, solo)
    window.nav.setCurrentItem(window.nav.item_for("group", solo))
    assert window.scope == [other] and title(window) == "Solo"
    window.nav.setCurrentItem(window.nav.item_for("host", local.host_key))
    assert title(window) == local.host_label
