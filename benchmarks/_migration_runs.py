"""The libvirt/QEMU side of benchmarks/migration.py: a live migration between the two CI libvirt daemons
(tools/ci-libvirt.sh start; found as tests/test_libvirt_qemu.py finds them), or why it was skipped; and the guest
options the migration benchmarks share."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
import uuid
from pathlib import Path

MiB = 1 << 20


def guest_options(p: argparse.ArgumentParser, pattern_mib: int) -> None:
    """The moved guest's options of every migration benchmark: its memory, how much of it is filled before moving,
    and the downtime limit."""
    p.add_argument("--memory-mib", type=int, default=256)
    p.add_argument("--pattern-mib", type=int, default=pattern_mib,
                   help=f"guest memory filled before moving (default {pattern_mib})")
    p.add_argument("--downtime-ms", type=float, default=50.0)


def why_not() -> str:
    from tests import test_libvirt_qemu as t

    if t.libvirt is None:
        return "libvirt-python is not installed (tools/ci-libvirt.sh install)"
    if not t.SOCKET.exists():
        return f"no libvirtd socket at {t.SOCKET} (tools/ci-libvirt.sh start)"
    if not t.PEER_FILE.exists():
        return f"no second libvirtd for migration ({t.PEER_FILE} is missing: tools/ci-libvirt.sh start)"
    return ""


def libvirt_live(memory_mib: int) -> dict | str:
    """A guest of ``memory_mib`` booted from the tests' tiny boot disk on the first daemon, migrated live to the
    second: libvirt's own time and downtime."""
    why = why_not()
    if why:
        return f"skipped: {why}"
    from tests import test_libvirt_qemu as t

    peer = json.loads(t.PEER_FILE.read_text())
    name = f"bk-migbench-{uuid.uuid4().hex[:8]}"
    folder = Path(tempfile.mkdtemp(prefix="bulkhead-migbench-", dir="/var/tmp"))
    folder.chmod(0o755)
    work = Path(tempfile.mkdtemp(prefix="bkh-migbench-lv-"))
    t.boot_image(folder)
    source = t.connect(peer["source_uri"], work / "a")
    target = t.connect(peer["peer_uri"], work / "b")
    try:
        job = source.call("vm.new", name=name, memory=memory_mib * MiB, vcpus=1, disk=str(folder / "boot.img"),
                          disk_readonly=True, domain_type="qemu", integration_services=False, start=True)
        job = source.wait_job(job["id"], 60)
        if job.state != "Completed":
            return f"failed: the libvirt guest did not start: {job.error}"
        time.sleep(2.0)
        started = time.monotonic()
        job = source.call("vm.migrate", vm=name, destination=peer["peer_migrate_uri"],
                          migrate_uri=f"tcp://{peer['peer_address']}", live=True, persistent=True,
                          undefine_source=True, copy_storage=False)
        job = source.wait_job(job["id"], 300)
        wall = time.monotonic() - started
        if job.state != "Completed":
            return f"failed: {job.error}"
        r = job.result
        return {"memory_mib": memory_mib, "total_s": r.get("time_seconds"), "downtime_ms": r.get("downtime_ms"),
                "wall_s": round(wall, 3), "message": r.get("message"),
                "note": "QEMU TCG guest (the tests' boot sector), memory mostly untouched; link not limited"}
    finally:
        source.close()
        target.close()
        t.cleanup(peer["source_uri"], name)
        t.cleanup(peer["peer_uri"], name)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
