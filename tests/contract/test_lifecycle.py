"""Lifecycle and new / set / remove, the same on every kind of host: each operation is a job that names its target,
and what the VM's state does not allow is refused at once, with the state named, before any job exists."""

from __future__ import annotations

import pytest

from core.model.errors import NotFound, StateError, UsageError

from .conftest import SMALL, MiB


def test_start_pause_resume_save_start_from_saved_shut_down_turn_off(host):
    conn = host.conn
    vm = host.new_vm("life")
    assert host.state(vm) == "Off"
    steps = [(lambda: conn.start_vm(vm), "Running"),
             (lambda: conn.pause_vm(vm), "Paused"),
             (lambda: conn.resume_vm(vm), "Running"),
             (lambda: conn.stop_vm(vm, mode="save"), "Saved"),
             (lambda: conn.start_vm(vm), "Running"),  # from its saved state
             (lambda: conn.stop_vm(vm, mode="shut_down"), "Off"),
             (lambda: conn.start_vm(vm), "Running"),
             (lambda: conn.restart_vm(vm), "Running"),
             (lambda: conn.stop_vm(vm, mode="turn_off"), "Off")]
    for call, state in steps:
        job = host.run(call())
        assert job.target_name == vm, job
        assert host.state(vm) == state, f"{host.kind}: after {job.name}: {host.state(vm)}, expected {state}"


def test_turning_off_a_saved_vm_discards_its_saved_state(host):
    vm = host.new_vm("saved", start=True)
    host.run(host.conn.stop_vm(vm, mode="save"))
    assert host.state(vm) == "Saved"
    host.run(host.conn.stop_vm(vm, mode="turn_off"))
    assert host.state(vm) == "Off"


def test_what_the_state_does_not_allow_is_refused_before_any_job(host):
    conn = host.conn
    vm = host.new_vm("refuse")
    before = host.job_ids()
    for call, needs in ((lambda: conn.pause_vm(vm), "Running"), (lambda: conn.resume_vm(vm), "Paused"),
                        (lambda: conn.stop_vm(vm, mode="shut_down"), "Running"),
                        (lambda: conn.stop_vm(vm, mode="save"), "Running")):
        with pytest.raises(StateError) as e:
            call()
        assert "Off" in str(e.value) and needs in str(e.value), f"{host.kind}: {e.value}"
    host.run(conn.start_vm(vm))
    with pytest.raises(StateError, match="Running"):
        conn.start_vm(vm)
    with pytest.raises(StateError, match="Running"):
        conn.remove_vm(vm)
    with pytest.raises(StateError, match="Running"):
        conn.set_vm(vm, memory=48 * MiB)  # memory needs the VM off
    started = [j for j in conn.jobs(limit=10_000) if j.id not in before]
    assert [j.name for j in started] == ["Start VM"], f"{host.kind}: refusals made jobs: {started}"


def test_new_set_rename_remove(host):
    conn = host.conn
    vm = host.new_vm("settings", notes="made by the contract")
    shown = conn.vm(vm)
    assert (shown.name, shown.state, shown.memory, shown.vcpus, shown.notes) == \
        (vm, "Off", SMALL, 1, "made by the contract")
    assert vm in [v.name for v in conn.vms()]
    host.run(conn.set_vm(vm, memory=48 * MiB, notes="changed"))
    shown = conn.vm(vm)
    assert (shown.memory, shown.notes) == (48 * MiB, "changed")

    renamed = host.name("renamed")
    host.made.append(renamed)
    job = host.run(conn.set_vm(vm, name=renamed))
    assert job.target_name == renamed
    assert conn.vm(renamed).id == shown.id
    with pytest.raises(NotFound):
        conn.vm(vm)

    job = host.run(conn.remove_vm(renamed))
    assert job.target_name == renamed
    with pytest.raises(NotFound):
        conn.vm(renamed)
    assert renamed not in [v.name for v in conn.vms()]
    assert conn.jobs(limit=1)[0].target_name == renamed  # the history keeps the name of what went


def test_names_are_unique_and_checked_before_any_job(host):
    vm = host.new_vm("unique")
    before = host.job_ids()
    with pytest.raises(UsageError, match="already exists"):
        host.conn.new_vm(vm, memory=SMALL)
    with pytest.raises(UsageError, match="already exists"):  # names compare as core.model.names.same_name does
        host.conn.new_vm(vm.upper(), memory=SMALL)
    for bad in ("", "a\x00b", "tab\there", "x" * 300):
        with pytest.raises(UsageError):
            host.conn.call("vm.new", name=bad, memory=SMALL)
    with pytest.raises(NotFound):
        host.conn.start_vm(host.name("missing"))
    assert host.job_ids() == before
