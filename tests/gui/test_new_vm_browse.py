"""The New VM wizard's Browse... buttons on a remote Bulkhead host (a TLS test host, tests/remotehosts.py) open
Browse <host>, which lists that host's folders through the API: never this machine's file dialog. On the local host
they keep QFileDialog; on a libvirt host of another machine they stay off with the reason."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from PySide6.QtWidgets import QWizard

from core import api
from gui import libvirt_hosts
from gui.dialogs.host_browser import HostBrowserDialog
from gui.wizards.new_vm import common

from ..helpers.remote import far_fixture
from ..remotehosts import TlsHost

pytest.importorskip("cryptography", reason="bulkhead+tls:// needs the cryptography library")


far = far_fixture(TlsHost, "gui-browse")


@pytest.fixture
def no_local_dialog(monkeypatch):
    """Any QFileDialog the wizard opens is recorded (none may open for a remote host)."""
    opened = []

    class Recorded:
        FileMode = Option = MagicMock()

        def __init__(self, *args):
            opened.append(args)

        def __getattr__(self, _name):  # setFileMode, fileSelected.connect, open ...
            return MagicMock()

    monkeypatch.setattr(common, "QFileDialog", Recorded)
    return opened


def remote_wizard(make_window, conn, far, gui_env, qtbot):
    libvirt_hosts.add(far.uri, name="rack-far", home=str(gui_env / "home"))
    window = make_window(conn)
    key = f"remote:{far.uri}"
    qtbot.waitUntil(lambda: window.nav.item_for("host", key) is not None and far.uri in window.remote, timeout=10_000)
    remote = window.remote[far.uri]
    window.nav.setCurrentItem(window.nav.item_for("host", key))
    qtbot.waitUntil(lambda: window.active is remote and remote.loaded and remote.link.get("state") == "connected",
                    timeout=20_000)
    wiz = window.open_wizard()
    assert wiz.session is remote
    qtbot.waitUntil(lambda: wiz.facts.answered, timeout=10_000)
    return wiz


def to_page(wiz, page, name: str = "far-vm"):
    wiz.name_page.name.setText(name)
    while wiz.currentPage() is not page:
        wiz.next()
    return page


def test_browse_on_a_remote_host_lists_its_folders_and_fills_the_path(make_window, conn, far, gui_env, qtbot,
                                                                     no_local_dialog):
    there = far.home.parent / "images"
    there.mkdir(exist_ok=True)
    (there / "far.vhd").write_bytes(b"v" * 1024)
    (there / "notes.txt").write_text("n")
    wiz = remote_wizard(make_window, conn, far, gui_env, qtbot)
    disk = to_page(wiz, wiz.disk_page)
    disk.existing.setChecked(True)
    assert disk.browse.isEnabled() and "Browse the folders of 127.0.0.1" in disk.browse.toolTip()
    disk.path.setText(str(there / "far.vhd"))
    disk.browse.click()
    dialog = disk.host_browser
    assert isinstance(dialog, HostBrowserDialog) and "rack-far" in dialog.windowTitle()
    qtbot.waitUntil(lambda: dialog.folder == str(there) and dialog.names() == ["far.vhd"], timeout=10_000)
    assert " free of " in dialog.space.text()
    qtbot.waitUntil(lambda: dialog.selected_path() == str(there / "far.vhd"), timeout=5000)  # the field's file
    dialog.select("far.vhd")
    dialog.ok.click()
    assert disk.path.text() == str(there / "far.vhd")
    qtbot.waitUntil(lambda: wiz.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=10_000)
    # a folder for a new disk: the folders of that host too
    disk.create.setChecked(True)
    assert disk.folder_browse.isEnabled()
    disk.disk_folder.setText(str(there))
    disk.folder_browse.click()
    folders = disk.host_browser
    assert folders is not dialog and folders.folders
    qtbot.waitUntil(lambda: folders.folder == str(there) and folders.names() == [], timeout=10_000)
    folders.ok.click()
    assert disk.disk_folder.text() == str(there)
    # the guest image: its .elf files
    install = to_page(wiz, wiz.install_page)
    install.other.setChecked(True)
    assert install.browse.isEnabled()
    install.browse.click()
    images = install.host_browser
    qtbot.waitUntil(lambda: images.listing is not None, timeout=10_000)
    assert images.kinds == [".elf"]
    with api.connect(uri=far.uri) as c:
        assert images.folder == c.browse()["path"]  # the host's own folder: its store
    images.reject()
    assert no_local_dialog == []
    wiz.reject()


def test_on_the_local_host_browse_keeps_the_file_dialog(window, qtbot, no_local_dialog):
    wiz = window.open_wizard()
    disk = to_page(wiz, wiz.disk_page, "web1")
    disk.existing.setChecked(True)
    assert disk.browse.isEnabled() and disk.browse.toolTip() == ""
    disk.browse.click()
    assert len(no_local_dialog) == 1 and getattr(disk, "host_browser", None) is None
    wiz.reject()
