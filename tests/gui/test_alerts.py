"""Health and alerts as the console shows them: a guest that stops its heartbeat shows Lost Communication and
Degraded in the list and an alert in the Alerts pane (acknowledged from the pane), cleared when it beats again;
the rules editor checks what is typed and applies it to the host."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QDialogButtonBox

from gui.alerts.model import AlertCol
from gui.models.vm_table import Col

from .conftest import vm_by_name, wait_state


def cell(window, name: str, col: int) -> str:
    s = window.session
    vm = vm_by_name(s, name)
    return window.proxy.mapFromSource(s.vm_model.index_of(vm["id"], col)).data() if vm else ""


def alert_rows(pane, words: str) -> list[int]:
    """Rows of the Alerts pane (as filtered) whose message contains ``words``."""
    model = pane.proxy
    return [r for r in range(model.rowCount()) if words in (model.index(r, AlertCol.MESSAGE).data() or "")]


def test_lost_heartbeat_shows_in_the_list_and_the_alerts_pane(window, conn, qtbot):
    conn._transport.service.sampler.interval = 0.5
    conn.set_alert_rules([{"id": "heartbeat_lost", "duration": 0}])
    conn.new_vm("beats", memory="16M", start=True).wait(check=True)
    s = window.session
    wait_state(qtbot, s, "beats", "Running")
    qtbot.waitUntil(lambda: cell(window, "beats", Col.STATUS) == "OK", timeout=15_000)
    pane = window.alerts
    assert pane.proxy.rowCount() == 0 and pane.summary.text() == "No active alerts"

    conn.console_send("beats", "heartbeat stop\r")
    # Heartbeat/Status: Hyper-V's heartbeat, then the health with its reason
    qtbot.waitUntil(lambda: cell(window, "beats", Col.STATUS).startswith("Lost Communication; Degraded: "),
                    timeout=15_000)
    assert "heartbeat lost" in cell(window, "beats", Col.STATUS)
    qtbot.waitUntil(lambda: len(alert_rows(pane, "heartbeat lost")) == 1, timeout=10_000)
    row = alert_rows(pane, "heartbeat lost")[0]
    assert pane.proxy.index(row, AlertCol.SEVERITY).data() == "Critical"
    assert pane.proxy.index(row, AlertCol.TARGET).data() == "beats"
    assert pane.proxy.index(row, AlertCol.STATE).data() == "Active"
    assert window.alerts_dock.windowTitle() == "Alerts (1)"
    assert window.notifier.last is not None and "heartbeat lost" in window.notifier.last[1]
    assert window.notifier.shown == (1 if window.notifier.available() else 0)  # a tray only where there is one
    pane.notify.setChecked(False)  # the setting to turn notifications off is remembered
    assert window.settings.value("alerts/notify", True, bool) is False

    # acknowledge from the pane: the host records it, the state column says so
    pane.table.selectionModel().select(pane.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)
    assert pane.ack_button.isEnabled()
    pane.ack_button.click()
    qtbot.waitUntil(lambda: pane.proxy.index(alert_rows(pane, "heartbeat lost")[0], AlertCol.STATE).data()
                    == "Acknowledged", timeout=5000)
    assert conn.alerts()[0]["acknowledged"]

    # the guest beats again: the alert clears (hidden unless the cleared history is shown), health is OK
    conn.console_send("beats", "heartbeat start\r")
    qtbot.waitUntil(lambda: not alert_rows(pane, "heartbeat lost"), timeout=10_000)
    qtbot.waitUntil(lambda: cell(window, "beats", Col.STATUS) == "OK", timeout=15_000)
    assert pane.summary.text() == "No active alerts" and window.alerts_dock.windowTitle() == "Alerts"
    pane.show_cleared.setChecked(True)
    qtbot.waitUntil(lambda: len(alert_rows(pane, "heartbeat lost")) == 1, timeout=5000)
    state = pane.proxy.index(alert_rows(pane, "heartbeat lost")[0], AlertCol.STATE).data()
    assert state.startswith("Cleared") and "condition ended" in state


def test_alert_rules_editor_checks_and_applies(window, conn, qtbot):
    dialog = window.open_alert_rules()
    qtbot.waitUntil(lambda: "cpu_high" in dialog.rows, timeout=5000)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cpu = dialog.rows["cpu_high"]
    cpu["threshold"].setValue(0)
    assert "percentage from 1 to 100" in dialog.message.text() and not ok.isEnabled()
    cpu["threshold"].setValue(150)
    assert "percentage from 1 to 100" in dialog.message.text() and not ok.isEnabled()
    cpu["threshold"].setValue(75)
    assert ok.isEnabled() and dialog.message.kind != "error"
    cpu["duration"].setValue(100_000)
    assert "at most 86400 s" in dialog.message.text() and not ok.isEnabled()
    cpu["duration"].setValue(10)
    dialog.rows["device_failed"]["enabled"].setChecked(False)
    dialog.rows["heartbeat_lost"]["severity"].setCurrentIndex(0)  # warning
    assert not dialog.rows["heartbeat_lost"]["threshold"].isEnabled()  # that rule has no threshold
    assert dialog.changes() == [{"id": "cpu_high", "threshold": 75.0, "duration": 10.0},
                                {"id": "heartbeat_lost", "severity": "warning"},
                                {"id": "device_failed", "enabled": False}]
    ok.click()
    qtbot.waitUntil(lambda: window.rules_dialog is None, timeout=5000)
    rules = {r["id"]: r for r in conn.alert_rules()}
    assert (rules["cpu_high"]["threshold"], rules["cpu_high"]["duration"]) == (75, 10)
    assert rules["heartbeat_lost"]["severity"] == "warning" and not rules["device_failed"]["enabled"]
