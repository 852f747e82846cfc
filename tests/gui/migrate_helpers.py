"""What the Migrate wizard's tests share: a console over the embedded host with a second Bulkhead host (a TLS test
host, tests/remotehosts.py) in its tree, the wizard opened on a VM, and moving it on to a page."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard

from core import api
from gui import libvirt_hosts

from .conftest import make_vms, vm_by_name, wait_state


def two_hosts(make_window, conn, far, gui_env, qtbot, name: str = "rack-far", quiet: bool = False):
    """The main window with the embedded host and ``far`` connected; ``quiet``: no periodic VM list refreshes
    (what the tree shows then comes from the hosts' events)."""
    libvirt_hosts.add(far.uri, name=name, home=str(gui_env / "home"))
    window = make_window(conn)
    qtbot.waitUntil(lambda: far.uri in window.remote, timeout=10_000)
    remote = window.remote[far.uri]
    qtbot.waitUntil(lambda: remote.loaded and remote.link.get("state") == "connected"
                    and window.nav.item_for("host", remote.host_key) is not None, timeout=20_000)
    if quiet:
        for s in window.sessions:
            s._timer.stop()
    return window, remote


def with_libvirt_test_host(make_window, conn, far, gui_env, qtbot, name: str, ready):
    """``two_hosts`` with libvirt's test driver (test:///default, named ``name``) in the tree too, once it is loaded
    and ``ready(lv)`` holds: (window, remote, lv). Skips where libvirt-python is not installed."""
    pytest.importorskip("libvirt", reason="libvirt-python is not installed")
    libvirt_hosts.add("test:///default", name=name, home=str(gui_env / "home"))
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    lv = window.libvirt["test:///default"]
    qtbot.waitUntil(lambda: lv.loaded and ready(lv), timeout=15_000)
    return window, remote, lv


def wizard_on_far(make_window, conn, far, gui_env, qtbot, name: str):
    """``two_hosts``, the VM ``name`` running on the embedded host and the wizard opened on it with ``far``'s host
    selected: (window, remote, wiz)."""
    window, remote = two_hosts(make_window, conn, far, gui_env, qtbot)
    running_vm(qtbot, window, conn, name)
    wiz = open_wizard(qtbot, window, name)
    select(qtbot, wiz, remote)
    return window, remote, wiz


def far_conn(far):
    return api.connect(uri=far.uri)


def remove_vms(conn, *names: str) -> None:
    """Turn off and remove the VMs ``names`` on ``conn``'s host (a test's cleanup)."""
    for name in names:
        conn.stop_vm(name, mode="turn_off").wait()
        conn.remove_vm(name).wait()


def running_vm(qtbot, window, conn, name: str, **kw) -> dict:
    if name not in [v.name for v in conn.vms()]:
        make_vms(conn, name, start=True, **kw)
    wait_state(qtbot, window.session, name, "Running")
    window.set_active(window.session)
    window.select_vms([name], session=window.session)
    return vm_by_name(window.session, name)


def open_wizard(qtbot, window, name: str, **kw):
    vm = vm_by_name(window.session, name)
    wiz = window.open_migrate((window.session, vm), **kw)
    assert wiz is not None and wiz.isVisible()
    return wiz


def rated(qtbot, wiz, answers: int = 1):
    page = wiz.select_page
    qtbot.waitUntil(lambda: page.answers >= answers and page.model.rowCount() > 0, timeout=20_000)
    return page


def next_enabled(wiz) -> bool:
    return wiz.button(QWizard.WizardButton.NextButton).isEnabled()


def finish_enabled(wiz) -> bool:
    return wiz.button(QWizard.WizardButton.FinishButton).isEnabled()


def to_page(qtbot, wiz, page, timeout: int = 20_000):
    """Next until ``page`` (each page complete first)."""
    while wiz.currentPage() is not page:
        qtbot.waitUntil(lambda: next_enabled(wiz), timeout=timeout)
        before = wiz.currentPage()
        wiz.next()
        assert wiz.currentPage() is not before, f"stuck on {before.title()}"
    return page


def select(qtbot, wiz, session):
    page = rated(qtbot, wiz)
    assert page.select_host(session)
    assert page.selected()["session"] is session
    return page
