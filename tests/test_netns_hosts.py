"""Remote hosts as separate machines (tests/netnshosts.py, root only): host services in network namespaces of their
own, reachable only at addresses inside them. The API manages a VM on host a over TLS and on host b over SSH as it
does locally; each host is a machine of its own (its own home, only its VMs); the hosts reach each other; a link
can be limited; stopping leaves no namespace, bridge or process behind, also after a start that failed halfway, and
what a run that died left is removed by the next one."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest

from core import api

from . import netnshosts
from .helpers.waiting import wait_until
from .netns_fixtures import netns_fixture
from .netnshosts import NetnsError, NetnsHosts

WAIT = 30.0

hosts = netns_fixture()


def lifecycle(conn: api.Connection, name: str) -> None:
    """A new VM with the bundled guest: start, listed Running, stop, remove - as locally."""
    job = conn.new_vm(name, memory="32M").wait(WAIT)
    assert job.state == "Completed", job.error
    assert conn.job(job.id).state == "Completed"
    done = conn.start_vm(name).wait(WAIT)
    assert done.state == "Completed", done.error
    assert [(v.name, v.state) for v in conn.vms()] == [(name, "Running")]
    done = conn.stop_vm(name, mode="turn_off").wait(WAIT)
    assert done.state == "Completed", done.error
    assert conn.vm(name).state == "Off"
    done = conn.remove_vm(name).wait(WAIT)
    assert done.state == "Completed", done.error
    assert conn.vms() == []


def test_a_vm_on_host_a_over_tls_and_on_host_b_over_ssh(hosts):
    a, b = hosts.a, hosts.b
    with api.connect(uri=a.tls_uri) as on_a, api.connect(uri=b.ssh_uri) as on_b:
        assert on_a.host_info()["store"] == str(a.home)
        assert on_b.host_info()["store"] == str(b.home)
        assert a.home != b.home
        assert on_a.status()["state"] == on_b.status()["state"] == "connected"
        on_a.new_vm("only-on-a", memory="32M").wait(WAIT)
        try:
            assert [v.name for v in on_b.vms()] == []  # separate machines: b does not see a's VM
            lifecycle(on_b, "on-b")
            assert [v.name for v in on_a.vms()] == ["only-on-a"]
        finally:
            on_a.remove_vm("only-on-a").wait(WAIT)
        lifecycle(on_a, "on-a")


def test_b_serves_the_same_store_over_tls_and_ssh(hosts):
    b = hosts.b
    with api.connect(uri=b.tls_uri) as tls, api.connect(uri=b.ssh_uri) as ssh:
        assert tls.host_info()["pid"] == ssh.host_info()["pid"]  # one host service, reached both ways
        tls.new_vm("both-ways", memory="32M").wait(WAIT)
        try:
            assert "both-ways" in [v.name for v in ssh.vms()]
        finally:
            ssh.remove_vm("both-ways").wait(WAIT)


def test_addresses_exist_only_inside_the_namespaces_and_the_hosts_reach_each_other(hosts):
    a, b = hosts.a, hosts.b
    root = netnshosts.run("ip", "-o", "addr", "show").stdout
    assert a.address not in root and b.address not in root and hosts.gateway in root
    inside = netnshosts.run("ip", "-n", a.namespace, "-o", "addr", "show").stdout
    assert f"{a.address}/24" in inside and a.veth_inner in inside and b.address not in inside
    # from inside a, b's TLS port answers (what a migration between them needs), and a's own service is not on
    # its loopback
    probe = ("import socket, sys\n"
             "socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5).close()\n"
             "try:\n socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=5)\n"
             "except OSError:\n print('ok')\n")
    out = subprocess.run(a.exec(sys.executable, "-c", probe, b.address, str(b.port)), capture_output=True,
                         text=True, timeout=WAIT)
    assert out.stdout.strip() == "ok", out.stderr


def test_a_limited_link_is_slower_and_unlimited_again(hosts):
    b = hosts.b
    size = 1 << 20
    server = ("import socket\n"
              "s = socket.create_server(('0.0.0.0', 16700)); print('up', flush=True)\n"
              f"for _ in range(2):\n c, _a = s.accept(); c.sendall(b'x' * {size}); c.close()\n")
    proc = subprocess.Popen(b.exec(sys.executable, "-c", server), stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "up"

        def fetch() -> float:
            started = time.monotonic()
            with socket.create_connection((b.address, 16700), timeout=WAIT) as c:
                got = 0
                while chunk := c.recv(65536):
                    got += len(chunk)
            assert got == size
            return time.monotonic() - started

        b.limit("8mbit")  # 1 MiB at 1 MB/s: about a second
        try:
            shown = netnshosts.run("tc", "-n", b.namespace, "qdisc", "show", "dev", b.veth_inner).stdout
            assert "tbf" in shown, shown
            slow = fetch()
        finally:
            b.unlimit()
        fast = fetch()
        print(f"1 MiB limited to 8 Mbit/s: {slow:.2f} s, unlimited: {fast:.3f} s")
        assert slow > 0.7 and fast < slow / 3, (slow, fast)
    finally:
        proc.kill()
        proc.wait(10)


def leftovers(made: NetnsHosts, names: list[str], pids: list[int]) -> list[str]:
    """The namespaces, links (bridge, veths) and processes of ``made`` that are still there."""
    left = [ns for ns in netnshosts.namespaces() if ns in names]
    links = set(re.findall(r"^\d+:\s+([^:@]+)", netnshosts.run("ip", "-o", "link", "show").stdout, re.M))
    left += sorted(links & {f"bkhbr{made.subnet}", *(f"bkh{made.subnet}{n}-br" for n in "abc")})
    left += [f"pid {p}" for p in pids if netnshosts._alive(p)]
    return left


def test_stop_leaves_nothing_behind_also_after_a_start_that_failed_halfway(tmp_path, monkeypatch):
    if netnshosts.missing(ssh=False):
        pytest.skip(netnshosts.missing(ssh=False))
    made = NetnsHosts(tmp_path / "whole", count=3, ssh=False).start()
    names = [h.namespace for h in made]
    pids = [h.proc.pid for h in made]
    with api.connect(uri=made.c.tls_uri) as conn:
        assert conn.host_info()["store"] == str(made.c.home)
    made.a.kill_service()  # a dead service, a cut link: stop copes
    made.b.cut()
    made.stop()
    assert leftovers(made, names, pids) == []

    real = netnshosts.NetnsHost.wait_service

    def broken(self, deadline):  # host b's service does not come up: a's runs, the network is made
        if self.name == "b":
            raise NetnsError("b refuses to start")
        real(self, deadline)

    monkeypatch.setattr(netnshosts.NetnsHost, "wait_service", broken)
    half = NetnsHosts(tmp_path / "half", count=2, ssh=False)
    with pytest.raises(NetnsError, match="b refuses to start"):
        half.start()
    assert len(half.hosts) == 2
    assert leftovers(half, [h.namespace for h in half], []) == []
    assert subprocess.run(["pgrep", "-f", str(tmp_path / "half")], capture_output=True).stdout == b""


def test_what_a_dead_run_left_is_removed_by_the_next(tmp_path):
    if netnshosts.missing(ssh=False):
        pytest.skip(netnshosts.missing(ssh=False))
    gone = subprocess.Popen(["true"])
    gone.wait(10)  # a pid no process has
    ns, bridge = f"bkh-{gone.pid}-250-a", "bkhstale250"
    netnshosts.run("ip", "netns", "add", ns)
    sleeper = subprocess.Popen(["nsenter", f"--net=/run/netns/{ns}", "--", "sleep", "60"])
    try:
        netnshosts.run("ip", "link", "add", bridge, "type", "bridge")
        netnshosts.run("ip", "link", "set", bridge, "alias", f"{netnshosts.ALIAS} {gone.pid}")
        wait_until(lambda: netnshosts.run("ip", "netns", "pids", ns).stdout.strip(), 5.0, "the sleeper inside")
        removed = netnshosts.clean_stale()
        assert ns in removed and bridge in removed, removed
        assert ns not in netnshosts.namespaces()
        assert netnshosts.run("ip", "link", "show", bridge, check=False).returncode != 0
        assert sleeper.wait(5) == -9  # what ran inside was killed
    finally:
        sleeper.kill()
        sleeper.wait(5)
        netnshosts.teardown([ns], bridge)
