"""Remote hosts: one host service with 100 VMs reached three ways, side by side; prints one JSON document.

    python benchmarks/remote.py [--vms 100] [--calls 300] [--connects 10] [--events 200] [--seconds 5]
                                [--console-seconds 20] [--no-console]

A host service runs in a temporary BULKHEAD_HOME and serves TLS on a loopback port (tests/remotehosts.py: its own
CA, host and client certificates); where sshd is installed an sshd on another loopback port runs this checkout's
``bulkhead host proxy`` against the same home. Figures:

- ``vm_list``: warm round trips of ``vm list`` (the API's ``vms()``) over the local socket, TLS and SSH: median,
  90th percentile and mean in ms, and each one's ratio to the local socket (the issue's goal: TLS within 1.5x);
- ``connect``: cold connects (``api.connect(uri=...)``: TCP + TLS handshake, or an ssh session and the far proxy,
  then the protocol's hello) for TLS and SSH, median and worst in ms. For SSH "cold" means no ssh connection
  to share (each connect after ``ssh -O exit``); ``ssh_shared`` is a new connection while one lives;
- ``second_channel``: on a connected host, opening one more link (``subscribe()``: what the console does for its
  event stream) for TLS and SSH: with ssh connection sharing no new ssh connection, no second authentication;
  ``ssh_session_only`` is ssh's part of it (a session running ``true``; the rest is the far proxy starting);
  the ``*_unshared`` figures are the same with BULKHEAD_SSH_SHARE=0 (each link its own ssh connection and login,
  as before connection sharing);
- ``ssh_logins``: how many times sshd authenticated a client for those connects, channels and sessions, with and
  without sharing;
- ``events_tls``: events per second over TLS while the host changes one VM as fast as it can (vm.changed only);
- ``events_sustained``: for ``--seconds``, four clients change the 100 VMs without waiting (every vm.set is a job:
  job.created, job.progress, job.finished, vm.changed) while one subscriber on the local socket and one over TLS
  read the whole stream; events/s each received and the number the host dropped for it (a subscriber that does
  not keep up loses events; the host says how many in the stream);
- ``console_three_hosts`` (benchmarks/_remote_console.py): three host services of 100 running VMs each (this
  machine's over its socket, two over TLS), the console's main window offscreen on a host group of the three;
  GUI-thread time per refresh and per event batch, and the longest event-loop stall.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import api  # noqa: E402
from core.remote.links import SshLink, TlsLink  # noqa: E402
from core.remote.uri import parse_uri  # noqa: E402
from tests.remotehosts import SshHost, TlsHost, sshd_missing  # noqa: E402

SUBSCRIBE = json.dumps({"v": 1, "id": 0, "method": "events.subscribe"}).encode() + b"\n"


def timings(fn, n: int, before=None) -> list[float]:
    out = []
    for _ in range(n):
        if before is not None:
            before()
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 3), "p90_ms": round(ms[max(0, int(len(ms) * 0.9) - 1)], 3),
            "mean_ms": round(statistics.fmean(ms), 3), "max_ms": round(ms[-1], 3), "n": len(ms)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vms", type=int, default=100)
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--connects", type=int, default=10)
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=5.0, help="how long the sustained event flow lasts")
    ap.add_argument("--console-seconds", type=float, default=20.0)
    ap.add_argument("--no-console", action="store_true", help="leave out the three-host console figures")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bulkhead-bench-remote-"))
    tls = TlsHost(root / "tls", backend="emulation")
    ssh = None
    out: dict = {"vms": args.vms, "cores": os.cpu_count()}
    try:
        tls.start()
        local = api.connect(str(tls.home), autostart=False)
        for i in range(args.vms):
            local.new_vm(f"bench-{i:03d}", memory="32M").wait(60, check=True)
        paths = {"local": local, "tls": api.connect(uri=tls.uri)}
        missing = sshd_missing()
        if missing:
            out["ssh_skipped"] = missing
        else:
            ssh = SshHost(root / "ssh").start()
            ssh_uri = ssh.uri(home=tls.home)  # the same host service, through sshd and its proxy
            paths["ssh"] = api.connect(uri=ssh_uri)
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for conn in paths.values():
            assert len(conn.vms()) == args.vms
            timings(conn.vms, 20)  # warm
        for _ in range(args.calls):  # interleaved, so a moment of load on the machine weighs on all alike
            for name, conn in paths.items():
                samples[name] += timings(conn.vms, 1)
        listing = {name: summary(ms) for name, ms in samples.items()}
        base = listing["local"]["median_ms"]
        for name in listing:
            listing[name]["x_local"] = round(listing[name]["median_ms"] / base, 2)
        out["vm_list"] = listing
        out["connect"] = {"tls": summary(timings(lambda: api.connect(uri=tls.uri).close(), args.connects))}
        out["second_channel"] = {"tls": second_channel(paths["tls"], args.connects)}
        if ssh is not None:
            paths.pop("ssh").close()  # cold connects end the shared ssh connection: nothing else may ride on it
            connect, second, out["ssh_logins"] = ssh_figures(ssh, ssh_uri, args.connects)
            out["connect"].update(connect)
            out["second_channel"].update(second)
        out["events_tls"] = events(paths["tls"], local, args.events)
        out["events_sustained"] = sustained(tls, args.vms, args.seconds)
        for conn in paths.values():
            conn.close()
        out["ok"] = listing["tls"]["x_local"] <= 1.5
    finally:
        if ssh is not None:
            exit_master(SshLink(parse_uri(ssh.uri(home=tls.home))))
            ssh.proc and ssh.proc.terminate()
            ssh.proc and ssh.proc.wait(10)
        tls.stop()
        shutil.rmtree(root, ignore_errors=True)
    if not args.no_console:
        from _remote_console import three_hosts

        out["console_three_hosts"] = three_hosts(args.vms, args.console_seconds)
    print(json.dumps(out, indent=2))
    return 0


def exit_master(link: SshLink) -> None:
    """End the shared ssh connection of ``link`` (if it shares one), so the next connect is cold."""
    stop = getattr(link, "exit_master", None)
    if stop is not None:
        stop()


def channel_once(conn) -> None:
    """Open and close one more link to a connected host: an event stream, as the console opens one."""
    unsubscribe = conn.subscribe(lambda _kind, _data: None)
    state = conn.status()["state"]
    unsubscribe()
    if state != "connected":
        raise RuntimeError(f"the second channel was not opened: {conn.status()}")


def second_channel(conn, n: int) -> dict:
    """``channel_once`` ``n`` times, with a pause between them: the host frees a closed stream's slot when its next
    event finds it gone (at most a tick), and all TLS links of one client certificate share one client's slots."""
    pause = lambda: time.sleep(0.3)  # noqa: E731
    timings(lambda: channel_once(conn), 2, before=pause)  # warm
    return summary(timings(lambda: channel_once(conn), n, before=pause))


def ssh_true(link: SshLink) -> None:
    """One ssh session running ``true`` on the far side (on the shared connection if there is one): what a channel
    costs ssh itself, without the far side's ``bulkhead host proxy`` starting."""
    argv = [os.environ.get("BULKHEAD_SSH", "ssh"), "-T", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            *link.ssh_options(), "--", link.target.host, "true"]
    subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, check=True, timeout=30)


def logins(ssh: SshHost) -> int:
    """How many times sshd has authenticated a client (its log)."""
    return ssh.log.read_text(errors="replace").count("Accepted publickey") if ssh.log.exists() else 0


def ssh_figures(ssh: SshHost, uri: str, n: int) -> tuple[dict, dict, dict]:
    """Connect and second-channel times over SSH with connection sharing and without (BULKHEAD_SSH_SHARE=0, as
    before it), interleaved so that a moment of load weighs on both alike, and how many logins sshd saw for the
    ``n`` connects, second channels and sessions of each."""
    link, unshared = SshLink(parse_uri(uri)), SshLink(parse_uri(uri), share=False)
    ms: dict[str, list[float]] = {k: [] for k in ("cold", "shared", "unshared", "second", "second_unshared",
                                                  "session", "session_unshared")}
    counted = {"shared": 0, "unshared": 0}

    def measure(key: str, fn, share: bool = True) -> None:
        if not share:
            os.environ["BULKHEAD_SSH_SHARE"] = "0"  # each link its own ssh connection and login
        before = logins(ssh)
        try:
            ms[key] += timings(fn, 1)
        finally:
            os.environ.pop("BULKHEAD_SSH_SHARE", None)
        if key != "cold":  # a cold connect logs in by definition
            counted["shared" if share else "unshared"] += logins(ssh) - before

    for _ in range(n):
        exit_master(link)
        measure("cold", lambda: api.connect(uri=uri).close())
        measure("shared", lambda: api.connect(uri=uri).close())
        measure("unshared", lambda: api.connect(uri=uri).close(), share=False)
        measure("session", lambda: ssh_true(link))
        measure("session_unshared", lambda: ssh_true(unshared), share=False)
    with api.connect(uri=uri) as conn:
        os.environ["BULKHEAD_SSH_SHARE"] = "0"
        try:
            other = api.connect(uri=uri)
        finally:
            del os.environ["BULKHEAD_SSH_SHARE"]
        with other:
            for _ in range(n):
                time.sleep(0.3)  # as second_channel pauses
                measure("second", lambda: channel_once(conn))
                measure("second_unshared", lambda: channel_once(other), share=False)
    connect = {"ssh": summary(ms["cold"]), "ssh_shared": summary(ms["shared"]),
               "ssh_unshared": summary(ms["unshared"])}
    second = {"ssh": summary(ms["second"]), "ssh_unshared": summary(ms["second_unshared"]),
              "ssh_session_only": summary(ms["session"]), "ssh_session_only_unshared": summary(ms["session_unshared"])}
    return connect, second, counted


def events(remote, local, n: int) -> dict:
    """Change a VM's notes ``n`` times from the local socket and count the vm.changed events that reach a TLS
    subscriber, and how fast."""
    got = []
    done = threading.Event()

    def on(kind: str, data: dict) -> None:
        if kind == "vm.changed" and data.get("name") == "bench-000":
            got.append(time.perf_counter())
            if len(got) >= n:
                done.set()

    unsubscribe = remote.subscribe(on)
    time.sleep(0.2)
    start = time.perf_counter()
    jobs = [local.set_vm("bench-000", notes=f"note {i}") for i in range(n)]
    for job in jobs:
        job.wait(60)
    done.wait(30)
    unsubscribe()
    seconds = (got[-1] - start) if got else 0.0
    return {"events": len(got), "sent": n, "seconds": round(seconds, 3),
            "per_second": round(len(got) / seconds, 1) if seconds else 0.0}


class Stream:
    """One subscriber reading the whole event stream as the API's reader does (a line, JSON), counting events, by
    kind, and the events the host says it dropped for it."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.reader = sock.makefile("rb")
        sock.sendall(SUBSCRIBE)
        first = json.loads(self.reader.readline() or b"{}")
        if "error" in first or not first:
            raise RuntimeError(f"not subscribed: {first}")
        self.times: list[float] = []
        self.dropped = 0
        self.kinds: dict[str, int] = {}
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for line in self.reader:
                message = json.loads(line)
                if "event" not in message:
                    return
                self.times.append(time.perf_counter())
                self.dropped += message.get("dropped", 0)
                self.kinds[message["event"]] = self.kinds.get(message["event"], 0) + 1
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def sustained(tls: TlsHost, vms: int, seconds: float, writers: int = 4) -> dict:
    """Four clients change the VMs as fast as the host takes it for ``seconds``; a subscriber on the local socket and
    one over TLS read the stream side by side."""
    from core.api.transport import SocketTransport
    from core.hosts.paths import HostPaths

    local_link = SocketTransport(HostPaths.resolve(tls.home).socket)
    streams = {"local": Stream(local_link._open()),
               "tls": Stream(TlsLink(parse_uri(tls.uri)).open(10.0))}
    time.sleep(0.5)
    sent = [0] * writers
    stop = threading.Event()

    def write(w: int) -> None:
        conn = api.connect(str(tls.home), autostart=False)
        i = w
        try:
            while not stop.is_set():
                conn.set_vm(f"bench-{i % vms:03d}", notes=f"sustained {i}")
                sent[w] += 1
                i += writers
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(w,), daemon=True) for w in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(30)
    end = time.perf_counter()
    time.sleep(3.0)  # the rest arrives; the next metrics tick carries a count of what was dropped at the end
    out: dict = {"seconds": round(end - start, 2), "writers": writers, "vm_set_requests": sum(sent)}
    for name, s in streams.items():
        s.close()
        during = [t for t in s.times if t <= end]
        out[name] = {"events": len(s.times), "per_second": round(len(during) / (end - start), 1),
                     "dropped": s.dropped, "kinds": dict(sorted(s.kinds.items()))}
    local_link.close()
    return out


if __name__ == "__main__":
    sys.exit(main())
