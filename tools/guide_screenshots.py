"""Screenshots for the user guide (docs/guide/images/) and, with ``--lang de``, for its German edition
(docs/guide/de/images/) with the German ones of the main window, the New VM wizard and the Migrate wizard
(docs/screenshots/de-*.png); ``--all`` also writes every shot into a folder of its own, to be looked at.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/guide_screenshots.py [--lang de] [--all DIR]

Everything runs against an embedded host in a temporary folder and a second Bulkhead host over TLS (a host service
of its own on 127.0.0.1, tests/remotehosts.py): nothing of the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    ARGS = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ARGS.add_argument("--lang", default="en", help="the console's language (default en)")
    ARGS.add_argument("--all", type=Path, help="also write every shot into this folder")
    ARGS = ARGS.parse_args()
    os.environ["BULKHEAD_LANG"] = ARGS.lang
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-guide-shots-"))
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")
os.environ["BULKHEAD_HOME"] = str(TMP / "home")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402
from shots import wait  # noqa: E402  (tools/shots.py)

from core import api  # noqa: E402
from gui import libvirt_hosts  # noqa: E402
from gui.app import make_app  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.session import Session  # noqa: E402

GUIDE = ROOT / "docs" / "guide" / "images"
GERMAN = {"main-window": "de-main", "new-vm-5-disk": "de-new-vm", "migrate-1-select-host": "de-migrate"}


def save(widget, name: str) -> None:
    QApplication.processEvents()
    image = widget.grab().toImage().convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither)
    german = ARGS.lang.startswith("de")
    targets = []
    if not german:
        targets.append(GUIDE / f"{name}.png")
    else:  # the German edition of the guide, and the German screenshots of docs/screenshots
        targets.append(GUIDE.parent / "de" / "images" / f"{name}.png")
        if name in GERMAN:
            targets.append(ROOT / "docs" / "screenshots" / f"{GERMAN[name]}.png")
    if ARGS.all:
        targets.append(ARGS.all / f"{name}.png")
    for path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(path), "PNG", 9)
        print(f"{path}  {widget.width()}x{widget.height()}  {path.stat().st_size // 1024} KiB", flush=True)


def next_page(app, wiz, page) -> None:
    while wiz.currentPage() is not page:
        wait(app, lambda: wiz.button(QWizard.WizardButton.NextButton).isEnabled(), 20)
        before = wiz.currentPage()
        wiz.next()
        if wiz.currentPage() is before:
            raise SystemExit(f"{type(before).__name__}: Next refused")


def main() -> int:
    from tests.remotehosts import TlsHost

    app = make_app()
    app.setStyle("Fusion")
    home = str(TMP / "home")
    far = TlsHost(TMP / "rack2").start()
    try:
        libvirt_hosts.add(far.uri, name="rack2", group="Lab", home=home)
        with api.connect(uri=far.uri) as c:
            c.new_switch("lan2").wait(check=True)
            c.new_vm("db2", memory="32M", workload="cpu:10", start=True).wait(check=True)
        conn = api.connect(home, embedded=True)
        conn._transport.service.sampler.interval = 0.5
        conn.new_switch("lan").wait(check=True)
        conn.new_disk(str(TMP / "web1.vhd"), "256M").wait(check=True)
        conn.new_vm("web1", memory="128M", vcpus=2, workload="cpu:30", network="lan", disk=str(TMP / "web1.vhd"),
                    notes="Front-end web server", start=True).wait(check=True)
        conn.new_vm("db1", memory="64M", workload="bursty", network="lan", start=True).wait(check=True)
        conn.new_vm("build", memory="64M").wait(check=True)
        conn.checkpoint("db1", "before update").wait(check=True)
        conn.checkpoint("db1", "after update").wait(check=True)
        session = Session(conn)
        window = MainWindow(session, home=home)
        window.resize(1280, 760)
        window.show()
        session.start()
        wait(app, lambda: session.loaded and far.uri in window.remote, 15)
        remote = window.remote[far.uri]
        wait(app, lambda: remote.loaded and remote.link.get("state") == "connected", 20)
        window.nav.select_node("host", session.host_key)
        window.select_vms(["web1"], session=session)
        wait(app, timeout=8)  # sparklines fill in
        save(window, "main-window")
        console_shots(app, window, session, conn)
        migrate_shots(app, window, session, remote)
        from gui import help as guide

        g = guide.show("first-vm.md#memory")
        g.resize(1040, 720)
        wait(app, timeout=1)
        save(g, "guide-window")
        g.close()
        window.close()
        session.close()
        conn.close()
    finally:
        far.stop()
    shutil.rmtree(TMP, ignore_errors=True)
    return 0


def console_shots(app, window, session, conn) -> None:
    # the New VM wizard
    wizard = window.open_wizard()
    wizard.name_page.name.setText("web2")
    wait(app, timeout=0.3)
    save(wizard, "new-vm-1-name")
    wizard.next()
    wait(app, timeout=0.3)
    save(wizard, "new-vm-2-memory")
    wizard.next()
    wizard.next()
    wait(app, lambda: wizard.network_page.switch.count() > 1, 5)
    wizard.network_page.switch.setCurrentIndex(1)
    wait(app, timeout=0.3)
    save(wizard, "new-vm-4-networking")
    wizard.next()
    wizard.disk_page.create.setChecked(True)
    wait(app, timeout=1)
    save(wizard, "new-vm-5-disk")
    wizard.next()
    wait(app, timeout=0.3)
    save(wizard, "new-vm-6-installation")
    wizard.next()
    wizard.summary_page.start.setChecked(True)
    wait(app, timeout=0.3)
    save(wizard, "new-vm-7-summary")
    wizard.show_script()
    wait(app, lambda: wizard.script_dialog is not None and wizard.script_dialog.isVisible(), 5)
    wait(app, timeout=0.3)
    save(wizard.script_dialog, "new-vm-view-script")
    wizard.script_dialog.close()
    wizard.reject()

    # the connection window
    web1 = next(v["id"] for v in session.vm_model.vms() if v["name"] == "web1")
    cw = window.open_connection(web1)
    wait(app, lambda: "bulkhead$" in cw.terminal.text(), 10)
    for line in ("info", "uptime"):
        cw.sender.send(line + "\r")
        wait(app, timeout=0.7)
    save(cw, "connection-window")
    cw.close()

    # Performance and Checkpoints under the list
    window.lower.setCurrentIndex(1)
    wait(app, timeout=8)
    save(window, "performance")
    window.select_vms(["db1"], session=session)
    window.lower.setCurrentIndex(2)
    wait(app, lambda: window.checkpoints.tree.topLevelItemCount() > 0 if hasattr(window.checkpoints, "tree")
         else False, 5)
    wait(app, timeout=0.5)
    save(window, "checkpoints-pane")
    window.lower.setCurrentIndex(0)

    # a guest that stops its heartbeat: an alert
    conn.set_alert_rules([{"id": "heartbeat_lost", "duration": 0}])
    conn.console_send("db1", "heartbeat stop\r")
    wait(app, lambda: window.alerts.proxy.rowCount() > 0, 15)
    window.select_vms(["db1"], session=session)
    window.alerts_dock.raise_()
    wait(app, timeout=1.5)
    save(window, "alerts-pane")
    dialog = window.open_alert_rules()
    wait(app, lambda: "cpu_high" in dialog.rows, 5)
    wait(app, timeout=0.3)
    save(dialog, "alert-rules")
    dialog.reject()
    conn.console_send("db1", "heartbeat start\r")

    # Add Host
    dialog = window.add_connection()
    dialog.kind.setCurrentIndex(1)
    dialog.tls_host.setText("rack3.example.org")
    dialog.name.setText("rack3")
    wait(app, timeout=0.4)
    save(dialog, "add-host")
    dialog.reject()


def migrate_shots(app, window, session, remote) -> None:
    window.select_vms(["web1"], session=session)
    web1 = next(v for v in session.vm_model.vms() if v["name"] == "web1")
    wiz = window.open_migrate((session, web1))
    page = wiz.select_page
    wait(app, lambda: page.answers >= 1, 20)
    page.select_host(remote)
    wait(app, timeout=0.5)
    save(wiz, "migrate-1-select-host")
    next_page(app, wiz, wiz.precheck_page)
    wait(app, lambda: wiz.precheck_page.answers >= 1, 20)
    wait(app, timeout=0.3)
    save(wiz, "migrate-2-precheck")
    next_page(app, wiz, wiz.transfer_page)
    wait(app, timeout=0.3)
    save(wiz, "migrate-3-transfer")
    next_page(app, wiz, wiz.paths_page)
    paths = wiz.paths_page
    wait(app, lambda: "lan" in paths.maps and paths.switches is not None, 20)
    combo = paths.maps["lan"]
    combo.setCurrentIndex(combo.findData("lan2"))
    wait(app, lambda: not paths.checking, 20)
    wait(app, timeout=0.5)
    save(wiz, "migrate-4-path-and-networks")
    next_page(app, wiz, wiz.summary_page)
    summary = wiz.summary_page
    wait(app, lambda: summary.predictions >= 2 and not summary.checking, 20)
    wait(app, timeout=0.3)
    save(wiz, "migrate-5-summary")
    wiz.reject()
    # the tree with both hosts in their group
    window.nav.select_node("host", remote.host_key)
    wait(app, timeout=2)
    save(window, "remote-host")


if __name__ == "__main__":
    sys.exit(main())
