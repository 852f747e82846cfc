"""What the pages of the Convert Virtual Machine wizard share: the New VM wizard's page base, a dry run of the
conversion asked for off the GUI thread a moment after each edit (``DryRun``), the host's browser for Browse...,
and the words for what was recognised."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QTimer

from gui import format as fmt
from gui.i18n import QT_TRANSLATE_NOOP, translate
from gui.operations import convert as convert_ops
from gui.tasks import describe

from ..new_vm.common import Page, form, row

__all__ = ["DryRun", "Page", "browse_on", "form", "format_name", "report_html", "row", "source_rows"]

FORMATS = {"vmx": QT_TRANSLATE_NOOP("ConvertWizard", "VMware virtual machine (.vmx)"),
           "ovf": QT_TRANSLATE_NOOP("ConvertWizard", "OVF package (.ovf)"),
           "ova": QT_TRANSLATE_NOOP("ConvertWizard", "OVA archive (.ova)"),
           "vbox": QT_TRANSLATE_NOOP("ConvertWizard", "VirtualBox machine (.vbox)"),
           "libvirt": QT_TRANSLATE_NOOP("ConvertWizard", "libvirt domain XML"),
           "hyperv": QT_TRANSLATE_NOOP("ConvertWizard", "Hyper-V export")}
# the files Browse... lists (folders are always listed)
SOURCE_KINDS = [".vmx", ".ovf", ".ova", ".vbox", ".xml"]


def format_name(key: str) -> str:
    return translate("ConvertWizard", FORMATS[key]) if key in FORMATS else key


class DryRun:
    """The conversion as ``params()`` gives it now ((session, {source, name, path, network_map}) or None when there
    is nothing to ask yet), read and planned by that host without writing anything: asked a moment after
    ``schedule()`` (at once with ``run()``), off the GUI thread; an answer for what is no longer asked is dropped.
    ``done()`` runs on the GUI thread when an answer (or the host's refusal) is in."""

    def __init__(self, page, params: Callable[[], tuple | None], done: Callable[[], None], delay: int = 300) -> None:
        self.page, self.params, self.done = page, params, done
        self.answer: dict | None = None  # the host's {source, plan, report, ok}
        self.error = ""  # the host's refusal, one line
        self._key: tuple | None = None  # what the answer (or the error) is for
        self._asked: tuple | None = None
        self.timer = QTimer(page, singleShot=True, interval=delay, timeout=self.run)

    @staticmethod
    def _key_of(wanted) -> tuple | None:
        if wanted is None:
            return None
        session, p = wanted  # every argument (the Convert Physical Server wizard asks with its own)
        return (id(session), json.dumps(p, sort_keys=True, default=str))

    def schedule(self) -> None:
        self.timer.start()

    def run(self) -> None:
        self.timer.stop()
        wanted = self.params()
        key = self._key_of(wanted)
        if key is None or key == self._key or key == self._asked:
            return
        self._asked = key
        session, p = wanted
        ask = getattr(self.page.wiz, "dry_run_op", None) or convert_ops.dry_run  # the wizard's own dry run, if any
        ask(session, owner=self.page, **p).success(
            lambda answer, k=key: self._answered(k, answer, "")).failure(
            lambda e, k=key: self._answered(k, None, describe(e))).run()

    def _answered(self, key: tuple, answer: dict | None, error: str) -> None:
        if key == self._asked:
            self._asked = None
        if key != self._key_of(self.params()):
            self.run()  # asked for something else meanwhile
            return
        self._key, self.answer, self.error = key, answer, error
        self.done()

    @property
    def current(self) -> bool:
        """The answer (or error) is for what the fields say now."""
        key = self._key_of(self.params())
        return key is not None and key == self._key

    @property
    def checking(self) -> bool:
        return not self.current and self._key_of(self.params()) is not None

    @property
    def ok(self) -> bool:
        return self.current and self.answer is not None and not self.error

    def problem(self, checking: str) -> str | None:
        """What holds the page back: ``checking`` (translated) while the host is asked, then the host's refusal."""
        return checking if self.checking else self.error or None


def browse_on(page, session, chosen, folders: bool = False, start: str = "") -> None:
    """Browse <host>: the folders of ``session``'s host (host.browse), never this machine's; ``chosen(path)``."""
    from gui.dialogs.host_browser import HostBrowserDialog

    start = start.strip() if start.strip().startswith("/") else ""
    folder, name = start, ""
    if start and not folders:
        folder, _sep, name = start.rpartition("/")
        folder = folder or "/"
    dialog = HostBrowserDialog(session, folder, kinds=None if folders else SOURCE_KINDS, folders=folders,
                               select=name, parent=page)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.chosen.connect(chosen)
    page.host_browser = dialog
    dialog.open()


def source_rows(answer: dict) -> list[tuple[str, str]]:
    """What was recognised at the source, as (name, value) rows."""
    src = answer.get("source") or {}
    rows = [(translate("ConvertWizard", "Format"), format_name(src.get("format", ""))),
            (translate("ConvertWizard", "Name"), src.get("name") or translate("ConvertWizard", "(none given)")),
            (translate("ConvertWizard", "Memory"), fmt.size(src.get("memory")) if src.get("memory") else
             translate("ConvertWizard", "not given")),
            (translate("ConvertWizard", "Virtual processors"), str(src.get("vcpus") or 1))]
    if src.get("firmware"):
        rows.append((translate("ConvertWizard", "Firmware"), str(src["firmware"]).upper()))
    if src.get("os"):
        rows.append((translate("ConvertWizard", "Guest operating system"), src["os"]))
    for i, d in enumerate(src.get("disks") or (), 1):
        size = f", {fmt.size(d['capacity'])}" if d.get("capacity") else ""
        rows.append((translate("ConvertWizard", "Disk {n}").format(n=i),
                     f"{d.get('path', '')} ({d.get('format') or '?'}{size})"))
    for i, n in enumerate(src.get("nics") or (), 1):
        rows.append((translate("ConvertWizard", "Network adapter {n}").format(n=i),
                     translate("ConvertWizard", "{model} on {network}").format(
                         model=n.get("model") or "?", network=n.get("network") or translate("ConvertWizard",
                                                                                            "no network"))))
    if src.get("snapshots"):
        rows.append((translate("ConvertWizard", "Snapshots"), translate(
            "ConvertWizard", "{count} (left behind: the current state is converted)").format(count=src["snapshots"])))
    return rows


def report_html(report: list[dict]) -> str:
    """The conversion report as a list: warnings first, then what is only said for information."""
    warnings = [n for n in report if n.get("severity") == "warning"]
    infos = [n for n in report if n.get("severity") != "warning"]
    parts = []
    if warnings:
        parts.append("<p><b>" + escape(translate("ConvertWizard", "Warnings ({count})").format(
            count=len(warnings))) + "</b></p><ul>" + "".join(
            f"<li>\u26a0 {escape(n.get('text', ''))}</li>" for n in warnings) + "</ul>")
    if infos:
        parts.append("<p><b>" + escape(translate("ConvertWizard", "Information ({count})").format(
            count=len(infos))) + "</b></p><ul>" + "".join(
            f"<li>\u2139 {escape(n.get('text', ''))}</li>" for n in infos) + "</ul>")
    if not parts:
        parts.append("<p>" + escape(translate("ConvertWizard", "Everything is carried over as it was.")) + "</p>")
    return "".join(parts)
