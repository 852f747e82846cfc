"""Events: a VM created, renamed and removed is told exactly once each (vm.added, vm.changed, vm.removed), state
changes come as vm.state, jobs as job.*; every kind of host alike."""

from __future__ import annotations

from collections import Counter


def _barrier(host, events) -> None:
    """Make and remove one more VM and wait for its vm.removed: what a host had still to tell about earlier VMs
    (events come in order) has arrived by then."""
    vm = host.new_vm("barrier")
    vm_id = host.conn.vm(vm).id
    host.run(host.conn.remove_vm(vm))
    events.wait_for(lambda k, d: k == "vm.removed" and d.get("id") == vm_id)


def test_added_changed_removed_exactly_once_each(host, events):
    conn = host.conn
    vm = host.new_vm("events")
    vm_id = conn.vm(vm).id
    added = events.wait_for(lambda k, d: k == "vm.added" and d.get("id") == vm_id)[1]
    assert added["name"] == vm

    renamed = host.name("events-renamed")
    host.made.append(renamed)
    host.run(conn.set_vm(vm, name=renamed))
    events.wait_for(lambda k, d: k == "vm.changed" and d.get("id") == vm_id and d.get("name") == renamed)

    host.run(conn.remove_vm(renamed))
    removed = events.wait_for(lambda k, d: k == "vm.removed" and d.get("id") == vm_id)[1]
    assert removed["name"] == renamed

    _barrier(host, events)
    told = [(k, d.get("name")) for k, d in events.about(vm_id)]
    assert told == [("vm.added", vm), ("vm.changed", renamed), ("vm.removed", renamed)], \
        f"{host.kind}: {Counter(k for k, _ in told)} in order {told}"


def test_state_changes_and_jobs_are_told(host, events):
    conn = host.conn
    vm = host.new_vm("states")
    vm_id = conn.vm(vm).id
    job = host.run(conn.start_vm(vm))
    events.wait_for(lambda k, d: k == "vm.state" and d.get("id") == vm_id and d.get("state") == "Running")
    finished = events.wait_for(lambda k, d: k == "job.finished" and d.get("id") == job.id)[1]
    assert finished["state"] == "Completed"
    host.run(conn.stop_vm(vm, mode="turn_off"))
    events.wait_for(lambda k, d: k == "vm.state" and d.get("id") == vm_id and d.get("state") == "Off")
    _barrier(host, events)
    # starting and stopping a VM changes its state, not the VM: no vm.added / vm.changed / vm.removed for it
    assert [k for k, _ in events.about(vm_id)] == ["vm.added"], f"{host.kind}: {events.about(vm_id)}"
