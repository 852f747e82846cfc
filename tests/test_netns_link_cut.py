"""A bad network between the console and a remote host, on namespace test hosts (tests/netnshosts.py, root only):
the link cut (``ip link set ... down`` inside the host's namespace) while a job runs there, or the remote service
killed, shows the connection disconnected within 5 s with a reason; calls fail at once saying so; when the link
comes back (or the service is started again) the connection reconnects by itself and the job is found again by its
id, not lost. Over TLS (host a) and over SSH (host b)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest

from core import api
from core.model.errors import BulkheadError, ServiceUnavailable

from .elfkit import make_elf
from .gui import conftest as gui_conftest
from .helpers.waiting import wait_until
from .netns_fixtures import netns_fixture

SHOWN_WITHIN = 5.0  # the bound: Disconnected is shown within 5 s
RECONNECT_WITHIN = 15.0  # the backoff's steps (1, 2, 4 s) plus a connect attempt that was under way
WAIT = 30.0
# a guest that never powers off (as tests/contract/conftest.py's DEAF_GUEST): a shut-down job on it stays Running
DEAF_GUEST = make_elf(bytes.fromhex("48b8ffffffffffffff7f" "48890425" "00140000" "66ba0005" "ee" "ebfd"))

# core/remote/transport.py probes only a connection idle for PROBE_INTERVAL and not busy with a request; one with a
# request in flight, or used every second (the console's refresh), learns of a cut link only from TCP keepalive
# (TlsLink: 5 s idle + 3 x 2 s), about 11 s after the cut

hosts = netns_fixture()
gui_env, make_window = gui_conftest.gui_env, gui_conftest.make_window  # the console's fixtures, for the last test


@pytest.fixture(scope="module")
def deaf(hosts) -> str:
    image = hosts.root / "deaf.elf"  # the hosts share this machine's file system
    image.write_bytes(DEAF_GUEST)
    return str(image)


def disconnected(conn: api.Connection, since: float, what: str) -> tuple[dict, float]:
    """Wait (at most SHOWN_WITHIN s) until ``conn`` says it is disconnected; its status and the seconds it took."""
    status = wait_until(lambda: (s := conn.status())["state"] == "disconnected" and s, SHOWN_WITHIN + 1,
                        f"disconnected after {what}")
    took = time.monotonic() - since
    print(f"{what}: disconnected after {took:.2f} s ({status['reason']})")
    return status, took


def fails_at_once(conn: api.Connection) -> str:
    started = time.monotonic()
    with pytest.raises(ServiceUnavailable, match=r"is disconnected: .+ \(reconnecting in \d+ s\)") as e:
        conn.vms()
    assert time.monotonic() - started < 0.5, "a call waited on a dead link"
    return str(e.value)


def reconnected(conn: api.Connection, since: float, what: str) -> float:
    wait_until(lambda: conn.status()["state"] == "connected", RECONNECT_WITHIN, f"reconnected after {what}")
    took = time.monotonic() - since
    print(f"{what}: reconnected after {took:.2f} s")
    return took


@contextmanager
def outage(conn: api.Connection, fault, heal, healed: str):
    """``fault()`` (the link cut, the service killed), then the block (what the test checks meanwhile), then
    ``heal()`` (also when the block failed) and, once the block passed, ``conn`` reconnected by itself."""
    fault()
    try:
        yield
    finally:
        heal()
    reconnected(conn, time.monotonic(), healed)


def running_job(conn: api.Connection, vm: str) -> api.Job:
    """A shut-down job on the deaf guest ``vm``: it stays Running (60 s) until cancelled."""
    job = conn.stop_vm(vm, mode="shut_down")
    wait_until(lambda: conn.job(job.id).state == "Running", WAIT, "the shut-down job running")
    return job


def end(conn: api.Connection, job: api.Job, vm: str) -> None:
    """Cancel the shut-down ``job`` (if still running) and remove ``vm``."""
    if not conn.job(job.id).finished:
        conn.cancel_job(job.id)
    assert conn.wait_job(job.id, WAIT).state == "Cancelled"
    conn.stop_vm(vm, mode="turn_off").wait(WAIT)
    conn.remove_vm(vm).wait(WAIT)


def test_a_cut_link_shows_disconnected_within_5_s_and_the_job_is_found_again(hosts, deaf):
    a = hosts.a
    told: list[str] = []
    with api.connect(uri=a.tls_uri) as conn:
        conn.subscribe(lambda kind, data: told.append(data["state"]) if kind == "connection.status" else None)
        conn.new_vm("cut-a", memory="32M", image=deaf, integration_services=False, start=True).wait(WAIT)
        job = running_job(conn, "cut-a")
        with outage(conn, a.cut, a.restore, "TLS link restored"):
            status, took = disconnected(conn, time.monotonic(), "TLS link cut")
            assert took < SHOWN_WITHIN
            assert "timed out" in status["reason"] or "no answer" in status["reason"], status
            assert status["reason"] in fails_at_once(conn)
        again = conn.job(job.id)  # the host kept it: found by its id, still running
        assert again.state == "Running" and again.target_name == "cut-a", again
        assert job.id in [j.id for j in conn.jobs(active=True)]
        wait_until(lambda: told[-1:] == ["connected"], WAIT, "connection.status told")
        assert "disconnected" in told, told
        end(conn, job, "cut-a")


def test_a_request_in_flight_when_the_link_is_cut_ends_within_5_s(hosts, deaf):
    a = hosts.a
    with api.connect(uri=a.tls_uri) as conn, api.connect(uri=a.tls_uri) as other:
        conn.new_vm("cut-busy", memory="32M", image=deaf, integration_services=False, start=True).wait(WAIT)
        job = running_job(conn, "cut-busy")
        ended: list[BaseException | api.Job] = []
        waiting = threading.Thread(target=lambda: ended.append(_wait(conn, job.id)), daemon=True)
        waiting.start()
        time.sleep(0.5)  # job.wait is in flight now
        a.cut()
        cut = time.monotonic()
        try:
            waiting.join(SHOWN_WITHIN)
            took = time.monotonic() - cut
            print(f"TLS link cut mid-request: the request ended after {took:.2f} s, the connection is "
                  f"{conn.status()['state']}")
            assert ended and isinstance(ended[0], ServiceUnavailable), ended
            assert conn.status()["state"] == "disconnected"
        finally:
            a.restore()
            reconnected(other, time.monotonic(), "TLS link restored")
            other.cancel_job(job.id)  # ends the job.wait in flight if the link outlived the cut
            waiting.join(WAIT)
            assert not waiting.is_alive()
            end(other, job, "cut-busy")


def _wait(conn: api.Connection, job_id: int):
    try:
        return conn.wait_job(job_id, WAIT)
    except BulkheadError as e:
        return e


def test_a_killed_service_shows_disconnected_within_5_s_and_reconnects_when_started(hosts):
    a = hosts.a
    with api.connect(uri=a.tls_uri) as conn:
        job = conn.new_vm("before-kill", memory="32M").wait(WAIT)
        with outage(conn, a.kill_service, a.start_service, "TLS service started again"):
            status, took = disconnected(conn, time.monotonic(), "TLS service killed")
            assert took < SHOWN_WITHIN and status["reason"], status
            fails_at_once(conn)
        assert conn.job(job.id).state == "Completed"  # found again by its id
        assert [v.name for v in conn.vms()] == ["before-kill"]
        conn.remove_vm("before-kill").wait(WAIT)


def test_a_cut_ssh_link_shows_disconnected_within_5_s_and_reconnects(hosts, deaf):
    b = hosts.b
    with api.connect(uri=b.ssh_uri) as conn:
        conn.new_vm("cut-b", memory="32M", image=deaf, integration_services=False, start=True).wait(WAIT)
        job = running_job(conn, "cut-b")
        with outage(conn, b.cut, b.restore, "SSH link restored"):
            status, took = disconnected(conn, time.monotonic(), "SSH link cut")
            assert took < SHOWN_WITHIN and status["reason"], status
            fails_at_once(conn)
        assert conn.job(job.id).state == "Running"
        end(conn, job, "cut-b")


def test_the_console_shows_a_cut_host_disconnected_within_5_s(hosts, qtbot, gui_env, make_window):
    """The host in the console's tree says Disconnected within 5 s of the cut, and Connected once it is back."""
    from gui import libvirt_hosts

    a = hosts.a
    with api.connect(str(gui_env / "home"), embedded=True) as local:
        libvirt_hosts.add(a.tls_uri, name="netns-a", home=str(gui_env / "home"))
        window = make_window(local)
        key = f"remote:{a.tls_uri}"

        def text() -> str:
            item = window.nav.item_for("host", key)
            return item.text(0) if item is not None else ""

        qtbot.waitUntil(lambda: "Connected" in text(), timeout=20_000)
        a.cut()
        cut = time.monotonic()
        try:
            qtbot.waitUntil(lambda: "Disconnected" in text(), timeout=int(SHOWN_WITHIN * 1000) + 1000)
            took = time.monotonic() - cut
            print(f"console: Disconnected shown {took:.2f} s after the cut ({text()!r})")
            assert took < SHOWN_WITHIN
        finally:
            a.restore()
        qtbot.waitUntil(lambda: "Connected" in text() and "Disconnected" not in text(),
                        timeout=int(RECONNECT_WITHIN * 1000))
