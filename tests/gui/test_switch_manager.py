"""The Virtual Switch Manager (Hyper-V Manager's): a host's switches with their type, subnet and the VMs on each;
create private or internal ones, rename (the VMs stay connected), remove - refused with the reason while VMs use
one. Reached from the Actions pane and the Action menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton

from .conftest import make_vms


def names(dialog) -> list[str]:
    return [dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())]


def test_switches_are_made_renamed_and_removed_with_their_vms_shown(window, conn, qtbot):
    make_vms(conn, "web1")
    conn.new_switch("other").wait(check=True)
    # reachable from the Actions pane and the Action menu
    action = window.switches_action
    assert any(b.defaultAction() is action for b in window.actions_pane.findChildren(QToolButton))
    assert action in window.findChild(QMenu, "menu_action").actions()
    action.trigger()
    dialog = window.switch_manager
    qtbot.waitUntil(lambda: dialog.loads >= 1, timeout=5000)
    assert names(dialog) == ["", "other"] and dialog.current_name() == "other"

    # a new internal switch; a name in use (as people read names) is refused before anything is sent
    dialog.select("")
    assert dialog.pages.currentIndex() == 0
    dialog.new_name.setText("ＯＴＨＥＲ")
    assert not dialog.create_button.isEnabled() and "already exists" in dialog.new_message.text()
    dialog.new_name.setText("lab")
    dialog.type_buttons["internal"].setChecked(True)
    assert dialog.create_button.isEnabled()
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.current_name() == "lab", timeout=10_000)
    assert [s["name"] for s in conn.switches()] == ["lab", "other"]
    assert dialog.kind.text().startswith("Internal") and dialog.subnet.text().count(".") == 3

    # a VM on it: shown, and removing is refused with the reason
    conn.set_vm("web1", network="lab").wait(check=True)
    qtbot.waitUntil(lambda: dialog.users.count() == 1 and dialog.users.item(0).text() == "web1", timeout=10_000)
    assert not dialog.remove_button.isEnabled()
    assert "Used by web1: disconnect them first" in dialog.message.text()

    # renamed: the VM follows
    dialog.name.setText("other")
    assert not dialog.rename_button.isEnabled() and "already exists" in dialog.message.text()
    dialog.name.setText("lab-a")
    assert dialog.rename_button.isEnabled()
    dialog.rename_button.click()
    qtbot.waitUntil(lambda: dialog.current_name() == "lab-a", timeout=10_000)
    assert conn.vm("web1").network == "lab-a" and dialog.users.item(0).text() == "web1"
    assert sorted(names(dialog)) == ["", "lab-a", "other"]

    # disconnected, it can go
    conn.set_vm("web1", network="").wait(check=True)
    qtbot.waitUntil(dialog.remove_button.isEnabled, timeout=10_000)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: "lab-a" not in names(dialog), timeout=10_000)
    assert [s["name"] for s in conn.switches()] == ["other"]
    dialog.reject()


def test_a_host_without_virtual_switches_says_why(window, qtbot):
    s = window.session
    s.capabilities = {**s.capabilities, "switches": False,
                      "reasons": {**(s.capabilities.get("reasons") or {}), "switches": "this host has networks"}}
    dialog = window.open_switch_manager()
    qtbot.waitUntil(lambda: dialog.loads >= 1, timeout=5000)
    dialog.select("")
    assert not dialog.create_button.isEnabled() and "this host has networks" in dialog.new_message.text()
    dialog.reject()
