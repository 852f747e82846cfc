"""Moves from the Migrate wizard, for real, between the embedded host and a Bulkhead host over TLS: a live move
completes and the VM appears under the destination in the tree from the hosts' events alone (no refresh), the
migration view graphs its rounds and ends with predicted and actual side by side; a cancelled move leaves the VM
running on the source; a VM dropped on another host in the tree opens the wizard with that host chosen; Move VM
Storage opens it at Transfer; a libvirt domain gets the pages its host supports. The event loop never stalls."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWizard

from core import api
from gui import libvirt_hosts
from gui.dialogs.migration_view import MigrationView
from gui.wizards.migrate import dragdrop, precheck

from ..helpers.remote import far_fixture
from ..remotehosts import TlsHost
from .conftest import vm_by_name, wait_state
from .migrate_helpers import (
    far_conn,
    finish_enabled,
    open_wizard,
    running_vm,
    select,
    to_page,
    two_hosts,
    with_libvirt_test_host,
)
from .test_watchdog import Watchdog

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library")
MAX_STALL = 0.050
ROOT = Path(__file__).resolve().parents[2]


far = far_fixture(TlsHost, "gui-move")


near = far_fixture(TlsHost, "gui-move-near")


def with_near(make_window, conn, far, near, gui_env, qtbot, vm: str, **settings):
    """The console with both TLS hosts; ``vm`` made (running) on ``near``; (window, far's session, near's)."""
    libvirt_hosts.add(near.uri, name="rack-near", home=str(gui_env / "home"))
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    qtbot.waitUntil(lambda: near.uri in window.remote and window.remote[near.uri].loaded, timeout=20_000)
    source = window.remote[near.uri]
    with api.connect(uri=near.uri) as c:
        c.new_vm(vm, start=True, **settings).wait(check=True)
    wait_state(qtbot, source, vm, "Running")
    return window, remote, source


def views(window) -> list[MigrationView]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MigrationView) and w.isVisible()
            and w.parent() is window]


def finish(qtbot, wiz) -> MigrationView:
    window = wiz.parent()
    qtbot.waitUntil(lambda: finish_enabled(wiz), timeout=20_000)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: bool(views(window)), timeout=30_000)
    return views(window)[-1]


def test_a_live_move_completes_and_the_vm_appears_under_the_destination(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot, quiet=True)
    here = window.session
    running_vm(qtbot, window, conn, "move1")
    wiz = open_wizard(qtbot, window, "move1")
    select(qtbot, wiz, remote)
    to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: wiz.summary_page.predictions >= 1, timeout=20_000)
    predicted = wiz.summary_page.prediction
    view = finish(qtbot, wiz)
    assert window.migrate_wizard is None and (not shiboken6.isValid(wiz) or not wiz.isVisible())  # closed by Finish
    assert view.session is here and view.windowTitle() == "Migrate VM move1"
    job_id = view.job_id
    qtbot.waitUntil(lambda: view.job.get("state") == "Completed", timeout=60_000)
    # under the destination in the tree, gone from the source: from the events (no list refresh runs)
    qtbot.waitUntil(lambda: "move1" in window.nav.vm_names(remote.host_key), timeout=15_000)
    qtbot.waitUntil(lambda: "move1" not in window.nav.vm_names(here.host_key), timeout=15_000)
    assert not here._timer.isActive() and not remote._timer.isActive()
    wait_state(qtbot, remote, "move1", "Running")
    assert vm_by_name(here, "move1") is None
    # the view: its rounds, the phase, predicted against actual
    assert view.phase.text().startswith("Done: move1 moved to ")
    assert not view.cancel_button.isVisible() and view.progress.value() == 100
    assert view.points and view.points[0].get("round") == 0
    figures = view.figures()
    assert set(figures) == {"Total time", "Downtime", "Data sent", "Rounds"}
    assert all(actual != "-" for _p, actual in figures.values()), figures
    assert figures["Rounds"][0] == str(predicted["rounds"])
    job = here.jobs_model.job(job_id)
    assert job["state"] == "Completed" and job["result"]["downtime_s"] is not None
    # opened again from the jobs strip: the same view; closed, a new one with the same figures
    assert window.show_job(job) is view
    view.close()
    qtbot.waitUntil(lambda: not views(window), timeout=5000)
    again = window.show_job(job)
    assert isinstance(again, MigrationView) and again is not view and again.figures() == figures
    again.close()
    with far_conn(far) as c:
        c.stop_vm("move1", mode="turn_off").wait()
        c.remove_vm("move1").wait()


def test_the_event_loop_never_stalls_while_a_move_streams_its_rounds(make_window, conn, far, near, gui_env, qtbot):
    """Between two host services of their own (the embedded host would share this process's interpreter with the
    guest it sends): the console only draws the rounds' events as they come."""
    window, remote, source = with_near(make_window, conn, far, near, gui_env, qtbot, "busy1", memory="256M",
                                       workload="dirty:16")
    qtbot.wait(3000)  # its dirtier has touched its memory by then
    wiz = window.open_migrate((source, vm_by_name(source, "busy1")))
    select(qtbot, wiz, remote)
    to_page(qtbot, wiz, wiz.transfer_page)
    wiz.transfer_page.bandwidth.setValue(32)  # a few rounds of a few seconds
    to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: finish_enabled(wiz), timeout=20_000)
    view = finish(qtbot, wiz)
    # from the first round's event on: the streaming, not the view's one-time building after Finish
    qtbot.waitUntil(lambda: view.events_seen >= 1, timeout=30_000)
    dog = Watchdog()
    dog.start()
    qtbot.waitUntil(lambda: view.job.get("state") in ("Completed", "Failed"), timeout=120_000)
    dog.timer.stop()
    assert view.job["state"] == "Completed", view.job.get("error")
    assert view.events_seen >= 3 and dog.ticks > 100
    assert dog.max_gap <= MAX_STALL, f"the event loop stalled {dog.max_gap * 1000:.0f} ms during the move"
    qtbot.waitUntil(lambda: "busy1" in window.nav.vm_names(remote.host_key), timeout=15_000)
    qtbot.waitUntil(lambda: "busy1" not in window.nav.vm_names(source.host_key), timeout=15_000)
    view.close()
    with far_conn(far) as c:
        c.stop_vm("busy1", mode="turn_off").wait()
        c.remove_vm("busy1").wait()


def test_the_rendered_command_line_makes_the_same_move(make_window, conn, far, near, gui_env, qtbot):
    window, remote, source = with_near(make_window, conn, far, near, gui_env, qtbot, "cli1", memory="16M")
    wiz = window.open_migrate((source, vm_by_name(source, "cli1")))
    select(qtbot, wiz, remote)
    to_page(qtbot, wiz, wiz.transfer_page)
    wiz.transfer_page.buttons["quick"].setChecked(True)
    wiz.transfer_page.bandwidth.setValue(64)
    to_page(qtbot, wiz, wiz.summary_page)
    command = wiz.script().command_line
    assert command == (f"bulkhead --connect '{near.uri}' vm move cli1 --to '{far.uri}' --type quick "
                       "--bandwidth 64M")
    wiz.reject()
    words = shlex.split(command)
    assert words[0] == "bulkhead"
    r = subprocess.run([sys.executable, "-m", "core.cli", *words[1:]], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert r.returncode == 0, r.stdout + r.stderr
    qtbot.waitUntil(lambda: "cli1" in window.nav.vm_names(remote.host_key), timeout=15_000)
    with far_conn(far) as c:
        assert c.vm("cli1").state == "Running"
        c.stop_vm("cli1", mode="turn_off").wait()
        c.remove_vm("cli1").wait()
    with api.connect(uri=near.uri) as c:
        assert "cli1" not in [v.name for v in c.vms()]


def test_a_cancelled_move_leaves_the_vm_running_on_the_source(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    conn.new_vm("slow1", memory="64M", workload="dirty:8", start=True).wait(check=True)  # it keeps dirtying memory
    running_vm(qtbot, window, conn, "slow1")
    wiz = open_wizard(qtbot, window, "slow1")
    select(qtbot, wiz, remote)
    to_page(qtbot, wiz, wiz.transfer_page)
    wiz.transfer_page.bandwidth.setValue(1)  # 1 MiB/s: the first round alone takes a while
    to_page(qtbot, wiz, wiz.summary_page)
    view = finish(qtbot, wiz)
    qtbot.waitUntil(lambda: view.job.get("state") == "Running", timeout=20_000)
    assert view.cancel_button.isVisible() and view.phase.text().startswith("Phase: ")
    view.cancel_button.click()
    qtbot.waitUntil(lambda: view.job.get("state") == "Cancelled", timeout=60_000)
    assert view.phase.text() == "Cancelled: the VM carries on at the source"
    assert not view.cancel_button.isVisible()
    wait_state(qtbot, here, "slow1", "Running")
    assert "slow1" in window.nav.vm_names(here.host_key)
    with far_conn(far) as c:
        assert "slow1" not in [v.name for v in c.vms()]
    assert conn.vm("slow1").state == "Running"
    view.close()


def drag_events(port, mime: QMimeData, pos: QPoint):
    where = QPointF(pos)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    return (QDragEnterEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods),
            QDragMoveEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods),
            QDropEvent(where, Qt.DropAction.MoveAction, mime, buttons, mods))


def test_dropping_a_vm_on_another_host_opens_the_wizard_with_that_host(make_window, conn, far, gui_env, qtbot):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    vm = running_vm(qtbot, window, conn, "drag1")
    nav = window.nav
    port = nav.viewport()
    mime = dragdrop.mime_for(here.host_key, vm["id"])
    # its own host: not a place to drop it
    own = nav.visualItemRect(nav.item_for("host", here.host_key)).center()
    enter, move, _drop = drag_events(port, mime, own)
    QApplication.sendEvent(port, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(port, move)
    assert not move.isAccepted()
    # the other host: the wizard, that host chosen and rated first
    other = nav.visualItemRect(nav.item_for("host", remote.host_key)).center()
    _enter, move, drop = drag_events(port, mime, other)
    QApplication.sendEvent(port, move)
    assert move.isAccepted()
    QApplication.sendEvent(port, drop)
    wiz = window.vm_drops.opened
    assert wiz is not None and wiz is window.migrate_wizard and wiz.isVisible()
    assert wiz.vm["id"] == vm["id"] and wiz.destination is remote
    qtbot.waitUntil(lambda: wiz.select_page.answers >= 1, timeout=20_000)
    assert wiz.select_page.selected()["session"] is remote
    assert nav.vm_names(here.host_key).count("drag1") == 1  # nothing of the tree moved
    wiz.reject()
    # the tree's own drags (hosts into groups) are not taken
    host_mime = QMimeData()
    host_mime.setData("application/x-bulkhead-node", f"host\n{remote.host_key}".encode())
    enter, _move, _drop = drag_events(port, host_mime, other)
    assert dragdrop.payload(host_mime) is None
    assert not window.vm_drops.eventFilter(port, enter)


def test_move_vm_storage_opens_the_wizard_at_transfer(make_window, conn, far, gui_env, qtbot, tmp_path):
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    here = window.session
    disk = tmp_path / "st1.vhd"
    conn.new_disk(str(disk), "8M").wait(check=True)
    conn.new_vm("st1", memory="16M", disk=str(disk), start=True).wait(check=True)
    running_vm(qtbot, window, conn, "st1")
    action = window.vm_actions["move_storage"]
    qtbot.waitUntil(action.isEnabled, timeout=5000)
    action.trigger()
    wiz = window.migrate_wizard
    assert wiz.currentPage() is wiz.transfer_page and wiz.destination is here
    assert [wiz.steps.item(i).text() for i in range(wiz.steps.count())] == ["Transfer", "Storage Path",
                                                                              "Summary"]
    t = wiz.transfer_page
    assert t.chosen() == "storage" and not t.buttons["live"].isEnabled()
    paths = to_page(qtbot, wiz, wiz.paths_page)
    assert paths.title() == "Storage Path" and not paths.networks_box.isVisible()
    assert "Choose the folder" in paths.message.text()
    target = tmp_path / "fast"
    target.mkdir()
    paths.path.setText(str(target))
    summary = to_page(qtbot, wiz, wiz.summary_page)
    qtbot.waitUntil(lambda: summary.predictions >= 1, timeout=20_000)
    assert "Total time" in summary.prediction_text.text() and summary.prediction["type"] == "storage"
    wiz.show_script()
    assert wiz.script_dialog.command.toPlainText() == f"bulkhead vm move-storage st1 --path {target}"
    wiz.script_dialog.reject()
    view = finish(qtbot, wiz)
    qtbot.waitUntil(lambda: view.job.get("state") == "Completed", timeout=60_000)
    assert conn.vm("st1").disk == str(target / "st1.vhd")
    assert "st1" in window.nav.vm_names(here.host_key)
    view.close()


def test_a_libvirt_domain_gets_the_pages_its_host_supports(make_window, conn, far, gui_env, qtbot):
    window, _remote, lv = with_libvirt_test_host(make_window, conn, far, gui_env, qtbot, "lv-demo",
                                                 ready=lambda lv: bool(lv.vm_model.vms()))
    vm = lv.vm_model.vms()[0]
    wiz = window.open_migrate((lv, vm))
    assert wiz.is_libvirt and wiz.paths_page not in wiz.flow()
    assert [wiz.steps.item(i).text() for i in range(wiz.steps.count())] == ["Select Host", "Precheck", "Transfer",
                                                                              "Summary"]
    assert not wiz.transfer_page.bandwidth.isVisibleTo(wiz.transfer_page)
    assert wiz.transfer_page.copy_storage.isVisibleTo(wiz.transfer_page)
    page = wiz.select_page
    qtbot.waitUntil(lambda: page.answers >= 1, timeout=20_000)
    # the Bulkhead hosts cannot boot its operating system; its own host cannot migrate at all (the test driver)
    rows = {page.model.item(r, 1).text(): page.model.item(r, 0).data(Qt.ItemDataRole.UserRole + 40)
            for r in range(page.model.rowCount())}
    assert rows["rack-far"] == 0
    assert "the test driver cannot migrate" in page.message.text()
    assert not wiz.button(QWizard.WizardButton.NextButton).isEnabled()
    # a libvirt domain's network is libvirt's: not a switch of the destination to map, not an error that stops it
    pre = wiz.precheck_page
    rows = [{"severity": "error", "topic": "network", "text": "the destination has no virtual switch 'default'",
             "hint": "map adapter 'default' to a switch on the destination"},
            {"severity": "error", "topic": "memory", "text": "too big", "hint": "free memory"}]
    pre.show_rows(rows)
    shown = {r["topic"]: r["texts"] for r in pre.shown()}
    assert shown["network"][3].startswith("libvirt connects the domain to the destination's network")
    assert [r["topic"] for r in precheck.blocking(rows, pre.later())] == ["memory"]
    wiz.reject()
