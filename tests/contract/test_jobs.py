"""Jobs: list, show, wait and cancel answer alike on every kind of host, and every job says the name of its
target (a VM's current name), also once cancelled."""

from __future__ import annotations

import pytest

from core.model.errors import NotFound, StateError, UsageError

from .conftest import WAIT

JOB_KEYS = {"id", "name", "target", "target_name", "state", "progress", "message", "error", "result", "created",
            "started", "ended", "cancellable"}


def test_list_show_wait_name_their_target(host):
    conn = host.conn
    vm = host.new_vm("jobs")
    host.run(conn.set_vm(vm, notes="x"))
    raw = conn.call("job.list", limit=50, vm=vm)
    assert [j["name"] for j in raw] == ["Change VM settings", "New VM"], raw  # newest first
    for job in raw:
        assert JOB_KEYS <= set(job), f"{host.kind}: job without {JOB_KEYS - set(job)}: {job}"
        assert job["target_name"] == vm and job["state"] == "Completed"
    assert [j["id"] for j in conn.call("job.list", limit=1, vm=vm)] == [raw[0]["id"]]
    shown = conn.call("job.show", job=raw[1]["id"])
    assert shown["id"] == raw[1]["id"] and shown["target_name"] == vm
    waited = conn.call("job.wait", job=raw[1]["id"], timeout=1)
    assert waited["state"] == "Completed" and waited["target_name"] == vm
    assert conn.wait_job(raw[0]["id"], timeout=1).target_name == vm
    assert all(j["target_name"] for j in conn.call("job.list", limit=10_000))


def test_active_jobs_and_a_running_job_listed(host):
    vm = host.new_vm("active")
    job = host.conn.start_vm(vm)
    assert job.target_name == vm and job.state in ("Queued", "Running", "Completed")
    host.run(job)
    assert job.id not in [j.id for j in host.conn.jobs(active=True)]


def test_unknown_and_bad_job_ids(host):
    conn = host.conn
    with pytest.raises(NotFound):
        conn.job(10**12)
    with pytest.raises(NotFound):
        conn.call("job.wait", job=10**12, timeout=0)
    with pytest.raises(NotFound):
        conn.cancel_job(10**12)
    for bad in (0, -1, 1 << 80, "1", 1.5, None, True):
        with pytest.raises(UsageError):
            conn.call("job.show", job=bad)
    for bad in (-1.0, float("nan"), float("inf"), 10**9, "1"):
        with pytest.raises(UsageError):
            conn.call("job.wait", job=1, timeout=bad)


def test_cancelling_a_finished_job_is_refused_and_the_job_keeps_its_name(host):
    vm = host.new_vm("done")
    job = host.conn.jobs(vm=vm, limit=1)[0]
    with pytest.raises(StateError, match="finished") as e:
        host.conn.cancel_job(job.id)
    assert "unknown method" not in str(e.value)
    assert host.conn.job(job.id).target_name == vm


def test_cancel_a_running_job(host):
    """A shut-down request to a guest that never powers off stays Running until cancelled; the cancel answers with
    the job (its target's name too), which then ends Cancelled and leaves the VM running."""
    if not host.deaf_image:
        pytest.skip(f"{host.kind}: no guest here ignores a shut-down request (the test driver's domains stop at "
                    "once), so no job stays running long enough to cancel")
    conn = host.conn
    vm = host.new_vm("deaf", image=host.deaf_image, integration_services=False, start=True)
    job = conn.stop_vm(vm, mode="shut_down")
    assert job.cancellable and job.target_name == vm
    cancelled = conn.cancel_job(job.id)
    assert cancelled.id == job.id and cancelled.target_name == vm, cancelled
    assert conn.call("job.show", job=job.id)["target_name"] == vm
    done = conn.wait_job(job.id, WAIT)
    assert done.state == "Cancelled" and done.target_name == vm, done
    assert [j.target_name for j in conn.jobs(vm=vm) if j.id == job.id] == [vm]
    assert host.state(vm) == "Running"
    host.run(conn.stop_vm(vm, mode="turn_off"))
