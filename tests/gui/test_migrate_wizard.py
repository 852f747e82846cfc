"""The Migrate Virtual Machine wizard, page by page, against two hosts (the embedded one and a Bulkhead host over
TLS, tests/remotehosts.py): the hosts rated with stars and the reason for 0 stars, Customize Ratings re-rating at
once, a precheck error disabling Next, the automatic transfer type preselected with why, the destination's folders
browsed through the API, the prediction updated every second, and View Script."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from gui.dialogs.host_browser import HostBrowserDialog
from gui.dialogs.script import ScriptDialog
from gui.wizards.migrate import script
from gui.wizards.migrate.select_host import HOST, RATING, TRANSFER, WHY
from gui.wizards.migrate.stars import STARS_ROLE

from ..helpers.remote import far_fixture
from ..remotehosts import TlsHost
from .conftest import make_vms
from .migrate_helpers import (
    far_conn,
    next_enabled,
    open_wizard,
    rated,
    running_vm,
    select,
    to_page,
    two_hosts,
    with_libvirt_test_host,
    wizard_on_far,
)

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library")


far = far_fixture(TlsHost, "gui-migrate")


def rows(page) -> dict[str, dict]:
    """Host label -> what its row shows."""
    out = {}
    for r in range(page.model.rowCount()):
        host = page.model.item(r, HOST).text()
        out[host] = {"stars": page.model.item(r, RATING).data(STARS_ROLE), "text": page.model.item(r, RATING).text(),
                     "transfer": page.model.item(r, TRANSFER).text(), "why": page.model.item(r, WHY).text()}
    return out


def test_select_host_rates_every_host_with_stars_and_says_why_a_host_gets_none(make_window, conn, far, gui_env,
                                                                               qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    running_vm(qtbot, window, conn, "rate1")
    window.vm_actions["migrate"].trigger()  # the console's Migrate action opens the wizard for Bulkhead VMs
    wiz = window.migrate_wizard
    assert wiz is not None and wiz.vm["name"] == "rate1" and wiz.session is window.session
    page = rated(qtbot, wiz)
    shown = rows(page)
    here = window.session.host_label + " (this VM's host)"
    assert set(shown) == {here, "rack-far"}, shown
    far_row = shown["rack-far"]
    assert 0.5 <= far_row["stars"] <= 5 and far_row["stars"] * 2 == int(far_row["stars"] * 2)  # half stars
    assert far_row["transfer"] == "Live" and far_row["why"] == ""
    assert shown[here]["transfer"] == "Storage"
    # the best host that is not the VM's own is chosen, its rating explained
    assert page.selected()["session"] is remote and wiz.destination is remote
    assert "rack-far" in page.explanation.text() and "Memory:" in page.explanation.text()
    assert next_enabled(wiz)
    # a host that cannot be reached: 0 stars, and why, in its row
    remote.conn, saved = None, remote.conn
    try:
        page.rate()
        rated(qtbot, wiz, 2)
        shown = rows(page)
        assert shown["rack-far"]["stars"] == 0 and "not connected" in shown["rack-far"]["why"]
        page.select_host(remote)
        assert not next_enabled(wiz) and "cannot take this VM" in page.message.text()
    finally:
        remote.conn = saved
    # Customize Ratings re-rates at once: resource maximization, memory alone
    page.rate()
    rated(qtbot, wiz, 3)
    dialog = page.open_customize()
    assert dialog.balance.isChecked()
    dialog.maximize.setChecked(True)
    for key in ("cpu", "disk", "network"):
        dialog.sliders[key].setValue(0)
    qtbot.waitUntil(lambda: page.answers >= 4, timeout=20_000)
    assert page.goal == "maximize" and page.weights == {"cpu": 0.0, "memory": 5.0, "disk": 0.0, "network": 0.0}
    assert "resource maximization" in page.goal_label.text() and "customized" in page.goal_label.text()
    assert "resource maximization" in page.explanation.text()
    answers = page.answers
    dialog.sliders["memory"].setValue(0)  # nothing matters: refused, not sent
    assert dialog.problem() is not None and "importance" in dialog.message.text()
    qtbot.wait(600)
    assert page.answers == answers and page.weights["memory"] == 5.0
    dialog.reject()
    wiz.reject()


def test_a_host_of_another_kind_gets_no_stars_with_the_reason(make_window, conn, far, gui_env, qtbot):
    window, remote, lv = with_libvirt_test_host(make_window, conn, far, gui_env, qtbot, "lv-test",
                                                ready=lambda lv: lv.conn is not None)
    running_vm(qtbot, window, conn, "kind1")
    wiz = open_wizard(qtbot, window, "kind1")
    page = rated(qtbot, wiz)
    shown = rows(page)
    assert shown["lv-test"]["stars"] == 0 and shown["lv-test"]["transfer"] == ""
    assert shown["lv-test"]["why"] == "this host takes no moves now: the test driver cannot migrate"
    assert page.select_host(lv) and not next_enabled(wiz)
    assert "lv-test cannot take this VM: this host takes no moves now" in page.message.text()
    assert "a libvirt host cannot run this engine's VMs: choose a Bulkhead host" in page.explanation.text()
    assert page.select_host(remote) and next_enabled(wiz)
    wiz.reject()


def test_a_precheck_error_disables_next_and_says_what_to_do(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    running_vm(qtbot, window, conn, "dup1")
    with far_conn(far) as c:
        c.new_vm("dup1", memory="16M").wait(check=True)  # the name is taken there
    try:
        wiz = open_wizard(qtbot, window, "dup1")
        select(qtbot, wiz, remote)
        page = to_page(qtbot, wiz, wiz.precheck_page)
        qtbot.waitUntil(lambda: page.answers >= 1, timeout=20_000)
        shown = page.shown()
        errors = [r for r in shown if r["severity"] == "error"]
        assert [e["topic"] for e in errors] == ["name"]
        assert errors[0]["texts"] == ["Error", "Name", "the destination already has a VM named 'dup1'",
                                      "rename the VM or remove 'dup1' on the destination"]
        assert shown[0] == errors[0] and len(shown) > 3  # errors first, then the warnings and notes
        assert page.summary.text() == "1 error, 0 warnings: the move cannot start until the errors are fixed."
        assert not next_enabled(wiz) and "Fix this first" in page.message.text()
        # fixed there, checked again: Next
        with far_conn(far) as c:
            c.remove_vm("dup1").wait(check=True)
        page.again.click()
        qtbot.waitUntil(lambda: page.answers >= 2 and next_enabled(wiz), timeout=20_000)
        assert "can go ahead" in page.summary.text()
        wiz.reject()
    finally:
        with far_conn(far) as c:
            if "dup1" in [v.name for v in c.vms()]:
                c.remove_vm("dup1").wait()


def test_transfer_preselects_the_automatic_choice_and_says_why(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    running_vm(qtbot, window, conn, "live1")
    make_vms(conn, "off1")
    wiz = open_wizard(qtbot, window, "live1")
    select(qtbot, wiz, remote)
    page = to_page(qtbot, wiz, wiz.transfer_page)
    assert page.chosen() == "live" and page.buttons["live"].isChecked()
    assert page.why.text().startswith("Recommended: Live, because the VM is Running")
    assert page.notes["storage"].text().endswith("Not here: only on the VM's own host (choose it on Select Host).")
    assert page.buttons["quick"].isEnabled() and not page.buttons["network"].isEnabled()
    assert not page.buttons["storage"].isEnabled() and "own host" in page.buttons["storage"].toolTip()
    assert page.downtime.value() == 50 and page.auto_converge.isChecked() and page.bandwidth.value() == 0
    page.buttons["quick"].setChecked(True)
    assert not page.downtime.isEnabled() and page.type_param() == "quick"
    page.buttons["live"].setChecked(True)
    assert page.type_param() == "auto"  # the automatic choice: the host decides the same way
    wiz.reject()
    # a VM that is off: a network copy of its files
    window.select_vms(["off1"], session=window.session)
    wiz = open_wizard(qtbot, window, "off1")
    select(qtbot, wiz, remote)
    page = to_page(qtbot, wiz, wiz.transfer_page)
    assert page.chosen() == "network" and "the VM is Off" in page.why.text()
    assert not page.buttons["live"].isEnabled() and "not running" in page.buttons["live"].toolTip()
    wiz.reject()


def test_the_path_page_browses_the_destination_and_maps_networks(make_window, conn, far, gui_env, qtbot):
    there = far.home.parent / "vm-folders"
    (there / "fast").mkdir(parents=True, exist_ok=True)
    conn.new_switch("lab").wait(check=True)
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    conn.new_vm("net1", memory="16M", network="lab", start=True).wait(check=True)
    running_vm(qtbot, window, conn, "net1")
    with far_conn(far) as c:
        if "lan2" not in [s["name"] for s in c.switches()]:
            c.new_switch("lan2").wait(check=True)
    wiz = open_wizard(qtbot, window, "net1")
    select(qtbot, wiz, remote)
    precheck = to_page(qtbot, wiz, wiz.precheck_page)
    qtbot.waitUntil(lambda: precheck.answers >= 1, timeout=20_000)
    network = [r["texts"] for r in precheck.shown() if r["topic"] == "network"]
    assert network and network[0][0] == "Error" and "no virtual switch 'lab'" in network[0][2]
    assert network[0][3].startswith("Fix it on the Path and Networks page")
    assert next_enabled(wiz)  # the next pages fix it
    paths = to_page(qtbot, wiz, wiz.paths_page)
    qtbot.waitUntil(lambda: "map_lab" in [c.objectName() for c in paths.maps.values()] and paths.switches is not None,
                    timeout=20_000)
    assert not next_enabled(wiz) and "for the adapter on 'lab'" in paths.message.text()
    combo = paths.maps["lab"]
    combo.setCurrentIndex(combo.findData("lan2"))
    assert paths.network_map() == {"lab": "lan2"}
    # Browse <host>: the destination's folders, through the API
    assert paths.browse.text() == "&Browse rack-far..."
    paths.path.setText(str(there))
    dialog = paths.open_browser()
    assert isinstance(dialog, HostBrowserDialog) and dialog.session is remote and dialog.folders
    qtbot.waitUntil(lambda: dialog.folder == str(there) and dialog.names() == ["fast"], timeout=10_000)
    assert " free of " in dialog.space.text()
    dialog.go(str(there / "fast"))
    qtbot.waitUntil(lambda: dialog.folder == str(there / "fast"), timeout=10_000)
    dialog.ok.click()
    assert paths.path_value() == str(there / "fast")
    qtbot.waitUntil(lambda: paths.space.text().startswith(f"{there / 'fast'}: ") and " free of " in
                    paths.space.text(), timeout=10_000)
    qtbot.waitUntil(lambda: next_enabled(wiz), timeout=20_000)
    assert wiz.check_params()["network_map"] == {"lab": "lan2"}
    files = [(paths.files.topLevelItem(i).text(0), paths.files.topLevelItem(i).text(2))
             for i in range(paths.files.topLevelItemCount())]
    assert files == [("Guest image", "present there: not copied")], files  # no disk; the bundled image is there
    wiz.reject()


def test_the_summary_predicts_every_second_and_view_script_renders_the_move(make_window, conn, far, gui_env, qtbot):
    window, remote, wiz = wizard_on_far(make_window, conn, far, gui_env, qtbot, "sum1")
    to_page(qtbot, wiz, wiz.transfer_page)
    wiz.transfer_page.bandwidth.setValue(100)
    wiz.transfer_page.downtime.setValue(80)
    page = to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: page.predictions >= 1, timeout=20_000)
    first = page.predictions
    qtbot.wait(2600)
    assert page.predictions >= first + 2  # asked again every second
    text = page.prediction_text.text()
    for word in ("Total time", "Data to send", "Rounds", "Downtime", "limit 80 ms", "Converges", "dirty rate"):
        assert word in text, word
    assert page.updated.text().startswith("Updated ")
    assert "rack-far" in page.choices.text() and "100 MiB/s" in page.choices.text()
    qtbot.waitUntil(lambda: wiz.button(wiz.WizardButton.FinishButton).isEnabled(), timeout=20_000)
    # View Script: the command line and the Python script of this move
    page.view_script.click()
    dialog = wiz.script_dialog
    assert isinstance(dialog, ScriptDialog) and dialog.isVisible()
    command = dialog.command.toPlainText()
    assert command == f"bulkhead vm move sum1 --to '{far.uri}' --bandwidth 100M --downtime-limit 80ms"
    python = dialog.python.toPlainText()
    assert f"api.connect(uri={far.uri!r}) as dst" in python
    assert "conn.move_vm('sum1', dst, bandwidth='100M', downtime_limit=0.08)" in python
    compile(python, "move.py", "exec")
    dialog.reject()
    # leaving the page stops the questions
    wiz.back()
    count = page.predictions
    qtbot.wait(1500)
    assert page.predictions <= count + 1
    wiz.reject()


def test_view_script_renders_every_kind_of_move():
    s = script.move_script("web1", "bulkhead+tls://rack1", "bulkhead+ssh://admin@rack2", "quick", "/srv/vms",
                           {"lab": "lan"}, 50 << 20, 0.05, auto_converge=False)
    assert s.command_line.splitlines()[0] == ("bulkhead --connect bulkhead+tls://rack1 vm move web1 --to "
                                              "bulkhead+ssh://admin@rack2 --type quick --path /srv/vms --network-map "
                                              "lab=lan --bandwidth 50M")
    assert "auto_converge=False" in s.python and "api.connect(uri='bulkhead+tls://rack1') as conn" in s.python
    assert script.move_script("web1", "", "").command_line == "bulkhead vm move web1 --to local"
    s = script.storage_script("web1", "", "/srv/vhds", 10 << 20)
    assert s.command_line == "bulkhead vm move-storage web1 --path /srv/vhds --bandwidth 10M"
    assert "conn.move_storage('web1', '/srv/vhds', bandwidth='10M')" in s.python
    s = script.libvirt_script("db1", "qemu:///system", "qemu+ssh://b/system", live=True)
    assert "conn.migrate_vm('db1', destination='qemu+ssh://b/system', live=True" in s.python
    for s in (script.move_script("a", "", "x"), script.storage_script("a", "", "/p"),
              script.libvirt_script("a", "qemu:///system", "qemu:///x")):
        compile(s.python, "s.py", "exec")


def test_cancel_in_the_wizard_moves_nothing(make_window, conn, far, gui_env, qtbot):
    window, remote, wiz = wizard_on_far(make_window, conn, far, gui_env, qtbot, "stay1")
    to_page(qtbot, wiz, wiz.summary_page)
    wiz.reject()
    assert wiz.result() == QDialog.DialogCode.Rejected
    qtbot.wait(300)
    assert [j for j in window.session.jobs_model.jobs() if j.get("name") == "Migrate VM"] == []
    assert "stay1" in window.nav.vm_names(window.session.host_key)
    with far_conn(far) as c:
        assert "stay1" not in [v.name for v in c.vms()]
