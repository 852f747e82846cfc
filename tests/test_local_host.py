"""The embedded engine's host service on the one host contract: refusals with reasons, its limits, jobs that name
their target, disk folders made by the host, names that collide as people read them, paths that must be the
host's, metrics freed with their VM, and a damaged saved state that is said, kept and moved aside."""

from __future__ import annotations

import os
import threading
import time

import pytest

from core import api
from core.engine import platform as pf
from core.hosts.registry import implemented
from core.local.host import HostService
from core.model.errors import StateError, Unavailable, UsageError
from core.model.methods import METHODS

from .elfkit import make_elf
from .helpers import waiting
from .helpers.embedded import embedded_fixture

MiB = 1 << 20
SMALL = 32 * MiB
WAIT = 30.0
# sleeps on the platform's sleep port for ever, whatever the host asks: a shut-down job on it stays Running
DEAF_GUEST = make_elf(bytes.fromhex("48b8ffffffffffffff7f" "48890425" "00140000" "66ba0005" "ee" "ebfd"))
RELATIVE = "give an absolute path; the command line resolves paths for you"


def wait(predicate, timeout=WAIT, what="condition"):
    waiting.wait(predicate, timeout, what)


conn = embedded_fixture("tmp_path", "home")


def service(conn) -> HostService:
    return conn._transport.service


def test_every_method_this_host_offers_is_marked_and_the_rest_are_refused_with_reasons(conn):
    have = implemented(HostService)
    assert {"vm.new", "vm.set", "vm.stop", "vm.kvp.set", "disk.new", "switch.new", "vm.console.send",
            "metrics.history", "vm.measure", "job.cancel", "alert.ack", "host.stop"} <= set(have)
    assert set(METHODS) - set(have) == {"vm.migrate", "pool.list"}
    caps = conn.capabilities()
    assert caps["reasons"] == {
        "migrate": "this host's own engine cannot migrate yet",
        "pools": "storage pools belong to libvirt hosts (connect with --connect URI); this host's virtual hard "
                 "disks are files: bulkhead disk new PATH --size SIZE",
        "host_stop": "an embedded host runs inside this process: close the connection to stop it"}
    with pytest.raises(Unavailable, match="storage pools belong to libvirt hosts"):
        conn.storage_pools()
    with pytest.raises(Unavailable, match="cannot migrate yet"):
        conn.call("vm.migrate", vm="x", destination="qemu:///system")


def test_host_stop_through_an_embedded_connection_is_refused_with_a_reason(conn):
    with pytest.raises(StateError) as e:
        conn.call("host.stop")
    assert "unknown method" not in str(e.value)
    assert "an embedded host runs inside this process: close the connection to stop it" in str(e.value)
    assert conn.vms() == []  # still serving


def test_host_stop_goes_to_whoever_serves_the_host(conn):
    stopped = threading.Event()
    service(conn).stop_handler = stopped.set
    assert conn.capabilities()["host_stop"] is True
    assert conn.call("host.stop") == {"stopping": True}
    assert stopped.wait(5)


def test_limits_are_the_platforms_narrowed_to_this_machine(conn):
    caps = service(conn).hypervisor.capabilities
    limits = conn.limits()
    assert limits.memory_min == pf.MIN_MEMORY and limits.memory_step == 2 * MiB
    assert limits.memory_max == min(pf.MAX_MEMORY, caps.memory_bytes // (2 * MiB) * (2 * MiB))
    assert limits.vcpus_max == min(pf.MAX_VCPUS, caps.logical_processors)
    assert limits.cmdline_max == pf.CMDLINE_MAX
    assert limits.memory_reason and limits.vcpus_reason
    over = limits.memory_max + limits.memory_step
    with pytest.raises(UsageError, match=f"more than this host has room for: at most {limits.memory_max // MiB} MiB"):
        conn.new_vm("big", memory=over)
    with pytest.raises(UsageError, match=f"more than this host's limit of {limits.vcpus_max}"):
        conn.new_vm("wide", memory=SMALL, vcpus=limits.vcpus_max + 1)
    with pytest.raises(UsageError, match="multiple of 2 MiB between 4 MiB and"):
        conn.new_vm("odd", memory=33 * MiB)
    assert conn.vms() == [] and conn.jobs() == []


def test_a_cancelled_job_comes_back_with_its_target_name(conn, tmp_path):
    image = tmp_path / "deaf.elf"
    image.write_bytes(DEAF_GUEST)
    conn.new_vm("deaf", memory=SMALL, image=str(image), integration_services=False, start=True).wait(WAIT, check=True)
    job = conn.stop_vm("deaf")
    assert job.cancellable and job.target_name == "deaf"
    cancelled = conn.cancel_job(job.id)
    assert cancelled.target_name == "deaf", cancelled
    done = conn.wait_job(job.id, WAIT)
    assert (done.state, done.target_name) == ("Cancelled", "deaf")
    assert conn.vm("deaf").state == "Running"
    conn.stop_vm("deaf", mode="turn_off").wait(WAIT, check=True)


def test_a_queued_job_cancelled_at_once_names_its_target(conn):
    """The same through the other branch of cancel: a job still Queued (every worker busy) is cancelled at once."""
    conn.new_vm("busy", memory=SMALL, start=True).wait(WAIT, check=True)
    release = threading.Event()
    jobs = service(conn).jobs
    blockers = [jobs.submit("Hold", "x", lambda ctx: release.wait(WAIT)) for _ in range(len(jobs._threads))]
    try:
        wait(lambda: all(jobs.get(b.id).state.value == "Running" for b in blockers), what="the workers to be busy")
        job = conn.stop_vm("busy")
        assert job.state == "Queued"
        cancelled = conn.cancel_job(job.id)
        assert (cancelled.state, cancelled.target_name) == ("Cancelled", "busy"), cancelled
    finally:
        release.set()
    assert conn.vm("busy").state == "Running"


def test_stop_with_a_bad_timeout_fails_before_the_shutdown_is_sent(conn):
    conn.new_vm("steady", memory=SMALL, start=True).wait(WAIT, check=True)
    before = [j.id for j in conn.jobs()]
    for timeout in ("x", -1, float("nan"), float("inf"), [5]):
        with pytest.raises(UsageError, match="timeout|finite"):
            conn.call("vm.stop", vm="steady", mode="shut_down", timeout=timeout)
    assert [j.id for j in conn.jobs()] == before
    time.sleep(0.5)
    assert conn.vm("steady").state == "Running"


def test_disk_new_makes_the_disks_folder(conn, tmp_path):
    path = tmp_path / "disks" / "web" / "web1.vhd"
    job = conn.new_disk(str(path), "8M").wait(WAIT, check=True)
    assert job.target_name == "web1.vhd" and job.result["path"] == str(path)
    assert path.is_file() and path.parent.is_dir()
    assert os.stat(path.parent).st_mode & 0o700 == 0o700
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    with pytest.raises(UsageError, match="is not a folder"):
        conn.new_disk(str(blocker / "d.vhd"), "8M")
    with pytest.raises(UsageError, match="already exists"):
        conn.new_disk(str(path), "8M")


def test_names_collide_as_people_read_them(conn):
    conn.new_vm("base1", memory=SMALL).wait(WAIT, check=True)
    for name in ("ｂａｓｅ１", "BASE1", " Base1 "):
        with pytest.raises(UsageError, match="a VM named 'base1' already exists"):
            conn.new_vm(name, memory=SMALL)
    conn.new_vm("other", memory=SMALL).wait(WAIT, check=True)
    with pytest.raises(UsageError, match="a VM named 'base1' already exists"):
        conn.set_vm("other", name="ｂａｓｅ１")
    conn.new_switch("lab").wait(WAIT, check=True)
    for name in ("ｌａｂ", "LAB"):
        with pytest.raises(UsageError, match="already exists"):
            conn.new_switch(name)
    assert [v.name for v in conn.vms()] == ["base1", "other"]


@pytest.mark.parametrize("call", [
    lambda c: c.new_vm("rel", memory=SMALL, image="kernel.elf"),
    lambda c: c.new_vm("rel", memory=SMALL, image="./kernel.elf"),
    lambda c: c.new_vm("rel", memory=SMALL, image="~/kernel.elf"),
    lambda c: c.new_vm("rel", memory=SMALL, disk="rel.vhd"),
    lambda c: c.new_disk("rel.vhd", "8M"),
    lambda c: c.new_disk("~/rel.vhd", "8M"),
])
def test_relative_paths_are_refused_with_a_reason(conn, call):
    with pytest.raises(UsageError, match=RELATIVE):
        call(conn)
    assert conn.vms() == [] and conn.jobs() == []


def test_a_relative_disk_is_refused_by_vm_set_too(conn):
    conn.new_vm("settled", memory=SMALL).wait(WAIT, check=True)
    with pytest.raises(UsageError, match=RELATIVE):
        conn.set_vm("settled", disk="data/rel.vhd")


def test_a_symbolic_link_loop_is_a_usage_error(conn, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for kwargs in ({"disk": str(tmp_path / "a")}, {"image": str(tmp_path / "b")}):
        with pytest.raises(UsageError):
            conn.new_vm("loop", memory=SMALL, **kwargs)
    with pytest.raises(UsageError):
        conn.new_disk(str(tmp_path / "a" / "d.vhd"), "8M")


def test_metrics_of_a_removed_vm_are_freed(conn):
    svc = service(conn)
    svc.sampler.interval = 0.2
    conn.new_vm("sampled", memory=SMALL, start=True).wait(WAIT, check=True)
    vm_id = conn.vm("sampled").id
    wait(lambda: vm_id in svc.metrics.rings, what="samples of the VM")
    before = svc.metrics.memory_bytes()
    conn.stop_vm("sampled", mode="turn_off").wait(WAIT, check=True)
    conn.remove_vm("sampled").wait(WAIT, check=True)
    assert vm_id not in svc.metrics.rings
    assert svc.metrics.memory_bytes() < before
    svc.sampler.tick()
    assert vm_id not in svc.sampler._previous and vm_id not in svc.metrics.rings


def _saved_vm(home) -> tuple[str, str]:
    with api.connect(home, embedded=True) as c:
        c.new_vm("keeper", memory=SMALL, start=True).wait(WAIT, check=True)
        c.stop_vm("keeper", mode="save").wait(WAIT, check=True)
        vm = c.vm("keeper")
        assert vm.state == "Saved"
        return vm.id, vm.folder


def _truncate(path):
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def _flip_a_bit(path):
    with open(path, "r+b") as f:
        f.seek(os.path.getsize(path) // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0x10]))


@pytest.mark.parametrize("damage", [_truncate, _flip_a_bit], ids=["truncated", "bit-flipped"])
def test_a_damaged_saved_state_is_said_kept_and_moved_aside(tmp_path, damage):
    home = str(tmp_path / "home")
    vm_id, folder = _saved_vm(home)
    saved = os.path.join(folder, "saved.vmstate")
    damage(saved)
    damaged_bytes = open(saved, "rb").read()
    with api.connect(home, embedded=True) as c:
        shown = c.call("vm.show", vm="keeper")
        assert shown["state"] == "Off"
        problem = shown["saved_state_problem"]
        assert "saved state is damaged" in problem and "moved aside" in problem and "\n" not in problem, problem
        assert shown["health"] == "Degraded" and problem in shown["health_reason"]
        alerts = [a for a in c.alerts() if a["rule"] == "saved_state_damaged"]
        assert len(alerts) == 1 and alerts[0]["target"] == vm_id and alerts[0]["target_name"] == "keeper"
        assert alerts[0]["message"] == problem
        aside = [n for n in os.listdir(folder) if n.startswith("saved.vmstate.damaged-")]
        assert len(aside) == 1 and aside[0] in problem
        assert not os.path.exists(saved)
        assert open(os.path.join(folder, aside[0]), "rb").read() == damaged_bytes  # kept as it was
        c.start_vm("keeper").wait(WAIT, check=True)  # from scratch
        assert c.call("vm.show", vm="keeper")["saved_state_problem"] == problem  # still said after the start
        c.stop_vm("keeper", mode="turn_off").wait(WAIT, check=True)
    with api.connect(home, embedded=True) as c:  # said until someone clears it, across restarts too
        assert c.call("vm.show", vm="keeper")["saved_state_problem"] == problem
        c.clear_alert(alerts[0]["id"])
        shown = c.call("vm.show", vm="keeper")
        assert shown["saved_state_problem"] == "" and shown["health"] == "OK"
    assert os.listdir(folder).count(aside[0]) == 1  # never deleted


def test_a_new_save_supersedes_the_damaged_one(tmp_path):
    home = str(tmp_path / "home")
    _, folder = _saved_vm(home)
    _truncate(os.path.join(folder, "saved.vmstate"))
    with api.connect(home, embedded=True) as c:
        assert c.call("vm.show", vm="keeper")["saved_state_problem"]
        c.start_vm("keeper").wait(WAIT, check=True)
        c.stop_vm("keeper", mode="save").wait(WAIT, check=True)
        assert c.call("vm.show", vm="keeper")["saved_state_problem"] == ""
    with api.connect(home, embedded=True) as c:
        assert c.vm("keeper").state == "Saved" and c.vm("keeper").health == "OK"


def test_removing_a_vm_clears_its_alerts_and_takes_its_damaged_saved_state(tmp_path):
    home = str(tmp_path / "home")
    vm_id, folder = _saved_vm(home)
    _flip_a_bit(os.path.join(folder, "saved.vmstate"))
    with api.connect(home, embedded=True) as c:
        assert [a["rule"] for a in c.alerts(vm="keeper")] == ["saved_state_damaged"]
        aside = [n for n in os.listdir(folder) if n.startswith("saved.vmstate.damaged-")]
        result = c.remove_vm("keeper").wait(WAIT, check=True).result
        assert not [a for a in c.alerts() if a["target"] == vm_id]
        # the damaged saved state was the VM's own: it goes with the VM, said, and leaves no phantom folder behind
        assert result["deleted_files"] == [os.path.join(folder, aside[0])] and result["kept_files"] == []
        assert not os.path.exists(folder)
    with api.connect(home, embedded=True) as c:
        assert c.vms() == []


def test_jobs_of_a_removed_vm_keep_its_name(conn):
    conn.new_vm("fleeting", memory=SMALL).wait(WAIT, check=True)
    conn.set_vm("fleeting", notes="soon gone").wait(WAIT, check=True)
    removal = conn.remove_vm("fleeting").wait(WAIT, check=True)
    assert removal.target_name == "fleeting"
    jobs = conn.call("job.list", limit=100)
    assert [(j["name"], j["target_name"]) for j in jobs] == [
        ("Remove VM", "fleeting"), ("Change VM settings", "fleeting"), ("New VM", "fleeting")]
