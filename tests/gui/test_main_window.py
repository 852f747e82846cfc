"""The main window as a user meets it: the list, bulk actions, what is disabled and why, the empty state, search,
errors as dialogs, settings, jobs, and the layout remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QToolButton

from gui.models.vm_table import Col

from .conftest import make_vms, message_box, open_console, trigger, vm_by_name, wait_state


def tool_button(window, key: str) -> QToolButton:
    action = window.vm_actions[key]
    return next(b for b in window.actions_pane.findChildren(QToolButton) if b.defaultAction() is action)


def test_bulk_actions_on_three_vms(window, conn, qtbot):
    make_vms(conn, "web1", "web2", "web3")
    s = window.session
    qtbot.waitUntil(lambda: len(s.vm_model.vms()) == 3)
    window.select_vms(["web1", "web2", "web3"])
    assert "web1, web2, web3" in window.vm_actions["start"].toolTip()

    trigger(qtbot, window, "start")
    for name in ("web1", "web2", "web3"):
        wait_state(qtbot, s, name, "Running")
    trigger(qtbot, window, "save")
    for name in ("web1", "web2", "web3"):
        wait_state(qtbot, s, name, "Saved")
    trigger(qtbot, window, "start")
    for name in ("web1", "web2", "web3"):
        wait_state(qtbot, s, name, "Running")

    # turn off asks first, naming what is lost; Cancel keeps them running
    trigger(qtbot, window, "turn_off")
    box = message_box(qtbot, "confirmation")
    assert "web1, web2, web3" in box.text() and "lost" in box.informativeText()
    box.button(box.StandardButton.Cancel).click()
    qtbot.wait(200)
    assert all(vm["state"] == "Running" for vm in s.vm_model.vms())
    trigger(qtbot, window, "turn_off")
    box = message_box(qtbot, "confirmation")
    next(b for b in box.buttons() if b.objectName() == "confirm").click()
    for name in ("web1", "web2", "web3"):
        wait_state(qtbot, s, name, "Off")

    # shut down is for running VMs only: with one running, it acts on that one and says which it skips
    conn.start_vm("web2").wait(check=True)
    wait_state(qtbot, s, "web2", "Running")
    window.select_vms(["web1", "web2", "web3"])
    tip = window.vm_actions["shut_down"].toolTip()
    assert "Shut Down web2" in tip and "skipped: web1 is Off, web3 is Off" in tip
    trigger(qtbot, window, "shut_down")
    wait_state(qtbot, s, "web2", "Off")
    # the jobs strip shows each operation
    names = [j["name"] for j in s.jobs_model.jobs()]
    assert names.count("Start VM") >= 6 and names.count("Save VM") == 3 and "Shut down VM" in names


def test_actions_a_state_does_not_allow_are_disabled_with_the_reason(window, conn, qtbot):
    make_vms(conn, "web1")
    make_vms(conn, "db1", start=True)
    s = window.session
    qtbot.waitUntil(lambda: len(s.vm_model.vms()) == 2)
    wait_state(qtbot, s, "db1", "Running")

    window.select_vms(["web1"])
    a = window.vm_actions
    for key in ("pause", "resume", "save", "reset", "turn_off", "shut_down"):
        assert not a[key].isEnabled(), key
    assert a["start"].isEnabled() and a["remove"].isEnabled() and a["settings"].isEnabled()
    assert a["pause"].toolTip().startswith("Pause needs Running; web1 is Off")
    assert a["resume"].toolTip().startswith("Resume needs Paused; web1 is Off")
    assert a["shut_down"].toolTip().startswith("Shut Down needs Running; web1 is Off")
    # the actions pane, toolbar and menus show the same action, so the same reason
    button = tool_button(window, "pause")
    assert not button.isEnabled() and button.toolTip().startswith("Pause needs Running; web1 is Off")

    window.select_vms(["db1"])
    assert not a["start"].isEnabled() and a["start"].toolTip().startswith("Start needs Off, Saved or Critical; "
                                                                          "db1 is Running")
    assert not a["remove"].isEnabled() and "db1 is Running" in a["remove"].toolTip()
    assert a["pause"].isEnabled() and a["shut_down"].isEnabled() and a["turn_off"].isEnabled()
    trigger(qtbot, window, "pause")
    wait_state(qtbot, s, "db1", "Paused")
    qtbot.waitUntil(lambda: a["resume"].isEnabled())
    assert not a["pause"].isEnabled() and a["pause"].toolTip().startswith("Pause needs Running; db1 is Paused")
    assert not a["shut_down"].isEnabled() and a["save"].isEnabled()

    window.select_vms([])
    assert not a["start"].isEnabled() and "select a virtual machine" in a["start"].toolTip()


def test_console_input_reaches_the_guest_shell(window, conn, qtbot):
    cw = open_console(qtbot, window, conn)
    s = window.session
    assert cw.terminal.text().startswith("Bulkhead guest kernel")  # the history came first
    qtbot.keyClicks(cw.terminal, "echo hello")
    qtbot.keyClick(cw.terminal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "echo hello\nhello\nbulkhead$" in cw.terminal.text(), timeout=10_000)
    # backspace edits the line in the guest and on screen
    qtbot.keyClicks(cw.terminal, "echo abx")
    qtbot.keyClick(cw.terminal, Qt.Key.Key_Backspace)
    qtbot.keyClicks(cw.terminal, "c")
    qtbot.keyClick(cw.terminal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "echo abc\nabc\nbulkhead$" in cw.terminal.text(), timeout=10_000)
    # the toolbar and status bar follow the VM
    assert cw.state_label.text() == "Status: Running"
    assert cw.toolbar_actions["pause_resume"].text() == "Pause"
    assert not cw.toolbar_actions["start"].isEnabled()
    cw.toolbar_actions["pause_resume"].trigger()
    qtbot.waitUntil(lambda: cw.toolbar_actions["pause_resume"].text() == "Resume")
    assert cw.state_label.text() == "Status: Paused"
    # Ctrl+key belongs to the guest; the window's own shortcuts are Ctrl+Alt+key, even with the terminal focused
    cw.activateWindow()
    cw.terminal.setFocus()
    qtbot.waitUntil(cw.terminal.hasFocus)
    qtbot.keyClick(cw.terminal, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    wait_state(qtbot, s, "web1", "Running")


def test_first_run_shows_an_empty_state_that_invites_creating_a_vm(window, qtbot):
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.empty)
    assert window.empty.button.isVisible() and "New Virtual Machine" in window.empty.button.text()
    qtbot.mouseClick(window.empty.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.wizard is not None and window.wizard.isVisible())
    window.wizard.reject()


def test_search_sort_and_cpu_usage(window, conn, qtbot):
    make_vms(conn, "alpha", "beta", "gamma")
    conn.new_vm("busy", memory="16M", workload="cpu:60", start=True).wait(check=True)
    s = window.session
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 4)
    window.search.setText("ga")
    assert window.proxy.rowCount() == 1
    window.search.setText("running")  # state matches too
    assert window.proxy.rowCount() == 1
    window.search.clear()
    window.table.sortByColumn(Col.NAME, Qt.SortOrder.DescendingOrder)
    assert [window.proxy.index(r, Col.NAME).data() for r in range(4)] == ["gamma", "busy", "beta", "alpha"]
    # CPU usage comes from the host's metrics samples: the busy guest shows load, its sparkline fills in
    qtbot.waitUntil(lambda: (s.vm_model.row_of(vm_by_name(s, "busy")["id"]).cpu or 0) > 20, timeout=10_000)
    row = s.vm_model.row_of(vm_by_name(s, "busy")["id"])
    qtbot.waitUntil(lambda: len(row.history) >= 2, timeout=5000)
    assert max(row.history) > 20
    assert s.vm_model.row_of(vm_by_name(s, "alpha")["id"]).cpu is None


def test_service_errors_appear_as_dialogs_not_tracebacks(window, conn, qtbot):
    make_vms(conn, "web1")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None)
    window.select_vms(["web1"])
    stale = window.selected_vms()
    conn.start_vm("web1").wait(check=True)  # someone else started it meanwhile
    window.run_operation("start", stale)
    box = message_box(qtbot, "error")
    text = box.text() + box.informativeText()
    assert "cannot start VM 'web1': it is Running" in text and "Traceback" not in text
    box.accept()


def test_settings_apply_and_are_read_only_while_running(window, conn, qtbot):
    make_vms(conn, "web1", memory="32M")
    conn.new_switch("lan").wait(check=True)
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "web1") is not None)
    window.select_vms(["web1"])
    trigger(qtbot, window, "settings")
    dialog = window.settings_dialogs[vm_by_name(s, "web1")["id"]]
    assert dialog.memory.isEnabled() and dialog.memory.value() == 32
    dialog.memory.setValue(48)
    dialog.vcpus.setValue(2)
    dialog.name.setText("web-1")
    dialog.notes.setPlainText("front end")
    qtbot.waitUntil(lambda: dialog.switch.findData("lan") > 0)  # the host's switches, looked up in a worker
    dialog.switch.setCurrentIndex(dialog.switch.findData("lan"))
    assert dialog.changes() == {"memory": 48 << 20, "vcpus": 2, "name": "web-1", "notes": "front end",
                                "network": "lan"}
    dialog.view_script.click()
    qtbot.waitUntil(lambda: dialog.script_dialog is not None)
    assert dialog.script_dialog.command.toPlainText() == ("bulkhead vm set web1 --name web-1 --notes 'front end' "
                                                          "--vcpus 2 --memory 48M --switch lan")
    dialog.script_dialog.close()
    dialog.memory.setValue(47)
    assert "multiple of 2 MiB" in dialog.memory_page.message.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.memory.setValue(48)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Apply).click()
    qtbot.waitUntil(lambda: (vm_by_name(s, "web-1") or {}).get("memory") == 48 << 20, timeout=10_000)
    vm = conn.vm("web-1")
    assert (vm.memory, vm.vcpus, vm.notes, vm.network) == (48 << 20, 2, "front end", "lan")
    assert vm.ip  # the next free address on the switch

    conn.start_vm("web-1").wait(check=True)
    wait_state(qtbot, s, "web-1", "Running")
    qtbot.waitUntil(lambda: not dialog.memory.isEnabled())
    assert not dialog.vcpus.isEnabled() and not dialog.cmdline.isEnabled() and not dialog.switch.isEnabled()
    assert not dialog.disk.isEnabled() and not dialog.integration.isEnabled()
    assert "web-1 is Running" in dialog.memory.toolTip()
    assert "Turn it off to change this" in dialog.memory_page.frozen.text()
    assert dialog.name.isEnabled()  # names, notes and automatic actions change while it runs
    dialog.notes.setPlainText("front end, live")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: conn.vm("web-1").notes == "front end, live", timeout=10_000)


def test_delete_asks_first_and_names_what_is_lost(window, conn, qtbot):
    make_vms(conn, "old")
    s = window.session
    qtbot.waitUntil(lambda: vm_by_name(s, "old") is not None)
    window.select_vms(["old"])
    trigger(qtbot, window, "remove")
    box = message_box(qtbot, "confirmation")
    assert "Delete old?" in box.text() and "configuration" in box.informativeText()
    assert vm_by_name(s, "old")["folder"] in box.informativeText()
    next(b for b in box.buttons() if b.objectName() == "confirm").click()
    qtbot.waitUntil(lambda: vm_by_name(s, "old") is None, timeout=10_000)
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.empty)


def test_delete_can_take_the_disks_along_when_asked(window, conn, qtbot, tmp_path):
    disks = {name: tmp_path / f"{name}.vhd" for name in ("keep", "drop")}
    for name, path in disks.items():
        conn.new_disk(str(path), "8M").wait(check=True)
        conn.new_vm(name, disk=str(path)).wait(check=True)
    s = window.session
    for name, path in disks.items():
        qtbot.waitUntil(lambda n=name: vm_by_name(s, n) is not None)
        window.select_vms([name])
        trigger(qtbot, window, "remove")
        box = message_box(qtbot, "confirmation")
        assert "Virtual hard disks are kept unless you tick the box" in box.informativeText()
        assert box.findChild(QCheckBox, "confirm_option").text() == f"Also delete the virtual hard disk ({path})"
        assert not box.findChild(QCheckBox, "confirm_option").isChecked()  # keeping the disk is the default
        box.findChild(QCheckBox, "confirm_option").setChecked(name == "drop")
        next(b for b in box.buttons() if b.objectName() == "confirm").click()
        qtbot.waitUntil(lambda n=name: vm_by_name(s, n) is None, timeout=10_000)
    qtbot.waitUntil(lambda: not disks["drop"].exists(), timeout=10_000)
    assert disks["keep"].exists()


def test_job_details_on_double_click(window, conn, qtbot):
    make_vms(conn, "web1")
    s = window.session
    qtbot.waitUntil(lambda: s.jobs_model.rowCount() >= 1)
    index = s.jobs_model.index(0, 0)
    window.jobs.activated.emit(index)
    dialog = window.job_dialogs[-1]
    assert dialog.fields["Job"].text().startswith("New VM") and dialog.fields["Target"].text() == "web1"
    assert dialog.fields["Status"].text() == "Completed"
    dialog.reject()


def test_layout_and_column_choices_persist(make_window, conn, gui_env, qtbot):
    window = make_window(conn)
    window.set_column_visible(Col.UPTIME, False)
    window.table.setColumnWidth(Col.NAME, 222)
    window.splitter.setSizes([300, 200])
    sizes = window.splitter.sizes()
    window.jobs_dock.hide()
    window.close()
    settings = QSettings(str(gui_env / "console.ini"), QSettings.Format.IniFormat)
    assert settings.value("main/header") is not None
    again = make_window(conn)
    assert again.table.horizontalHeader().isSectionHidden(Col.UPTIME)
    assert again.table.columnWidth(Col.NAME) == 222
    # the jobs dock is hidden now, so the splitter has more room: it keeps its proportions
    new = again.splitter.sizes()
    assert abs(new[0] / sum(new) - sizes[0] / sum(sizes)) < 0.02
    assert not again.jobs_dock.isVisible()


def test_details_pane_shows_vm_and_host(window, conn, qtbot):
    make_vms(conn, "web1", start=True)
    s = window.session
    wait_state(qtbot, s, "web1", "Running")
    window.select_vms(["web1"])
    d = window.details
    qtbot.waitUntil(lambda: d.summary.values["Name"].text() == "web1")
    assert d.summary.values["State"].text() == "Running"
    assert d.memory.values["Startup memory"].text() == "16 MiB"
    assert d.adapters.topLevelItem(0).text(1) == "Not connected" and "Not connected" in d.network_note.text()
    # the guest's integration services report over VMBus: heartbeat, then its key-value pairs
    services = {d.services.topLevelItem(i).text(0): i for i in range(d.services.topLevelItemCount())}
    qtbot.waitUntil(lambda: d.services.topLevelItem(services["Heartbeat"]).text(1) == "OK", timeout=10_000)
    assert d.services.topLevelItem(services["Time synchronization"]).text(1) == "OK"
    assert d.summary.values["Heartbeat"].text() == "OK" and d.summary.values["Health"].text() == "OK"
    qtbot.waitUntil(lambda: any(d.kvp.topLevelItem(i).text(0) == "HostName" and d.kvp.topLevelItem(i).text(1) ==
                                "web1" for i in range(d.kvp.topLevelItemCount())), timeout=10_000)
    row = window.proxy.mapFromSource(s.vm_model.index_of(vm_by_name(s, "web1")["id"], Col.STATUS))
    assert row.data() == "OK"  # the list's Heartbeat/Status column
    host = window.nav.item_for("host", s.host_key)
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=window.nav.visualItemRect(host).center())
    qtbot.waitUntil(lambda: d.currentIndex() == 2)
    assert window.selected_ids() == []
    caps = s.host["capabilities"]
    assert d.host.values["Logical processors"].text() == str(caps["logical_processors"])
    assert "1 running" in d.host.values["Memory assigned to running VMs"].text()


def test_the_toolbar_has_checkpoint_and_revert(window):
    shown = [a for a in window.toolbar.actions() if not a.isSeparator()]
    assert window.vm_actions["checkpoint"] in shown and window.vm_actions["revert"] in shown


def test_actions_take_the_desktops_icon_theme_where_it_has_one(window):
    from gui.actions import THEME_ICONS

    a = window.vm_actions
    assert THEME_ICONS["checkpoint"] == "camera-photo" and THEME_ICONS["start"] == "media-playback-start"
    assert all(not a[key].icon().isNull() for key in THEME_ICONS)  # the style's own where there is no theme
    assert a["checkpoint"].icon().pixmap(16).toImage() != a["save"].icon().pixmap(16).toImage()  # not Save's twice
