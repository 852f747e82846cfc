"""Screenshots of the Migrate Virtual Machine wizard for docs/screenshots/migrate-*.png: every page (Select Host
with a 0-star host and its reason, Customize Ratings, Precheck with an error to fix later, Transfer, Path and
Networks with Browse <host>, Summary with the prediction, View Script), a precheck error that blocks Next, Move VM
Storage at its Transfer step, and the migration view mid-move and when done.

    xvfb-run -a -s "-screen 0 1600x1000x24" python3 tools/screenshots_migrate.py [--out FOLDER]

The hosts are an embedded host in a temporary folder, a Bulkhead host over TLS (a test host service of its own on
127.0.0.1, tests/remotehosts.py) and libvirt's in-process test driver when libvirt-python is installed; nothing of
the user's is read or written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"

if __name__ == "__main__":
    p = argparse.ArgumentParser(description="Take the Migrate wizard's screenshots (under Xvfb).")
    p.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default: {OUT})")
    OUT = p.parse_args().out.resolve()
    os.environ.setdefault("BULKHEAD_LANG", "en")
sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp(prefix="bulkhead-migrate-shots-"))
os.environ["BULKHEAD_GUI_SETTINGS"] = str(TMP / "console.ini")
os.environ["BULKHEAD_CONFIG_DIR"] = str(TMP / "config")
os.environ["BULKHEAD_HOME"] = str(TMP / "home")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from core import api  # noqa: E402
from gui import libvirt_hosts  # noqa: E402
from gui.app import make_app  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from gui.session import Session  # noqa: E402


def wait(app, cond=lambda: False, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def save(widget, name: str) -> None:
    QApplication.processEvents()
    image = widget.grab().toImage()
    small = image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
                                  | Qt.ImageConversionFlag.AvoidDither)
    path = OUT / f"{name}.png"
    small.save(str(path), "PNG", 9)
    print(f"{path}  {widget.width()}x{widget.height()}")


def next_page(app, wiz, page) -> None:
    while wiz.currentPage() is not page:
        wait(app, lambda: wiz.button(QWizard.WizardButton.NextButton).isEnabled(), 20)
        wiz.next()


def main() -> int:
    from tests.remotehosts import TlsHost

    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    app.setStyle("Fusion")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
