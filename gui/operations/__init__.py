"""Named operations on a host, in the manner of Anki's ``aqt/operations``: each user action is one function here
(``vm.start``, ``vm.set_settings``, ``alerts.acknowledge``, ``switch.list_switches`` ...) that returns an operation
to run; success and failure are handled in one place.

    ops.vm.set_settings(session, vm_id, changes, owner=self).success(done).failure(failed).run()
    ops.vm.lifecycle(session, "start", vms)        # several VMs, each its own job; failures gather in one dialog

The work runs through ``session.tasks`` (the one way work leaves the GUI thread) and never touches a widget;
``success(result)`` and ``failure(error)`` run on the GUI thread, and are skipped when ``owner`` is gone. An
operation that answers with a job hands it over as a dict, and the session follows it: if the job fails later, its
error is shown like any other. Without a ``failure`` callback the error is shown as the console shows errors: one
dialog (``Session.report_error``) that gathers what fails together, titled with the operation ("Cannot start").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core import api
from gui.i18n import translate
from gui.tasks import Task, Tasks, describe

Reporter = Callable[[str, str], None]


class Op:
    """``fn(*args)`` on the session's worker pool; nothing in it may touch a widget."""

    def __init__(self, tasks: Tasks, fn: Callable[..., Any], *args, title: str = "", target: str = "",
                 owner=None, key: str | None = None, report: Reporter | None = None) -> None:
        self.tasks = tasks
        self.fn = fn
        self.args = args
        self.title = title or translate("Operations", "Bulkhead")
        self.target = target  # named in the default error message ("web1: ...")
        self.owner = owner
        self.key = key  # at most one in flight per key (periodic reads)
        self.report = report
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, fn: Callable[[Any], None]) -> Op:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> Op:
        self._failure = fn
        return self

    def message(self, error: BaseException) -> str:
        return f"{self.target}: {describe(error)}" if self.target else describe(error)

    def _work(self) -> Any:
        return self.fn(*self.args)

    def _done(self, value: Any) -> None:
        if self._success is not None:
            self._success(value)

    def _failed(self, error: BaseException) -> None:
        if self._failure is not None:
            self._failure(error)
        elif self.report is not None:
            self.report(self.title, self.message(error))

    def run(self) -> Task | None:
        if self.key is not None:
            return self.tasks.run_latest(self.key, self._work, on_done=self._done, on_error=self._failed,
                                         owner=self.owner)
        return self.tasks.run(self._work, on_done=self._done, on_error=self._failed, owner=self.owner)


class HostOp(Op):
    """``fn(conn, *args)`` against the session's connection. A Job it returns comes back as a dict that the session
    follows (``track``)."""

    def __init__(self, session, fn: Callable[..., Any], *args, track: bool = True, **kw) -> None:
        kw.setdefault("report", session.report_error)
        super().__init__(session.tasks, fn, *args, **kw)
        self.session = session
        self.track = track
        self.conn = None

    def _work(self) -> tuple[bool, Any]:
        result = self.fn(self.conn, *self.args)
        return (True, result.to_dict()) if isinstance(result, api.Job) else (False, result)

    def _done(self, value: tuple[bool, Any]) -> None:
        is_job, result = value
        if is_job and self.track:
            self.session.track_job(result)
        super()._done(result)

    def run(self) -> Task | None:
        self.conn = self.session.conn
        if self.conn is None:
            self._failed(api.BulkheadError(translate("Operations", "not connected to a host")))
            return None
        return super().run()


from gui.operations import alerts, browse, connections, disk, host, jobs, metrics, move, switch, vm  # noqa: E402

__all__ = ["HostOp", "Op", "alerts", "browse", "connections", "disk", "host", "jobs", "metrics", "move", "switch",
           "vm"]
