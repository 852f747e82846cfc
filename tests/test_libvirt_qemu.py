"""libvirt connections against a real libvirtd running QEMU (type='qemu', TCG), as tools/ci-libvirt.sh starts it:
a tiny guest made here (a boot sector that prints to COM1 and spins) starts, its CPU time advances in the metrics,
its console output arrives, it turns off; and it live-migrates to a second libvirtd in its own namespaces."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from core.api import Connection
from core.model.errors import UsageError

from .helpers.events import EventLog

SOCKET = Path("/run/libvirt/libvirt-sock")
PEER_FILE = Path(os.environ.get("BULKHEAD_LIBVIRT_PEER", "/run/bulkhead-ci-libvirt/peer.json"))
try:
    import libvirt
except ImportError:
    libvirt = None

pytestmark = [
    pytest.mark.skipif(libvirt is None, reason="libvirt-python is not installed (tools/ci-libvirt.sh install)"),
    pytest.mark.skipif(not SOCKET.exists(), reason=f"no libvirtd socket at {SOCKET} (tools/ci-libvirt.sh start)"),
]

# The guest: a 512-byte boot sector (GNU as, .code16, linked at 0x7c00) that writes this line to COM1 (0x3f8),
# waiting for the transmitter each byte, then spins in a delay loop and writes it again, forever:
#   cli; xor ax,ax; mov ds,ax; mov ss,ax; mov sp,0x7c00
#   again: mov si,msg
#   next:  lodsb; test al,al; jz delay; mov bl,al; mov dx,0x3fd
#   wait:  in al,dx; test al,0x20; jz wait; mov dx,0x3f8; mov al,bl; out dx,al; jmp next
#   delay: mov di,0x100;  outer: mov cx,0xffff;  inner: loop inner; dec di; jnz outer; jmp again
#   msg:   .asciz "BULKHEAD-BOOT-SECTOR alive\r\n"
BANNER = "BULKHEAD-BOOT-SECTOR alive"
BOOT_CODE = bytes.fromhex(
    "fa31c08ed88ed0bc007cbe317cac84c0741288c3bafd03eca82074fbbaf80388d8eeebe9bf0001b9ffffe2fe4f75f8ebd9"
) + BANNER.encode() + b"\r\n\0"
MiB = 1 << 20


def boot_image(folder: Path) -> Path:
    """A 1 MiB raw disk (SeaBIOS does not boot a one-sector virtio disk) with the boot sector first."""
    sector = BOOT_CODE.ljust(510, b"\0") + b"\x55\xaa"
    path = folder / "boot.img"
    with open(path, "wb") as f:
        f.write(sector)
        f.truncate(MiB)
    path.chmod(0o644)
    return path


@pytest.fixture(scope="module")
def guest_folder():
    # QEMU runs as libvirt-qemu: the folder must be reachable by it, and shared with the migration peer (/var/tmp
    # is not among the folders the peer daemon has of its own)
    folder = Path(tempfile.mkdtemp(prefix="bulkhead-libvirt-test-", dir="/var/tmp"))
    folder.chmod(0o755)
    boot_image(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Events(EventLog):
    timeout = 20.0

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn, ignore=("metrics",))

    def timed_out(self, timeout: float) -> None:
        seen = [(k, d.get("name"), d.get("state"), d.get("reason")) for k, d in self.items if k != "vm.console"]
        consoles = len(self.items) - len(seen)
        pytest.fail(f"no such event within {timeout:g} s; {consoles} console events and these: {seen}"
                    f"\nlibvirt threads now:\n{libvirt_threads()}")


def shown_running(kind: str, data: dict, name: str) -> bool:
    """A subscriber learns the VM runs: from vm.state, or from vm.added when the domain was already running by the
    time its DEFINED (or migrated-in STARTED) event was read (then no vm.state follows: nothing changed)."""
    return kind in ("vm.state", "vm.added") and data.get("name") == name and data.get("state") == "Running"


def libvirt_threads() -> str:
    """Where the transport's threads are (for a failure message: a stalled event loop shows here)."""
    import sys
    import traceback

    frames = sys._current_frames()
    out = []
    for t in threading.enumerate():
        if t.name.startswith("libvirt") and t.ident in frames:
            stack = traceback.format_stack(frames[t.ident])[-3:]
            out.append(f"{t.name}: " + " | ".join(line.strip().replace("\n", " ") for line in stack))
    return "\n".join(out)


def connect(uri: str, data: Path, **options) -> Connection:
    from core.libvirt import connect_libvirt

    conn = Connection(connect_libvirt(uri, data, **options), f"libvirt {uri}")
    status = conn._transport.status()
    deadline = time.monotonic() + 20
    while status["state"] != "connected" and time.monotonic() < deadline:
        time.sleep(0.05)
        status = conn._transport.status()
    assert status["state"] == "connected", status
    return conn


def cleanup(uri: str, name: str) -> None:
    try:
        c = libvirt.open(uri)
    except libvirt.libvirtError:
        return
    try:
        d = c.lookupByName(name)
        if d.isActive():
            d.destroy()
        d.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
    except libvirt.libvirtError:
        pass
    finally:
        c.close()


def new_tiny(conn: Connection, folder: Path, name: str) -> dict:
    job = conn.call("vm.new", name=name, memory=16 * MiB, vcpus=1, disk=str(folder / "boot.img"),
                    disk_readonly=True, domain_type="qemu", integration_services=False, start=True,
                    notes="Bulkhead libvirt test guest")
    job = conn.wait_job(job["id"], 60)
    assert job.state == "Completed", job.error
    return job.result


def test_tiny_guest_runs_prints_is_measured_and_turns_off(tmp_path, guest_folder):
    name = f"bk-test-{uuid.uuid4().hex[:8]}"
    conn = connect("qemu:///system", tmp_path, tick=0.5)
    try:
        events = Events(conn)
        vm = new_tiny(conn, guest_folder, name)
        assert vm["state"] == "Running" and vm["memory"] == 16 * MiB and vm["domain_type"] == "qemu"
        events.wait_for(lambda k, d: k == "vm.added" and d["name"] == name)
        events.wait_for(lambda k, d: shown_running(k, d, name))
        # the serial console through libvirt's console stream
        deadline = time.monotonic() + 30
        history = conn.console_history(name)
        while BANNER not in history and time.monotonic() < deadline:
            time.sleep(0.1)
            history = conn.console_history(name)
        assert BANNER in history, history[-200:]
        events.wait_for(lambda k, d: k == "vm.console" and d["name"] == name and "alive" in d["data"])
        assert conn.console_send(name, "\r") == 1
        # CPU time advances: vm show's counters and the metrics (one getAllDomainStats per tick)
        first = conn.vm(name).counters
        deadline = time.monotonic() + 20
        cpu: list = []
        while time.monotonic() < deadline:
            h = conn.metrics_history(name, 60, ["cpu_percent", "memory_assigned"])
            cpu = [v for v in h["series"]["cpu_percent"] if v is not None]
            if len(cpu) >= 2:
                break
            time.sleep(0.25)
        assert cpu and max(cpu) > 20, cpu  # a spinning TCG guest keeps its vCPU busy
        assert h["series"]["memory_assigned"][-1] == 16 * MiB
        second = conn.vm(name).counters
        assert second["cpu_ns"] > first["cpu_ns"] and second["backend"] == "libvirt qemu"
        m = conn.measure_vm(name, 60)
        assert m["samples"] >= 2 and m["average_cpu_percent"] > 0
        assert conn.vm(name).cpu_percent is not None
        # turn off
        job = conn.stop_vm(name, mode="turn_off").wait(timeout=30, check=True)
        assert job.result["state"] == "Off"
        events.wait_for(lambda k, d: k == "vm.state" and d["name"] == name and d["state"] == "Off")
        conn.remove_vm(name).wait(timeout=30, check=True)
        events.wait_for(lambda k, d: k == "vm.removed" and d["name"] == name)
    finally:
        conn.close()
        cleanup("qemu:///system", name)


def test_live_migration_between_two_daemons(tmp_path, guest_folder):
    if not PEER_FILE.exists():
        pytest.skip(f"no second libvirtd for migration ({PEER_FILE} is missing: tools/ci-libvirt.sh start)")
    peer = json.loads(PEER_FILE.read_text())
    name = f"bk-mig-{uuid.uuid4().hex[:8]}"
    source = connect(peer["source_uri"], tmp_path / "a")
    target = connect(peer["peer_uri"], tmp_path / "b")
    try:
        assert source._transport.capabilities()["migrate"] is True
        src_events, dst_events = Events(source), Events(target)
        new_tiny(source, guest_folder, name)
        deadline = time.monotonic() + 30
        while BANNER not in source.console_history(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        job = source.call("vm.migrate", vm=name, destination=peer["peer_migrate_uri"],
                          migrate_uri=f"tcp://{peer['peer_address']}", live=True, persistent=True,
                          undefine_source=True, copy_storage=False)
        assert job["name"] == "Migrate VM" and job["cancellable"]
        job = source.wait_job(job["id"], 120)
        assert job.state == "Completed", job.error
        r = job.result
        assert r["time_seconds"] > 0 and r["downtime_ms"] is not None and r["downtime_ms"] >= 0, r
        assert "downtime" in r["message"] and r["destination"] == peer["peer_migrate_uri"]
        src_events.wait_for(lambda k, d: k == "vm.removed" and d["name"] == name)
        dst_events.wait_for(lambda k, d: shown_running(k, d, name))
        moved = target.vm(name)
        assert moved.state == "Running"
        assert name not in [v.name for v in source.vms()]
        # the guest goes on printing on the destination
        deadline = time.monotonic() + 20
        while BANNER not in target.console_history(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert BANNER in target.console_history(name)
        target.stop_vm(name, mode="turn_off").wait(timeout=30, check=True)
        target.remove_vm(name).wait(timeout=30, check=True)
    finally:
        source.close()
        target.close()
        cleanup(peer["source_uri"], name)
        cleanup(peer["peer_uri"], name)


def test_new_disk_with_qemu_img_and_remove_with_storage(tmp_path, guest_folder):
    name = f"bk-disk-{uuid.uuid4().hex[:8]}"
    path = guest_folder / f"{name}.qcow2"
    conn = connect("qemu:///system", tmp_path)
    try:
        job = conn.call("vm.new", name=name, memory=32 * MiB, disk=str(path), disk_size=64 * MiB,
                        iso=str(guest_folder / "boot.img"), domain_type="qemu")
        job = conn.wait_job(job["id"], 60)
        assert job.state == "Completed", job.error
        raw = conn.call("vm.show", vm=name)
        assert raw["disk"] == str(path) and raw["disk_format"] == "qcow2" and raw["image"].endswith("boot.img")
        assert path.exists() and path.read_bytes()[:4] == b"QFI\xfb"
        with pytest.raises(UsageError, match="already exists"):
            conn.call("vm.new", name=name + "x", disk=str(path), disk_size=MiB)
        job = conn.wait_job(conn.call("vm.remove", vm=name, delete_storage=True)["id"], 30)
        assert job.state == "Completed" and job.result["deleted_files"] == [str(path)], job
        assert not path.exists() and (guest_folder / "boot.img").exists()  # the read-only CD stays
    finally:
        conn.close()
        cleanup("qemu:///system", name)


class SocketProxy:
    """A Unix socket in front of libvirtd's that can cut every connection through it (a host going away)."""

    def __init__(self, target: Path, path: Path) -> None:
        import socket

        self.target, self.path = str(target), str(path)
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.path)
        self.server.listen(8)
        self.pairs: list = []
        self.accepting = threading.Event()
        self.accepting.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.accepting.is_set():
                client.close()
                continue
            upstream = socket.socket(socket.AF_UNIX)
            upstream.connect(self.target)
            self.pairs.append((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b) -> None:
        import socket

        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        import socket

        pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for s in pair:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self) -> None:
        self.server.close()
        self.cut()


def test_lost_connection_is_reported_and_reestablished(tmp_path):
    sock = tmp_path / "proxy.sock"
    proxy = SocketProxy(SOCKET, sock)
    from core.libvirt.transport import LibvirtTransport

    t = LibvirtTransport(f"qemu:///system?socket={sock}", tmp_path / "data", retry_max=1)
    conn = Connection(t, "via proxy")
    try:
        assert t.status()["state"] == "connected", t.status()
        statuses: list[dict] = []
        conn.subscribe(lambda k, d: statuses.append(d) if k == "connection.status" else None)
        conn.vms()
        proxy.accepting.clear()  # the host is gone: reconnecting fails for now
        proxy.cut()
        deadline = time.monotonic() + 15
        while t.status()["state"] == "connected" and time.monotonic() < deadline:
            time.sleep(0.05)
        status = t.status()
        assert status["state"] in ("disconnected", "connecting") and status["reason"], status
        proxy.accepting.set()  # back: it reconnects on its own
        deadline = time.monotonic() + 20
        while t.status()["state"] != "connected" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert t.status()["state"] == "connected", t.status()
        assert isinstance(conn.vms(), list)
        assert [s["state"] for s in statuses][-1] == "connected" and "disconnected" in [s["state"] for s in statuses]
    finally:
        conn.close()
        proxy.close()
