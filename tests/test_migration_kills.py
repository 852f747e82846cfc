"""Host service processes killed (SIGKILL) in the middle of a live move, at each named phase and at random moments.

Two host services over TLS on loopback (tests/remotehosts.py ``TlsHost``); the one to die is started with
``BULKHEAD_CRASH_AT=<point>`` (core/local/crash_points.py: it SIGKILLs itself there), then started again without
it; where the source's move is unconfirmed, ``vm.move.resolve`` settles it. Afterwards exactly one host lists the
VM, the other lists nothing of it (no Incoming, no temporary folder in its store), and where the VM runs its
memory is intact (``pattern check`` in the guest).

The rule per point (a killed process takes the memory of the VMs it ran with it: a kill is a power cut there):

- ``source.precopy`` (a pre-copy round sent, the VM running at the source): the source is authoritative, no GO
  went out: the destination drops its Incoming; the VM is the source's, Off there (its memory went with the
  process).
- ``source.stop_copy`` (the VM parked, STATE sent and PREPARED heard, ``moving.json`` not yet written): as above.
- ``source.after_go`` (live: GO sent and RUNNING heard, not yet released; ``moving.json`` is on disk): the VM runs
  at the destination with its memory; the restarted source shows the move unconfirmed, ``vm.move.resolve``
  (destination: running) releases it there.
- ``destination.precopy`` (live: HELLO checked, before the rounds): no GO: the source resumes the VM, Running
  with its memory; the restarted destination has nothing of it (its incoming folder swept).
- ``destination.stop_copy`` (live: STATE applied and GO heard, before the VM is durable there): the source keeps
  the VM paused, unconfirmed; the restarted destination does not know the token; resolve (unknown) resumes it at
  the source, Running with its memory.
- ``destination.after_finish`` (live: durable there — ``moves.json``, ``vm.json``, folder renamed — vCPUs not
  launched, RUNNING not sent): the source keeps it paused, unconfirmed; the restarted destination lists it Off
  (durable, its memory went with the process); resolve (durable) releases it at the source: the VM is the
  destination's, Off.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from core import api
from core.local.crash_points import POINTS
from core.model.errors import BulkheadError, NotFound

from .conftest import KVM_SKIP_REASON, KVM_USABLE
from .helpers.moves import guest, leftovers, new_running
from .helpers.waiting import wait

try:
    from resources import GUEST_IMAGE
except ImportError:  # pragma: no cover
    GUEST_IMAGE = None

pytestmark = [
    pytest.mark.skipif(not KVM_USABLE, reason=KVM_SKIP_REASON),
    pytest.mark.skipif(GUEST_IMAGE is None or not GUEST_IMAGE.exists(),
                       reason="the bundled guest image is missing (run guest/build.sh)"),
]

# point -> (the side killed, the host that has the VM afterwards, its state there)
RULES = {
    "source.precopy": ("source", "source", "Off"),
    "source.stop_copy": ("source", "source", "Off"),
    "source.after_go": ("source", "destination", "Running"),
    "destination.precopy": ("destination", "source", "Running"),
    "destination.stop_copy": ("destination", "source", "Running"),
    "destination.after_finish": ("destination", "destination", "Off"),
}
DIE_WAIT = 30.0
SETTLE = 30.0


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    from tests.remotehosts import TlsHost

    root = tmp_path_factory.mktemp("move-kills")
    pair = {"source": TlsHost(root / "a"), "destination": TlsHost(root / "b")}
    try:
        for h in pair.values():
            h.start()
        yield pair
    finally:
        for h in pair.values():
            h.stop()


def _start(host, crash_at: str = "") -> None:
    """(Re)start a host service, with BULKHEAD_CRASH_AT set for it alone when ``crash_at`` is given."""
    if host.proc is not None and host.proc.poll() is None:
        host.stop()
    saved = os.environ.pop("BULKHEAD_CRASH_AT", None)
    try:
        if crash_at:
            os.environ["BULKHEAD_CRASH_AT"] = crash_at
        host.start()
    finally:
        os.environ.pop("BULKHEAD_CRASH_AT", None)
        if saved is not None:
            os.environ["BULKHEAD_CRASH_AT"] = saved


def _status(conn, name: str) -> str:
    try:
        return conn.call("vm.move.status", vm=name)["state"]
    except NotFound:
        return "gone"


def _settled(a, b, name: str) -> bool:
    """Nothing of the move still at work: the source not moving, the destination holding no Incoming."""
    if _status(a, name) in ("moving", "incoming"):
        return False
    for conn in (a, b):
        for v in conn.vms():
            if v.name == name and ((v.reason or "").startswith("Incoming") or
                                   v.state not in ("Running", "Off", "Saved", "Paused")):
                return False
    return True


def _ended(hosts, name: str) -> dict:
    """Both sides after the kill, the restart and (where the move is unconfirmed) the resolve: per side its
    listing of the VM, what its store holds beside VMs, and the guest's pattern check where it runs."""
    out = {}
    with api.connect(uri=hosts["source"].uri) as a, api.connect(uri=hosts["destination"].uri) as b:
        wait(lambda: _settled(a, b, name), SETTLE, f"the move of {name} to settle on both hosts")
        if _status(a, name) == "unconfirmed":
            job = a.resolve_move(name, b).wait(SETTLE)
            out["resolved"] = (job.state, job.result.get("resolved") if job.result else None, job.error)
            wait(lambda: _settled(a, b, name), SETTLE, f"the resolved move of {name} to settle")
        for side, conn in (("source", a), ("destination", b)):
            listed = [(v.name, v.state, v.reason or "") for v in conn.vms()]
            out[side] = {"listed": listed, "leftovers": leftovers(hosts[side].home)}
            if any(n == name and s == "Running" for n, s, _ in listed):
                out[side]["pattern"] = guest(conn, name, "pattern check")
    return out


def _assert_one_vm(ended: dict, name: str, where: str | None = None, state: str | None = None) -> None:
    having = [side for side in ("source", "destination") if any(n == name for n, _, _ in ended[side]["listed"])]
    assert len(having) == 1, f"VM {name} is listed by {having or 'neither host'}: {ended}"
    side = having[0]
    (vm_state,) = [s for n, s, _ in ended[side]["listed"] if n == name]
    assert vm_state in ("Running", "Off", "Saved"), f"VM {name} is {vm_state} at the {side}: {ended}"
    if where is not None:
        assert (side, vm_state) == (where, state), f"by rule {where} {state}: {ended}"
    if vm_state == "Running":
        assert ended[side]["pattern"] == "pattern ok 16 MiB", ended
    for s in ("source", "destination"):
        assert ended[s]["leftovers"] == [], f"the {s}'s store keeps {ended[s]['leftovers']}: {ended}"
        assert ended[s]["listed"] == [] or s == side, ended


def _clean(hosts, name: str) -> None:
    for side in ("source", "destination"):
        with api.connect(uri=hosts[side].uri) as conn:
            for v in conn.vms():
                if v.name == name:
                    if v.state not in ("Off",):
                        conn.stop_vm(name, mode="turn_off").wait(30)
                    conn.remove_vm(name).wait(30)


def _new_guest(hosts, name: str, seed: int, **settings) -> None:
    with api.connect(uri=hosts["source"].uri) as a:
        new_running(a, name, memory="64M", **settings)
        assert guest(a, name, f"pattern fill 16 {seed}").startswith("pattern filled 16 MiB")


def _move(hosts, name: str, bandwidth: int = 0) -> None:
    """Start a live move, direct, source to destination (the job runs on; a kill may end it any moment)."""
    try:
        with api.connect(uri=hosts["source"].uri) as a, api.connect(uri=hosts["destination"].uri) as b:
            a.move_vm(name, b, type="live", via="direct", bandwidth=bandwidth)
    except (BulkheadError, OSError):
        pass  # the one that was to die died while the move was asked for


@pytest.mark.parametrize("point", POINTS)
def test_a_host_killed_at_a_phase_of_a_live_move_leaves_one_vm(hosts, point):
    killed, where, state = RULES[point]
    name = "k-" + point.replace(".", "-").replace("_", "-")
    victim = hosts[killed]
    _start(victim, crash_at=point)
    try:
        _new_guest(hosts, name, seed=len(point))
        _move(hosts, name)
        try:
            victim.proc.wait(DIE_WAIT)
        except Exception:  # noqa: BLE001 - it did not reach its crash point: said below
            pass
        assert victim.proc.poll() is not None, f"the {killed} never reached {point}"
        _start(victim)
        ended = _ended(hosts, name)
        _assert_one_vm(ended, name, where, state)
    finally:
        if victim.proc is None or victim.proc.poll() is not None:
            _start(victim)
        _clean(hosts, name)


def test_hosts_killed_at_random_moments_of_a_move_leave_one_vm(hosts):
    rnd = random.Random(int(os.environ.get("BULKHEAD_KILL_SEED", "1313")))
    for i in range(5):
        killed = rnd.choice(("source", "destination"))
        delay = rnd.uniform(0.0, 1.5)
        name = f"rk{i}"
        _new_guest(hosts, name, seed=40 + i, workload="dirty:5")
        try:
            _move(hosts, name, bandwidth=16 << 20)  # ~1-2 s of rounds: the kill lands inside the move
            time.sleep(delay)
            hosts[killed].kill()
            _start(hosts[killed])
            ended = _ended(hosts, name) | {"killed": (killed, round(delay, 3))}
            _assert_one_vm(ended, name)
        finally:
            if hosts[killed].proc is None or hosts[killed].proc.poll() is not None:
                _start(hosts[killed])
            _clean(hosts, name)
