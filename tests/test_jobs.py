"""Jobs: results, failures, progress events, cancellation, and a history that survives restarts."""

import sqlite3
import threading
import time

import pytest

from core.hosts.jobs import JobCancelled, JobError, JobManager, JobState

TIMEOUT = 10


class Events:
    def __init__(self):
        self.lock = threading.Lock()
        self.items: list[tuple[str, dict]] = []

    def __call__(self, kind: str, job: dict) -> None:
        with self.lock:
            self.items.append((kind, job))

    def of(self, job_id: int) -> list[tuple[str, dict]]:
        with self.lock:
            return [(k, j) for k, j in self.items if j["id"] == job_id]


@pytest.fixture
def db(tmp_path):
    return tmp_path / "jobs.sqlite"


@pytest.fixture
def events():
    return Events()


@pytest.fixture
def manager(db, events):
    m = JobManager(db, on_event=events)
    yield m
    m.close(timeout=1)


def blocker():
    """A job function that runs until released; ``started`` is set once it runs."""
    started, release = threading.Event(), threading.Event()

    def fn(ctx):
        started.set()
        while not release.wait(0.01):
            ctx.check_cancelled()
        return "released"

    return fn, started, release


def test_submit_returns_at_once_and_completes_with_result(manager):
    job = manager.submit("Create virtual machine", "web", lambda ctx: {"id": "abc", "disks": [1, 2]})
    assert job.state in (JobState.QUEUED, JobState.RUNNING) and job.id >= 1
    done = manager.wait(job.id, timeout=TIMEOUT)
    assert done.state is JobState.COMPLETED
    assert done.result == {"id": "abc", "disks": [1, 2]}
    assert done.progress == 100 and done.error is None
    assert done.created <= done.started <= done.ended
    assert done.to_dict()["state"] == "Completed"


def test_failure_records_a_one_line_error(manager):
    def fn(ctx):
        raise RuntimeError("the disk is full\nsee the log")

    job = manager.wait(manager.submit("Save state", "web", fn).id, timeout=TIMEOUT)
    assert job.state is JobState.FAILED
    assert job.error == "the disk is full see the log"
    assert job.result is None


def test_result_that_is_not_json_fails_the_job(manager):
    job = manager.wait(manager.submit("Odd", "web", lambda ctx: object()).id, timeout=TIMEOUT)
    assert job.state is JobState.FAILED
    assert job.error.startswith("the job's result cannot be recorded")


def test_progress_events_fire_in_order_and_clamp(manager, events):
    def fn(ctx):
        ctx.progress(10, "Copying disk")
        ctx.progress(50)
        ctx.progress(150, "Almost")
        ctx.progress(-5, "Back")
        return None

    job = manager.wait(manager.submit("Export", "web", fn).id, timeout=TIMEOUT)
    assert job.state is JobState.COMPLETED
    seen = events.of(job.id)
    kinds = [k for k, _ in seen]
    assert kinds[0] == "job.created" and kinds[-1] == "job.finished"
    assert set(kinds[1:-1]) == {"job.progress"}
    progress = [(j["progress"], j["message"]) for k, j in seen if k == "job.progress"]
    assert progress == [(0, ""), (10, "Copying disk"), (50, "Copying disk"), (100, "Almost"), (0, "Back")]
    assert seen[-1][1]["state"] == "Completed" and seen[-1][1]["progress"] == 100


def test_progress_is_visible_while_running(manager):
    step, release = threading.Event(), threading.Event()

    def fn(ctx):
        ctx.progress(42, "Halfway")
        step.set()
        release.wait(TIMEOUT)

    job = manager.submit("Slow", "web", fn)
    assert step.wait(TIMEOUT)
    assert (manager.get(job.id).progress, manager.get(job.id).message) == (42, "Halfway")
    [listed] = manager.list(active_only=True)
    assert listed.id == job.id and listed.progress == 42
    release.set()
    assert manager.wait(job.id, TIMEOUT).state is JobState.COMPLETED


def test_a_failing_event_listener_does_not_break_jobs(db):
    def listener(kind, job):
        raise ValueError("listener bug")

    m = JobManager(db, on_event=listener)
    try:
        job = m.wait(m.submit("Start", "web", lambda ctx: ctx.progress(50) or 7).id, timeout=TIMEOUT)
        assert job.state is JobState.COMPLETED and job.result == 7
    finally:
        m.close()


def test_cancel_a_running_cancellable_job(manager, events):
    fn, started, _ = blocker()
    job = manager.submit("Migrate", "web", fn, cancellable=True)
    assert started.wait(TIMEOUT)
    assert manager.cancel(job.id).state is JobState.RUNNING  # asked; it stops when it notices
    done = manager.wait(job.id, timeout=TIMEOUT)
    assert done.state is JobState.CANCELLED and done.error is None
    assert events.of(job.id)[-1][0] == "job.finished"


def test_cancelled_flag_is_visible_to_the_job(manager):
    fn_started = threading.Event()

    def fn(ctx):
        fn_started.set()
        while not ctx.cancelled:
            time.sleep(0.01)
        raise JobCancelled()

    job = manager.submit("Copy", "web", fn, cancellable=True)
    assert fn_started.wait(TIMEOUT)
    manager.cancel(job.id)
    assert manager.wait(job.id, TIMEOUT).state is JobState.CANCELLED


def test_cancel_a_queued_job_at_once(db):
    m = JobManager(db, workers=1)
    try:
        fn, started, release = blocker()
        first = m.submit("Busy", "a", fn)
        assert started.wait(TIMEOUT)
        ran = threading.Event()
        queued = m.submit("Waiting", "b", lambda ctx: ran.set(), cancellable=True)
        assert m.get(queued.id).state is JobState.QUEUED
        cancelled = m.cancel(queued.id)
        assert cancelled.state is JobState.CANCELLED and cancelled.started is None
        release.set()
        assert m.wait(first.id, TIMEOUT).state is JobState.COMPLETED
        after = m.submit("After", "c", lambda ctx: None)
        assert m.wait(after.id, TIMEOUT).state is JobState.COMPLETED
        assert not ran.is_set()
        assert m.get(queued.id).state is JobState.CANCELLED
    finally:
        m.close()


def test_cancel_refused(manager):
    fn, started, release = blocker()
    job = manager.submit("Start", "web", fn)
    assert started.wait(TIMEOUT)
    with pytest.raises(JobError, match=f"job {job.id} cannot be cancelled"):
        manager.cancel(job.id)
    release.set()
    assert manager.wait(job.id, TIMEOUT).state is JobState.COMPLETED
    with pytest.raises(JobError, match=f"job {job.id} cannot be cancelled"):
        manager.cancel(job.id)
    with pytest.raises(JobError, match="no job 999"):
        manager.cancel(999)
    with pytest.raises(JobError, match="no job 999"):
        manager.get(999)
    with pytest.raises(JobError, match="no job 999"):
        manager.wait(999)


def test_wait_with_timeout_returns_the_running_job(manager):
    fn, started, release = blocker()
    job = manager.submit("Long", "web", fn)
    assert started.wait(TIMEOUT)
    t0 = time.monotonic()
    waited = manager.wait(job.id, timeout=0.1)
    assert 0.09 <= time.monotonic() - t0 < 2
    assert waited.state is JobState.RUNNING and waited.ended is None
    release.set()
    assert manager.wait(job.id, TIMEOUT).result == "released"


def test_list_newest_first_with_filters(manager):
    ids = [
        manager.wait(manager.submit(f"Job {i}", "a" if i % 2 else "b", lambda ctx: None).id, TIMEOUT).id
        for i in range(5)
    ]
    assert [j.id for j in manager.list()] == ids[::-1]
    assert [j.id for j in manager.list(limit=2)] == [ids[4], ids[3]]
    assert [j.id for j in manager.list(target="a")] == [ids[3], ids[1]]
    assert manager.list(active_only=True) == []


def test_history_survives_reopening_and_ids_keep_growing(db):
    m = JobManager(db)
    done = m.wait(m.submit("Create", "web", lambda ctx: {"ok": True}).id, TIMEOUT)
    failed = m.wait(m.submit("Delete", "db", lambda ctx: 1 / 0).id, TIMEOUT)
    m.close()

    m = JobManager(db)
    try:
        again = m.get(done.id)
        assert again == done
        assert m.get(failed.id).state is JobState.FAILED and m.get(failed.id).error == "division by zero"
        assert [j.id for j in m.list()] == [failed.id, done.id]
        newer = m.submit("Start", "web", lambda ctx: None)
        assert newer.id > failed.id
    finally:
        m.close()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_jobs_running_when_the_process_died_are_failed_on_reopen(db):
    m = JobManager(db)
    m.close()
    with sqlite3.connect(db) as raw:  # what a killed service leaves behind
        raw.execute(
            "INSERT INTO jobs (name, target, state, progress, message, created, started, cancellable) "
            "VALUES ('Save state', 'web', 'Running', 40, 'Saving memory', 1.0, 2.0, 1)"
        )
        raw.execute(
            "INSERT INTO jobs (name, target, state, progress, message, created, cancellable) "
            "VALUES ('Start', 'db', 'Queued', 0, '', 3.0, 0)"
        )
    m = JobManager(db)
    try:
        running, queued = sorted(m.list(), key=lambda j: j.id)
        assert running.state is JobState.FAILED
        assert running.error == "the host service stopped while this job ran"
        assert running.progress == 40 and running.ended is not None
        assert queued.state is JobState.FAILED and "host service stopped" in queued.error
        assert m.list(active_only=True) == []
    finally:
        m.close()


def test_closing_while_a_job_blocks_leaves_it_failed_after_reopen(db, events):
    m = JobManager(db, on_event=events)
    fn, started, release = blocker()
    job = m.submit("Stuck", "web", fn)
    assert started.wait(TIMEOUT)
    t0 = time.monotonic()
    m.close(timeout=0.1)
    assert time.monotonic() - t0 < 2
    release.set()  # its late outcome is not recorded

    m = JobManager(db)
    try:
        time.sleep(0.05)
        again = m.get(job.id)
        assert again.state is JobState.FAILED
        assert again.error == "the host service stopped while this job ran"
    finally:
        m.close()
    with pytest.raises(JobError, match="closed"):
        m.submit("Late", "web", lambda ctx: None)
