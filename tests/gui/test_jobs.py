"""Jobs as the console follows them: the answer that starts a job and the job's events travel separately, so either
may come first; a finished job never shows as running again, and says how it ended."""

from __future__ import annotations

import time

from gui.models.jobs import JobCol
from gui.models.vm_table import Col

from .conftest import make_vms, trigger, vm_by_name, wait_state


def operation_cell(window, name: str) -> str:
    s = window.session
    return window.proxy.mapFromSource(s.vm_model.index_of(vm_by_name(s, name)["id"], Col.OPERATION)).data() or ""


def test_a_bulk_resume_whose_answer_comes_after_the_jobs_end_leaves_no_operation_behind(window, conn, qtbot,
                                                                                         monkeypatch):
    names = ("r1", "r2", "r3")
    make_vms(conn, *names, start=True)
    for name in names:
        conn.pause_vm(name).wait(check=True)
    s = window.session
    for name in names:
        wait_state(qtbot, s, name, "Paused")
    late_id = vm_by_name(s, "r2")["id"]
    real = s.conn.resume_vm

    def resume(vm: str):
        job = real(vm)
        if vm == late_id:  # this answer reaches the console after the job's events, up to job.finished
            job.wait(10)
            time.sleep(0.4)
        return job

    monkeypatch.setattr(s.conn, "resume_vm", resume)
    window.select_vms(list(names))
    trigger(qtbot, window, "resume")
    for name in names:
        wait_state(qtbot, s, name, "Running")
    qtbot.waitUntil(lambda: len([j for j in s.jobs_model.jobs() if j["name"] == "Resume VM"
                                 and j["state"] == "Completed"]) == 3, timeout=10_000)
    qtbot.wait(600)  # the late answer has come by now
    start = s.refresh_count
    s.refresh()
    qtbot.waitUntil(lambda: s.refresh_count > start, timeout=5000)
    assert {name: operation_cell(window, name) for name in names} == {name: "" for name in names}
    assert all(s.vm_model.row_of(vm_by_name(s, n)["id"]).job is None for n in names)
    assert not s.jobs_model.active()


def test_the_end_of_a_job_whose_events_were_lost_is_asked_for(window, conn, qtbot, monkeypatch):
    """A running job the host has not spoken of for a while is asked about: its end shows even if its events never
    came (a dropped connection, a subscriber that fell behind)."""
    import gui.session as session_module

    make_vms(conn, "quiet", start=True)
    s = window.session
    wait_state(qtbot, s, "quiet", "Running")
    monkeypatch.setattr(session_module, "JOB_QUIET_S", 0.2)
    job = conn.pause_vm("quiet").wait(check=True).to_dict()
    stale = {**job, "state": "Running", "progress": 10, "message": "pausing"}
    s.jobs_model.upsert_many([stale])  # the console heard of it running, then nothing more
    s._job_heard[job["id"]] = time.monotonic() - 1
    s.vm_model.set_job(stale)
    assert operation_cell(window, "quiet").startswith("Pause VM")
    s.refresh_host()
    qtbot.waitUntil(lambda: s.jobs_model.job(job["id"])["state"] == "Completed", timeout=5000)
    qtbot.waitUntil(lambda: operation_cell(window, "quiet") == "", timeout=5000)


def test_a_finished_job_says_how_it_ended_not_its_last_step(window, conn, qtbot):
    s = window.session
    job = conn.new_vm("web1", memory="16M", start=True)  # reports "starting" on its way
    job.wait(check=True)
    qtbot.waitUntil(lambda: (s.jobs_model.job(job.id) or {}).get("state") == "Completed", timeout=10_000)
    assert s.jobs_model.job(job.id).get("message") == "starting"  # what the host last said while it ran
    row = next(r for r in range(s.jobs_model.rowCount()) if s.jobs_model.index(r, 0).data() == "New VM")
    details = s.jobs_model.index(row, JobCol.MESSAGE).data()
    assert details.startswith("Completed in ") and "starting" not in details
    assert s.jobs_model.index(row, JobCol.PROGRESS).data() == "100 %"
    window.jobs.activated.emit(window.jobs.model().index(row, 0))
    dialog = window.job_dialogs[-1]
    assert dialog.fields["Status"].text() == "Completed"
    assert dialog.fields["Message"].text().startswith("Completed in ") and dialog.progress.value() == 100
    dialog.reject()

    # a job that fails says so, and where it stopped
    failed = {**s.jobs_model.job(job.id), "id": job.id + 1000, "state": "Failed", "error": "disk full",
              "message": "starting", "progress": 50}
    s.jobs_model.upsert(failed)
    row = next(r for r in range(s.jobs_model.rowCount()) if s.jobs_model.index(r, 0).data(JobCol.NAME) is not None
               and s.jobs_model.data(s.jobs_model.index(r, JobCol.MESSAGE)) == "disk full")
    window.jobs.activated.emit(s.jobs_model.index(row, 0))
    dialog = window.job_dialogs[-1]
    assert dialog.fields["Message"].text() == "Stopped at: starting" and dialog.error.toPlainText() == "disk full"
    dialog.reject()


def test_every_job_a_host_method_starts_has_its_title_translated():
    from core.model.methods import METHODS
    from gui.models.jobs import JOB_TITLES

    missing = sorted({m.title for m in METHODS.values() if m.job} - JOB_TITLES)
    assert not missing, f"job titles the console would show in English: {missing} (add them to JOB_TITLES)"
