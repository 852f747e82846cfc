"""Screenshots of the console for docs/screenshots/: the main window (a few VMs, one running), the empty first run,
every New VM wizard page, the settings dialog, the VM connection window, the main window in a dark palette, the
Performance tab under real load (one VM, several overlaid, the host), the Alerts pane with a lost heartbeat (and the
main window as the alert marks it), the alert rules editor, the Virtual Switch Manager, a libvirt host (libvirt's
in-process test driver) in the navigation tree with the New VM wizard's disk page there, and a host group holding
both hosts, whose list shows the VMs of each with the Host column.

``--set migrate`` takes the Migrate Virtual Machine wizard's instead (docs/screenshots/migrate-*.png): every page
(Select Host with a 0-star host and its reason, Customize Ratings, Precheck with an error to fix later, Transfer,
Path and Networks with Browse <host>, Summary with the prediction, View Script), a precheck error that blocks Next,
Move VM Storage at its Transfer step, and the migration view mid-move and when done.

    xvfb-run -a -s "-screen 0 1600x1000x24" python3 tools/screenshots.py [--set migrate] [--out FOLDER] [--lang de]
        [--only A,B]

Everything runs against an embedded host in a temporary folder (the migrate set adds a Bulkhead host over TLS, a
test host service of its own on 127.0.0.1 from tests/remotehosts.py, and libvirt's in-process test driver when
libvirt-python is installed); nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SETS = ("console", "migrate")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Take the console's screenshots (run under Xvfb: see the module's "
                                            "docstring).")
    p.add_argument("--set", choices=SETS, default="console",
                   help="which shots: the console's (default) or the Migrate wizard's (migrate-*.png)")
    p.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default: {OUT})")
    p.add_argument("--lang", help="the console's language, e.g. de (default: English, the source language)")
    p.add_argument("--only", help="write only these shots (names without .png, comma-separated); the others are "
                                  "still set up, since later shots build on them")
    return p


ONLY: set[str] = set()
SET = "console"


if __name__ == "__main__":
    ARGS = _parser().parse_args()  # --help answers before anything heavy is imported
    OUT = ARGS.out.resolve()
    SET = ARGS.set
    ONLY = {n.strip() for n in (ARGS.only or "").split(",") if n.strip()}
    os.environ["BULKHEAD_LANG"] = ARGS.lang or "en"
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-shots-"))
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")
if SET == "migrate":
    os.environ["BULKHEAD_HOME"] = str(TMP / "home")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402
from shots import wait  # noqa: E402  (tools/shots.py)

from core import api  # noqa: E402
from gui import libvirt_hosts  # noqa: E402
from gui.app import make_app  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.session import Session  # noqa: E402


def save(widget, name: str) -> None:
    if ONLY and name not in ONLY:
        return
    QApplication.processEvents()
    image = widget.grab().toImage()
    # a 256-colour palette keeps UI shots small; text stays crisp because UI colours are few
    small = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
                                  | Qt.ImageConversionFlag.AvoidDither)
    path = OUT / f"{name}.png"
    small.save(str(path), "PNG", 9)
    print(f"{_shown(path)}  {widget.width()}x{widget.height()}  {path.stat().st_size // 1024} KiB")


def next_page(app, wiz, page) -> None:
    while wiz.currentPage() is not page:
        wait(app, lambda: wiz.button(QWizard.WizardButton.NextButton).isEnabled(), 20)
        wiz.next()


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def dark_palette() -> QPalette:
    p = QPalette()
    base, window, text = QColor(30, 30, 32), QColor(45, 45, 48), QColor(220, 220, 220)
    for role, color in ((QPalette.ColorRole.Window, window), (QPalette.ColorRole.WindowText, text),
                        (QPalette.ColorRole.Base, base), (QPalette.ColorRole.AlternateBase, QColor(38, 38, 40)),
                        (QPalette.ColorRole.Text, text), (QPalette.ColorRole.Button, window),
                        (QPalette.ColorRole.ButtonText, text), (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
                        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
                        (QPalette.ColorRole.ToolTipBase, window), (QPalette.ColorRole.ToolTipText, text),
                        (QPalette.ColorRole.PlaceholderText, QColor(140, 140, 140))):
        p.setColor(role, color)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(120, 120, 120))
    return p


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    app.setStyle("Fusion")
    (migrate_shots if SET == "migrate" else console_shots)(app)
    total = sum(p.stat().st_size for p in OUT.glob("*.png"))
    print(f"total {total // 1024} KiB in {_shown(OUT)}")
    return 0


def console_shots(app) -> None:
    light = app.palette()

    # the first run: no VMs
    empty_conn = api.connect(str(TMP / "empty-home"), embedded=True)
    session = Session(empty_conn)
    window = MainWindow(session, home=str(TMP / "empty-home"))
    window.resize(1180, 720)
    window.show()
    session.start()
    wait(app, lambda: session.loaded and window.list_stack.currentIndex() == 1)
    wait(app, timeout=0.3)
    save(window, "main-empty")
    window.close()
    session.close()
    empty_conn.close()

    conn = api.connect(str(TMP / "home"), embedded=True)
    conn._transport.service.sampler.interval = 0.5  # the graphs fill in twice as fast
    conn.new_switch("lan").wait(check=True)
    subprocess.run([sys.executable, "-m", "core.cli", "disk", "new", str(TMP / "db1.vhd"), "--size", "256M"],
                   cwd=ROOT, check=True, capture_output=True)
    vms = (("web1", "128M", 2, "cpu:35", True, "lan", ""), ("db1", "256M", 1, "bursty", True, "lan",
                                                             str(TMP / "db1.vhd")),
           ("build", "64M", 1, "idle", False, "", ""), ("cache", "64M", 1, "dirty:16", True, "", ""))
    for name, memory, vcpus, workload, start, network, disk in vms:
        conn.new_vm(name, memory=memory, vcpus=vcpus, workload=workload, start=start, network=network, disk=disk,
                    notes="Front-end web server" if name == "web1" else "").wait(check=True)
    conn.pause_vm("cache").wait(check=True)
    session = Session(conn)
    window = MainWindow(session, home=str(TMP / "home"), libvirt=False)
    window.resize(1280, 760)
    window.show()
    session.start()
    wait(app, lambda: session.loaded and session.host, 10)
    window.select_vms(["web1"])
    wait(app, timeout=12)  # let the CPU sparklines fill in
    save(window, "main-window")
    window.details.tabs.setCurrentIndex(3)
    wait(app, timeout=0.3)
    save(window.details, "details-integration-services")
    window.details.tabs.setCurrentIndex(2)
    wait(app, timeout=0.3)
    save(window.details, "details-networking")
    window.details.tabs.setCurrentIndex(0)

    app.setPalette(dark_palette())
    wait(app, timeout=0.5)
    save(window, "main-window-dark")
    app.setPalette(light)
    wait(app, timeout=0.3)

    # the Performance tab: one VM under load, then two overlaid, then the host (parent partition)
    conn.resume_vm("cache").wait(check=True)
    window.select_vms(["web1"])
    sizes = window.splitter.sizes()
    window.splitter.setSizes([150, sum(sizes) - 150])  # room for the graphs
    view = window.show_performance()
    wait(app, timeout=20)  # the graphs fill in with real samples
    web1_id = next(v["id"] for v in session.vm_model.vms() if v["name"] == "web1")
    view.hover(float(view.series[web1_id].times()[-8]))
    wait(app, timeout=0.3)
    save(window, "performance")
    view.hover(None)
    window.select_vms(["web1", "cache", "db1"])
    wait(app, lambda: not view.loading and len(view.targets) == 3, 5)
    wait(app, timeout=1.5)
    save(view, "performance-compare")
    window.select_vms([])
    window.nav.select_node("host", session.host_key)
    wait(app, lambda: not view.loading and view.targets == ["host"], 5)
    wait(app, timeout=1.5)
    save(view, "performance-host")
    pop = window.pop_out_performance(view)
    wait(app, lambda: not pop.view.loading, 5)
    wait(app, timeout=1.5)
    save(pop, "performance-window")
    pop.close()
    window.lower.setCurrentIndex(0)
    window.splitter.setSizes(sizes)
    window.select_vms(["web1"])

    # a guest that stops its heartbeat: Lost Communication in the list, an alert in the Alerts pane
    conn.set_alert_rules([{"id": "heartbeat_lost", "duration": 0}])
    conn.console_send("db1", "heartbeat stop\r")
    wait(app, lambda: window.alerts.proxy.rowCount() > 0, 15)
    window.select_vms(["db1"])
    wait(app, lambda: window.alert_notice.isVisible() or window.notifier.shown > 0, 5)
    wait(app, timeout=1.5)
    save(window, "main-window-alert")  # the notice bar (no tray here), db1's and the host's alert marks
    window.alerts_dock.raise_()
    save(window, "alerts-pane")
    dialog = window.open_alert_rules()
    wait(app, lambda: "cpu_high" in dialog.rows, 5)
    dialog.rows["cpu_high"]["threshold"].setValue(0)  # what a mistake looks like
    wait(app, timeout=0.3)
    save(dialog, "alert-rules")
    dialog.reject()
    conn.console_send("db1", "heartbeat start\r")
    window.jobs_dock.raise_()

    # the Virtual Switch Manager: the switch two VMs use (so it cannot be removed yet)
    switches = window.open_switch_manager()
    wait(app, lambda: switches.loads > 0, 5)
    switches.select("lan")
    wait(app, timeout=0.4)
    save(switches, "switch-manager")
    switches.select("")
    switches.new_name.setText("backend")
    switches.type_buttons["internal"].setChecked(True)
    wait(app, timeout=0.3)
    save(switches, "switch-manager-new")
    switches.reject()

    # the wizard, page by page
    wizard = window.open_wizard()
    wizard.name_page.name.setText("web2")
    wait(app, timeout=0.3)
    names = ["wizard-1-name", "wizard-2-memory", "wizard-3-processors", "wizard-4-networking", "wizard-5-disk",
             "wizard-6-installation", "wizard-7-summary"]
    for i, name in enumerate(names):
        if i == 3:
            wait(app, lambda: wizard.network_page.switch.count() > 1, 5)
            wizard.network_page.switch.setCurrentIndex(1)
        if i == 4:
            wizard.disk_page.create.setChecked(True)
            wait(app, lambda: wizard.disk_page.new_message.kind == "info" and "creates" in
                 wizard.disk_page.new_message.text(), 5)
        if i == 5:
            wizard.install_page.workload.setCurrentIndex(1)
        if i == 6:
            wizard.summary_page.start.setChecked(True)
        wait(app, timeout=0.3)
        save(wizard, name)
        if i < len(names) - 1:
            wizard.next()
    wizard.show_script()
    wait(app, lambda: wizard.script_dialog is not None and wizard.script_dialog.isVisible(), 5)
    wizard.script_dialog.tabs.setCurrentIndex(1)
    wait(app, timeout=0.3)
    save(wizard.script_dialog, "wizard-view-script")
    wizard.script_dialog.close()
    wizard.button(QWizard.WizardButton.CancelButton).click()
    wait(app, timeout=0.3)

    # a name the host refuses, shown next to the field
    wizard = window.open_wizard()
    wizard.name_page.name.setText("db1")
    wait(app, timeout=0.3)
    save(wizard, "wizard-name-taken")
    wizard.button(QWizard.WizardButton.CancelButton).click()

    # settings of a running VM: processor and memory are read-only, with the reason
    window.select_vms(["web1"])
    web1 = next(v["id"] for v in session.vm_model.vms() if v["name"] == "web1")
    dialog = window.open_settings(web1)
    dialog.show_item("memory")
    wait(app, timeout=0.4)
    save(dialog, "settings-memory-running")
    dialog.show_item("network")
    wait(app, lambda: dialog.switch.count() > 1, 5)
    save(dialog, "settings-network-running")
    dialog.show_item("integration")
    wait(app, timeout=0.2)
    save(dialog, "settings-integration-services")
    dialog.show_item("start_action")
    wait(app, timeout=0.2)
    save(dialog, "settings-automatic-start")
    dialog.close()

    # the connection window, after a few commands
    vm_id = next(v["id"] for v in session.vm_model.vms() if v["name"] == "web1")
    cw = window.open_connection(vm_id)
    wait(app, lambda: "bulkhead$" in cw.terminal.text(), 10)
    for line in ("help", "info", "echo hello from the console"):
        cw.sender.send(line + "\r")
        wait(app, timeout=0.7)
    wait(app, lambda: "hello from the console\n" in cw.terminal.text(), 5)
    wait(app, timeout=0.3)
    save(cw, "connection-window")
    cw.close()

    window.close()
    session.close()
    conn.close()

    # a libvirt host (the in-process test driver) in the tree, under its host group, with its VMs
    home = str(TMP / "home")
    libvirt_hosts.add("test:///default", name="lab-kvm", group="Lab", home=home)
    conn = api.connect(home, embedded=True)
    session = Session(conn)
    window = MainWindow(session, home=home)
    window.resize(1280, 760)
    window.show()
    session.start()
    key = "libvirt:test:///default"
    wait(app, lambda: window.nav.item_for("host", key) is not None and "connected" in
         window.nav.item_for("host", key).text(0) and "test" in window.nav.vm_names(key), 15)
    lv = window.libvirt["test:///default"]
    window.nav.setCurrentItem(window.nav.item_for("vm", lv.vm_model.vms()[0]["id"], key))
    wait(app, timeout=2.5)
    save(window, "libvirt-host")
    # the New VM wizard on that host: the new disk is a volume in one of its storage pools
    wizard = window.open_wizard()
    wizard.name_page.name.setText("db1")
    while wizard.currentPage() is not wizard.disk_page:
        wizard.next()
    wizard.disk_page.create.setChecked(True)
    wizard.disk_page.pool.setText("default-pool")
    wait(app, timeout=0.6)
    save(wizard, "wizard-libvirt-disk")
    wizard.reject()
    # a host group holding both hosts: every VM of each, with the Host column; a selection may span them
    lab = next(g.id for g in window.groups.groups.values() if g.name == "Lab")
    window.move_host(session.host_key, lab)
    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    wait(app, lambda: window.spans_hosts and window.proxy.rowCount() == len(session.vm_model.vms()) +
         len(lv.vm_model.vms()), 5)
    window.select_vms(["web1", "test"])
    wait(app, timeout=2.5)
    save(window, "host-group")
    # a host group spanning three hosts: this one (embedded), a remote Bulkhead host over TLS (a test host: a host
    # service of its own on 127.0.0.1) and the libvirt host; the list shows every VM of the three
    from tests.remotehosts import TlsHost

    far = TlsHost(TMP / "far").start()
    try:
        with api.connect(uri=far.uri) as fc:
            for name, start in (("build1", True), ("cache1", False)):
                fc.new_vm(name, memory="32M", workload="cpu:15", start=start).wait(check=True)
        entry = libvirt_hosts.add(far.uri, name="rack2 (TLS)", group="Lab", home=home)
        remote = window.open_saved(entry)
        rkey = libvirt_hosts.host_key(far.uri)
        window.move_host(rkey, lab)
        wait(app, lambda: remote.loaded and " ms" in (window.nav.item_for("host", rkey).text(0)
                                                      if window.nav.item_for("host", rkey) else ""), 20)
        window.nav.setCurrentItem(window.nav.item_for("group", lab))
        total = lambda: sum(len(h.vm_model.vms()) for h in (session, lv, remote))  # noqa: E731
        wait(app, lambda: window.spans_hosts and window.proxy.rowCount() == total(), 10)
        window.table.clearSelection()
        wait(app, timeout=2.5)
        save(window, "host-group-three-hosts")
        window.close()
        session.close()
        conn.close()
    finally:
        far.stop()


def migrate_shots(app) -> None:
    from tests.remotehosts import TlsHost

    far = TlsHost(TMP / "rack2").start()
    home = str(TMP / "home")
    try:
        libvirt_hosts.add(far.uri, name="rack2", group="Lab", home=home)
        try:
            import libvirt  # noqa: F401

            libvirt_hosts.add("test:///default", name="lab-kvm", group="Lab", home=home)
        except ImportError:
            pass
        conn = api.connect(home, embedded=True)
        conn.new_switch("lan").wait(check=True)
        with api.connect(uri=far.uri) as c:
            c.new_switch("lan2").wait(check=True)
            c.new_vm("db1", memory="32M").wait(check=True)
        conn.new_disk(str(TMP / "web1.vhd"), "256M").wait(check=True)
        conn.new_vm("web1", memory="128M", workload="dirty:4", network="lan", disk=str(TMP / "web1.vhd"),
                    start=True).wait(check=True)
        conn.new_vm("db1", memory="64M", start=True).wait(check=True)
        conn.new_vm("stream", memory="256M", workload="dirty:24", start=True).wait(check=True)
        conn.new_disk(str(TMP / "cache.vhd"), "64M").wait(check=True)
        conn.new_vm("cache", memory="64M", disk=str(TMP / "cache.vhd"), start=True).wait(check=True)
        session = Session(conn)
        window = MainWindow(session, home=home)
        window.resize(1280, 760)
        window.show()
        session.start()
        wait(app, lambda: session.loaded and far.uri in window.remote, 15)
        remote = window.remote[far.uri]
        wait(app, lambda: remote.loaded and remote.link.get("state") == "connected", 20)
        wait(app, timeout=4)  # a few seconds of load for the ratings and the dirty rate
        window.select_vms(["web1"], session=session)
        web1 = next(v for v in session.vm_model.vms() if v["name"] == "web1")

        wiz = window.open_migrate((session, web1))
        page = wiz.select_page
        wait(app, lambda: page.answers >= 1, 20)
        page.select_host(remote)
        wait(app, timeout=0.5)
        save(wiz, "migrate-1-select-host")
        dialog = page.open_customize()
        wait(app, timeout=0.3)
        save(dialog, "migrate-customize-ratings")
        dialog.reject()
        next_page(app, wiz, wiz.precheck_page)
        wait(app, lambda: wiz.precheck_page.answers >= 1, 20)
        wait(app, timeout=0.3)
        save(wiz, "migrate-2-precheck")
        next_page(app, wiz, wiz.transfer_page)
        wiz.transfer_page.bandwidth.setValue(200)
        wait(app, timeout=0.3)
        save(wiz, "migrate-3-transfer")
        next_page(app, wiz, wiz.paths_page)
        paths = wiz.paths_page
        wait(app, lambda: "lan" in paths.maps and paths.switches is not None, 20)
        combo = paths.maps["lan"]
        combo.setCurrentIndex(combo.findData("lan2"))
        folder = far.home / "vms"
        paths.path.setText(str(folder))
        wait(app, lambda: " free of " in paths.space.text() and not paths.checking, 20)
        wait(app, timeout=0.5)
        save(wiz, "migrate-4-path-and-networks")
        browser = paths.open_browser()
        wait(app, lambda: browser.listing is not None, 10)
        wait(app, timeout=0.3)
        save(browser, "migrate-4-browse-destination")
        browser.reject()
        next_page(app, wiz, wiz.summary_page)
        summary = wiz.summary_page
        wait(app, lambda: summary.predictions >= 2 and not summary.checking, 20)
        wait(app, timeout=0.3)
        save(wiz, "migrate-5-summary")
        script = wiz.show_script()
        wait(app, timeout=0.3)
        save(script, "migrate-view-script")
        script.tabs.setCurrentIndex(1)
        wait(app, timeout=0.2)
        save(script, "migrate-view-script-python")
        script.reject()
        wiz.reject()

        # a precheck error blocks Next: the name is taken there
        db1 = next(v for v in session.vm_model.vms() if v["name"] == "db1")
        wiz = window.open_migrate((session, db1))
        wait(app, lambda: wiz.select_page.answers >= 1, 20)
        wiz.select_page.select_host(remote)
        next_page(app, wiz, wiz.precheck_page)
        wait(app, lambda: wiz.precheck_page.answers >= 1, 20)
        wait(app, timeout=0.3)
        save(wiz, "migrate-precheck-error")
        wiz.reject()

        # Move VM Storage: the same wizard from its Transfer step
        cache = next(v for v in session.vm_model.vms() if v["name"] == "cache")
        wiz = window.open_migrate((session, cache), storage=True)
        wait(app, timeout=0.4)
        save(wiz, "migrate-storage-transfer")
        wiz.reject()

        # the migration view, mid-move and done: a guest dirtying 24 MiB/s over a 32 MiB/s link
        stream = next(v for v in session.vm_model.vms() if v["name"] == "stream")
        wiz = window.open_migrate((session, stream), destination=remote)
        wait(app, lambda: wiz.select_page.answers >= 1, 20)
        next_page(app, wiz, wiz.transfer_page)
        wiz.transfer_page.bandwidth.setValue(32)
        wiz.transfer_page.downtime.setValue(30)
        next_page(app, wiz, wiz.summary_page)
        wait(app, lambda: wiz.summary_page.predictions >= 1 and wiz.summary_page.isComplete(), 20)
        wiz.button(QWizard.WizardButton.FinishButton).click()
        wait(app, lambda: bool(window.__dict__.get("migration_views")), 30)
        view = window.__dict__["migration_views"][-1]
        wait(app, lambda: len(view.points) >= 5 or view.job.get("state") in ("Completed", "Failed"), 90)
        wait(app, timeout=0.3)
        save(view, "migrate-view-running")
        wait(app, lambda: view.job.get("state") in ("Completed", "Failed", "Cancelled"), 180)
        wait(app, timeout=0.5)
        save(view, "migrate-view-done")
        wait(app, lambda: "stream" in window.nav.vm_names(remote.host_key), 10)
        window.nav.setCurrentItem(window.nav.item_for("host", remote.host_key))
        wait(app, timeout=1.5)
        save(window, "migrate-moved-in-tree")
        view.close()
        window.close()
        session.close()
        conn.close()
    finally:
        far.stop()


if __name__ == "__main__":
    sys.exit(main())
