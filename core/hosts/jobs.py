"""SCVMM-style jobs: every operation of the host service runs as a job on a worker thread, reports progress, can be
cancelled when it says so, and leaves a history in SQLite (WAL) that survives restarts.

A job that was Queued or Running when the previous process ended is recorded as Failed when the history is opened
again, so the history never claims work is still going on that nobody is doing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from core.model.errors import OperationFailed

log = logging.getLogger(__name__)

STOPPED_WHILE_RUNNING = "the host service stopped while this job ran"
STOPPED_BEFORE_START = "the host service stopped before this job started"
PROGRESS_WRITE_INTERVAL = 0.5  # seconds between progress rows written for one job; events are not limited
ERROR_MAX = 500
ID_MAX = (1 << 63) - 1  # SQLite's largest integer
LIST_MAX = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids are never reused, even after pruning
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    progress INTEGER NOT NULL,
    message TEXT NOT NULL,
    error TEXT,
    result TEXT,  -- JSON
    created REAL NOT NULL,
    started REAL,
    ended REAL,
    cancellable INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_target ON jobs (target, id);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
"""
_COLUMNS = "id, name, target, state, progress, message, error, result, created, started, ended, cancellable"


class JobState(StrEnum):
    QUEUED = "Queued"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELLED = "Cancelled"

    @property
    def finished(self) -> bool:
        return self in _FINISHED


_FINISHED = frozenset({JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED})


class JobCancelled(Exception):
    """Raised inside a job (by ``JobContext.check_cancelled``) to stop it; the job ends Cancelled."""


class JobError(Exception):
    """A request about jobs that cannot be served, e.g. an unknown id; the message is one line."""


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_id(job_id: object) -> None:
    if not _whole(job_id) or not 1 <= job_id <= ID_MAX:  # SQLite cannot even look such an id up
        raise JobError(f"no job {job_id!r}"[:80])


@dataclass
class Job:
    id: int
    name: str
    target: str
    state: JobState
    progress: int  # 0-100
    message: str
    error: str | None
    result: Any  # JSON-able
    created: float
    started: float | None
    ended: float | None
    cancellable: bool

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["state"] = self.state.value
        return d

    @classmethod
    def _from_row(cls, row: tuple) -> Job:
        d = dict(zip(_COLUMNS.split(", "), row, strict=True))
        d["state"] = JobState(d["state"])
        d["result"] = None if d["result"] is None else json.loads(d["result"])
        d["cancellable"] = bool(d["cancellable"])
        return cls(**d)


def _one_line(text: str, limit: int = ERROR_MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class _Active:
    job: Job
    fn: Callable[[JobContext], Any] | None
    cancel: threading.Event = dataclasses.field(default_factory=threading.Event)
    done: threading.Event = dataclasses.field(default_factory=threading.Event)
    last_write: float = 0.0
    detached: bool = False  # the manager closed while it ran: its outcome is no longer recorded


class JobContext:
    """What a job's function gets: progress reporting and the cancellation request."""

    def __init__(self, manager: JobManager, active: _Active) -> None:
        self._manager = manager
        self._active = active
        self.job_id = active.job.id

    def progress(self, percent: int, message: str = "") -> None:
        """Report progress (clamped to 0-100). An empty message keeps the previous one."""
        self._manager._progress(self._active, percent, message)

    @property
    def cancelled(self) -> bool:
        return self._active.cancel.is_set()

    def check_cancelled(self) -> None:
        if self._active.cancel.is_set():
            raise JobCancelled("cancelled")

    def waiting(self, deadline: float, timeout: float, too_late: str, message: str) -> None:
        """One turn of a wait that ends at ``deadline`` (monotonic; ``timeout`` seconds after it began): JobCancelled
        if the job is cancelled, OperationFailed(``too_late``) once the time is up, else progress by the time gone."""
        self.check_cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            raise OperationFailed(too_late)
        self.progress(int(100 * (1 - left / timeout)), message)


class JobManager:
    """Runs jobs on a fixed pool of worker threads and records them in SQLite. All methods are thread-safe;
    ``on_event(kind, job_dict)`` is called from whichever thread made the change, never while a lock is held."""

    def __init__(self, db_path: Path, on_event: Callable[[str, dict], None] | None = None, workers: int = 4) -> None:
        if workers < 1:
            raise ValueError("a job manager needs at least one worker")
        self._on_event = on_event
        self._lock = threading.RLock()
        self._active: dict[int, _Active] = {}
        self._closed = False
        self._db = sqlite3.connect(str(db_path), timeout=10, check_same_thread=False, isolation_level=None)
        try:
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise JobError(f"the job history {db_path} cannot use write-ahead logging (journal mode {mode})")
            # FULL: a job the service reported as created or finished is on disk, even after a power cut.
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "UPDATE jobs SET state=?, error=?, ended=? WHERE state=?",
                    (JobState.FAILED.value, STOPPED_BEFORE_START, time.time(), JobState.QUEUED.value),
                )
                self._db.execute(
                    "UPDATE jobs SET state=?, error=?, ended=? WHERE state=?",
                    (JobState.FAILED.value, STOPPED_WHILE_RUNNING, time.time(), JobState.RUNNING.value),
                )
        except BaseException:
            self._db.close()
            raise
        self._queue: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        # Daemon threads: a job stuck in a system call must not keep the process alive after the service stops.
        self._threads = [
            threading.Thread(target=self._worker, name=f"bulkhead-job-{i}", daemon=True) for i in range(workers)
        ]
        for t in self._threads:
            t.start()

    # -- public -------------------------------------------------------------------------------------------------
    def submit(self, name: str, target: str, fn: Callable[[JobContext], Any], cancellable: bool = False) -> Job:
        """Queue ``fn(ctx)`` and return the Queued job at once. Its return value becomes the result; an exception
        fails the job with the exception's message; ``JobCancelled`` cancels it."""
        if not callable(fn):
            raise TypeError("a job needs a callable")
        job = Job(
            id=0,
            name=_one_line(name, 200),
            target=_one_line(target, 200),
            state=JobState.QUEUED,
            progress=0,
            message="",
            error=None,
            result=None,
            created=time.time(),
            started=None,
            ended=None,
            cancellable=bool(cancellable),
        )
        with self._lock:
            self._check_open()
            with self._db:
                cur = self._db.execute(
                    f"INSERT INTO jobs ({_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, ?)",
                    (
                        job.name,
                        job.target,
                        job.state.value,
                        job.progress,
                        job.message,
                        job.created,
                        int(job.cancellable),
                    ),
                )
            job.id = cur.lastrowid
            self._active[job.id] = _Active(job, fn)
            snapshot = job.to_dict()
        self._emit("job.created", snapshot)
        self._queue.put(job.id)
        return dataclasses.replace(job)

    def get(self, job_id: int) -> Job:
        _check_id(job_id)
        with self._lock:
            active = self._active.get(job_id)
            if active is not None:
                return dataclasses.replace(active.job)
            self._check_open()
            row = self._db.execute(f"SELECT {_COLUMNS} FROM jobs WHERE id=?", (job_id,)).fetchone()
        if row is None:
            raise JobError(f"no job {job_id}")
        return Job._from_row(row)

    def list(self, limit: int = 50, target: str | None = None, active_only: bool = False) -> list[Job]:
        """The newest ``limit`` jobs first (at most LIST_MAX), optionally only those of one target or only Queued and
        Running ones."""
        if not _whole(limit):
            raise JobError(f"the number of jobs to list must be a whole number (got {limit!r})"[:120])
        if limit < 1:
            return []
        limit = min(limit, LIST_MAX)
        where, args = [], []
        if target is not None:
            where.append("target=?")
            args.append(target)
        if active_only:
            where.append("state IN (?, ?)")
            args += [JobState.QUEUED.value, JobState.RUNNING.value]
        sql = f"SELECT {_COLUMNS} FROM jobs {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?"
        with self._lock:
            self._check_open()
            rows = self._db.execute(sql, (*args, limit)).fetchall()
            # Progress rows are written at most every PROGRESS_WRITE_INTERVAL; memory has the latest.
            jobs = [
                dataclasses.replace(self._active[r[0]].job) if r[0] in self._active else Job._from_row(r) for r in rows
            ]
        return jobs

    def wait(self, job_id: int, timeout: float | None = None) -> Job:
        """Block until the job has finished or ``timeout`` seconds have passed; return the job either way."""
        _check_id(job_id)
        with self._lock:
            active = self._active.get(job_id)
        if active is not None:
            active.done.wait(timeout)
        return self.get(job_id)

    def cancel(self, job_id: int) -> Job:
        """Cancel a Queued job at once, or ask a Running one to stop (it ends Cancelled when it notices)."""
        _check_id(job_id)
        with self._lock:
            active = self._active.get(job_id)
            if active is None:
                job = self.get(job_id)  # JobError for an unknown id
                raise JobError(f"job {job_id} cannot be cancelled: it has already finished ({job.state.value})")
            if not active.job.cancellable:
                raise JobError(f"job {job_id} cannot be cancelled: {active.job.name} does not support it")
            active.cancel.set()
            if active.job.state is not JobState.QUEUED:
                return dataclasses.replace(active.job)
            self._finish_locked(active, JobState.CANCELLED, None, None)
            snapshot = active.job.to_dict()
        self._emit("job.finished", snapshot)
        return self.get(job_id)

    def close(self, timeout: float = 5.0) -> None:
        """Stop taking jobs. Queued jobs fail at once; cancellable running ones are asked to stop; jobs still running
        after ``timeout`` seconds are recorded as Failed and their outcome is ignored."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            queued = [a for a in self._active.values() if a.job.state is JobState.QUEUED]
            for a in queued:
                self._finish_locked(a, JobState.FAILED, None, STOPPED_BEFORE_START)
            running = list(self._active.values())
            for a in running:
                if a.job.cancellable:
                    a.cancel.set()
        for a in queued:
            self._emit("job.finished", a.job.to_dict())
        for _ in self._threads:
            self._queue.put(None)
        deadline = time.monotonic() + timeout
        for a in running:
            a.done.wait(max(0.0, deadline - time.monotonic()))
        with self._lock:
            for a in list(self._active.values()):
                self._finish_locked(a, JobState.FAILED, None, STOPPED_WHILE_RUNNING)
                a.detached = True
            self._db.close()

    # -- internals ----------------------------------------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise JobError("the job manager is closed")

    def _emit(self, kind: str, job: dict) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(kind, job)
        except Exception:  # a listener's bug must never break a job
            log.exception("job event listener failed on %s for job %s", kind, job.get("id"))

    def _write(self, job: Job) -> None:
        with self._db:
            self._db.execute(
                "UPDATE jobs SET state=?, progress=?, message=?, error=?, result=?, started=?, ended=? WHERE id=?",
                (
                    job.state.value,
                    job.progress,
                    job.message,
                    job.error,
                    None if job.result is None else json.dumps(job.result),
                    job.started,
                    job.ended,
                    job.id,
                ),
            )

    def _finish_locked(self, active: _Active, state: JobState, result: Any, error: str | None) -> None:
        job = active.job
        job.state, job.result, job.error, job.ended = state, result, error, time.time()
        if state is JobState.COMPLETED:
            job.progress = 100
        self._write(job)
        del self._active[job.id]
        active.done.set()

    def _worker(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            self._run(job_id)

    def _run(self, job_id: int) -> None:
        with self._lock:
            active = self._active.get(job_id)
            if active is None or active.job.state is not JobState.QUEUED:
                return  # cancelled while queued
            job = active.job
            job.state, job.started = JobState.RUNNING, time.time()
            self._write(job)
            active.last_write = time.monotonic()
            fn, active.fn = active.fn, None
            snapshot = job.to_dict()
        self._emit("job.progress", snapshot)
        result, error = None, None
        try:
            result = fn(JobContext(self, active))
            state = JobState.COMPLETED
        except JobCancelled:
            state = JobState.CANCELLED
        except Exception as e:
            log.info("job %d (%s) failed", job_id, job.name, exc_info=True)
            state, error = JobState.FAILED, _one_line(str(e) or type(e).__name__)
        except BaseException as e:
            with self._lock:
                if not active.detached:
                    self._finish_locked(active, JobState.FAILED, None, _one_line(str(e) or type(e).__name__))
            raise
        if state is JobState.COMPLETED:
            try:  # the result goes into the history and to clients as JSON
                json.dumps(result)
            except (TypeError, ValueError) as e:
                state, result, error = JobState.FAILED, None, _one_line(f"the job's result cannot be recorded: {e}")
        with self._lock:
            if active.detached:
                return
            self._finish_locked(active, state, result, error)
            snapshot = job.to_dict()
        self._emit("job.finished", snapshot)

    def _progress(self, active: _Active, percent: int, message: str) -> None:
        percent = max(0, min(100, int(percent)))
        message = _one_line(message, 200) if message else ""
        with self._lock:
            job = active.job
            if active.detached or job.state is not JobState.RUNNING:
                return
            if percent == job.progress and (not message or message == job.message):
                return
            job.progress = percent
            if message:
                job.message = message
            now = time.monotonic()
            if now - active.last_write >= PROGRESS_WRITE_INTERVAL:
                self._write(job)
                active.last_write = now
            snapshot = job.to_dict()
        self._emit("job.progress", snapshot)
