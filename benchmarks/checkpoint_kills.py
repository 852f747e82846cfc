"""The host service SIGKILLed while it takes, applies and deletes (with merges) checkpoints; prints one JSON document.

    python benchmarks/checkpoint_kills.py [--kills 100] [--ops take,apply,delete] [--seed 15] [--dir /var/tmp]

A host service (``bulkhead host serve`` in a process of its own, its home a temporary folder) runs a VM on a 64 MiB
dynamic VHD whose guest writes markers into its disk (`disk write SECTOR TEXT`, one sector each, a text of its own;
acknowledged when the guest replies). Each round: the guest writes a marker (sometimes 4 MiB of bulk data too, so
merges have data to move), the VM is turned off in some rounds, the operation is asked for (take a checkpoint;
apply one; delete one, whose disk is merged live while the VM runs or offline while it is off), and after a random
delay (up to 1.5 times what that operation takes, measured unkilled at the start and every 20 rounds) the service
is SIGKILLed; the take campaign's first rounds die at each named crash point of a take instead: a kill is a power cut
for the VM (its process dies with the service). The operation is acknowledged if its job was seen Completed before
the kill. The service is started again, and then:

- the tree lists every checkpoint that was acknowledged and still exists by the model (a deleted one whose delete
  was acknowledged is gone; one whose take or delete was cut may be either there or not), and nothing else;
- every disk the VM and its checkpoints use is a valid chain: ``bulkhead disk check`` (check_disk) is clean for
  each and qemu-img opens every file of it (``qemu-img info``; ``qemu-img check`` has no checks for vpc in QEMU 7.2
  and says so: any other answer is a finding);
- the content is right: every checkpoint's disk holds exactly the markers written before it was taken (read
  through its chain here), the VM's disk holds every marker acknowledged (for a cut apply: either its markers
  before or exactly the target checkpoint's);
- the guest agrees: the VM is started (from its saved state where an apply left one) and reads its newest marker
  and a random older one back through its own disk driver;
- no file is left in the VM's ``checkpoints/disks`` that no chain uses.

Findings are listed (each with the round, the operation, the delay and what was wrong); the exit code is 1 when
there are any. tests/test_checkpoints_kills.py runs a bounded version.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import PROMPT, guest_reply, wait_until  # noqa: E402
from core import api  # noqa: E402
from core.engine.storage import check_disk, create_disk, open_disk  # noqa: E402
from core.model.errors import BulkheadError  # noqa: E402

MiB = 1 << 20
VM = "k"
MARKER_AT = 20000  # first marker sector (bulk data goes to sectors 2048..10239)
WAIT = 60.0
OPS = ("take", "apply", "delete")
# the named points in a take (core/local/checkpoints.py): the take campaign's first rounds die at each of them
TAKE_POINTS = ("checkpoint.meta", "checkpoint.disk", "checkpoint.config", "checkpoint.switched", "checkpoint.folder")


class Finding(Exception):
    pass


def _wait(pred, timeout: float, what: str, poll: float = 0.02):
    return wait_until(pred, timeout, f"timed out waiting for {what}", poll, Finding)


class Service:
    """One host service process of a home, started and SIGKILLed by its pid."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.proc: subprocess.Popen | None = None
        self.conn = None
        self.log = home / "serve.log"

    def start(self, crash_at: str = "") -> None:
        """Start it (with ``crash_at``: it SIGKILLs itself at that crash point, core/local/crash_points.py)."""
        from core.api.transport import SocketTransport
        from core.hosts.paths import HostPaths

        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "core.cli", "--home", str(self.home), "host", "serve"],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=ROOT,
                                         start_new_session=True,
                                         env={k: v for k, v in os.environ.items() if k != "BULKHEAD_CRASH_AT"}
                                         | {"BULKHEAD_HOME": str(self.home)}
                                         | ({"BULKHEAD_CRASH_AT": crash_at} if crash_at else {}))
        path = HostPaths.resolve(str(self.home)).socket

        def up():
            if self.proc.poll() is not None:
                raise Finding(f"the host service exited with {self.proc.returncode}: {self.tail()}")
            try:
                SocketTransport(path).close()
                return True
            except (OSError, BulkheadError):
                return False

        _wait(up, 30, "the host service's socket")
        self.conn = api.connect(str(self.home), autostart=False)

    def tail(self, lines: int = 6) -> str:
        try:
            return " | ".join(self.log.read_text(errors="replace").strip().splitlines()[-lines:])
        except OSError:
            return ""

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # noqa: BLE001 - the service is gone
                pass
            self.conn = None

    def stop(self) -> None:
        self.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


class Campaign:
    """The model (markers per checkpoint and now) and the rounds of one operation against one host service."""

    def __init__(self, root: Path, op: str, rnd: random.Random) -> None:
        self.root, self.op, self.rnd = root, op, rnd
        self.service = Service(root / "home")
        self.markers: dict[int, str] = {}  # sector -> text, every marker ever written
        self.now: set[int] = set()  # the markers the VM's current disk holds
        self.cks: dict[str, set[int]] = {}  # checkpoint id -> its markers (those the model knows exist)
        self.findings: list[dict] = []
        self.counts = {"kills": 0, "acknowledged_before_kill": 0, "cut": 0, "merged_files": 0, "live_ops": 0,
                       "off_ops": 0, "guest_checks": 0, "chains_checked": 0, "disk_files_checked": 0,
                       "crash_points_hit": 0, "written_during_take_acknowledged": 0, "written_during_take_cut": 0}
        self.durations: list[float] = []
        self.delay_max = 0.3
        self.round = -1
        self.seq = 0
        self.last_delay = 0.0
        self.pending = self.cut = None
        self.during: tuple | None = None  # (sector, acknowledged) of a marker the guest wrote during the take
        self.new_ck: str | None = None  # the checkpoint the round's take made (it may hold that marker or not)

    @property
    def conn(self):
        return self.service.conn

    # --- the guest --------------------------------------------------------------------------------------------
    def guest(self, line: str, timeout: float = 20.0, conn=None) -> str:
        return guest_reply(conn or self.conn, VM, line, timeout, _wait)

    def running(self) -> None:
        state = self.conn.vm(VM).state
        if state != "Running":
            self.conn.start_vm(VM).wait(WAIT, check=True)
        _wait(lambda: PROMPT in self.conn.console_history(VM), 30, "the guest's prompt")

    def off(self) -> None:
        if self.conn.vm(VM).state != "Off":
            self.conn.stop_vm(VM, mode="turn_off").wait(WAIT, check=True)

    def write_marker(self, bulk: bool = False) -> None:
        sector = MARKER_AT + len(self.markers)
        text = f"m{self.op[0]}{len(self.markers)}x{secrets.token_hex(6)}"
        if bulk:
            out = self.guest("bench disk 4096 64", 60)
            if "bench disk synthetic write" not in out:
                raise Finding(f"the guest's bulk write failed: {out}")
        out = self.guest(f"disk write {sector} {text}")
        if not out.startswith(f"wrote sector {sector}"):
            raise Finding(f"the guest's disk write failed: {out}")
        self.markers[sector] = text
        self.now.add(sector)

    # --- setup ------------------------------------------------------------------------------------------------
    def setup(self) -> None:
        base = self.root / "base.vhd"
        create_disk(base, 64 * MiB).close()
        self.service.start()
        self.conn.new_vm(VM, memory="32M", disk=str(base), automatic_start_action="nothing").wait(WAIT, check=True)
        self.running()
        self.write_marker()
        for i in range(3 if self.op != "take" else 1):  # apply and delete want checkpoints to work on
            if i == 1:
                self.off()
            self.take(f"s{i}")
            self.running()
            self.write_marker(bulk=True)
        for _ in range(3):  # what the operation takes unkilled: the kills land within 1.5 times that
            t = time.monotonic()
            job = self.start_op()
            if job is not None:
                job = job.wait(WAIT, check=True)
                self.durations.append(time.monotonic() - t)
                self.acknowledged(job)
            self.running()
            self.write_marker(bulk=self.op == "delete")
        self.delay_max = max(0.05, 1.5 * statistics.median(self.durations or [0.2]))

    def measure(self) -> None:
        """What the operation takes now (chains grow, merges move more or less), unkilled: the kills fall within
        1.5 times the median of the last five such runs (what acknowledged runs took would favour the short ones)."""
        t = time.monotonic()
        job = self.start_op().wait(WAIT, check=True)
        self.durations.append(time.monotonic() - t)
        self.acknowledged(job)
        self.delay_max = max(0.05, 1.5 * statistics.median(self.durations[-5:]))
        self.running()
        self.write_marker(bulk=self.op == "delete")

    def take(self, name: str) -> str:
        r = self.conn.checkpoint(VM, name).wait(WAIT, check=True).result
        cid = r["checkpoint"]["id"]
        self.cks[cid] = set(self.now)
        return cid

    # --- one operation ----------------------------------------------------------------------------------------
    def start_op(self):
        """Ask for this campaign's operation; remember what it would do to the model; its job."""
        if self.op == "take":
            if len(self.cks) >= 8:  # stay under the limit and keep the chain short: delete the oldest (unkilled)
                for cid in sorted(self.cks, key=lambda c: self._created(c))[:4]:
                    self.conn.remove_checkpoint(VM, cid).wait(WAIT, check=True)
                    del self.cks[cid]
            self.seq += 1
            self.pending = ("take", f"t{self.seq}", set(self.now))
            return self.conn.checkpoint(VM, f"t{self.seq}")
        if self.op == "apply":
            target = self.rnd.choice(sorted(self.cks))
            self.pending = ("apply", target, set(self.now))
            return self.conn.apply_checkpoint(VM, target)
        if len(self.cks) < 3:
            self.running()
            self.write_marker(bulk=True)
            self.seq += 1
            self.take(f"d{self.seq}")
            self.running()
            self.write_marker(bulk=True)
        victim = self.rnd.choice(sorted(self.cks))
        self.pending = ("delete", victim, set(self.now))
        return self.conn.remove_checkpoint(VM, victim)

    def _created(self, cid: str) -> float:
        tree = self.conn.checkpoints(VM)
        return next((c["created"] for c in tree["checkpoints"] if c["id"] == cid), 0.0)

    def acknowledged(self, job) -> None:
        kind, what, before = self.pending
        r = job.result or {}
        if kind == "take":
            self.cks[r["checkpoint"]["id"]] = before
            self.new_ck = r["checkpoint"]["id"]
        elif kind == "apply":
            self.now = set(self.cks[what])
        else:
            self.cks.pop(what, None)
            self.counts["merged_files"] += len(r.get("merged") or ())
        self.pending = None

    def one_round(self, i: int) -> None:
        self.round = i
        point = TAKE_POINTS[i] if self.op == "take" and i < len(TAKE_POINTS) else ""
        if point:  # this round dies at a named point of the take instead of at a random moment
            self.service.kill()
            self.service.close()
            self.service.start(crash_at=point)
        if i and i % 20 == 0:
            self.measure()
        self.running()
        self.write_marker(bulk=self.op == "delete" and self.rnd.random() < 0.5)
        if self.rnd.random() < 0.3:
            self.off()
            self.counts["off_ops"] += 1
        else:
            self.counts["live_ops"] += 1
        writer = None
        if self.op == "take" and not point and self.conn.vm(VM).state == "Running" and self.rnd.random() < 0.5:
            writer = self.write_during()  # the guest writes while the take runs (and the kill falls)
        job = self.start_op()
        # a round whose guest writes meanwhile has its kill later, so that some of those writes are acknowledged
        # (half the rounds lean towards early kills: the operation's length varies, and a short one is mostly over
        # by the time a uniform kill falls)
        spread = self.rnd.random() ** (2 if self.rnd.random() < 0.5 else 1)
        delay = self.last_delay = WAIT / 2 if point else spread * self.delay_max * (3 if writer else 1)
        killer = threading.Timer(delay, self.service.kill)
        killer.start()
        done = None
        try:
            done = job.wait(delay + WAIT)
        except (BulkheadError, OSError, EOFError, ConnectionError):
            pass
        if point:
            try:
                self.service.proc.wait(5)  # it killed itself at the point (its socket closes as it dies)
            except subprocess.TimeoutExpired:
                pass
            if self.service.proc.returncode is not None:
                self.counts["crash_points_hit"] += 1
        killer.cancel()
        self.service.kill()  # where the timer was cancelled (a crash point hit first, or the job ended first)
        killer.join()
        if writer is not None:
            writer.join(WAIT)
        self.counts["kills"] += 1
        acked = done is not None and done.state == "Completed"
        if done is not None and done.state == "Failed":
            self.finding(f"the {self.op} failed before the kill: {done.error}")
        if acked:
            self.counts["acknowledged_before_kill"] += 1
            self.acknowledged(done)
        else:
            self.counts["cut"] += 1
        self.service.close()
        self.service.start()
        self.verify()

    # --- after a restart --------------------------------------------------------------------------------------
    def finding(self, what: str) -> None:
        pending = self.pending or self.cut
        self.findings.append({"op": self.op, "round": self.round, "delay_s": round(self.last_delay, 4),
                              "cut": None if not pending else pending[:2], "finding": what})

    def verify(self) -> None:
        tree = self.conn.checkpoints(VM)
        listed = {c["id"]: c for c in tree["checkpoints"]}
        pending = self.cut = self.pending
        self.pending = None
        for cid in list(self.cks):
            if cid not in listed:
                if pending and pending[0] == "delete" and pending[1] == cid:
                    del self.cks[cid]  # the cut delete got so far
                else:
                    self.finding(f"acknowledged checkpoint {cid[:8]} is not in the tree after the restart")
                    del self.cks[cid]
        for cid, c in listed.items():
            if cid not in self.cks:
                if pending and pending[0] == "take" and c["name"] == pending[1]:
                    self.cks[cid] = pending[2]  # the cut take got so far: it is whole (checked below)
                else:
                    self.finding(f"checkpoint {cid[:8]} '{c['name']}' is in the tree but was never taken")
        vm = self.conn.vm(VM)
        folder = Path(vm.folder)
        disks = {}
        for cid in listed:
            try:
                meta = json.loads((folder / "checkpoints" / cid / "checkpoint.json").read_text())
                disks[cid] = meta.get("disk") or ""
            except (OSError, ValueError) as e:
                self.finding(f"checkpoint {cid[:8]}: its checkpoint.json cannot be read: {e}")
        used: set[str] = set()
        if pending and pending[0] == "take":
            self.new_ck = next((cid for cid, c in listed.items() if c["name"] == pending[1]), None)
        during, acked_during = self.during or (None, False)
        maybe = {during} if during is not None else set()
        for cid, path in disks.items():
            if cid in self.cks:
                self.content(path, self.cks[cid], f"checkpoint {cid[:8]}'s disk", used,
                             maybe if cid == self.new_ck else set())
        if pending and pending[0] == "apply":
            target = self.cks.get(pending[1], set())
            if self.holds(vm.disk, self.now) is True:
                pass  # not applied
            elif self.holds(vm.disk, target) is True:
                self.now = set(target)
            else:
                self.finding(f"after a cut apply the VM's disk {vm.disk} holds neither the state before nor that of "
                             f"checkpoint {pending[1][:8]}")
            if vm.state == "Saved" and self.now != set(target):  # only an apply leaves it Saved here
                self.finding(f"after a cut apply the VM is Saved (checkpoint {pending[1][:8]}'s memory) on the disk "
                             "of before")
        self.content(vm.disk, self.now, "the VM's disk", used, set() if acked_during else maybe)
        if during is not None:  # where it landed, from now on known
            if self.new_ck in self.cks and self.has(disks.get(self.new_ck, ""), during):
                self.cks[self.new_ck].add(during)
            if not acked_during and self.has(vm.disk, during):
                self.now.add(during)
            self.counts["written_during_take" + ("_acknowledged" if acked_during else "_cut")] += 1
        self.during = self.new_ck = None
        disks_dir = folder / "checkpoints" / "disks"
        if disks_dir.is_dir():
            stray = sorted(e.name for e in os.scandir(disks_dir) if str(Path(e.path)) not in used)
            if stray:
                self.finding(f"files in checkpoints/disks no chain uses: {stray}")
        self.guest_check(vm.state)

    def holds(self, path: str, want: set[int], maybe: set[int] = frozenset()) -> bool | None:
        """Whether the disk at ``path`` holds exactly the markers ``want`` (those in ``maybe``: there or not, but
        whole), None where it cannot be opened."""
        try:
            with open_disk(path, read_only=True) as d:
                for sector, text in self.markers.items():
                    got = d.read(sector, 1)
                    whole = text.encode().ljust(512, b"\0")
                    if got != (whole if sector in want else bytes(512)) and not (sector in maybe and
                                                                                  got in (whole, bytes(512))):
                        return False
        except Exception:  # noqa: BLE001 - said by content()
            return None
        return True

    def has(self, path: str, sector: int) -> bool:
        try:
            with open_disk(path, read_only=True) as d:
                return d.read(sector, 1) == self.markers[sector].encode().ljust(512, b"\0")
        except Exception:  # noqa: BLE001 - said by content()
            return False

    def write_during(self) -> threading.Thread:
        """A marker the guest writes (over a connection of its own) while the take runs: acknowledged if the guest
        said so before the kill, and then it must be on the VM's disk after the restart."""
        sector = MARKER_AT + len(self.markers)
        text = f"w{len(self.markers)}x{secrets.token_hex(6)}"
        self.markers[sector] = text
        self.during = (sector, False)

        def run():
            try:
                with api.connect(str(self.service.home), autostart=False) as conn:
                    time.sleep(self.rnd.uniform(0, self.delay_max))
                    if self.guest(f"disk write {sector} {text}", 10, conn).startswith(f"wrote sector {sector}"):
                        self.during = (sector, True)
                        self.now.add(sector)
            except Exception:  # noqa: BLE001 - the service was killed first: not acknowledged
                pass

        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t

    def content(self, path: str, want: set[int], what: str, used: set[str], maybe: set[int] = frozenset()) -> None:
        if not path:
            self.finding(f"{what}: no disk")
            return
        problems = check_disk(path)
        self.counts["chains_checked"] += 1
        if problems:
            self.finding(f"{what} {path}: disk check: {problems[:3]}")
            return
        with open_disk(path, read_only=True) as d:
            files = [link.path for link in getattr(d, "links", ())] or [path]
        for f in files:
            if f in used:
                continue
            used.add(str(Path(f)))
            self.counts["disk_files_checked"] += 1
            info = subprocess.run(["qemu-img", "info", "--output=json", "-f", "vpc", f], capture_output=True,
                                  text=True)
            check = subprocess.run(["qemu-img", "check", "-f", "vpc", f], capture_output=True, text=True)
            if info.returncode != 0:
                self.finding(f"{what}: qemu-img cannot open {f}: {info.stderr.strip()[:200]}")
            if check.returncode != 0 and "does not support checks" not in check.stderr:
                self.finding(f"{what}: qemu-img check {f}: {check.stderr.strip()[:200] or check.stdout[:200]}")
        if not self.holds(path, want, maybe):
            with open_disk(path, read_only=True) as d:
                missing = [s for s in want if not d.read(s, 1).startswith(self.markers[s].encode())]
                extra = [s for s in self.markers if s not in want | maybe and d.read(s, 1).strip(b"\0")]
            self.finding(f"{what} {path}: markers missing {missing[:5]}, not expected {extra[:5]}")

    def guest_check(self, state: str) -> None:
        try:
            self.running()
        except BulkheadError as e:
            self.finding(f"the VM ({state}) does not start after the restart: {e}")
            return
        if not self.now:
            return
        newest = max(self.now)
        for sector in {newest, self.rnd.choice(sorted(self.now))}:
            got = self.guest(f"disk read {sector}")
            self.counts["guest_checks"] += 1
            if got != self.markers[sector]:
                self.finding(f"the guest reads sector {sector} as {got[:40]!r}, not {self.markers[sector]!r}")


def campaign(root: Path, op: str, kills: int, seed: int, log=None) -> dict:
    """Run ``kills`` rounds of ``op`` in ``root``; the counts and findings."""
    rnd = random.Random(f"{seed}-{op}")
    c = Campaign(root, op, rnd)
    t = time.monotonic()
    try:
        c.setup()
        for i in range(kills):
            try:
                c.one_round(i)
            except Finding as e:
                try:
                    failures = c.conn.vm(VM).device_failures
                except Exception as why:  # noqa: BLE001 - the service is gone
                    failures = str(why)
                c.finding(f"{e} (device failures: {failures}; the service's log: {c.service.tail()})")
                if c.service.proc is None or c.service.proc.poll() is not None:
                    c.service.close()
                    c.service.start()
                    c.verify()
                else:  # the next round starts the VM afresh
                    c.off()
            if log:
                log(f"{op} {i + 1}/{kills}: {len(c.findings)} findings")
    finally:
        c.service.stop()
    return {"op": op, "kills": c.counts["kills"], "seconds": round(time.monotonic() - t, 1),
            "kill_delay_max_s": round(c.delay_max, 3),
            "operation_s_median": round(statistics.median(c.durations), 3) if c.durations else None, **c.counts,
            "checkpoints_at_end": len(c.cks), "markers": len(c.markers), "findings": c.findings}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=100, help="kills per operation (default 100)")
    ap.add_argument("--ops", default=",".join(OPS))
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    out = {"seed": args.seed, "campaigns": []}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for op in args.ops.split(","):
            root = Path(tmp) / op
            root.mkdir()
            out["campaigns"].append(campaign(root, op, args.kills, args.seed,
                                             None if args.quiet else lambda s: print(s, file=sys.stderr)))
            shutil.rmtree(root, ignore_errors=True)
    out["findings"] = sum(len(c["findings"]) for c in out["campaigns"])
    print(json.dumps(out, indent=2))
    return 1 if out["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
