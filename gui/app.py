"""Start the console: ``python -m gui`` (``bulkhead console`` once the command line has the hook).

The window appears at once and connects in the background (the local host service is started on first use), so a
slow or missing service never freezes it. It speaks the system's language when ``resources/i18n`` has a translation
for it (``--lang de``, ``BULKHEAD_LANG=de`` or the saved preference chooses another: see ``gui.i18n``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bulkhead console", description="The Bulkhead console (Qt).")
    p.add_argument("--home", help="folder for VMs, jobs and the host service socket (default: per user; "
                                  "BULKHEAD_HOME)")
    p.add_argument("--embedded", action="store_true",
                   help="run a host service inside the console instead of using the shared one (VMs stop when it "
                        "closes)")
    p.add_argument("--lang", type=_language, metavar="LANG",
                   help="the console's language, e.g. de or en (default: BULKHEAD_LANG, the saved preference, "
                        "else the system's; 'system' for the system's)")
    p.add_argument("--ready-report", action="store_true", help=argparse.SUPPRESS)  # benchmarks/console.py
    return p


def _language(value: str) -> str:
    from .i18n import is_language

    value = value.strip()
    if not is_language(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a language: give one like de, de_AT or en")
    return value


def make_app(argv: list[str] | None = None, lang: str | None = None):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName("Bulkhead")
    app.setApplicationDisplayName("Bulkhead")
    app.setOrganizationName("bulkhead")
    app.setDesktopFileName("org.bulkhead.Bulkhead")  # resources/desktop/org.bulkhead.Bulkhead.desktop
    from PySide6.QtGui import QIcon

    from resources import ROOT as RESOURCES

    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "bulkhead.svg")))
    from .i18n import install

    install(app, lang)
    return app


def main(argv: list[str] | None = None) -> int:
    started_wall = time.time()
    args = _parser().parse_args(argv)
    from PySide6.QtCore import QTimer

    from core import api

    app = make_app(lang=args.lang)  # the translators are in place before any window is made

    from .main_window import MainWindow
    from .session import Session

    home = args.home or os.environ.get("BULKHEAD_HOME")
    session = Session(lambda: api.connect(home, embedded=args.embedded))
    window = MainWindow(session, home=home)
    window.show()
    session.start()
    if args.ready_report:
        # wall-clock times, so a benchmark can measure from before it started this process
        report = {"main_at": started_wall, "window_shown_at": time.time()}

        def interactive() -> None:  # the first turn of the event loop: the window takes input from here on
            report["interactive_at"] = time.time()

        def loaded() -> None:
            report["vms_listed_at"] = time.time()
            report["vms"] = session.vm_model.rowCount()
            print(json.dumps(report), flush=True)
            window.close()

        QTimer.singleShot(0, interactive)
        session.vms_loaded.connect(loaded)
        session.connection_failed.connect(lambda msg: (print(json.dumps({"error": msg}), flush=True), window.close()))
    # Ctrl+C in the terminal closes the console like the window's close button does
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer(interval=250, timeout=lambda: None)  # lets Python see the signal while Qt waits
    wake.start()
    code = app.exec()
    session.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
