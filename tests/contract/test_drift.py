"""The four drifts between kinds of host that one host contract ends (issue 10, "Why"), each tried as a new user
would: through the API, the command line and the console."""

from __future__ import annotations

import pytest

from core import api
from core.model.errors import StateError, UsageError

from ..conftest import Cli
from ..gui.conftest import conn, gui_env, make_window, window  # noqa: F401 - the console's fixtures
from .conftest import DEAF_GUEST, SMALL, WAIT, MiB, _libvirt_missing


def _named_limit(limit_mib: int, text: str) -> bool:
    return str(limit_mib) in text or f"{limit_mib:,}" in text


# --- 1. on a libvirt host, `disk new` is supported as capabilities() says, or refused with the reason ------------
@pytest.fixture
def libvirt_conn(tmp_path):
    missing = _libvirt_missing()
    if missing:
        pytest.skip(missing)
    c = api.connect(str(tmp_path / "home"), uri="test:///default")
    yield c
    c.close()


def test_disk_new_on_a_libvirt_host_is_never_an_unknown_method(libvirt_conn, tmp_path):
    caps = libvirt_conn.capabilities()
    path = tmp_path / "new.qcow2"
    if caps["new_disk"]:
        job = libvirt_conn.new_disk(str(path), 1 * MiB).wait(WAIT)
        assert job.state == "Completed", job.error
        assert job.target_name
    else:
        with pytest.raises(StateError) as e:
            libvirt_conn.new_disk(str(path), 1 * MiB)
        assert caps["reasons"]["new_disk"] in str(e.value)


def test_disk_new_on_a_libvirt_host_from_the_command_line(libvirt_conn, tmp_path):
    caps = libvirt_conn.capabilities()
    cli = Cli(tmp_path / "cli-home")
    path = tmp_path / "cli.qcow2"
    r = cli("--connect", "test:///default", "disk", "new", str(path), "--size", "1M", timeout=60)
    out = r.stdout + r.stderr
    assert "unknown method" not in out, out
    if caps["new_disk"]:
        assert r.returncode == 0, out
    else:
        assert r.returncode == 2 and caps["reasons"]["new_disk"] in out, out


# --- 2. a cancelled job on the embedded host comes back with its target name -----------------------------------
def test_a_cancelled_job_on_the_embedded_host_names_its_target(tmp_path):
    image = tmp_path / "deaf.elf"
    image.write_bytes(DEAF_GUEST)
    with api.connect(str(tmp_path / "home"), embedded=True) as c:
        c.new_vm("deaf", memory=SMALL, image=str(image), integration_services=False, start=True).wait(WAIT, check=True)
        job = c.stop_vm("deaf", mode="shut_down")
        cancelled = c.cancel_job(job.id)
        assert cancelled.target_name == "deaf", cancelled
        done = c.wait_job(job.id, WAIT)
        assert (done.state, done.target_name) == ("Cancelled", "deaf"), done
        c.stop_vm("deaf", mode="turn_off").wait(WAIT, check=True)


# --- 3. host.stop through an embedded connection is refused with a reason --------------------------------------
def test_host_stop_through_an_embedded_connection_is_refused_with_a_reason(tmp_path):
    with api.connect(str(tmp_path / "home"), embedded=True) as c:
        caps = c.capabilities()
        assert caps["host_stop"] is False and caps["reasons"].get("host_stop"), caps
        with pytest.raises(StateError) as e:
            c.call("host.stop")
        assert "unknown method" not in str(e.value) and caps["reasons"]["host_stop"] in str(e.value)
        assert c.vms() == []  # and the host is still there


# --- 4. the wizard's and the command line's memory limit are the host's ----------------------------------------
def test_the_command_line_refuses_memory_over_the_hosts_limit_naming_it(tmp_path):
    cli = Cli(tmp_path / "home")
    try:
        cli("host", "info", check=True, timeout=60)  # starts the host service
        with api.connect(str(cli.home), autostart=False) as c:
            limits = c.limits()
        limit_mib = limits.memory_max // MiB
        top = limits.memory_max // limits.memory_step * limits.memory_step // MiB
        r = cli("vm", "new", "big", "--memory", f"{top + limits.memory_step // MiB}M")
        assert r.returncode == 2, r.stdout + r.stderr
        assert _named_limit(limit_mib, r.stderr), r.stderr
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        r = cli("vm", "new", "big", "--memory", f"{top}M")
        assert r.returncode == 0, r.stdout + r.stderr  # the limit itself is accepted (never started)
    finally:
        cli("host", "stop", timeout=60)


def test_the_wizard_takes_the_hosts_memory_limit(window, conn, qtbot):  # noqa: F811
    limits = conn.limits()
    limit_mib = limits.memory_max // MiB
    top = limits.memory_max // limits.memory_step * limits.memory_step // MiB  # the most the wizard may offer
    window.vm_actions["new_vm"].trigger()
    wiz = window.wizard
    qtbot.keyClicks(wiz.name_page.name, "big")
    wiz.next()
    page = wiz.memory_page
    page.memory.setValue(top)
    assert page.memory.value() == top, f"the wizard stops at {page.memory.value()} MiB, the host at {top} MiB"
    assert not page.message.isVisibleTo(wiz), page.message.text()
    over = top + limits.memory_step // MiB
    page.memory.setValue(over)
    assert page.memory.value() == over  # one step over: says why, not clamped
    assert page.message.isVisibleTo(wiz) and _named_limit(limit_mib, page.message.text()), page.message.text()
    with pytest.raises(UsageError) as e:  # and the host refuses it with the same limit
        conn.new_vm("big", memory=over * MiB)
    assert _named_limit(limit_mib, str(e.value)), e.value
