"""The Checkpoints pane (Hyper-V Manager's, beside Details and Performance): the selected VM's checkpoint tree with
"Now" under the checkpoint the VM descends from; take, apply (asking "Take a checkpoint first?"), rename, delete a
subtree - each through a named operation off the GUI thread, its job in the jobs strip."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QMenu, QToolButton

from gui.main_window.layout import TAB_CHECKPOINTS
from gui.widgets import checkpoints as pane_module
from gui.widgets.checkpoints import NOW

from .conftest import make_vms


def shape(pane) -> list[tuple[str, str]]:
    """(item text, parent text) for every item of the tree, depth first."""
    out = []

    def walk(item, parent: str) -> None:
        for i in range(item.childCount()):
            child = item.child(i)
            out.append((child.text(0), parent))
            walk(child, child.text(0))

    walk(pane.tree.invisibleRootItem(), "")
    return out


def host_tree(conn) -> dict:
    """The host's tree, asked by the test itself (not through the patched methods)."""
    return conn.call("vm.checkpoint.list", vm="web1")


def test_checkpoints_are_taken_applied_renamed_and_deleted_through_the_pane(window, conn, qtbot, monkeypatch):
    make_vms(conn, "web1")
    qtbot.waitUntil(lambda: len(window.session.vm_model.vms()) == 1, timeout=10_000)
    window.select_vms([window.session.vm_model.vms()[0]["id"]])
    pane = window.checkpoints
    assert window.lower.widget(TAB_CHECKPOINTS) is pane and window.lower.tabText(TAB_CHECKPOINTS) == "Checkpoints"
    window.lower.setCurrentIndex(TAB_CHECKPOINTS)
    qtbot.waitUntil(lambda: pane.loads >= 1, timeout=10_000)
    assert shape(pane) == [("Now", "")] and "no checkpoints" in pane.message.text()
    assert not pane.actions["apply"].isEnabled() and pane.actions["take"].isEnabled()
    # Checkpoint is on the pane, in the Actions pane and in the Action menu
    take = window.vm_actions["checkpoint"]
    assert take.isEnabled()
    assert any(b.defaultAction() is take for b in window.actions_pane.findChildren(QToolButton))
    assert take in window.findChild(QMenu, "menu_action").actions()

    # the GUI thread never calls the host: every call of the pane's operations runs on a worker
    gui_thread = threading.current_thread()
    called_on: list[threading.Thread] = []
    for name in ("checkpoints", "checkpoint", "apply_checkpoint", "rename_checkpoint", "remove_checkpoint"):
        real = getattr(conn, name)
        monkeypatch.setattr(conn, name, lambda *a, _real=real, **k: (called_on.append(threading.current_thread()),
                                                                     _real(*a, **k))[1])

    pane.findChild(QToolButton, "checkpoint_button_take").click()
    qtbot.waitUntil(lambda: len(host_tree(conn)["checkpoints"]) == 1, timeout=10_000)
    take.trigger()  # the Actions pane's Checkpoint
    qtbot.waitUntil(lambda: len(pane.tree_data["checkpoints"]) == 2, timeout=10_000)
    first, second = [c["name"] for c in sorted(pane.tree_data["checkpoints"], key=lambda c: c["created"])]
    assert shape(pane) == [(first, ""), (second, first), ("Now", second)]
    assert any(j.get("name") == "Create checkpoint" for j in window.session.jobs_model.jobs())  # the jobs strip

    # apply the first, answering "Apply" (the current state is let go): Now moves under it
    asked = []
    monkeypatch.setattr(pane_module, "ask_apply", lambda parent, vm, name, on_choice: (asked.append((vm, name)),
                                                                                       on_choice("apply")))
    first_id = next(c["id"] for c in pane.tree_data["checkpoints"] if c["name"] == first)
    pane.select(first_id)
    assert pane.actions["apply"].isEnabled()
    pane.actions["apply"].trigger()
    assert asked == [("web1", first)]
    qtbot.waitUntil(lambda: pane.tree_data.get("now") == first_id, timeout=10_000)
    qtbot.waitUntil(lambda: shape(pane) == [(first, ""), (second, first), ("Now", first)], timeout=5000)

    # rename inline; a name that cannot be one is refused in the pane, nothing sent
    pane.select(first_id)
    item = pane.item_of(first_id)
    sent = len(called_on)
    item.setText(0, "bad\u202ename")
    assert "Not renamed" in pane.message.text() and item.text(0) == first and len(called_on) == sent
    item.setText(0, "base")
    qtbot.waitUntil(lambda: pane.item_of(first_id) is not None and pane._name_of(first_id) == "base",
                    timeout=10_000)
    assert [c["name"] for c in host_tree(conn)["checkpoints"] if c["id"] == first_id] == ["base"]

    # delete the subtree of the first: everything goes, Now is at the top
    confirmed = []
    monkeypatch.setattr(pane_module, "confirm", lambda parent, title, text, details, label, on_accept:
                        (confirmed.append(title), on_accept()))
    pane.select(first_id)
    pane.actions["remove_subtree"].trigger()
    assert confirmed == ["Delete Checkpoint Subtree"]
    qtbot.waitUntil(lambda: shape(pane) == [("Now", "")] and not pane.tree_data["checkpoints"], timeout=10_000)
    assert host_tree(conn)["checkpoints"] == []
    assert called_on and all(t is not gui_thread for t in called_on)


def test_a_host_without_checkpoints_says_why_and_greys_the_actions(window, conn, qtbot, monkeypatch):
    make_vms(conn, "web1")
    qtbot.waitUntil(lambda: len(window.session.vm_model.vms()) == 1, timeout=10_000)
    monkeypatch.setattr(window.session, "can", lambda cap: (False, "this host keeps no checkpoints")
                        if cap == "checkpoints" else (True, ""))
    window.select_vms([window.session.vm_model.vms()[0]["id"]])
    window._update_ui()
    pane = window.checkpoints
    assert "this host keeps no checkpoints" in pane.message.text()
    assert not any(a.isEnabled() for a in pane.actions.values())
    assert not window.vm_actions["checkpoint"].isEnabled()
    assert "this host keeps no checkpoints" in window.vm_actions["checkpoint"].toolTip()
    assert pane.item_of(NOW) is None


def test_take_checkpoint_and_apply_keeps_the_current_state_and_revert_asks_first(window, conn, qtbot, monkeypatch):
    make_vms(conn, "web1")
    conn.checkpoint("web1", "base").wait(check=True)
    conn.checkpoint("web1", "later").wait(check=True)
    qtbot.waitUntil(lambda: len(window.session.vm_model.vms()) == 1, timeout=10_000)
    window.select_vms([window.session.vm_model.vms()[0]["id"]])
    pane = window.checkpoints
    qtbot.waitUntil(lambda: len(pane.tree_data["checkpoints"]) == 2, timeout=10_000)
    assert window.vm_actions["revert"].isEnabled() and "later" in window.vm_actions["revert"].toolTip()
    monkeypatch.setattr(pane_module, "ask_apply", lambda parent, vm, name, on_choice: on_choice("take_and_apply"))
    base = next(c["id"] for c in pane.tree_data["checkpoints"] if c["name"] == "base")
    pane.select(base)
    pane.actions["apply"].trigger()
    # the current state was kept as a third checkpoint (under "later"), and Now hangs under "base"
    qtbot.waitUntil(lambda: len(pane.tree_data["checkpoints"]) == 3 and pane.tree_data["now"] == base,
                    timeout=10_000)
    kept = next(c for c in pane.tree_data["checkpoints"] if c["name"] not in ("base", "later"))
    assert ("Now", "base") in shape(pane) and (kept["name"], "later") in shape(pane)

    # Revert... asks; Cancel sends nothing
    asked = []
    monkeypatch.setattr(pane_module, "confirm", lambda parent, title, text, details, label, on_accept:
                        asked.append((title, text)))
    window.vm_actions["revert"].trigger()
    assert asked == [("Revert Virtual Machine", "Are you sure you want to revert web1 to base?")]
    assert host_tree(conn)["now"] == base and len(host_tree(conn)["checkpoints"]) == 3
