"""New alerts are hard to miss: the Alerts tab comes to the front for a warning or worse; where the desktop has no
system tray the window tells it in a notice over the list; while the alert is active the VM's icon in the list and
in the tree and its host's item carry the alert mark, with the message in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.models.vm_table import ALERT_ROLE, Col

from .conftest import make_vms, vm_by_name


def service(conn):
    return conn._transport.service


def raise_alert(conn, vm: dict, message: str = "the saved state is damaged (checksum)") -> dict:
    return service(conn).alerts.notify("saved_state_damaged", vm["id"], vm["name"], message)


def test_a_new_alert_raises_the_tab_tells_the_window_and_marks_the_vm_and_its_host(window, conn, qtbot):
    make_vms(conn, "web1", "web2")
    s = window.session
    qtbot.waitUntil(lambda: window.nav.vm_names(s.host_key) == ["web1", "web2"], timeout=10_000)
    web1 = vm_by_name(s, "web1")
    name_cell = s.vm_model.index_of(web1["id"], Col.NAME)
    plain = name_cell.data(Qt.ItemDataRole.DecorationRole).cacheKey()
    host_item = window.nav.item_for("host", s.host_key)
    host_icon = host_item.icon(0).cacheKey()
    window.jobs_dock.raise_()
    qtbot.waitUntil(lambda: not window.jobs.visibleRegion().isEmpty())
    assert window.alerts.visibleRegion().isEmpty()
    assert not window.notifier.can_show()  # the offscreen platform has no tray, like many desktops
    assert window.alerts.notify.isChecked() and "no system tray" in window.alerts.notify.toolTip()

    alert = raise_alert(conn, web1)
    # the Alerts tab is in front
    qtbot.waitUntil(lambda: not window.alerts.visibleRegion().isEmpty(), timeout=5000)
    assert window.jobs.visibleRegion().isEmpty()
    # no tray: the window's notice says it
    notice = window.alert_notice
    qtbot.waitUntil(notice.isVisible, timeout=5000)
    assert "web1" in notice.text.text() and "saved state is damaged" in notice.text.text()
    assert window.notifier.shown == 0
    # the marks: the VM's icon in the list (and its tooltip), the VM in the tree, its host's item
    qtbot.waitUntil(lambda: name_cell.data(ALERT_ROLE) is not None, timeout=5000)
    assert name_cell.data(ALERT_ROLE) == alert["severity"]
    assert name_cell.data(Qt.ItemDataRole.DecorationRole).cacheKey() != plain
    assert "Active alert: the saved state is damaged" in name_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert s.vm_model.index_of(vm_by_name(s, "web2")["id"], Col.NAME).data(ALERT_ROLE) is None
    host_item = window.nav.item_for("host", s.host_key)
    assert window.nav.alert_of(s.host_key) == alert["severity"]
    assert host_item.icon(0).cacheKey() != host_icon
    assert "Active alerts: web1: the saved state is damaged" in host_item.toolTip(0)
    vm_item = window.nav.item_for("vm", web1["id"], s.host_key)
    assert vm_item.icon(0).cacheKey() != window.nav.item_for("vm", vm_by_name(s, "web2")["id"]).icon(0).cacheKey()
    # the marks survive the tree being rebuilt (a host group made)
    window.new_group("", "Lab")
    assert window.nav.alert_of(s.host_key) == alert["severity"]
    assert "Active alerts" in window.nav.item_for("host", s.host_key).toolTip(0)

    # Show Alerts from the notice; then the alert is cleared: the marks go
    window.jobs_dock.raise_()
    notice.open_button.click()
    assert not notice.isVisible() and not window.alerts.visibleRegion().isEmpty()
    conn.clear_alert(alert["id"])
    qtbot.waitUntil(lambda: name_cell.data(ALERT_ROLE) is None, timeout=5000)
    assert name_cell.data(Qt.ItemDataRole.DecorationRole).cacheKey() == plain
    assert window.nav.alert_of(s.host_key) is None
    assert "Active alerts" not in window.nav.item_for("host", s.host_key).toolTip(0)


def test_with_notify_off_nothing_pops_up_but_the_marks_and_the_tab_remain(window, conn, qtbot):
    make_vms(conn, "web1")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None)
    window.alerts.notify.setChecked(False)
    window.jobs_dock.raise_()
    raise_alert(conn, vm_by_name(s, "web1"))
    qtbot.waitUntil(lambda: not window.alerts.visibleRegion().isEmpty(), timeout=5000)
    qtbot.waitUntil(lambda: window.nav.alert_of(s.host_key) is not None, timeout=5000)
    assert not window.alert_notice.isVisible()
