"""libvirt connections in the console (libvirt's in-process test driver): a saved connection appears in the tree
under its host group with its status and its VMs, connecting in the background; its VMs take the same list and
actions; what the connection cannot do is disabled with the reason; connections are added and removed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from gui import libvirt_hosts

from .conftest import message_box, trigger, wait_state

pytest.importorskip("libvirt", reason="libvirt-python is not installed (pip install libvirt-python)")

URI = "test:///default"
KEY = f"libvirt:{URI}"


def host_text(window, key: str = KEY) -> str:
    item = window.nav.item_for("host", key)
    return item.text(0) if item is not None else ""


def test_a_saved_connection_appears_with_its_vms_and_what_it_cannot_do(make_window, conn, gui_env, qtbot):
    libvirt_hosts.add(URI, name="demo", group="Lab", home=str(gui_env / "home"))
    window = make_window(conn)
    qtbot.waitUntil(lambda: host_text(window).startswith("demo\n"), timeout=10_000)
    qtbot.waitUntil(lambda: host_text(window) == "demo\nconnected", timeout=15_000)
    # under the host group named when it was saved
    group_item = window.nav.item_for("host", KEY).parent()
    assert group_item.text(0) == "Lab" and group_item.parent().text(0) == "All Hosts"
    qtbot.waitUntil(lambda: window.nav.vm_names(KEY) == ["test"], timeout=10_000)
    # the embedded host and its (empty) list are still there
    assert window.nav.item_for("host", window.session.host_key) is not None

    # choosing the libvirt VM in the tree shows that host's list; the actions act there
    window.nav.setCurrentItem(window.nav.item_for("vm", window.libvirt[URI].vm_model.vms()[0]["id"], KEY))
    lv = window.libvirt[URI]
    assert window.active is lv and window.proxy.sourceModel() is lv.vm_model
    assert window.selected_vms()[0]["name"] == "test" and "demo" in window.list_title.text()
    a = window.vm_actions
    qtbot.waitUntil(lambda: "cannot migrate" in a["migrate"].toolTip(), timeout=5000)
    assert not a["migrate"].isEnabled() and a["migrate"].toolTip().startswith("Migrate: the test driver cannot "
                                                                               "migrate")
    assert not a["connect"].isEnabled() and "the test driver has no serial consoles" in a["connect"].toolTip()
    assert a["pause"].isEnabled() and not a["start"].isEnabled()
    trigger(qtbot, window, "pause")
    wait_state(qtbot, lv, "test", "Paused")
    trigger(qtbot, window, "resume")
    wait_state(qtbot, lv, "test", "Running")
    # the migration wizard says the same and will not start
    dialog = window.open_migrate()
    assert "the test driver cannot migrate" in dialog.select_page.message.text()
    assert not dialog.button(dialog.WizardButton.NextButton).isEnabled()
    dialog.reject()
    # the host's details say what it is
    window.nav.setCurrentItem(window.nav.item_for("host", KEY))
    qtbot.waitUntil(lambda: window.details.currentIndex() == 2)
    assert "libvirt host" in window.details.host.values["Parent partition"].text()
    assert window.vm_actions["migrate"].toolTip().startswith("Migrate: the test driver cannot migrate")

    # removing the connection forgets it (the host's VMs are not touched)
    window.remove_connection(KEY)
    box = message_box(qtbot, "confirmation")
    assert "Nothing on that host changes" in box.informativeText()
    next(b for b in box.buttons() if b.objectName() == "confirm").click()
    qtbot.waitUntil(lambda: window.nav.item_for("host", KEY) is None, timeout=5000)
    assert window.active is window.session and URI not in window.libvirt
    assert libvirt_hosts.saved(str(gui_env / "home")) == []


def test_adding_a_connection_checks_the_uri_and_connects_in_the_background(window, gui_env, qtbot):
    dialog = window.add_connection()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.uri.setCurrentText("qemu://somehost/system")
    assert not ok.isEnabled() and "qemu+ssh://user@host/system" in dialog.uri_message.text()
    dialog.uri.setCurrentText("ftp://x/y")
    assert not ok.isEnabled() and "unsupported scheme" in dialog.uri_message.text()
    dialog.uri.setCurrentText(URI)
    assert ok.isEnabled() and "test default" in dialog.uri_message.text()
    dialog.name.setText("sandbox")
    ok.click()
    qtbot.waitUntil(lambda: host_text(window) == "sandbox\nconnected", timeout=15_000)
    assert [e["uri"] for e in libvirt_hosts.saved(str(gui_env / "home"))] == [URI]
    assert window.active is window.libvirt[URI]
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1, timeout=10_000)
    # the same URI twice is refused in the dialog, with the store's reason
    again = window.add_connection()
    again.uri.setCurrentText(URI)
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: again.error.kind == "error", timeout=5000)
    assert "already saved" in again.error.text()
    again.reject()
