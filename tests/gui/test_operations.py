"""Named operations (gui/operations): work runs off the GUI thread, jobs they start are followed by the session,
failures are shown once (gathered when they come together) or handed to the caller, and a dialog that closed meanwhile
gets nothing. What a host can do comes from its capabilities()."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from core import api
from gui import operations as ops
from gui import vmstates
from gui.session import Session

from .conftest import make_vms, vm_by_name, wait_state


def loaded_session(qtbot, conn) -> Session:
    s = Session(conn)
    s.start()
    qtbot.waitUntil(lambda: s.loaded and bool(s.host), timeout=10_000)
    return s


def test_a_lifecycle_operation_starts_a_job_the_session_follows(qtbot, conn):
    make_vms(conn, "web1")
    s = loaded_session(qtbot, conn)
    try:
        web1 = vm_by_name(s, "web1")
        jobs: list[dict] = []
        ops.vm.start(s, web1).success(jobs.append).run()
        qtbot.waitUntil(lambda: bool(jobs), timeout=10_000)
        assert jobs[0]["name"] == "Start VM" and isinstance(jobs[0]["id"], int)
        assert any(j["id"] == jobs[0]["id"] for j in s.jobs_model.jobs())  # in the jobs strip at once
        wait_state(qtbot, s, "web1", "Running")
    finally:
        s.close()


def test_failures_that_come_together_are_one_dialog_naming_each_vm(qtbot, conn):
    make_vms(conn, "a", "b", start=True)
    s = loaded_session(qtbot, conn)
    try:
        errors: list[tuple[str, str]] = []
        s.error.connect(lambda title, message: errors.append((title, message)))
        stale = [dict(vm_by_name(s, "a"), state="Off"), dict(vm_by_name(s, "b"), state="Off")]
        ops.vm.lifecycle(s, "start", stale)  # both already run: the host refuses each
        qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
        title, message = errors[0]
        assert len(errors) == 1 and title == "Cannot start"
        assert message.splitlines()[0].startswith(("a: ", "b: ")) and len(message.splitlines()) == 2
        assert "it is Running" in message
    finally:
        s.close()


def test_a_failure_callback_replaces_the_dialog_and_a_closed_owner_gets_nothing(qtbot, conn):
    s = loaded_session(qtbot, conn)
    try:
        errors, failures, done = [], [], []
        s.error.connect(lambda *e: errors.append(e))
        ops.vm.start(s, {"id": "no-such-vm", "name": "ghost"}).failure(failures.append).run()
        qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
        assert isinstance(failures[0], api.BulkheadError)
        owner = QWidget()
        ops.switch.list_switches(s, owner=owner).success(done.append).failure(done.append).run()
        shiboken6.delete(owner)  # the dialog closed while its request was on its way
        qtbot.wait(300)
        assert done == [] and errors == []
    finally:
        s.close()


def test_without_a_connection_an_operation_fails_at_once(qtbot):
    s = Session(lambda: api.connect(embedded=True))  # never started
    failures = []
    assert ops.vm.pause(s, {"id": "x", "name": "x"}).failure(failures.append).run() is None
    assert "not connected" in str(failures[0])
    try:
        ops.vm.stop(s, {"id": "x", "name": "x"}, "unplug")
    except ValueError as e:
        assert "unplug" in str(e)
    else:
        raise AssertionError("an unknown stop mode was accepted")


def test_what_a_host_can_do_comes_from_its_capabilities(qtbot, conn):
    s = loaded_session(qtbot, conn)
    try:
        assert s.can("start") == (True, "")
        s.capabilities = {"start": True, "kvp": False, "migrate": False,
                          "reasons": {"migrate": "this host cannot migrate"}}
        assert s.can("migrate") == (False, "this host cannot migrate")
        able, why = s.can("kvp")
        assert not able and why  # refused even without a reason given
        s.capabilities = {"reasons": {}}  # not answered yet: migration waits for the host's word
        assert not s.can("migrate")[0] and s.can("start")[0]
    finally:
        s.close()


def test_turning_off_a_saved_vm_is_offered_and_names_the_lost_state():
    saved = {"id": "s", "name": "s1", "state": "Saved"}
    assert vmstates.availability("turn_off", [saved]).enabled
    _title, question, lost = vmstates.confirmation("turn_off", [saved])
    assert question == "Turn off s1?" and "The saved state of s1 is deleted." in lost
