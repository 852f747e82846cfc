"""From health to action in the console: a host's memory pressure alert selected in the Alerts pane shows the VMs
whose move would relieve it most, each with the best-rated other host; "Migrate..." opens the Migrate wizard with
that VM and that host chosen; an alert of another kind shows none. And the Migrate action's two rules: VMs of
different hosts never enable it (the tooltip says why)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from gui.actions import VmActions
from gui.alerts.model import AlertCol

from ..helpers.remote import far_fixture
from ..remotehosts import TlsHost
from .conftest import make_vms, wait_state
from .migrate_helpers import two_hosts

far = far_fixture(TlsHost, "gui-alert-migrate")


def select_alert(pane, words: str) -> None:
    model = pane.proxy
    row = next(r for r in range(model.rowCount()) if words in (model.index(r, AlertCol.MESSAGE).data() or ""))
    pane.table.selectionModel().select(model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                                       | QItemSelectionModel.SelectionFlag.Rows)


def test_a_pressure_alert_suggests_moves_and_migrate_opens_the_wizard_preselected(make_window, conn, far, gui_env,
                                                                                   qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    make_vms(conn, "busy1", "busy2", start=True)
    for name in ("busy1", "busy2"):
        wait_state(qtbot, window.session, name, "Running")
    conn._transport.service.sampler.interval = 0.5
    conn.set_alert_rules([{"id": "host_memory_pressure", "threshold": 1, "duration": 0}])
    pane = window.alerts
    qtbot.waitUntil(lambda: any("memory" in (pane.proxy.index(r, AlertCol.MESSAGE).data() or "")
                                for r in range(pane.proxy.rowCount())), timeout=15_000)
    panel = pane.suggestions
    assert panel.isHidden()
    select_alert(pane, "memory")
    assert not panel.isHidden() and "memory" in panel.title.text()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30_000)
    shown = panel.result["suggestions"]
    assert {s["vm"] for s in shown} == {"busy1", "busy2"}
    assert all(s["destination"] and panel.destination(s) is remote for s in shown)
    assert len(panel.buttons) == len(shown) and all(b.isEnabled() for b in panel.buttons)
    assert panel.buttons[0].text() == "Migrate..." and remote.host_label in panel.buttons[0].toolTip()
    assert panel.findChild(QWidget, "suggestion_destination_0").text().startswith(f"to {remote.host_label}, ")

    opened = []
    pane.migrate_requested.connect(lambda source, vm, dest: opened.append((source, vm["name"], dest)))
    panel.buttons[0].click()
    assert opened == [(window.session, shown[0]["vm"], remote)]
    wiz = window.migrate_wizard
    assert wiz is not None and wiz.isVisible()
    assert wiz.vm["id"] == shown[0]["vm_id"] and wiz.destination is remote and not wiz.bulk
    qtbot.waitUntil(lambda: wiz.select_page.answers >= 1, timeout=20_000)
    assert wiz.select_page.selected()["session"] is remote
    wiz.reject()

    # deselecting hides them; no other kind of alert has suggestions
    pane.table.clearSelection()
    assert panel.isHidden()
    panel.show_for(window.session, {"id": 99, "rule": "heartbeat_lost", "message": "VM 'x' heartbeat lost"}, [remote])
    assert panel.isHidden() and panel.result is None


def test_a_destination_that_is_gone_disables_migrate_and_no_host_says_so(window, conn, qtbot):
    make_vms(conn, "solo", start=True)
    wait_state(qtbot, window.session, "solo", "Running")
    conn._transport.service.sampler.interval = 0.5
    conn.set_alert_rules([{"id": "host_memory_pressure", "threshold": 1, "duration": 0}])
    pane = window.alerts
    qtbot.waitUntil(lambda: pane.proxy.rowCount() > 0, timeout=15_000)
    select_alert(pane, "memory")
    panel = pane.suggestions
    qtbot.waitUntil(lambda: panel.result is not None, timeout=30_000)
    shown = panel.result["suggestions"]
    assert [s["vm"] for s in shown] == ["solo"] and shown[0]["destination"] is None
    assert not panel.buttons[0].isEnabled() and "no host can take it" in panel.buttons[0].toolTip()
    assert panel.findChild(QWidget, "suggestion_destination_0").text() == "no host can take it"
    assert "No other host is connected" in panel.status.text()


def _vm(name: str, host: str, state: str = "Running") -> dict:
    return {"id": f"{name}-id", "name": name, "state": state, "host": host}


class _Can:
    """A host's can(capability) that allows everything; is_libvirt False (a Bulkhead host)."""

    is_libvirt = False

    def can(self, _capability: str) -> tuple[bool, str]:
        return True, ""


def test_vms_of_different_hosts_do_not_enable_migrate(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = VmActions(parent, lambda _key: None)
    migrate: QAction = actions["migrate"]
    one_host = _Can().can  # a host's own Session.can: a selection on that host
    actions.update([_vm("a", "h1"), _vm("b", "h1")], True, one_host)
    assert migrate.isEnabled() and "one after another" in migrate.statusTip()

    def any_host(capability: str) -> tuple[bool, str]:  # the window's can for a selection on several hosts
        return True, ""

    for how in ({"can": any_host}, {"can": one_host, "hosts": 2}):
        actions.update([_vm("a", "h1"), _vm("b", "h2")], True, **how)
        assert not migrate.isEnabled()
        assert migrate.statusTip() == ("Migrate: the selected VMs are on different hosts; several VMs move together "
                                       "only from one host (select the VMs of one host)")
    actions.update([_vm("a", "h1")], True, any_host)  # one VM is always on one host
    assert migrate.isEnabled()
