"""Remote Bulkhead hosts in the console, against a TLS test host (tests/remotehosts.py): File > Add Host... makes
SSH and TLS URIs from its fields and tests a connection in a worker before saving; a saved remote host appears in
the tree and in host groups beside the local host, with its facts and its link's state; a host that never answers
shows Disconnected / Reconnecting in N s and never stalls the window."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from core import api
from gui import libvirt_hosts
from gui.models.vm_table import Col

from ..helpers.listeners import Listener
from ..remotehosts import TlsHost
from .conftest import make_vms
from .test_watchdog import Watchdog

MAX_STALL = 0.25  # a loaded 2-core machine; a blocking connect would stall for seconds


@pytest.fixture(scope="module")
def far(tmp_path_factory):
    host = TlsHost(tmp_path_factory.mktemp("gui-tls")).start()
    with api.connect(uri=host.uri) as conn:
        make_vms(conn, "far1", "far2")
    yield host
    host.stop()


class Silent(Listener):
    """A TCP port that accepts connections and never says a word (a host whose service hangs)."""


@pytest.fixture
def silent():
    s = Silent()
    yield s
    s.close()


def host_text(window, key: str) -> str:
    item = window.nav.item_for("host", key)
    return item.text(0) if item is not None else ""


def listed(window) -> list[tuple[str, str]]:
    p = window.proxy
    return sorted((p.index(r, Col.NAME).data(), p.index(r, Col.HOST).data()) for r in range(p.rowCount()))


def test_a_saved_tls_host_is_in_the_tree_and_its_group_with_its_facts(make_window, conn, far, gui_env, qtbot):
    make_vms(conn, "web1")
    libvirt_hosts.add(far.uri, name="rack-tls", group="Lab", home=str(gui_env / "home"))
    window = make_window(conn)
    key = f"remote:{far.uri}"
    qtbot.waitUntil(lambda: host_text(window, key).startswith("rack-tls\n"), timeout=10_000)
    qtbot.waitUntil(lambda: "CPUs" in host_text(window, key) and "Connected" in host_text(window, key),
                    timeout=20_000)
    qtbot.waitUntil(lambda: " ms" in host_text(window, key), timeout=10_000)  # the link's latency
    item = window.nav.item_for("host", key)
    assert item.parent().text(0) == "Lab"
    tip = item.toolTip(0)
    assert "version" in tip and "Link latency" in tip and "logical processors" in tip and "up " in tip
    qtbot.waitUntil(lambda: window.nav.vm_names(key) == ["far1", "far2"], timeout=10_000)
    remote = window.remote[far.uri]
    # the group with the local host beside the remote one lists the VMs of both, with the Host column
    lab = next(g.id for g in window.groups.groups.values() if g.name == "Lab")
    assert window.move_host(window.session.host_key, lab)
    window.nav.setCurrentItem(window.nav.item_for("group", lab))
    assert set(window.scope) == {window.session, remote}
    assert not window.table.horizontalHeader().isSectionHidden(Col.HOST)
    qtbot.waitUntil(lambda: listed(window) == [("far1", "rack-tls"), ("far2", "rack-tls"),
                                               ("web1", window.session.host_label)], timeout=10_000)
    # an action on a remote VM goes to its host
    window.nav.setCurrentItem(window.nav.item_for("host", key))
    qtbot.waitUntil(lambda: window.details.currentIndex() == 2)
    assert window.details.host.values["Host service"].text().startswith("pid ")
    # removing the connection forgets it; the host's VMs stay
    window.remove_connection(key, confirm=False)
    qtbot.waitUntil(lambda: window.nav.item_for("host", key) is None, timeout=5000)
    assert far.uri not in window.remote and libvirt_hosts.saved(str(gui_env / "home")) == []
    with api.connect(uri=far.uri) as c:
        assert sorted(vm.name for vm in c.vms()) == ["far1", "far2"]


def test_add_host_makes_the_uri_from_its_fields_and_tests_before_saving(window, far, gui_env, qtbot):
    dialog = window.add_connection()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.current_kind() == "ssh" and not ok.isEnabled() and not dialog.test_button.isEnabled()
    dialog.ssh_user.setText("admin")
    dialog.ssh_host.setText("rack1")
    dialog.ssh_port.setValue(2222)
    dialog.ssh_home.setText("/srv/bulkhead")
    assert dialog.uri.currentText() == "bulkhead+ssh://admin@rack1:2222/?home=/srv/bulkhead"
    assert ok.isEnabled() and "admin@rack1:2222" in dialog.uri_message.text()
    dialog.ssh_home.setText("relative/path")
    assert not ok.isEnabled() and "absolute path" in dialog.uri_message.text()
    # TLS: no client certificate in this console's folder -> how to get one
    dialog.kind.setCurrentIndex(dialog.kind.findData("tls"))
    dialog.tls_host.setText("rack2.example.org")
    assert dialog.uri.currentText() == "bulkhead+tls://rack2.example.org"
    qtbot.waitUntil(lambda: "bulkhead host certs import DIR" in dialog.tls_note.text(), timeout=5000)
    assert dialog.tls_note.kind == "error"
    # a typed URI chooses the kind and fills the fields (its other options kept)
    dialog.kind.setCurrentIndex(dialog.kind.findData("ssh"))
    dialog.uri.setCurrentText(far.uri)
    assert dialog.current_kind() == "tls" and dialog.tls_host.text() == "127.0.0.1"
    assert dialog.tls_port.value() == far.port
    qtbot.waitUntil(lambda: "client certificate is in" in dialog.tls_note.text(), timeout=5000)
    dialog.tls_port.setValue(far.port)  # the same: the URI keeps its pkipath
    assert dialog.uri.currentText().startswith(f"bulkhead+tls://127.0.0.1:{far.port}/?pkipath=")
    dog = Watchdog()
    dog.start()
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connected"), timeout=20_000)
    assert dog.max_gap < MAX_STALL, f"the GUI thread stalled {dog.max_gap:.3f} s"
    text = dialog.test_result.text()
    assert "version" in text and "2 VMs" in text and "latency" in text
    dialog.name.setText("far-tls")
    ok.click()
    key = f"remote:{dialog.uri.currentText()}"
    qtbot.waitUntil(lambda: "Connected" in host_text(window, key), timeout=20_000)
    assert [e["kind"] for e in libvirt_hosts.saved(str(gui_env / "home"))] == ["bulkhead"]
    assert window.active is window.remote[far.uri]
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 2, timeout=10_000)


def test_a_host_that_never_answers_is_shown_disconnected_and_never_stalls(make_window, conn, silent, far, gui_env,
                                                                           qtbot):
    uri = f"bulkhead+tls://127.0.0.1:{silent.port}/?pkipath={far.client}&timeout=1"  # a certificate, no answer
    libvirt_hosts.add(uri, name="hung", home=str(gui_env / "home"))
    dog = Watchdog()
    window = make_window(conn, wait=False)
    dog.start()
    key = f"remote:{uri}"
    qtbot.waitUntil(lambda: "Reconnecting in" in host_text(window, key), timeout=15_000)
    assert "\nDisconnected: " in host_text(window, key)
    tip = window.nav.item_for("host", key).toolTip(0)
    assert "Bulkhead host" in tip and "Reconnecting on its own" in tip
    # the window goes on working meanwhile: its host chosen, a connection test of it
    window.nav.setCurrentItem(window.nav.item_for("host", key))
    assert window.active is window.remote[uri]
    dialog = window.add_connection()
    dialog.uri.setCurrentText(uri)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Cannot connect"), timeout=15_000)
    dialog.reject()
    # tried again on its own (the countdown ran out at least once)
    started = time.monotonic()
    qtbot.waitUntil(lambda: len(silent.held) >= 3, timeout=20_000)
    assert time.monotonic() - started < 20
    assert dog.max_gap < MAX_STALL, f"the GUI thread stalled {dog.max_gap:.3f} s"


def test_a_lost_host_shows_its_countdown_and_comes_back(make_window, conn, gui_env, tmp_path, qtbot):
    host = TlsHost(tmp_path / "lost").start()
    try:
        libvirt_hosts.add(host.uri, name="flaky", home=str(gui_env / "home"))
        dog = Watchdog()
        window = make_window(conn)
        dog.start()
        key = f"remote:{host.uri}"
        qtbot.waitUntil(lambda: "Connected" in host_text(window, key), timeout=20_000)
        host.kill()
        lost = time.monotonic()
        qtbot.waitUntil(lambda: "Disconnected" in host_text(window, key), timeout=10_000)
        assert time.monotonic() - lost < 5
        qtbot.waitUntil(lambda: "Reconnecting in" in host_text(window, key), timeout=10_000)
        # the host comes back from another thread: its start waits for its port, which would stall this (the GUI)
        # thread for the test's own sake, not the console's
        restart = threading.Thread(target=host.start, kwargs={"port": host.port})
        restart.start()
        qtbot.waitUntil(lambda: not restart.is_alive(), timeout=40_000)
        qtbot.waitUntil(lambda: "Connected" in host_text(window, key), timeout=40_000)
        assert dog.max_gap < MAX_STALL, f"the GUI thread stalled {dog.max_gap:.3f} s"
    finally:
        host.stop()
