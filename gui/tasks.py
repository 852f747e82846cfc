"""The one way the console runs work off the GUI thread.

    tasks.run(conn.start_vm, "web1", on_done=show_job, on_error=show_error)

``fn`` runs on a thread pool; ``on_done(result)`` or ``on_error(exception)`` then runs on the GUI thread. Never touch
a widget inside ``fn``. Nothing else in ``gui/`` starts threads. ``run_latest(key, ...)`` is for periodic work: while
a task with that key is in flight a new request is remembered, not queued, so a slow host never piles up work (as
virt-manager drops a tick when the last one has not finished).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from core import api
from gui.i18n import translate

log = logging.getLogger(__name__)
MAX_THREADS = 8  # the work is waiting on the host service, not computing: more threads than cores is right


def describe(error: BaseException) -> str:
    """One line a person can act on; tracebacks go to the log, never to the screen."""
    if isinstance(error, api.BulkheadError):
        from gui.dialogs.messages import host_error  # here: the dialogs import the tasks' callers

        return host_error(error)  # in the console's language, by the refusal's code
    if isinstance(error, OSError):
        return translate("Tasks", "cannot reach the host service: {error}").format(
            error=getattr(error, "strerror", None) or error)
    return translate("Tasks", "unexpected error ({kind}): {error}").format(kind=type(error).__name__, error=error)


@dataclass(eq=False)
class Task:
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    owner: QObject | None = None
    key: str | None = None
    cancelled: bool = field(default=False)

    def cancel(self) -> None:
        """Drop the callbacks (the work itself, once started, runs to its end)."""
        self.cancelled = True


class _Runnable(QRunnable):
    def __init__(self, tasks: Tasks, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._tasks = tasks
        self._task = task

    def run(self) -> None:
        task = self._task
        try:
            value, ok = task.fn(*task.args, **task.kwargs), True
        except BaseException as e:  # noqa: BLE001 - delivered to on_error on the GUI thread
            if not isinstance(e, api.BulkheadError):
                log.warning("task %s failed", getattr(task.fn, "__name__", task.fn), exc_info=True)
            value, ok = e, False
        try:
            self._tasks._finished.emit(task, ok, value)
        except RuntimeError:  # the console is closing and the Tasks object is gone
            pass


class Tasks(QObject):
    _finished = Signal(object, bool, object)
    failed = Signal(str)  # a task without on_error failed: the message for the user

    def __init__(self, parent: QObject | None = None, max_threads: int = MAX_THREADS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._pool.setExpiryTimeout(30_000)
        self._inflight: set[Task] = set()
        self._latest: dict[str, Task] = {}
        self._again: dict[str, Task] = {}
        self._lock = threading.Lock()
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, fn: Callable[..., Any], *args, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, owner: QObject | None = None,
            **kwargs) -> Task:
        """Run ``fn(*args, **kwargs)`` on the pool. Callbacks are skipped if ``owner`` has been deleted by then."""
        task = Task(fn, args, kwargs, on_done, on_error, owner)
        self._start(task)
        return task

    def run_latest(self, key: str, fn: Callable[..., Any], *args, on_done=None, on_error=None, owner=None,
                   **kwargs) -> Task | None:
        """Like run, but at most one task per ``key`` in flight; a request meanwhile runs once when it ends."""
        task = Task(fn, args, kwargs, on_done, on_error, owner, key)
        if key in self._latest:
            self._again[key] = task
            return None
        self._latest[key] = task
        self._start(task)
        return task

    def busy(self, key: str | None = None) -> bool:
        return bool(self._inflight) if key is None else key in self._latest

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for running tasks to finish (only when the console closes; never while it is in use)."""
        return self._pool.waitForDone(msecs)

    def _start(self, task: Task) -> None:
        self._inflight.add(task)
        self._pool.start(_Runnable(self, task))

    @Slot(object, bool, object)
    def _deliver(self, task: Task, ok: bool, value: object) -> None:
        self._inflight.discard(task)
        if task.key is not None and self._latest.get(task.key) is task:
            del self._latest[task.key]
            again = self._again.pop(task.key, None)
            if again is not None:
                self._latest[task.key] = again
                self._start(again)
        if task.cancelled:
            return
        if task.owner is not None:
            import shiboken6

            if not shiboken6.isValid(task.owner):
                return
        callback = task.on_done if ok else task.on_error
        if callback is not None:
            try:
                callback(value)
            except Exception:  # a bug in a callback must not take the console down
                log.exception("callback of task %s failed", getattr(task.fn, "__name__", task.fn))
        elif not ok:
            self.failed.emit(describe(value))  # type: ignore[arg-type]
